"""Time incident imports and counts: 100,000 incidents of one municipality in one year, police events and own reports.

A temporary SQLite database (or the one given with --database-url) gets the Halmstad demo areas; the demo's synthetic
2022 is copied until the year holds --incidents counted incidents (police copies get new ids, own copies a later
second, so none is a repeat), written as files in the API's exact shape and as own-report CSV, and imported through
``do_import_incidents``. Then, in this one process:

- the import: seconds for the police files and the own reports (parse, check, place, store);
- ``incident_counts`` for the year as the situation picture calls it (by source, type, month and area), warm,
  median and 95th percentile of --repeat calls, and for a range that starts and ends mid-month;
- beside it, the peer: the same counts done naively, every counted row read into Python and tallied with a Counter.

Figures are printed, never asserted. Run ``python benchmarks/bench_incidents.py [--incidents N]``.
"""

from __future__ import annotations

import argparse
import collections
import datetime
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any


def _timed(call: Any, repeat: int) -> tuple[float, float, float, Any]:
    """Median and 95th percentile of wall time, and median CPU time of this process (steadier on a shared
    machine), in seconds, and the last result."""
    times, cpu = [], []
    result = None
    for _ in range(repeat):
        began, began_cpu = time.perf_counter(), time.process_time()
        result = call()
        times.append(time.perf_counter() - began)
        cpu.append(time.process_time() - began_cpu)
    times.sort()
    return statistics.median(times), times[max(0, int(0.95 * len(times)) - 1)], statistics.median(cpu), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=100_000, help="counted incidents to load (default 100,000)")
    parser.add_argument("--repeat", type=int, default=30, help="timed calls of each query (default 30)")
    parser.add_argument("--database-url", help="database to use instead of a temporary SQLite file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="trygg-bench-incidents-") as folder:
        run(args, Path(folder))


def run(args: argparse.Namespace, folder: Path) -> None:
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    sys.argv = sys.argv[:1]
    from trygg.cli import setup_django

    setup_django()
    from trygg.areas.actions import do_create_organisation, do_import_population
    from trygg.demo import incidents as demo
    from trygg.demo.load import DATA, _geometries
    from trygg.incidents.actions import do_import_incidents
    from trygg.incidents.models import OwnIncident, PoliceEvent
    from trygg.incidents.queries import incident_counts

    org = do_create_organisation("bench-halmstad", "Halmstads kommun", kommun_code="1380",
                                 areas_file=DATA / "halmstad_areas.geojson", synthetic=True)
    do_import_population(org, DATA / "halmstad_population.csv")
    areas = _geometries(DATA / "halmstad_areas.geojson", lambda p: str(p["code"]))
    events = demo.police_events()
    housing, municipal = demo.own_reports(areas)
    own_rows = housing + municipal
    copies = max(1, -(-args.incidents // (demo.POLICE_INCIDENTS + len(own_rows))))
    if copies > 60:
        raise SystemExit("at most 60 copies of the demo year (about 190,000 incidents)")
    police_files, own_files = [], []
    for copy in range(copies):
        path = folder / f"events-{copy}.json"
        path.write_text(json.dumps([{**e, "id": e["id"] + 1_000_000 * copy} for e in events], ensure_ascii=False),
                        encoding="utf-8")
        police_files.append(path)
        rows = [[f"{r[0]}:{copy:02d}", *r[1:]] for r in own_rows]
        own_files.append(demo._write_csv(folder / f"own-{copy}.csv", rows))
    began = time.perf_counter()
    for path in police_files:
        do_import_incidents(org, path)
    police_s = time.perf_counter() - began
    began = time.perf_counter()
    for path in own_files:
        do_import_incidents(org, path)
    own_s = time.perf_counter() - began
    counted = PoliceEvent.objects.filter(organisation=org, counted=True).count() + \
        OwnIncident.objects.filter(organisation=org).count()
    stored = PoliceEvent.objects.filter(organisation=org).count()

    by = ("source", "type", "month", "area")
    year = {"date_from": datetime.date(demo.YEAR, 1, 1), "date_to": datetime.date(demo.YEAR, 12, 31)}
    incident_counts(org, by=by, **year)  # the first call after the import, as the dashboard's first request

    def naive() -> list[tuple[tuple[Any, ...], int]]:
        tally: collections.Counter[tuple[Any, ...]] = collections.Counter()
        police = PoliceEvent.objects.filter(organisation=org, counted=True, occurred_on__year=demo.YEAR)
        for event_type, month in police.values_list("type", "month"):
            tally[("police", event_type, month, None)] += 1
        own = OwnIncident.objects.filter(organisation=org, occurred_on__year=demo.YEAR)
        for category, month, area in own.values_list("category", "month", "area__code"):
            tally[("own", category, month, area)] += 1
        return sorted(tally.items(), key=lambda kv: tuple(str(x) for x in kv[0]))

    median, p95, cpu, rows = _timed(lambda: incident_counts(org, by=by, **year), args.repeat)
    mid = {"date_from": datetime.date(demo.YEAR, 1, 15), "date_to": datetime.date(demo.YEAR, 12, 14)}
    mid_median, mid_p95, mid_cpu, _ = _timed(lambda: incident_counts(org, by=by, **mid), args.repeat)
    naive_median, naive_p95, _, naive_rows = _timed(naive, max(3, args.repeat // 5))
    assert sum(r["count"] for r in rows) == sum(n for _, n in naive_rows) == counted
    print(f"database: {os.environ['DATABASE_URL'].split(':', 1)[0]}; {counted:,} counted incidents in {demo.YEAR} "
          f"({stored:,} police events stored, summaries and notices included; {len(own_rows) * copies:,} own "
          "reports)")
    print(f"import: police events {police_s:.1f} s ({stored / police_s:,.0f} events/s), "
          f"own reports {own_s:.1f} s ({len(own_rows) * copies / own_s:,.0f} rows/s)")
    print(f"incident_counts by {','.join(by)} ({len(rows):,} groups): median {1000 * median:.1f} ms, "
          f"95th percentile {1000 * p95:.1f} ms, CPU {1000 * cpu:.1f} ms")
    print(f"the same from 15 January to 14 December (edge days read from the incidents): median "
          f"{1000 * mid_median:.1f} ms, 95th percentile {1000 * mid_p95:.1f} ms, CPU {1000 * mid_cpu:.1f} ms")
    print(f"naive Python tally of every row: median {1000 * naive_median:.1f} ms, 95th percentile "
          f"{1000 * naive_p95:.1f} ms; ratio {naive_median / median:.1f}× in favour of counting in the database")


if __name__ == "__main__":
    main()
