"""The published report: one context from the query layer → templates → HTML, and PDF with WeasyPrint.

Everything it shows comes from the query layer the results page uses (`survey_results`, `gender_comparisons`,
`year_comparisons`, `public_mentions`), with the same suppression, so the report and the page cannot disagree.
Call it inside `translation.override(lang)`: the words and the number style follow the active language.
"""

from __future__ import annotations

import base64
import logging
import mimetypes
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import get_language, gettext, gettext_lazy

from trygg import conf
from trygg.areas.gazetteer import with_geometry
from trygg.formatting import decimal as format_decimal
from trygg.formatting import integer as format_int
from trygg.formatting import percent_number as format_percent
from trygg.formatting import percent_of_hundred
from trygg.promises.models import Promise
from trygg.promises.queries import promise_data
from trygg.reports.charts import svg_data_uri
from trygg.reports.maps import area_map_svg
from trygg.reports.picture import situation_picture
from trygg.reports.report_charts import Interval, counts_chart, grouped_chart, shares_chart, trend_chart
from trygg.reports.report_text import CRIMES, summary_facts
from trygg.reports.results import ResultsError, survey_results
from trygg.surveys.mentions import public_mentions
from trygg.surveys.models import Survey

logger = logging.getLogger(__name__)

CSS = Path(__file__).resolve().parents[1] / "static" / "trygg" / "report.css"
BREAKDOWNS = ("area", "gender")
KEY_INDICATORS = ("safe_in_area", "unsafe_out_late", "unsafe_places_exist")


def _lang() -> str:
    return "en" if (get_language() or "sv").startswith("en") else "sv"


def earlier_survey(survey: Survey) -> Survey | None:
    """The organisation's latest published survey before this one, the one the report compares with."""
    return (Survey.objects.filter(organisation=survey.organisation, year__lt=survey.year,
                                  status=Survey.Status.CLOSED, results_published=True).order_by("-year").first())


def published_promise(survey: Survey) -> dict[str, Any] | None:
    """The promise this survey's report shows: the organisation's latest published one up to the year after the
    survey (a promise builds on the autumn's survey and runs the next year), as `promise_data`; None when none."""
    promise = (Promise.objects.filter(organisation=survey.organisation, year__lte=survey.year + 1)
               .exclude(status=Promise.Status.DRAFT).order_by("-year").first())
    return None if promise is None else {**promise_data(promise), "year": promise.year,
                                         "period_start": promise.period_start, "period_end": promise.period_end}


def basis_results(survey: Survey) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """Unweighted results and, when the organisation has margins the answers can be raked to, weighted ones."""
    unweighted = survey_results(survey, BREAKDOWNS)
    if not survey.organisation.margins.exists():
        return unweighted, None
    try:
        return unweighted, survey_results(survey, BREAKDOWNS, weighted=True)
    except ResultsError:
        return unweighted, None


def _index(results: dict[str, Any] | None) -> dict[tuple[str, tuple[tuple[str, str], ...]], dict[str, Any]]:
    if results is None:
        return {}
    return {(e["indicator"], tuple(sorted(e["domain"].items()))): e for e in results["estimates"]}


def _interval(e: dict[str, Any] | None) -> Interval | None:
    if e is None or e["suppressed"]:
        return None
    return e["share"], e["ci_low"], e["ci_high"]


def cell(e: dict[str, Any] | None) -> dict[str, Any]:
    """A table cell: share and interval in whole percent, n; 'hidden' for a suppressed figure, 'missing' for none."""
    if e is None:
        return {"missing": True}
    if e["suppressed"]:
        return {"hidden": True, "n": format_int(e["n"]) if e["n"] else None}
    return {"share": format_percent(e["share"]), "low": format_percent(e["ci_low"]),
            "high": format_percent(e["ci_high"]), "n": format_int(e["n"]), "n_eff": format_int(round(e["n_eff"]))}


def _area_chart(basis: dict[str, Any], index: dict[Any, Any], area_names: dict[str, str]) -> dict[str, Any] | None:
    rows = []
    table = []
    for code, name in area_names.items():
        e = index.get(("safe_in_area", (("area", code),)))
        if e is None:
            continue
        table.append({"name": name, **cell(e)})
        if (iv := _interval(e)) is not None:
            rows.append((name, iv))
    if not rows:
        return None
    overall = index.get(("safe_in_area", ()))
    reference = overall["share"] if overall and not overall["suppressed"] else None
    rows.sort(key=lambda r: -r[1][0])
    svg = shares_chart(rows, gettext("Procent trygga i sitt bostadsområde"), reference)
    return {"id": "chart-areas", "title": gettext("Trygga i sitt bostadsområde, per område"),
            "uri": svg_data_uri(svg),
            "alt": gettext("Stapeldiagram: andelen trygga i sitt bostadsområde per område med 95 % intervall. "
                           "Tabellen under diagrammet har samma uppgifter."),
            "rows": table, "first": gettext("Område")}


def _gender_chart(indicators: list[str], labels: dict[str, str], index: dict[Any, Any], gender_names: dict[str, str],
                  chart_id: str, title: str, alt: str) -> dict[str, Any] | None:
    series = []
    for code in ("kvinna", "man"):
        series.append((gender_names[code], [_interval(index.get((i, (("gender", code),)))) for i in indicators]))
    if all(v is None for _, values in series for v in values):
        return None
    svg = grouped_chart([labels[i] for i in indicators], series, gettext("Procent"))
    rows = [{"name": labels[i], "cells": [cell(index.get((i, (("gender", code),)))) for code in ("kvinna", "man")]}
            for i in indicators]
    return {"id": chart_id, "title": title, "uri": svg_data_uri(svg), "alt": alt, "rows": rows,
            "columns": [gender_names["kvinna"], gender_names["man"]]}


def _trend(survey: Survey, basis: dict[str, Any], labels: dict[str, str]) -> dict[str, Any] | None:
    """The key indicators in every published survey of the organisation up to this one (at least two years)."""
    surveys = list(Survey.objects.filter(organisation=survey.organisation, year__lte=survey.year,
                                         status=Survey.Status.CLOSED, results_published=True).order_by("year"))
    if survey not in surveys:
        surveys.append(survey)
    if len(surveys) < 2:
        return None
    points: dict[str, list[tuple[int, Interval]]] = {i: [] for i in KEY_INDICATORS}
    rows = []
    for s in surveys:
        if s.pk == survey.pk:
            data = basis
        else:
            try:
                data = survey_results(s, weighted=basis["weighted"])
            except ResultsError:
                data = survey_results(s)
        index = _index(data)
        cells = []
        for ind in KEY_INDICATORS:
            e = index.get((ind, ()))
            cells.append(cell(e))
            if (iv := _interval(e)) is not None:
                points[ind].append((s.year, iv))
        rows.append({"name": str(s.year), "cells": cells})
    svg = trend_chart([(labels[i], points[i]) for i in KEY_INDICATORS if points[i]], gettext("Procent"))
    return {"id": "chart-trend", "title": gettext("Förändring över åren"), "uri": svg_data_uri(svg),
            "alt": gettext("Linjediagram: tre mått för varje år med publicerade resultat, med 95 % intervall. "
                           "Tabellen under diagrammet har samma uppgifter."),
            "rows": rows, "columns": [labels[i] for i in KEY_INDICATORS]}


# The map's look travels inside the SVG: shown as an image it needs no page style (and breaks no CSP), and
# WeasyPrint draws an <img> SVG with its own <style>, where it ignores SVG properties in the page's stylesheet.
MAP_STYLE = ("<style>.area{fill:#ffffff;stroke:#5a6b85;stroke-width:1.5}"
             ".label{font:13px 'DejaVu Sans',sans-serif;fill:#3a4659;text-anchor:middle}"
             ".count{font:bold 12px 'DejaVu Sans',sans-serif;fill:#5c0010;text-anchor:middle}"
             ".hotspot{fill:#a3001b;fill-opacity:.35;stroke:#a3001b;stroke-width:1.5}</style>")


def map_image(svg: str, style: str = MAP_STYLE) -> str:
    """A server-drawn SVG map as a data: address, with its style carried inside; '' for no map."""
    if not svg:
        return ""
    head, rest = svg.split(">", 1)
    return svg_data_uri(f"{head}>{style}{rest}")


# Five classes of the share safe in their area, light (few feel safe) to dark (most do), from ColorBrewer's Blues:
# ordered by lightness, so they read in grey print and for the common colour-vision deficiencies.
SHARE_CLASSES = ((0.0, 0.5, "#deebf7"), (0.5, 0.6, "#9ecae1"), (0.6, 0.7, "#6baed6"), (0.7, 0.8, "#3182bd"),
                 (0.8, 1.01, "#08519c"))


def _bounds(geometry: dict[str, Any]) -> tuple[float, float, float, float]:
    """(min_lat, min_lon, max_lat, max_lon) of a Polygon or MultiPolygon's outer rings."""
    rings = [geometry["coordinates"][0]] if geometry["type"] == "Polygon" else [p[0] for p in geometry["coordinates"]]
    lons = [pt[0] for ring in rings for pt in ring]
    lats = [pt[1] for ring in rings for pt in ring]
    return min(lats), min(lons), max(lats), max(lons)


def _core(areas: list[tuple[str, dict[str, Any]]]) -> tuple[float, float, float, float] | None:
    """The map's frame without the largest area: a countryside area around the town ("the rest of the
    municipality") would otherwise shrink the town's areas to a speck. None (every area) for fewer than three."""
    boxes = [_bounds(g) for _, g in areas if g.get("type") in ("Polygon", "MultiPolygon")]
    if len(boxes) < 3:
        return None
    boxes.remove(max(boxes, key=lambda b: (b[2] - b[0]) * (b[3] - b[1])))
    lat0, lon0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
    lat1, lon1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
    pad_lat, pad_lon = 0.1 * (lat1 - lat0), 0.1 * (lon1 - lon0)
    return lat0 - pad_lat, lon0 - pad_lon, lat1 + pad_lat, lon1 + pad_lon


def _share_map(survey: Survey, index: dict[Any, Any], area_names: dict[str, str]) -> dict[str, Any] | None:
    """The areas coloured by the share safe in their area; a suppressed area stays white."""
    classes = {}
    for code, name in area_names.items():
        e = index.get(("safe_in_area", (("area", code),)))
        if e is not None and not e["suppressed"]:
            classes[name] = next(f"q{i}" for i, (low, high, _) in enumerate(SHARE_CLASSES) if low <= e["share"] < high)
    if not classes:
        return None
    areas = with_geometry(survey.organisation.areas.values_list("name", "geometry"))
    title = gettext("Karta: andelen trygga i sitt bostadsområde per område")
    text = gettext("Mörkare färg: fler känner sig trygga. Vita områden har för få svar för att visas. Tabellen ovanför "
                   "kartan har samma uppgifter.")
    style = MAP_STYLE.replace("</style>", "".join(f".q{i}{{fill:{colour}}}" for i, (_, _, colour)
                                                  in enumerate(SHARE_CLASSES)) + "</style>")
    uri = map_image(str(area_map_svg(areas, [], title, text, _core(areas), area_classes=classes)), style)
    legend = [(f"q{i}", f"{format_percent(low)}–{format_percent(min(high, 1.0))} %")
              for i, (low, high, _) in enumerate(SHARE_CLASSES)]
    return {"uri": uri, "alt": f"{title}. {text}", "legend": legend} if uri else None


def _hotspot_map(survey: Survey, mentions: dict[str, Any]) -> dict[str, str] | None:
    areas = with_geometry(survey.organisation.areas.values_list("name", "geometry"))
    hotspots = mentions["hotspots"]
    focus = None
    if hotspots:
        pad = 0.012  # about a kilometre around the clusters, so the districts around them show
        focus = (min(h.lat for h in hotspots) - pad, min(h.lon for h in hotspots) - 2 * pad,
                 max(h.lat for h in hotspots) + pad, max(h.lon for h in hotspots) + 2 * pad)
    title = gettext("Karta: områden och platser där många markerat otrygghet")
    text = gettext("%(n)s kluster av markeringar. Enskilda markeringar visas aldrig. Listan under kartan har samma "
                   "uppgifter.") % {"n": format_int(len(hotspots))}
    uri = map_image(str(area_map_svg(areas, hotspots, title, text, focus)))
    return {"uri": uri, "alt": f"{title}. {text}"} if uri else None


STATUS_NAMES = {"planned": gettext_lazy("planerad"), "ongoing": gettext_lazy("pågår"),
                "done": gettext_lazy("genomförd"), "cancelled": gettext_lazy("inställd"),
                "no_evidence": gettext_lazy("inget underlag än")}
PARTY_TITLES = {"gemensamt": gettext_lazy("Polisen och kommunen lovar att"),
                "kommunen": gettext_lazy("Kommunen lovar att"), "polisen": gettext_lazy("Polisen lovar att")}


def _picture(survey: Survey) -> dict[str, Any] | None:
    """Incidents per area from the situation picture (its own query object); None when nothing is recorded."""
    picture = situation_picture(survey)
    rows = [{"name": a.name, "fear": cell(a.fear),
             "incidents": format_int(a.incidents_total),
             "rate": None if a.rate_per_1000 is None else format_decimal(a.rate_per_1000, 1),
             "measure": "" if a.quadrant.get("measure") is None else str(a.quadrant["measure"])}
            for a in picture.areas]
    police: dict[str, int] = {}
    for r in picture.police:
        police[r["type"]] = police.get(r["type"], 0) + r["count"]
    if not any(a.incidents_total for a in picture.areas) and not police:
        return None
    by_rate = picture.has_population
    bars = [(a.name, float(value)) for a in picture.areas
            if (value := a.rate_per_1000 if by_rate else a.incidents_total) is not None]
    axis = gettext("Egna händelser per 1 000 invånare") if by_rate else gettext("Egna händelser")
    return {"rows": rows, "by_rate": by_rate,
            "police": [(t, format_int(n)) for t, n in sorted(police.items(), key=lambda kv: (-kv[1], kv[0]))[:10]],
            "chart": {"id": "chart-incidents", "title": axis, "uri": svg_data_uri(counts_chart(bars, axis)),
                      "alt": gettext("Stapeldiagram: kommunens egna registrerade händelser per område. Tabellen "
                                     "under diagrammet har samma uppgifter.")} if any(v for _, v in bars) else None}


def _promise(survey: Survey, labels: dict[str, str], area_names: dict[str, str]) -> dict[str, Any] | None:
    data = published_promise(survey)
    if data is None:
        return None
    places = {**area_names, **dict(survey.organisation.places.values_list("slug", "name"))}
    commitments = []
    for c in data["commitments"]:
        commitments.append({"title": str(PARTY_TITLES.get(c["party"], c["party"])), "text": c["text"], "activities": [
            {"number": a["number"], "text": a["text"], "places": ", ".join(places.get(p, p) for p in a["places"]),
             "status": str(STATUS_NAMES.get(a["status"], a["status"])),
             "percent": None if a["percent"] is None else percent_of_hundred(a["percent"]),
             "quantity": None if a["quantity"] is None else format_decimal(a["quantity"], 0), "unit": a["unit"],
             "delivered": None if a["delivered"] is None else format_decimal(a["delivered"], 0)}
            for a in c["activities"]]})
    indicators = []
    for i in data["indicators"]:
        base, follow = i["baseline"], i["follow_up"]
        indicators.append({
            "label": labels.get(i["indicator"], i["indicator"]),
            "domain": ", ".join(area_names.get(a, a) for a in i["domain"].get("area", [])),
            "baseline": None if base["share"] is None else format_percent(base["share"]),
            "target": None if i["target"] is None else format_percent(i["target"]),
            "follow_up": None if not follow or follow["share"] is None else format_percent(follow["share"]),
            "significant": i["significant"]})
    return {"slug": data["promise"], "year": data["year"], "status": data["status"], "commitments": commitments,
            "indicators": indicators}


def _logo() -> str | None:
    """The logo setting as a data: address, so HTML and PDF carry it with them; None when unset or unreadable."""
    path = conf.get("TRYGG_REPORT_LOGO")
    if not path:
        return None
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        logger.warning("TRYGG_REPORT_LOGO %s cannot be read (%s); the report has no logo", path, exc)
        return None
    mime = mimetypes.guess_type(path)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def report_context(survey: Survey) -> dict[str, Any]:
    """Everything the report and the press release show, in the active language."""
    lang = _lang()
    org = survey.organisation
    bank = survey.bank
    unweighted, weighted = basis_results(survey)
    basis = weighted or unweighted
    index = _index(basis)
    labels = {ind.id: ind.label[lang] for ind in bank.indicators}
    area_names = dict(org.areas.order_by("name").values_list("code", "name"))
    gender_names = {o.code: o.text[lang] for o in bank.by_id["gender"].options}
    mentions = public_mentions(survey, unweighted["min_n"])
    earlier = earlier_survey(survey)
    margin_variables = sorted(set(org.margins.values_list("variable", flat=True)))
    facts = summary_facts(survey, basis, mentions, area_names, earlier, margin_variables)
    unweighted_index, weighted_index = _index(unweighted), _index(weighted)
    indicators = [{"label": labels[ind.id], "unweighted": cell(unweighted_index.get((ind.id, ()))),
                   "weighted": cell(weighted_index.get((ind.id, ())))}
                  for ind in bank.indicators if (ind.id, ()) in unweighted_index]
    worry = [i for i in CRIMES if i in labels]
    charts = {
        "areas": _area_chart(basis, index, area_names),
        "gender": _gender_chart(
            list(KEY_INDICATORS), labels, index, gender_names, "chart-gender", gettext("Kvinnor och män"),
            gettext("Stapeldiagram: tre mått för kvinnor och män med 95 % intervall. Tabellen under diagrammet har "
                    "samma uppgifter.")),
        "worry": _gender_chart(
            worry, labels, index, gender_names, "chart-worry", gettext("Oro för brott, kvinnor och män"),
            gettext("Stapeldiagram: andelen oroliga för varje brott, kvinnor och män, med 95 % intervall. "
                    "Tabellen under diagrammet har samma uppgifter.")),
        "trend": _trend(survey, basis, labels),
    }
    places = [{"name": p["name"], "respondents": format_int(p["respondents"]), "share": format_percent(p["share"])}
              for p in mentions["places"]]
    if places:
        charts["places"] = {
            "id": "chart-places", "title": gettext("De mest nämnda platserna"),
            "uri": svg_data_uri(counts_chart([(p["name"], p["respondents"]) for p in mentions["places"]],
                                             gettext("Antal personer som nämnde platsen"))),
            "alt": gettext("Stapeldiagram: antal personer som nämnde varje plats. Tabellen under diagrammet har "
                           "samma uppgifter.")}
    comparisons = [{"label": labels[c["indicator"]], "women": format_percent(c["first_share"]),
                    "men": format_percent(c["second_share"]), "difference": format_int(round(100 * c["difference"])),
                    "low": format_int(round(100 * c["ci_low"])), "high": format_int(round(100 * c["ci_high"])),
                    "p": format_decimal(c["p_value"], 3), "certain": c["certain"]}
                   for c in facts["gender_comparisons"]]
    changes = [] if facts["change"] is None else [
        {"label": labels[c["indicator"]], "now": format_percent(c["first_share"]),
         "before": format_percent(c["second_share"]), "difference": format_int(round(100 * c["difference"])),
         "low": format_int(round(100 * c["ci_low"])), "high": format_int(round(100 * c["ci_high"])),
         "p": format_decimal(c["p_value"], 3), "certain": c["certain"]}
        for c in facts["change"]["comparisons"]]
    return {
        "lang": lang, "survey": survey, "org": org, "publisher": conf.get("TRYGG_REPORT_PUBLISHER") or org.name,
        "logo": _logo(), "facts": facts, "indicators": indicators, "has_weighted": weighted is not None,
        "respondents": format_int(unweighted["respondents"]), "min_n": format_int(unweighted["min_n"]),
        "excluded": format_int(weighted["excluded_from_weighting"]) if weighted else None,
        "charts": charts, "places": places, "hotspot_map": _hotspot_map(survey, mentions),
        "share_map": _share_map(survey, index, area_names),
        "hotspots": [{**h, "count": format_int(h["count"]), "radius_m": format_int(round(h["radius_m"]))}
                     for h in mentions["hotspot_list"]],
        "pins": format_int(mentions["pins"]), "comparisons": comparisons, "changes": changes, "earlier": earlier,
        "schematic": org.schematic_areas, "picture": _picture(survey),
        "promise": _promise(survey, labels, area_names),
    }


def render_report_html(survey: Survey, lang: str, *, standalone: bool = True,
                       context: dict[str, Any] | None = None) -> str:
    """The report as an HTML document; `standalone` carries its stylesheet inside (for a file and for the PDF)."""
    with translation.override(lang):
        ctx = report_context(survey) if context is None else context
        return render_to_string("reports/report/report.html", {
            **ctx, "standalone": standalone, "css": CSS.read_text(encoding="utf-8") if standalone else ""})


def render_report_pdf(survey: Survey, lang: str, context: dict[str, Any] | None = None) -> bytes:
    """The report as tagged PDF (PDF/UA-1): A4, page numbers, headings as bookmarks, fonts embedded."""
    from weasyprint import HTML

    html = render_report_html(survey, lang, standalone=True, context=context)
    pdf: bytes = HTML(string=html, base_url=str(CSS.parent)).write_pdf(pdf_variant="pdf/ua-1")
    return pdf


def render_press_release(survey: Survey, lang: str, context: dict[str, Any] | None = None) -> str:
    """A press-release draft in the shape of the seed's article, with marked places for the quotes."""
    with translation.override(lang):
        ctx = report_context(survey) if context is None else context
        return render_to_string("reports/report/press.html", {
            **ctx, "css": CSS.read_text(encoding="utf-8")})
