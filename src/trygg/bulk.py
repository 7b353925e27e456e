"""Inserts prepared before the transaction, so a large import holds SQLite's one write lock for as short as it can.

Django's bulk_create converts every value (JSON, dates) inside the transaction; for 150,000 answers that is most of
the time the lock is held, and residents answering meanwhile wait for it. Here the same conversions (each field's
pre_save and get_db_prep_save, as bulk_create does) happen first; the transaction then only runs executemany.
Like bulk_create, no signals are sent and the instances get no primary keys.

The same prepared insert also stores a single row unless one with its unique value exists (insert_new: a resident's
answer, whose resent form must not store it twice), in one statement.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, models


@dataclass(frozen=True)
class PreparedInsert:
    sql: str
    params: list[list[Any]]

    def run(self) -> int:
        """Insert every row (call inside the transaction); returns the number of rows."""
        if self.params:
            with connection.cursor() as cursor:
                cursor.executemany(self.sql, self.params)
        return len(self.params)


def prepare_insert(objects: Sequence[models.Model]) -> PreparedInsert:
    """The INSERT of unsaved instances of one model, values converted for this database; nothing is written yet."""
    if not objects:
        return PreparedInsert("", [])
    meta = objects[0]._meta
    # As bulk_create: the database numbers the rows and computes generated columns.
    fields = [f for f in meta.concrete_fields if not isinstance(f, models.AutoField) and not f.generated]
    quote = connection.ops.quote_name
    sql = (f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "  # noqa: S608
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    params = [[f.get_db_prep_save(f.pre_save(obj, add=True), connection=connection) for f in fields]
              for obj in objects]
    return PreparedInsert(sql, params)


def insert_new(obj: models.Model, unique: str) -> bool:
    """Insert one unsaved instance unless a row with the same value of its unique field `unique` exists.

    One statement, INSERT … ON CONFLICT (…) DO NOTHING RETURNING the primary key (PostgreSQL, SQLite 3.35 and
    later), instead of a savepoint, the insert and its release (or rollback) around an IntegrityError. True, with
    the instance's primary key set, when the row is new; False when it existed. No signals are sent, as above.
    """
    meta = obj._meta
    field = meta.get_field(unique)
    if not isinstance(field, models.Field) or not field.column or meta.pk is None:
        raise ValueError(f"{unique} is no column of {meta.label}")
    prepared = prepare_insert([obj])
    quote = connection.ops.quote_name
    sql = f"{prepared.sql} ON CONFLICT ({quote(field.column)}) DO NOTHING RETURNING {quote(meta.pk.column)}"
    with connection.cursor() as cursor:
        cursor.execute(sql, prepared.params[0])
        row = cursor.fetchone()
    if row is None:
        return False
    obj.pk = row[0]
    obj._state.adding = False
    obj._state.db = connection.alias
    return True
