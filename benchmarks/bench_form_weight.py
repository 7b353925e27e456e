"""Page weight of the resident's form, step by step: what a phone downloads, gzipped.

A temporary SQLite database gets Halmstad's areas and named places and an open survey; a test client walks the form
in Swedish and Arabic as a resident would (answers on each step, then the summary and the receipt). For each page:
the HTML, plus the stylesheet and scripts it loads (each counted once per walk, as a browser caches them), each
compressed with gzip -6 as a web server would. The map step is counted twice: as loaded (the map still closed, only
map.js), and with the map opened (Leaflet's script and stylesheet from static/vendor/leaflet/).

Peers in the same run: the budget of issue 12 (60 KB before the map is opened) and the one-page form (?utskrift=1,
every question at once, the form as it was before the steps). Figures are printed, never asserted. Run
``python benchmarks/bench_form_weight.py``.
"""

from __future__ import annotations

import gzip
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

BUDGET_KB = 60.0
SRC = Path(__file__).resolve().parents[1] / "src" / "trygg"


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def assets(page: str) -> list[str]:
    """Static files a page loads by itself: stylesheets and scripts (not the favicon, not data: images)."""
    return re.findall(r'(?:href|src)="/static/([^"]+\.(?:css|js))"', page)


def static_bytes(name: str) -> bytes:
    return (SRC / "static" / name).read_bytes()


def field(page: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', page)
    return match.group(1) if match else ""


def walk(client: Any, lang: str) -> list[tuple[str, int, int]]:
    """(page, HTML gzipped, new assets gzipped) for each page of one walk through the form."""
    url = "/halmstad/enkat/2026/"
    headers = {"HTTP_ACCEPT_LANGUAGE": lang}
    seen: set[str] = set()
    rows = []

    def count(label: str, page: str) -> int:
        new = [a for a in assets(page) if a not in seen]
        seen.update(new)
        extra = sum(gz(static_bytes(a)) for a in new)
        rows.append((label, gz(page.encode()), extra))
        return extra

    page = client.get(url, **headers).content.decode()
    answers = [{"area": "vallas", "gender": "kvinna", "age_group": "25-44"},
               {"safe_area": "ganska_trygg", "unsafe_places": "ja", "unsafe_places_text": "Stora torg sent",
                "unsafe_places_pins-plats": ["p:stora-torg"], "unsafe_time": ["20-23"]},
               {"worry_ran": "ganska_orolig"}, {"problem_klotter": "ganska_litet"}, {"police_cares": "vet_ej"}]
    for step, given in enumerate(answers, start=1):
        extra = count(f"step {step} of 6", page)
        if "map.js" in page:
            leaflet = sum(gz(static_bytes(f"vendor/leaflet/leaflet.{kind}")) for kind in ("js", "css"))
            rows.append((f"step {step} of 6, map opened", gz(page.encode()), extra + leaflet))
        page = client.post(url, {"token": field(page, "token"), "utkast": field(page, "utkast"),
                                 "steg": field(page, "steg"), "ga": "fram", **given}, **headers).content.decode()
    count("step 6 of 6 (summary)", page)
    page = client.post(url, {"token": field(page, "token"), "utkast": field(page, "utkast"), "steg": "5",
                             "ga": "skicka"}, **headers).content.decode()
    count("receipt", page)
    return rows


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="trygg-bench-form-") as folder:
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        os.environ.setdefault("SECRET_KEY", "benchmark-only")
        os.environ.setdefault("TRYGG_HTTPS", "0")
        sys.argv = sys.argv[:1]
        from trygg.cli import setup_django

        setup_django()
        run()


def run() -> None:
    from django.test import Client

    from trygg.areas.actions import do_create_organisation, do_import_places
    from trygg.demo.load import DATA
    from trygg.surveys.actions import do_create_survey, do_open_survey

    org = do_create_organisation("halmstad", "Halmstads kommun", kommun_code="1380",
                                 areas_file=DATA / "halmstad_areas.geojson")
    do_import_places(org, DATA / "halmstad_places.geojson")
    do_open_survey(do_create_survey(org, 2026))
    client = Client(HTTP_HOST="127.0.0.1")
    one_page = client.get("/halmstad/enkat/2026/?utskrift=1").content.decode()
    one_page_kb = (gz(one_page.encode()) + sum(gz(static_bytes(a)) for a in assets(one_page))) / 1024
    print(f"Form page weight, gzipped (KB; budget before the map is opened: {BUDGET_KB:.0f} KB)")
    print(f"peer: the one-page form (?utskrift=1, every question), HTML and assets: {one_page_kb:.1f} KB")
    for lang in ("sv", "ar"):
        print(f"\n{lang}: {'page':<32} {'HTML':>6} {'+assets':>8} {'total':>7} {'budget':>7} {'vs one page':>12}")
        closed_max = 0.0
        for label, html, extra in walk(client, lang):
            total = (html + extra) / 1024
            if "map opened" not in label:
                closed_max = max(closed_max, total)
            print(f"    {label:<32} {html / 1024:6.1f} {extra / 1024:8.1f} {total:7.1f} "
                  f"{total / BUDGET_KB:6.0%} {total / one_page_kb:11.2f}×")
        print(f"    heaviest page before the map is opened: {closed_max:.1f} KB "
              f"({closed_max / BUDGET_KB:.0%} of the budget)")


if __name__ == "__main__":
    main()
