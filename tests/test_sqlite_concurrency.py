"""On SQLite, residents keep answering while a large import writes: they wait, at most the busy timeout, and succeed.

Everything is real and in separate processes: a file database in WAL mode, `trygg serve --production` (two gunicorn
processes), `trygg responses import` of 60,000 rows, residents answering through the form in threads, and a watcher
that finds when the database's write lock is held. Before WAL, the busy timeout and IMMEDIATE transactions, answers
sent while an import wrote got 500 "database is locked" and the import could die.
"""

from __future__ import annotations

import csv
import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings

from test_proxy import HOST, Resident, _free_port, _wait_for

DEMO_DATA = Path(__file__).resolve().parents[1] / "src" / "trygg" / "demo" / "data"
ROWS = 60_000


def write_answers(path: Path, n: int) -> None:
    areas = ["andersberg", "vallas", "sondrum", "annat", ""]
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["area", "gender", "age_group", "safe_area", "unsafe_places", "unsafe_time"])
        for i in range(n):
            writer.writerow([areas[i % 5], ["kvinna", "man"][i % 2], "25-44", ["ganska_trygg", "mycket_otrygg"][i % 2],
                             ["ja", "nej"][i % 2], "20-23;23-02"])


class LockWatcher(threading.Thread):
    """Records (start, end) of the times a writer held the database, probing with BEGIN IMMEDIATE every 20 ms."""

    def __init__(self, path: Path) -> None:
        super().__init__(daemon=True)
        self.path, self.stop, self.locked = path, threading.Event(), []
        self.since: float | None = None

    def run(self) -> None:
        db = sqlite3.connect(self.path, timeout=0, isolation_level=None)
        while not self.stop.is_set():
            now = time.monotonic()
            try:
                db.execute("BEGIN IMMEDIATE")
                db.execute("ROLLBACK")
                if self.since is not None:
                    self.locked.append((self.since, now))
                    self.since = None
            except sqlite3.OperationalError:
                self.since = self.since if self.since is not None else now
            time.sleep(0.02)
        db.close()


@pytest.mark.skipif(settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
                    reason="SQLite's single writer; PostgreSQL writes concurrently")
def test_residents_answer_while_a_large_import_writes(tmp_path: Path) -> None:
    database = tmp_path / "trygg.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "SECRET_KEY": "test-only", "ALLOWED_HOSTS": HOST,
           "TRYGG_ANSWERS_PER_CONNECTION_PER_DAY": "100000", "TRYGG_WORKERS": "2", "TRYGG_THREADS": "4",
           "TRYGG_TRUSTED_PROXIES": "127.0.0.1", "TRYGG_HTTPS": "0", "CACHE_URL": ""}
    for args in (["org", "create", "halmstad", "--name", "Halmstad", "--areas",
                  str(DEMO_DATA / "halmstad_areas.geojson")],
                 ["survey", "create", "halmstad", "2026"], ["survey", "open", "halmstad-2026"]):
        subprocess.run([sys.executable, "-m", "trygg", *args], cwd=tmp_path, env=env, check=True, capture_output=True)
    answers = tmp_path / "answers.csv"
    write_answers(answers, ROWS)
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "trygg", "serve", "--production", "--port", str(port)],
                              cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    watcher = LockWatcher(database)
    results: list[tuple[float, float, int]] = []
    try:
        _wait_for(port, server)
        watcher.start()
        importer = subprocess.Popen([sys.executable, "-m", "trygg", "responses", "import", "halmstad-2026",
                                     str(answers)], cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, text=True)

        def resident(n: int) -> None:
            # Answer until a little after the import has finished, so answers are in flight while it writes.
            done_at: float | None = None
            while done_at is None or time.monotonic() < done_at + 1:
                if done_at is None and importer.poll() is not None:
                    done_at = time.monotonic()
                start = time.monotonic()
                status = Resident(port, f"203.0.113.{n}").answer()
                results.append((start, time.monotonic(), status))

        threads = [threading.Thread(target=resident, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=600)
        out, err = importer.communicate(timeout=60)
    finally:
        watcher.stop.set()
        server.terminate()
        server.wait(timeout=30)
    assert importer.returncode == 0, err
    assert f"{ROWS} responses imported" in out
    assert results and all(status == 200 for _, _, status in results), sorted({s for _, _, s in results})
    # The import's insert held the write lock for a while (the residents' own writes take milliseconds) ...
    long_locks = [(a, b) for a, b in watcher.locked if b - a > 0.3]
    assert long_locks, watcher.locked
    # ... and answers in flight meanwhile (sent before or during it, done during or after it) waited and were stored.
    during = [r for r in results if any(r[0] <= b and r[1] >= a for a, b in long_locks)]
    assert during, (long_locks, results[:5])
    with sqlite3.connect(database) as db:
        channels = dict(db.execute("SELECT channel, COUNT(*) FROM surveys_response GROUP BY channel").fetchall())
    assert channels == {"import": ROWS, "web": len(results)}
    print(f"{len(results)} answers during the import, {len(during)} while it held the write lock "
          f"({max(b - a for a, b in long_locks):.1f} s); slowest answer {max(e - s for s, e, _ in results):.1f} s")
