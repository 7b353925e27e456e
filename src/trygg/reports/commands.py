"""Commands of the reports app: `trygg picture` (one function per command; `register(sub)` adds them)."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from typing import Any

from trygg.cliutil import add_command, render_csv, render_table


def _pct(x: float | None) -> str:
    return "" if x is None else f"{100 * x:.1f}"


def _interval(fig: dict[str, Any]) -> str:
    if fig["suppressed"]:
        return "dold"
    return f"{_pct(fig['share'])} ({_pct(fig['ci_low'])}–{_pct(fig['ci_high'])})"


def cmd_picture(args: argparse.Namespace) -> int:
    from trygg.reports.picture import situation_picture
    from trygg.surveys.actions import find_survey

    picture = situation_picture(find_survey(args.survey), weighted=True if args.weighted else False)
    if args.format == "json":
        print(json.dumps(picture.to_json(), ensure_ascii=False, indent=1))
        return 0
    if args.format == "csv":
        header, rows = picture.csv_rows()
        sys.stdout.write(render_csv(rows, header))
        return 0
    kind = "viktade" if picture.weighted else "oviktade"
    f = picture.filters
    print(f"{picture.survey}: lägesbild per område, {kind} andelar i procent med 95 % konfidensintervall; "
          f"egna händelser {f.date_from}–{f.date_to} per 1 000 invånare")
    header = ["område", picture.filters.indicator, "ej trygga", "n", "händelser", "per 1 000", "kvadrant",
              "mest nämnda platser"]
    m = picture.municipality
    rows: list[list[Any]] = [["hela kommunen", _interval(m["indicator"]), _interval(m["fear"]), m["fear"]["n"],
                              m["incidents_total"], _rate(m["rate_per_1000"]), "", ""]]
    for a in picture.areas:
        rows.append([a.name, _interval(a.indicator), _interval(a.fear), a.fear["n"], a.incidents_total,
                     _rate(a.rate_per_1000), a.quadrant["kind"] or "", ", ".join(p["name"] for p in a.places)])
    print(render_table(rows, header))
    if not picture.has_population:
        print("Befolkningstal per område saknas: bara antal händelser, inga tal per 1 000 invånare.")
    police = Counter[str]()
    for r in picture.police:
        police[r["type"]] += r["count"]
    if police:
        print("\nPolisens händelser i kommunen (inte placerade i områden)")
        print(render_table(police.most_common(), ["typ", "antal"]))
    return 0


def _rate(x: float | None) -> str:
    return "" if x is None else f"{x:.1f}"


def register(sub: Any) -> None:
    p = add_command(sub, "picture", "the joint situation picture per area: indicators with intervals, the most "
                                    "named places, incidents per 1,000 residents, the fear × incidents quadrant",
                    cmd_picture)
    p.add_argument("survey", help="the survey, ORG-YEAR")
    p.add_argument("--weighted", action="store_true", help="raked to the population margins")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table", help="output format")
