"""Time the demo's PDF report, cold and warm, and print its size. Goal: under 10 s.

A temporary SQLite database gets the Halmstad demo (`trygg demo`: 1,695 answers, margins, places, incidents and the
promise where the demo has them). Then, in one process:

- cold: the first `render_report_pdf` of the process (fonts, matplotlib and templates loaded, every figure computed:
  results weighted and unweighted, comparisons, coded free text, hotspots, the situation picture, charts, layout);
- warm: further renders in the same process (every figure computed again, libraries loaded);
- served warm: `/halmstad/resultat/2022/rapport.pdf` through Django's test client after a first request, as the site
  answers from its cache until the organisation's data change;
- the HTML report from the same context, to show what the PDF layout (WeasyPrint) adds.

Figures are printed with their ratio to the 10 s goal, never asserted.
Run ``python benchmarks/bench_report.py [--warm N]``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

GOAL_S = 10.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warm", type=int, default=3, help="warm renders to time (default 3)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="trygg-bench-report-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    from trygg.cli import setup_django

    setup_django()
    from django.core.cache import cache
    from django.test import Client
    from django.utils import translation

    from trygg.demo.load import load_demo
    from trygg.reports.report import render_report_html, render_report_pdf, report_context
    from trygg.surveys.models import Survey

    load_demo()
    survey = Survey.objects.get(organisation__slug="halmstad", year=2022)

    start = time.perf_counter()
    pdf = render_report_pdf(survey, "sv")
    cold = time.perf_counter() - start
    warm = []
    for _ in range(args.warm):
        start = time.perf_counter()
        pdf = render_report_pdf(survey, "sv")
        warm.append(time.perf_counter() - start)
    with translation.override("sv"):
        start = time.perf_counter()
        context = report_context(survey)
        context_s = time.perf_counter() - start
    start = time.perf_counter()
    render_report_html(survey, "sv", context=context)
    html_s = time.perf_counter() - start
    start = time.perf_counter()
    render_report_pdf(survey, "sv", context)
    layout_s = time.perf_counter() - start

    cache.clear()
    client = Client()
    client.get("/halmstad/resultat/2022/rapport.pdf", secure=True)
    start = time.perf_counter()
    served = client.get("/halmstad/resultat/2022/rapport.pdf", secure=True)
    served_s = time.perf_counter() - start
    if served.status_code != 200:
        raise SystemExit(f"the report address answered {served.status_code}: {served.content[:300]!r}")

    out = folder / "rapport.pdf"
    out.write_bytes(pdf)
    pages = ""
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
        pages = next((line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")), "")
    median = statistics.median(warm) if warm else cold
    print(f"demo PDF report (halmstad-2022, {survey.responses.count():,} answers): {len(pdf):,} bytes, "
          f"{pages} pages")
    print(f"cold (first in process) {cold:6.2f} s  = {cold / GOAL_S:.2f} x the {GOAL_S:.0f} s goal")
    print(f"warm (median of {len(warm)})    {median:6.2f} s  = {median / GOAL_S:.2f} x the goal")
    print(f"  of which figures and charts {context_s:6.2f} s, HTML from them {html_s:6.3f} s, "
          f"PDF layout from them {layout_s:6.2f} s")
    print(f"served from the cache     {served_s:6.3f} s  = {served_s / GOAL_S:.4f} x the goal")
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
