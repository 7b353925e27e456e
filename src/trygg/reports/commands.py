"""Commands of the reports app: `trygg picture` (one function per command; `register(sub)` adds them)."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from typing import Any

from django.utils.translation import gettext, ngettext

from trygg import formatting
from trygg.cliutil import add_command, gettext_noop, render_table


def _pct(x: float | None) -> str:
    return "" if x is None else formatting.decimal(100 * x, 1)


def _interval(fig: dict[str, Any]) -> str:
    if fig["suppressed"]:
        return gettext("dold")
    return f"{_pct(fig['share'])} ({_pct(fig['ci_low'])}–{_pct(fig['ci_high'])})"


def cmd_picture(args: argparse.Namespace) -> int:
    from trygg.reports.picture import situation_picture
    from trygg.surveys.actions import find_survey

    picture = situation_picture(find_survey(args.survey), weighted=True if args.weighted else False)
    if args.format == "json":
        print(json.dumps(picture.to_json(), ensure_ascii=False, indent=1))
        return 0
    if args.format == "csv":
        sys.stdout.write(picture.csv_text())
        return 0
    f = picture.filters
    title = (gettext("%(survey)s: lägesbild per område, viktade andelar i procent med 95 %% konfidensintervall; "
                     "egna händelser %(start)s–%(end)s per 1 000 invånare") if picture.weighted else
             gettext("%(survey)s: lägesbild per område, oviktade andelar i procent med 95 %% konfidensintervall; "
                     "egna händelser %(start)s–%(end)s per 1 000 invånare"))
    print(title % {"survey": picture.survey, "start": f.date_from, "end": f.date_to})
    header = [gettext("område"), picture.filters.indicator, gettext("ej trygga"), "n", gettext("händelser"),
              gettext("per 1 000"), gettext("kvadrant"), gettext("mest nämnda platser")]
    m = picture.municipality
    rows: list[list[Any]] = [[gettext("hela kommunen"), _interval(m["indicator"]), _interval(m["fear"]), m["fear"]["n"],
                              m["incidents_total"], _rate(m["rate_per_1000"]), "", ""]]
    for a in picture.areas:
        rows.append([a.name, _interval(a.indicator), _interval(a.fear), a.fear["n"], a.incidents_total,
                     _rate(a.rate_per_1000), a.quadrant["kind"] or "", ", ".join(p["name"] for p in a.places)])
    print(render_table(rows, header))
    if not picture.has_population:
        print(gettext("Befolkningstal per område saknas: bara antal händelser, inga tal per 1 000 invånare."))
    police = Counter[str]()
    for r in picture.police:
        police[r["type"]] += r["count"]
    if police:
        print("\n" + gettext("Polisens händelser i kommunen (inte placerade i områden)"))
        print(render_table(police.most_common(), [gettext("typ"), gettext("antal")]))
    return 0


def _rate(x: float | None) -> str:
    return "" if x is None else formatting.decimal(x, 1)


def cmd_report(args: argparse.Namespace) -> int:
    from pathlib import Path

    from django.utils import translation

    from trygg.cliutil import UsageError
    from trygg.reports.report import render_press_release, render_report_html, render_report_pdf, report_context
    from trygg.surveys.actions import find_survey

    out = Path(args.out)
    suffix = out.suffix.lower()
    if suffix not in (".html", ".pdf") or (args.press and suffix != ".html"):
        raise UsageError(gettext("formatet framgår inte av %(out)r; ange --out FIL.html eller FIL.pdf "
                                 "(pressmeddelandet: FIL.html)") % {"out": args.out})
    survey = find_survey(args.survey)
    # One context for the chosen output: the figures are computed once, in the chosen language.
    with translation.override(args.lang):
        context = report_context(survey)
    if args.press:
        out.write_text(render_press_release(survey, args.lang, context), encoding="utf-8")
    elif suffix == ".pdf":
        out.write_bytes(render_report_pdf(survey, args.lang, context))
    else:
        out.write_text(render_report_html(survey, args.lang, context=context), encoding="utf-8")
    done = gettext("%(out)s: pressmeddelande om %(survey)s (%(lang)s)") if args.press else gettext(
        "%(out)s: rapport om %(survey)s (%(lang)s)")
    print(done % {"out": out, "survey": survey.slug, "lang": args.lang})
    return 0


def cmd_opendata(args: argparse.Namespace) -> int:
    from pathlib import Path

    from trygg.reports.opendata import write_opendata
    from trygg.surveys.actions import find_survey

    survey = find_survey(args.survey)
    files = write_opendata(survey, Path(args.out))
    print(ngettext("%(n)s fil med öppna data för %(survey)s i %(out)s", "%(n)s filer med öppna data för %(survey)s i "
                   "%(out)s", len(files)) % {"n": len(files), "survey": survey.slug, "out": args.out})
    return 0


def register(sub: Any) -> None:
    p = add_command(sub, "picture", gettext_noop("den gemensamma lägesbilden per område: indikatorer med intervall, "
                                                 "de mest nämnda platserna, händelser per 1\u00a0000 invånare, "
                                                 "kvadranten oro × händelser"),
                    cmd_picture)
    p.add_argument("survey", help=gettext_noop("enkäten, ORG-ÅR"))
    p.add_argument("--weighted", action="store_true", help=gettext_noop("viktade mot befolkningsmarginalerna "
                                                                        "(raking)"))
    p.add_argument("--format", choices=["table", "csv", "json"], default="table", help=gettext_noop("utdataformat"))

    p = add_command(sub, "report", gettext_noop("rapporten (sammanfattning, metod, diagram, kartor, lägesbilden och "
                                                "löftet) som HTML eller PDF, eller ett utkast till pressmeddelande"),
                    cmd_report)
    p.add_argument("survey", help=gettext_noop("enkäten, ORG-ÅR"))
    p.add_argument("--out", required=True, help=gettext_noop("FIL.html eller FIL.pdf (formatet följer ändelsen)"))
    p.add_argument("--lang", choices=["sv", "en"], default="sv", help=gettext_noop("rapportens språk (standard sv)"))
    p.add_argument("--press", action="store_true",
                   help=gettext_noop("skriv i stället utkastet till pressmeddelande (HTML, citaten lämnade som "
                                     "markerade platshållare)"))

    p = add_command(sub, "opendata", gettext_noop("varje publicerat aggregat som CSV och JSON, områdena som GeoJSON "
                                                  "och en dataordbok, med samma undertryckning som resultatsidan"),
                    cmd_opendata)
    p.add_argument("survey", help=gettext_noop("enkäten, ORG-ÅR"))
    p.add_argument("--out", required=True, help=gettext_noop("mapp att skriva filerna till (skapas om den saknas)"))
