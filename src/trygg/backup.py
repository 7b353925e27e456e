"""`trygg backup` and `trygg restore`: the whole database in one file and back, on SQLite and PostgreSQL.

Everything is in it: answers, their codes and reviews, places, margins, incidents, promises, staff, sessions and the
audit log. SQLite is copied with its online backup API (consistent while residents keep answering); PostgreSQL with
`pg_dump --format=custom` and `pg_restore`, which must be on the PATH in a version at least the server's.
A SQLite backup also restores into PostgreSQL (trygg.move): the way from a trial on SQLite to a production database.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.utils.translation import gettext, ngettext

from trygg import formatting
from trygg.cliutil import UsageError, add_command, gettext_noop
from trygg.errors import InputError
from trygg.move import restore_sqlite_into_postgres

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"
# Tables that `migrate` fills by itself; any other row means the database already holds someone's data.
MADE_BY_MIGRATE = {"django_migrations", "django_content_type", "auth_permission", "trygg_cache", "django_session"}


def _engine() -> str:
    from django.db import connection

    return str(connection.vendor)


def _pg_command(program: str) -> tuple[list[str], dict[str, str]]:
    """The program with the connection's host, port, user and database; the password in the environment only."""
    from django.conf import settings

    db: Any = settings.DATABASES["default"]
    args = [program, "--no-password"]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            args.append(f"{flag}={db[key]}")
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return [*args, f"--dbname={db['NAME']}"], env


def do_backup(out: str | Path) -> Path:
    """Write the whole database to `out` (refused if it exists); returns the path.

    The event is written first, so the backup holds its own record. The file appears complete or not at all: it is
    written beside `out` under a temporary name and renamed.
    """
    from django.db import connection

    from trygg.accounts.actions import audit

    out = Path(out)
    if out.exists():
        raise UsageError(gettext("%(out)s finns redan; ange ett nytt filnamn") % {"out": out})
    temporary = out.with_name(f".{out.name}.partial")
    audit("database_backed_up", file=out.name, engine=_engine())
    try:
        if _engine() == "sqlite":
            connection.ensure_connection()
            target = sqlite3.connect(temporary)
            try:
                connection.connection.backup(target)
            finally:
                target.close()
        elif _engine() == "postgresql":
            command, env = _pg_command("pg_dump")
            # The programs are PostgreSQL's own; the arguments come from settings and the operator's file name.
            done = subprocess.run([*command, "--format=custom", f"--file={temporary}"], env=env,  # noqa: S603
                                  capture_output=True, text=True, check=False)
            if done.returncode:
                raise InputError(gettext("pg_dump misslyckades: %(reason)s") % {"reason": done.stderr.strip()},
                                 file=out)
        else:
            raise UsageError(gettext("trygg backup klarar SQLite och PostgreSQL, inte %(engine)s")
                             % {"engine": _engine()})
        temporary.replace(out)
    finally:
        temporary.unlink(missing_ok=True)
    return out


def _data_tables() -> dict[str, int]:
    """Rows per table that holds data of this installation (not what migrate itself writes)."""
    from django.db import connection

    counts = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table in MADE_BY_MIGRATE:
                continue
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 - a table name
            counts[table] = int(cursor.fetchone()[0])
    return {table: n for table, n in counts.items() if n}


def do_restore(path: str | Path, replace: bool = False) -> None:
    """Put the backup in `path` in place of this database's contents, then migrate it to this version of trygg.

    Refused (UsageError) when the database already holds data, unless `replace`; InputError when the file is not
    a backup of this kind of database. The restore itself is recorded in the audit log afterwards.
    """
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection

    from trygg.accounts.actions import audit

    path = Path(path)
    try:
        with path.open("rb") as f:
            head = f.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise InputError(gettext("säkerhetskopian går inte att läsa: %(reason)s") % {"reason": exc.strerror},
                         file=path) from None
    expected = {"sqlite": SQLITE_MAGIC, "postgresql": PG_MAGIC}.get(_engine())
    if expected is None:
        raise UsageError(gettext("trygg restore klarar SQLite och PostgreSQL, inte %(engine)s")
                         % {"engine": _engine()})
    moving = _engine() == "postgresql" and head.startswith(SQLITE_MAGIC)  # from SQLite to PostgreSQL (move.py)
    if not head.startswith(expected) and not moving:
        raise InputError(gettext("inte en säkerhetskopia av en %(engine)s-databas gjord med trygg backup")
                         % {"engine": _engine()}, file=path)
    occupied = _data_tables()
    if occupied and not replace:
        tables = ", ".join(f"{table} ({n})" for table, n in sorted(occupied.items())[:5])
        raise UsageError(gettext("databasen är inte tom: %(tables)s; återställ till en ny databas eller ange "
                                 "--replace") % {"tables": tables})
    if moving:
        restore_sqlite_into_postgres(path)
    elif _engine() == "sqlite":
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            connection.ensure_connection()
            source.backup(connection.connection)
        except sqlite3.DatabaseError as exc:
            raise InputError(gettext("inte en läsbar säkerhetskopia av SQLite: %(reason)s") % {"reason": exc},
                             file=path) from None
        finally:
            source.close()
    else:
        connection.close()
        command, env = _pg_command("pg_restore")
        done = subprocess.run([*command, "--clean", "--if-exists", "--no-owner", "--single-transaction",  # noqa: S603
                               str(path)],
                              env=env, capture_output=True, text=True, check=False)
        if done.returncode:
            raise InputError(gettext("pg_restore misslyckades: %(reason)s") % {"reason": done.stderr.strip()},
                             file=path)
    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    if moving:
        # Pages kept from before (the database cache here, or Redis) show what this database held before.
        cache.clear()
    if moving:
        audit("database_restored", file=path.name, engine=_engine(), from_engine="sqlite")
    else:
        audit("database_restored", file=path.name, engine=_engine())


def cmd_backup(args: argparse.Namespace) -> int:
    out = do_backup(args.out)
    size = out.stat().st_size
    print(ngettext("säkerhetskopian skrevs till %(out)s (%(n)s byte)",
                   "säkerhetskopian skrevs till %(out)s (%(n)s byte)", size)
          % {"out": out, "n": formatting.integer(size)})
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    do_restore(args.file, replace=args.replace)
    print(gettext("databasen återställdes från %(file)s") % {"file": args.file})
    return 0


def register(sub: Any) -> None:
    p = add_command(sub, "backup", gettext_noop("kopiera hela databasen till en fil (SQLite: onlinesäkerhetskopia; "
                                                "PostgreSQL: pg_dump) medan webbplatsen är i gång"), cmd_backup)
    p.add_argument("--out", required=True, help=gettext_noop("filen att skriva; en befintlig fil skrivs aldrig över"))
    p = add_command(sub, "restore", gettext_noop("läs in en säkerhetskopia från trygg backup i den här (tomma) "
                                                 "databasen och migrera den"),
                    cmd_restore)
    p.add_argument("file", help=gettext_noop("en fil skriven av trygg backup på samma slags databas, eller en "
                                             "SQLite-säkerhetskopia till PostgreSQL (flytt till PostgreSQL)"))
    p.add_argument("--replace", action="store_true",
                   help=gettext_noop("skriv över en databas som redan innehåller data (innehållet går förlorat)"))
