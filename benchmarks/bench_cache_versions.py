"""Time the fingerprints the cached pages are keyed on, beside the newest-audit-event key they replaced.

Every request of a cached page (results page, report, open data, situation picture, API) first computes the version
of the data it shows (`trygg.reports.versions`); that is the price of never serving a stale page. A temporary SQLite
database gets the Halmstad demo organisation (areas, places, population margins, incidents, a published promise)
and a survey of --answers answers (the demo's, repeated), closed and published; then, repeated --repeat times:

- the old key of the report, picture, open data and API: the organisation's newest audit event (one indexed query),
  the peer;
- the results page's old key: that event plus the answers' count, highest id and newest time, the reviews, margins,
  areas and places (as it was before `trygg.reports.versions`);
- `results_version` (the results page) and `survey_data_version` (report, picture, open data, API);
- a warm GET of the results page (served from the store), for scale.

CPU time (`time.process_time`) is printed beside wall time: the machine is shared. Figures are printed, never
asserted. Run ``python benchmarks/bench_cache_versions.py [--answers N] [--repeat N]``.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import Any

from _setup import temporary_database


def timed(function: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """Median wall and CPU seconds of `function()`."""
    wall, cpu = [], []
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        function()
        wall.append(time.perf_counter() - w0)
        cpu.append(time.process_time() - c0)
    return statistics.median(wall), statistics.median(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=300_000, help="answers in the survey (default 300,000)")
    parser.add_argument("--repeat", type=int, default=30, help="timed calls of each (default 30)")
    args = parser.parse_args()
    temporary_database()
    from django.db.models import Count, Max
    from django.test import Client

    from trygg.accounts.models import AuditEvent
    from trygg.demo.load import load_demo
    from trygg.reports.versions import results_version, survey_data_version
    from trygg.surveys.models import MentionReview, Response, Survey

    load_demo()
    survey = Survey.objects.select_related("organisation").get(organisation__slug="halmstad", year=2022)
    base = list(survey.responses.values_list("answers", "submitted_at", "channel"))
    extra = []
    while len(base) + len(extra) < args.answers:
        for answers, submitted, channel in base[: args.answers - len(base) - len(extra)]:
            extra.append(Response(survey=survey, answers=answers, submitted_at=submitted, channel=channel))
    Response.objects.bulk_create(extra, batch_size=5000)
    print(f"{survey.responses.count():,} answers in {survey.slug}")
    org = survey.organisation

    def old_key() -> Any:
        return AuditEvent.objects.filter(organisation=org).order_by("-id").values_list("id", flat=True).first()

    def old_results_key() -> Any:
        return repr([
            survey.status, survey.results_published, survey.bank_id, old_key(),
            survey.responses.aggregate(Count("id"), Max("id"), Max("submitted_at")),
            MentionReview.objects.filter(response__survey=survey).aggregate(Count("pk"), Max("reviewed_at")),
            list(org.margins.order_by("variable", "category").values_list("variable", "category", "count")),
            list(org.areas.order_by("code").values_list("code", "name", "schematic")),
            list(org.places.order_by("slug").values_list("slug", "name", "kind", "aliases")),
        ])

    client = Client()
    url = f"/{org.slug}/resultat/{survey.year}/"
    assert client.get(url).status_code == 200
    rows = [("newest audit event (old key, the peer)", timed(old_key, args.repeat)),
            ("old results page key", timed(old_results_key, args.repeat)),
            ("results_version (results page)", timed(lambda: results_version(survey), args.repeat)),
            ("survey_data_version (report, picture, API)", timed(lambda: survey_data_version(survey), args.repeat)),
            ("warm results page GET", timed(lambda: client.get(url), args.repeat))]
    peer_wall, peer_cpu = rows[0][1]
    for name, (wall, cpu) in rows:
        print(f"{name:44} wall {1000 * wall:7.2f} ms  cpu {1000 * cpu:7.2f} ms  "
              f"({wall / peer_wall:6.1f}x the peer's wall, {cpu / max(peer_cpu, 1e-9):6.1f}x its cpu)")


if __name__ == "__main__":
    main()
