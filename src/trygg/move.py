"""Moving from SQLite to PostgreSQL: `trygg restore` of a SQLite backup into a PostgreSQL database.

A trial or a first year often runs on SQLite; when it outgrows it (docs/deployment.md says when), its backup is
restored into PostgreSQL as it is, with every answer, code, review, place, margin, incident, promise, staff account,
session and audit event, each with its own id. The backup is copied aside and migrated to this version of trygg
first, so an older backup moves too; then every table is copied through Django's own field conversions (JSON,
dates, booleans) into the PostgreSQL tables in one transaction — all rows or none — and the id sequences are moved
past the copied ids.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

COPY_BATCH = 5000
SOURCE_ALIAS = "trygg_move_source"


def restore_sqlite_into_postgres(path: Path, progress: Callable[[str], None] | None = None) -> dict[str, int]:
    """Replace this PostgreSQL database's contents with the SQLite backup in `path`; returns rows per table."""
    from django.apps import apps
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connection, connections, transaction

    folder = Path(tempfile.mkdtemp(prefix="trygg-move-"))
    work = folder / "source.sqlite3"
    shutil.copyfile(path, work)
    connections.settings[SOURCE_ALIAS] = connections.configure_settings(
        {"default": connections.settings["default"],
         SOURCE_ALIAS: {"ENGINE": "django.db.backends.sqlite3", "NAME": str(work)}})[SOURCE_ALIAS]
    try:
        call_command("migrate", database=SOURCE_ALIAS, interactive=False, verbosity=0)
        models = [m for m in apps.get_models(include_auto_created=True)
                  if m._meta.managed and not m._meta.proxy]
        copied: dict[str, int] = {}
        with transaction.atomic():
            with connection.cursor() as cursor:
                tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models)
                # What migrate wrote here (content types, permissions) goes too: the copy brings the backup's own,
                # with the ids its rows point to.
                cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")  # noqa: S608 - table names
                for model in models:
                    copied[model._meta.db_table] = _copy_table(model, cursor, connection)
                    if progress is not None:
                        progress(model._meta.db_table)
                for statement in connection.ops.sequence_reset_sql(no_style(), models):
                    cursor.execute(statement)
        return copied
    finally:
        connections[SOURCE_ALIAS].close()
        del connections[SOURCE_ALIAS]
        del connections.settings[SOURCE_ALIAS]
        shutil.rmtree(folder, ignore_errors=True)


def _copy_table(model: Any, cursor: Any, connection: Any) -> int:
    """Every row of `model` from the source into this database, as Django reads and writes each field."""
    # A generated column (computed by the database from the others) is computed again here, never copied.
    fields = [f for f in model._meta.concrete_fields if not getattr(f, "generated", False)]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
    rows = (model._base_manager.using(SOURCE_ALIAS).order_by().values_list(*[f.attname for f in fields])
            .iterator(chunk_size=COPY_BATCH))
    batch: list[list[Any]] = []
    count = 0
    for row in rows:
        batch.append([f.get_db_prep_save(value, connection) for f, value in zip(fields, row, strict=True)])
        if len(batch) == COPY_BATCH:
            cursor.executemany(sql, batch)
            count += len(batch)
            batch = []
    if batch:
        cursor.executemany(sql, batch)
        count += len(batch)
    return count
