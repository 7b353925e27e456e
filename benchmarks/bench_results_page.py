"""Time the published results page of a large survey, cold and warm, beside the bare results query it builds on.

A temporary SQLite database gets the Halmstad demo organisation (areas, places, population margins) and a survey
whose answers — the demo's 1,695 synthetic answers repeated (shuffled per copy) up to --answers (default 300,000) —
arrive as they do in production, through `trygg responses import` of a CSV file (validated, stored, free text coded
on arrival); the survey is then closed (which stores its answers' columns, `SurveyFrame`) and published. Then, in
this one process, which has served one other page first (so Python's imports are not timed):

- the bare query, cold: ``survey_results(survey, ["area", "gender"], weighted=True)`` with nothing in memory — what
  the page's main table needs;
- the page, cold: the first GET of /ORG/resultat/YEAR/ with the page store and the in-process memo emptied and the
  frame as production has it after the close (stored): columns read from one row, raked, estimated, compared,
  mentions counted, charts and map drawn;
- the page's very first render: the same with the stored frame deleted too, so the answers are read from the
  database and the frame is built and stored (what a survey closed before frames existed costs once);
- the page, warm: further GETs (served from the store).

Wall and CPU time (``time.process_time``) are printed, never asserted: the machine may be shared.
Run ``python benchmarks/bench_results_page.py [--answers N]``.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import statistics
import time
from collections.abc import Callable

from _setup import percentile, temporary_database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=300_000, help="answers in the survey (default 300,000)")
    parser.add_argument("--warm", type=int, default=20, help="warm requests to time (default 20)")
    args = parser.parse_args()
    folder = temporary_database()
    from django.core.cache import cache
    from django.test import Client

    from trygg.areas.actions import do_create_organisation, do_import_places, do_import_population
    from trygg.demo.generate import generate_answers
    from trygg.demo.load import DATA, _geometries
    from trygg.reports.results import survey_results
    from trygg.surveys.actions import (
        do_close_survey,
        do_create_survey,
        do_import_responses,
        do_open_survey,
        do_publish_results,
    )
    from trygg.surveys.memo import forget
    from trygg.surveys.models import Response, SurveyFrame
    from trygg.text import slugify

    org = do_create_organisation("halmstad", "Halmstad", areas_file=DATA / "halmstad_areas.geojson", synthetic=True)
    do_import_places(org, DATA / "halmstad_places.geojson")
    do_import_population(org, DATA / "halmstad_population.csv")
    survey = do_open_survey(do_create_survey(org, 2024))
    areas = _geometries(DATA / "halmstad_areas.geojson", lambda p: str(p["code"]))
    places = _geometries(DATA / "halmstad_places.geojson", lambda p: slugify(str(p["name"])))
    base = generate_answers(areas, places)
    bank = survey.bank
    qids = [q.id for q in bank.questions]
    rng = random.Random(1)
    path = folder / "svar.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow([*qids, "submitted_at"])
        made = 0
        while made < args.answers:
            for a in rng.sample(base, k=min(len(base), args.answers - made)):
                writer.writerow([bank.to_cell(q, a.get(q)) for q in qids] + [a["submitted_at"].isoformat()])
                made += 1
    t0 = time.perf_counter()
    stored = do_import_responses(survey, path)
    print(f"{stored:,} answers imported in {time.perf_counter() - t0:.1f} s ({os.environ['DATABASE_URL']})")
    t0, c0 = time.perf_counter(), time.process_time()
    do_close_survey(survey)  # stores the frame once the close is committed
    print(f"survey closed, frame stored: {time.perf_counter() - t0:.1f} s (CPU {time.process_time() - c0:.1f} s), "
          f"{len(SurveyFrame.objects.get(survey=survey).data) / 1e6:.1f} MB")
    do_publish_results(survey)
    assert Response.objects.filter(survey=survey).count() == args.answers

    forget()
    bare, bare_cpu = timed(lambda: survey_results(survey, ["area", "gender"], weighted=True))

    client = Client()
    url = "/halmstad/resultat/2024/"
    assert client.get("/halsa/").status_code == 200  # the process has served a page: imports are not timed

    def cold_page() -> None:
        cache.clear()
        forget()
        page = client.get(url)
        assert page.status_code == 200, page.status_code

    cold, cold_cpu = timed(cold_page)
    SurveyFrame.objects.filter(survey=survey).delete()
    first, first_cpu = timed(cold_page)
    assert SurveyFrame.objects.filter(survey=survey).exists()
    warm = []
    c0 = time.process_time()
    for _ in range(args.warm):
        t0 = time.perf_counter()
        client.get(url)
        warm.append(time.perf_counter() - t0)
    warm_cpu = (time.process_time() - c0) / args.warm
    p95 = percentile(warm, 0.95)
    print(f"bare results query, cold (weighted, area and gender): {bare:.2f} s (CPU {bare_cpu:.2f} s)")
    print(f"results page, cold, frame stored at close: {cold:.2f} s (CPU {cold_cpu:.2f} s; goal < 2 s; "
          f"{cold / bare:.1f}x the bare query)")
    print(f"results page, first render without a frame (answers read, frame built): {first:.2f} s "
          f"(CPU {first_cpu:.2f} s; {first / cold:.1f}x the cold page with the frame)")
    print(f"results page, warm: median {1000 * statistics.median(warm):.1f} ms, p95 {1000 * p95:.1f} ms "
          f"over {len(warm)} requests (CPU {1000 * warm_cpu:.1f} ms per request)")


def timed(work: Callable[[], object]) -> tuple[float, float]:
    """(wall, CPU) seconds of `work()`."""
    t0, c0 = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - t0, time.process_time() - c0


if __name__ == "__main__":
    main()
