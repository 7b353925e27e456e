"""Time the published results page of a large survey, cold and warm, beside the bare results query it builds on.

A temporary SQLite database gets the Halmstad demo organisation (areas, places, population margins) and a closed,
published survey whose answers are the demo's 1,695 synthetic answers repeated (shuffled per copy) up to --answers
(default 300,000). Then, in this one process:

- the bare query: ``survey_results(survey, ["area", "gender"], weighted=True)`` — what the page's main table needs;
- the page, cold: the first GET of /ORG/resultat/YEAR/ after the store of computed results is emptied (the answers
  read from the database, coded, raked, estimated, compared, mentions coded, map drawn);
- the page, warm: further GETs (served from the store).

Figures are printed, never asserted. Run ``python benchmarks/bench_results_page.py [--answers N]``.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=300_000, help="answers in the survey (default 300,000)")
    parser.add_argument("--warm", type=int, default=20, help="warm requests to time (default 20)")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="trygg-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    os.environ["TRYGG_HTTPS"] = "0"  # the test client speaks plain http
    sys.argv = sys.argv[:1]
    from trygg.cli import setup_django

    setup_django()
    from django.core.cache import cache
    from django.test import Client

    from trygg.demo.load import DATA, _geometries
    from trygg.areas.actions import do_create_organisation, do_import_places, do_import_population
    from trygg.demo.generate import generate_answers
    from trygg.reports.results import survey_results
    from trygg.surveys.actions import do_close_survey, do_create_survey, do_open_survey, do_publish_results
    from trygg.surveys.models import Response
    from trygg.text import slugify

    org = do_create_organisation("halmstad", "Halmstad", areas_file=DATA / "halmstad_areas.geojson", synthetic=True)
    do_import_places(org, DATA / "halmstad_places.geojson")
    do_import_population(org, DATA / "halmstad_population.csv")
    survey = do_open_survey(do_create_survey(org, 2024))
    areas = _geometries(DATA / "halmstad_areas.geojson", lambda p: str(p["code"]))
    places = _geometries(DATA / "halmstad_places.geojson", lambda p: slugify(str(p["name"])))
    base = generate_answers(areas, places)
    rng = random.Random(1)
    made = 0
    t0 = time.perf_counter()
    while made < args.answers:
        batch = rng.sample(base, k=min(len(base), args.answers - made))
        Response.objects.bulk_create(
            [Response(survey=survey, answers={k: v for k, v in a.items() if k != "submitted_at"},
                      submitted_at=a["submitted_at"], channel=Response.Channel.IMPORT) for a in batch],
            batch_size=5000)
        made += len(batch)
    do_close_survey(survey)
    do_publish_results(survey)
    print(f"{made:,} answers written in {time.perf_counter() - t0:.1f} s ({os.environ['DATABASE_URL']})")

    t0 = time.perf_counter()
    survey_results(survey, ["area", "gender"], weighted=True)
    bare = time.perf_counter() - t0

    client = Client()
    url = "/halmstad/resultat/2024/"
    cache.clear()
    t0 = time.perf_counter()
    page = client.get(url)
    cold = time.perf_counter() - t0
    assert page.status_code == 200, page.status_code
    warm = []
    for _ in range(args.warm):
        t0 = time.perf_counter()
        client.get(url)
        warm.append(time.perf_counter() - t0)
    p95 = sorted(warm)[max(0, int(0.95 * len(warm)) - 1)]
    print(f"bare results query (weighted, area and gender): {bare:.2f} s")
    print(f"results page, cold: {cold:.2f} s  (goal < 2 s; {cold / bare:.1f}x the bare query)")
    print(f"results page, warm: median {1000 * statistics.median(warm):.1f} ms, p95 {1000 * p95:.1f} ms "
          f"over {len(warm)} requests")


if __name__ == "__main__":
    main()
