"""Time the coding-review list of a large survey beside the bare list query, in one run.

A temporary SQLite database gets the Halmstad demo organisation (areas, places) and a survey whose answers are the
demo's synthetic answers repeated (shuffled per copy) up to --answers (default 10,000), inserted without codes. A
staff analyst then asks for /personal/kodning/SURVEY/ through Django's test client:

- the bare list query: one page of 50 answers with free text and their reviews, and the count, straight from the
  database (``Paginator(text_responses(survey), 50).page(1)``, the stored ``has_text`` column and its index), no
  coding at all;
- first request: the answers' codes are missing, so every free text is coded once and stored with its flag;
- first flagged view of answers stored before there was a flag (as after the upgrade that added it): the language
  guess read once for every text and the flags stored;
- the list as staff use it, codes and flags stored: all answers (first page and a page deep in the list),
  unreviewed, one place ("plats"), and flagged (other languages);
- for comparison, coding every free text of the survey once, which is what the list did on every request before
  the codes were stored.

Figures are printed with p50 and p95 of wall-clock time and their ratio to the bare query, and the mean CPU time
of the process per request (steadier on a shared, loaded machine), never asserted. Goal: under 100 ms.
Run ``python benchmarks/bench_review.py [--answers N] [--times N]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable

from _setup import add_demo_answers, percentile, temporary_database

GOAL_MS = 100


def timed(request: Callable[[], object], times: int) -> list[float]:
    """Wall-clock seconds of each call."""
    out = []
    for _ in range(times):
        t0 = time.perf_counter()
        request()
        out.append(time.perf_counter() - t0)
    return out


def cpu_ms(request: Callable[[], object], times: int) -> float:
    """Mean CPU milliseconds of this process per call (SQLite runs in the process, so its work counts too)."""
    t0 = time.process_time()
    for _ in range(times):
        request()
    return (time.process_time() - t0) * 1000 / times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=10_000, help="answers in the survey (default 10,000)")
    parser.add_argument("--times", type=int, default=20, help="requests to time per view (default 20)")
    args = parser.parse_args()
    temporary_database()
    from django.contrib.auth.models import User
    from django.core.paginator import Paginator
    from django.test import Client

    from trygg.accounts.actions import do_grant_role
    from trygg.areas.actions import do_create_organisation, do_import_places
    from trygg.demo.load import DATA
    from trygg.surveys.actions import do_create_survey, do_open_survey
    from trygg.surveys.coder import organisation_coder
    from trygg.surveys.models import Response
    from trygg.surveys.review import free_text, text_responses
    from trygg.text import code_mentions

    org = do_create_organisation("halmstad", "Halmstads kommun och LPO Halmstad", kommun_code="1380",
                                 areas_file=DATA / "halmstad_areas.geojson", synthetic=True)
    do_import_places(org, DATA / "halmstad_places.geojson")
    survey = do_open_survey(do_create_survey(org, 2024))
    made = add_demo_answers(survey, args.answers)
    texts = [free_text(r) for r in text_responses(survey)]
    print(f"{made:,} answers, {len(texts):,} with free text ({os.environ['DATABASE_URL']})")

    def bare() -> None:
        page = Paginator(text_responses(survey), 50).page(1)
        list(page.object_list)

    user = User.objects.create_user("analyst_halmstad", password="benchmark-only")
    do_grant_role(user, org, "analyst")
    client = Client()
    client.force_login(user)
    url = f"/personal/kodning/{survey.slug}/"

    def get(query: dict[str, str]) -> Callable[[], None]:
        def request() -> None:
            response = client.get(url, query, secure=True)  # as behind the production HTTPS front
            assert response.status_code == 200, response.status_code
        return request

    first = timed(get({}), 1)
    Response.objects.update(flagged=None)
    first_flagged = timed(get({"visa": "flaggade"}), 1)
    gazetteer = organisation_coder(org)[0]
    t0 = time.perf_counter()
    for text in texts:
        code_mentions(text, gazetteer)
    code_all = time.perf_counter() - t0
    bare_times = timed(bare, args.times)
    b = statistics.median(bare_times)
    bare_cpu = cpu_ms(bare, args.times)
    print(f"bare list query (one page of 50 and the count): p50 {1000 * b:.1f} ms, "
          f"p95 {1000 * percentile(bare_times, 0.95):.1f} ms over {len(bare_times)} runs; CPU {bare_cpu:.1f} ms")
    print(f"first request (no codes stored: every text coded and stored): {1000 * first[0]:.0f} ms")
    print(f"first flagged view of answers stored without a flag (every text's flag read once and stored): "
          f"{1000 * first_flagged[0]:.0f} ms")
    print(f"coding every free text once (what each request cost before codes were stored): {1000 * code_all:.0f} ms")
    last = (len(texts) + 49) // 50
    views = (("all, first page", {}), (f"all, page {last // 2}", {"sida": str(last // 2)}),
             ("unreviewed", {"visa": "ej_granskade"}), ("one place (stadskarnan)", {"plats": "stadskarnan"}),
             ("flagged (stored flags)", {"visa": "flaggade"}))
    for name, query in views:
        values = timed(get(query), args.times)
        cpu = cpu_ms(get(query), args.times)
        p50, p95 = statistics.median(values), percentile(values, 0.95)
        verdict = "met" if p95 < GOAL_MS / 1000 else "NOT met"
        print(f"review list, {name}: p50 {1000 * p50:.1f} ms, p95 {1000 * p95:.1f} ms over {len(values)} requests "
              f"({p50 / b:.1f}x the bare query at p50; goal p95 < {GOAL_MS} ms: {verdict}); "
              f"CPU {cpu:.1f} ms ({cpu / bare_cpu:.1f}x the bare query)")


if __name__ == "__main__":
    main()
