"""Time the situation-picture dashboard of a large municipality, cold and warm, beside the bare results query.

A temporary SQLite database gets the Halmstad demo organisation (areas, places, population margins), a survey whose
answers are the demo's 1,695 synthetic answers repeated (shuffled per copy) up to --answers (default 10,000), and
--incidents (default 100,000) incidents of the survey's year through the real import writer
(`do_import_incidents`): 30 % police events in the events API's JSON shape (a tenth of them summaries, which are
stored but not counted), 70 % own reports as CSV. A staff user then asks for /personal/lagesbild/ORG-YEAR/ through
Django's test client:

- the bare query: ``survey_results(survey, ["area"], weighted=True)``, what the picture's indicators build on;
- first: the process's first request (the store of computed pictures empty, nothing loaded yet, the free text
  coded and its codes stored with the answers);
- cold: requests after the store and the process's memo of answers are emptied (answers read, raked, estimated,
  stored codes read, pins placed, hotspots found, incidents counted in the database, map and chart drawn);
- a new filter choice: requests with filters not asked before (the coded free text is kept in the store, the rest
  is computed for the choice);
- warm: further requests of the same page (the picture, keyed by the newest audit event, comes from the store).

Figures are printed with p50 and p95 and their ratio to the bare query, never asserted.
The temporary database is removed at the end.
Run ``python benchmarks/bench_picture.py [--answers N] [--incidents N] [--cold N] [--warm N]``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from _setup import add_demo_answers, percentile, temporary_database

STOCKHOLM = ZoneInfo("Europe/Stockholm")
MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
          "november", "december")
POLICE_TYPES = ("Misshandel", "Stöld", "Skadegörelse", "Inbrott", "Trafikolycka", "Rån", "Brand", "Narkotikabrott",
                "Olaga hot", "Sammanfattning natt")
OWN_TYPES = ("skadegörelse", "otrygg plats", "våld", "buskörning", "inbrott", "folksamling", "klotter")
# The city core and the areas the demo's residents feel least safe in get more reports, as in a real year.
AREA_WEIGHTS = {"centrum-vast": 8, "centrum-ost": 7, "andersberg": 5, "vallas": 2, "nyhem-linehed": 2,
                "ostra-stranden": 2, "rotorp": 3, "sondrum": 2, "furet-frennarp": 2, "karleken-sofieberg": 2,
                "ovriga": 6}


def _moment(rng: random.Random, year: int) -> datetime:
    start = datetime(year, 1, 1, tzinfo=STOCKHOLM)
    return start + timedelta(minutes=rng.randrange(365 * 24 * 60))


def police_events(rng: random.Random, year: int, count: int) -> list[dict[str, object]]:
    events = []
    for i in range(count):
        occurred = _moment(rng, year)
        published = occurred + timedelta(minutes=rng.randrange(20, 180))
        kind = rng.choice(POLICE_TYPES) if i % 10 else "Sammanfattning natt"
        offset = published.strftime("%z")
        stamp = f"{published:%Y-%m-%d} {published.hour}:{published:%M:%S} {offset[:3]}:{offset[3:]}"
        events.append({"id": 100_000 + i, "datetime": stamp,
                       "name": f"{occurred.day:02d} {MONTHS[occurred.month - 1]} {occurred:%H.%M}, {kind}, Halmstad",
                       "summary": "Syntetisk händelse för prestandamätning.", "url": f"/aktuellt/handelser/{i}/",
                       "type": kind, "location": {"name": "Halmstad", "gps": "56.674375,12.857788"}})
    events.sort(key=lambda e: str(e["datetime"]), reverse=True)
    return events


def own_reports(rng: random.Random, year: int, count: int) -> str:
    areas = list(AREA_WEIGHTS)
    weights = list(AREA_WEIGHTS.values())
    lines = ["occurred_at,category,lat,lon,area"]
    for _ in range(count):
        lines.append(f"{_moment(rng, year):%Y-%m-%d %H:%M},{rng.choice(OWN_TYPES)},,,"
                     f"{rng.choices(areas, weights)[0]}")
    return "\n".join(lines) + "\n"


def timed(request: Callable[[], object], times: int, before: Callable[[], None] | None = None) -> list[float]:
    out = []
    for _ in range(times):
        if before:
            before()
        t0 = time.perf_counter()
        request()
        out.append(time.perf_counter() - t0)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=10_000, help="answers in the survey (default 10,000)")
    parser.add_argument("--incidents", type=int, default=100_000, help="incidents (default 100,000)")
    parser.add_argument("--cold", type=int, default=10, help="cold requests to time (default 10)")
    parser.add_argument("--warm", type=int, default=30, help="warm requests to time (default 30)")
    args = parser.parse_args()
    folder = temporary_database()
    from django.contrib.auth.models import User
    from django.core.cache import cache
    from django.test import Client

    from trygg.accounts.actions import do_grant_role
    from trygg.areas.actions import do_create_organisation, do_import_places, do_import_population
    from trygg.demo.load import DATA
    from trygg.incidents.actions import do_import_incidents
    from trygg.reports.results import survey_results
    from trygg.surveys.actions import do_close_survey, do_create_survey, do_open_survey
    from trygg.surveys.memo import forget

    year = 2024
    org = do_create_organisation("halmstad", "Halmstads kommun och LPO Halmstad", kommun_code="1380",
                                 areas_file=DATA / "halmstad_areas.geojson", synthetic=True)
    do_import_places(org, DATA / "halmstad_places.geojson")
    do_import_population(org, DATA / "halmstad_population.csv")
    survey = do_open_survey(do_create_survey(org, year))
    t0 = time.perf_counter()
    made = add_demo_answers(survey, args.answers)
    do_close_survey(survey)
    rng = random.Random(7)
    police_count = round(0.3 * args.incidents)
    (folder / "events.json").write_text(json.dumps(police_events(rng, year, police_count), ensure_ascii=False),
                                        encoding="utf-8")
    (folder / "own.csv").write_text(own_reports(rng, year, args.incidents - police_count), encoding="utf-8")
    do_import_incidents(org, folder / "events.json")
    do_import_incidents(org, folder / "own.csv")
    print(f"{made:,} answers and {args.incidents:,} incidents ({police_count:,} police events, "
          f"{args.incidents - police_count:,} own reports) written in {time.perf_counter() - t0:.1f} s "
          f"({os.environ['DATABASE_URL']})")

    bare = timed(lambda: survey_results(survey, ["area"], weighted=True), 5)
    user = User.objects.create_user("analyst_halmstad", password="benchmark-only")
    do_grant_role(user, org, "analyst")
    client = Client()
    client.force_login(user)
    url = f"/personal/lagesbild/{survey.slug}/"

    def get(query: str = "") -> None:
        response = client.get(url + query, secure=True)  # as behind the production HTTPS front
        assert response.status_code == 200, response.status_code

    def empty() -> None:
        cache.clear()
        forget()  # the answers' arrays and codings the process keeps

    first = timed(get, 1, before=empty)
    cold = timed(get, args.cold, before=empty)
    # A new choice in the filter form: the coded free text is kept, everything else computed for that choice.
    choices = ([f"?kon={g}" for g in ("kvinna", "man")] + [f"?alder={a}" for a in ("16-24", "25-44", "45-64")]
               + [f"?omrade={a}" for a in ("andersberg", "vallas", "sondrum")] + ["?kalla=own", "?kalla=police",
                                                                               "?kategori=klotter", "?viktat=nej"])
    filtered = []
    for query in choices:
        t0 = time.perf_counter()
        get(query)
        filtered.append(time.perf_counter() - t0)
    get()
    warm = timed(get, args.warm)
    b = statistics.median(bare)
    print(f"bare results query (weighted, by area): first {1000 * bare[0]:.0f} ms (answers read and raked), then "
          f"median {1000 * b:.0f} ms over {len(bare)} runs (arrays and weights kept in the process)")
    print(f"dashboard, first request of the process (store empty, nothing loaded): {1000 * first[0]:.0f} ms")
    for name, values in (("cold (store emptied before each)", cold), ("a new filter choice", filtered),
                         ("warm", warm)):
        p50, p95 = statistics.median(values), percentile(values, 0.95)
        print(f"dashboard, {name}: p50 {1000 * p50:.1f} ms, p95 {1000 * p95:.1f} ms over {len(values)} requests "
              f"({p50 / b:.2f}x the bare query at p50; goal p95 < 300 ms)")
    from django.db import connections

    connections.close_all()
    shutil.rmtree(folder)

if __name__ == "__main__":
    main()
