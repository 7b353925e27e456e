"""`trygg backup` and `trygg restore` in real processes: a restore into an empty database equals the original.

The original is the Halmstad demo (answers, places, margins, incidents, the promise with approvals and progress,
staff, audit). On SQLite the databases are files; when the suite runs on PostgreSQL the test also creates two
databases beside the test database, `test_backup_source` and `test_restore`, and drops them afterwards.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

RESTORE_EVENT = "database_restored"


def trygg(database_url: str, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "test-only-backup"}
    return subprocess.run([sys.executable, "-m", "trygg", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=600, check=False)


def _sorted(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    return sorted(rows, key=repr)


def sqlite_tables(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    with sqlite3.connect(path) as db:
        names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {name: _sorted(db.execute(f'SELECT * FROM "{name}"').fetchall()) for name in names}


def postgres_tables(url: str) -> dict[str, list[tuple[Any, ...]]]:
    import psycopg

    with psycopg.connect(url) as db:
        names = [r[0] for r in db.execute("SELECT table_name FROM information_schema.tables "
                                          "WHERE table_schema = 'public'").fetchall()]
        return {name: _sorted(db.execute(f'SELECT * FROM "{name}"').fetchall()) for name in names}


def without_restore_event(tables: dict[str, list[tuple[Any, ...]]]) -> dict[str, list[tuple[Any, ...]]]:
    """The restored database's tables less the one audit event the restore wrote about itself."""
    events = tables["accounts_auditevent"]
    restored = [row for row in events if RESTORE_EVENT in row]
    assert len(restored) == 1, restored
    copy = {**tables, "accounts_auditevent": [row for row in events if row not in restored]}
    if "sqlite_sequence" in tables:  # SQLite's counter of ids moved on by that one event
        copy["sqlite_sequence"] = _sorted([(name, n - 1 if name == "accounts_auditevent" else n)
                                           for name, n in tables["sqlite_sequence"]])
    return copy


def check_round_trip(source: str, target: str, tables: Any, tmp_path: Path) -> None:
    loaded = trygg(source, tmp_path, "demo", "--no-serve")
    assert loaded.returncode == 0, loaded.stderr
    backup = tmp_path / "trygg.backup"
    made = trygg(source, tmp_path, "backup", "--out", str(backup))
    assert made.returncode == 0, made.stderr
    assert f"backup written to {backup}" in made.stdout
    original = tables(source)
    assert len(original["surveys_response"]) == 3390 and original["promises_promise"]
    assert any("database_backed_up" in row for row in original["accounts_auditevent"])

    restored = trygg(target, tmp_path, "restore", str(backup))
    assert restored.returncode == 0, restored.stderr
    copy = without_restore_event(tables(target))
    assert sorted(copy) == sorted(original)
    different = [name for name in original if copy[name] != original[name]]
    assert not different, f"tables differ after the restore: {different}"

    # Never over someone's data without --replace; never over an existing backup.
    again = trygg(target, tmp_path, "restore", str(backup))
    assert again.returncode == 2 and "the database is not empty" in again.stderr
    assert trygg(target, tmp_path, "backup", "--out", str(backup)).returncode == 2
    replaced = trygg(target, tmp_path, "restore", "--replace", str(backup))
    assert replaced.returncode == 0, replaced.stderr
    assert without_restore_event(tables(target)) == original


@pytest.mark.skipif(settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
                    reason="the SQLite round trip; the PostgreSQL one is below")
def test_sqlite_restore_into_an_empty_database_equals_the_original(tmp_path: Path) -> None:
    source, target = tmp_path / "source.sqlite3", tmp_path / "target.sqlite3"
    check_round_trip(f"sqlite:///{source}", f"sqlite:///{target}",
                     lambda url: sqlite_tables(Path(url.removeprefix("sqlite:///"))), tmp_path)


@pytest.fixture
def postgres_databases() -> Iterator[tuple[str, str]]:
    import psycopg

    db = settings.DATABASES["default"]
    base = (f"postgresql://{db['USER']}{':' + db['PASSWORD'] if db.get('PASSWORD') else ''}"
            f"@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}")
    names = ("test_backup_source", "test_restore")

    def drop_all() -> None:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            for name in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    drop_all()
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{base}/{names[0]}", f"{base}/{names[1]}"
    finally:
        drop_all()


@pytest.mark.skipif(settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
                    reason="runs when the suite runs on PostgreSQL (DATABASE_URL=postgres://…)")
def test_postgres_restore_into_an_empty_database_equals_the_original(postgres_databases: tuple[str, str],
                                                                     tmp_path: Path) -> None:
    source, target = postgres_databases
    check_round_trip(source, target, postgres_tables, tmp_path)


def test_a_file_that_is_no_backup_is_named(tmp_path: Path) -> None:
    not_a_backup = tmp_path / "answers.csv"
    not_a_backup.write_text("safe_area\nmycket_trygg\n", encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    result = trygg(url, tmp_path, "restore", str(not_a_backup))
    assert result.returncode == 1
    assert "answers.csv" in result.stderr and "not a backup of a sqlite database" in result.stderr
    missing = trygg(url, tmp_path, "restore", str(tmp_path / "nowhere.backup"))
    assert missing.returncode == 1 and "nowhere.backup" in missing.stderr


@pytest.mark.skipif(settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
                    reason="runs when the suite runs on PostgreSQL (DATABASE_URL=postgres://…)")
def test_a_sqlite_backup_moves_into_postgres_whole(postgres_databases: tuple[str, str], tmp_path: Path) -> None:
    """From a trial on SQLite to PostgreSQL: every table's rows arrive with their ids, the figures are the same,
    and new rows get new ids after the copied ones."""
    _, target = postgres_databases
    source = f"sqlite:///{tmp_path / 'trial.sqlite3'}"
    assert trygg(source, tmp_path, "demo", "--no-serve").returncode == 0
    backup = tmp_path / "trial.backup"
    assert trygg(source, tmp_path, "backup", "--out", str(backup)).returncode == 0
    original = sqlite_tables(tmp_path / "trial.sqlite3")

    moved = trygg(target, tmp_path, "restore", str(backup))
    assert moved.returncode == 0, moved.stderr
    copy = postgres_tables(target)
    skipped = {"django_migrations", "trygg_cache", "sqlite_sequence"}
    counts = {name: len(rows) for name, rows in original.items() if name not in skipped}
    assert {name: len(copy[name]) for name in counts} == {
        **counts, "accounts_auditevent": counts["accounts_auditevent"] + 1}  # and the restore's own event
    ids = sorted(row[0] for row in original["surveys_response"])
    assert sorted(row[0] for row in copy["surveys_response"]) == ids

    for command in (["results", "halmstad-2022", "--weighted", "--format", "json"],
                    ["mentions", "halmstad-2022", "--format", "json"], ["promise", "show", "halmstad-2023",
                                                                         "--format", "json"]):
        before, after = trygg(source, tmp_path, *command), trygg(target, tmp_path, *command)
        assert before.returncode == after.returncode == 0, after.stderr
        assert before.stdout == after.stdout, command

    # The sequences moved past the copied ids: a new survey and its events are stored without a clash.
    assert trygg(target, tmp_path, "survey", "create", "halmstad", "2030").returncode == 0
    assert trygg(target, tmp_path, "survey", "open", "halmstad-2030").returncode == 0
    # Once moved, the database holds data: a second move needs --replace.
    again = trygg(target, tmp_path, "restore", str(backup))
    assert again.returncode == 2
