"""The staff dashboard of the situation picture (`/personal/lagesbild/ORG-YEAR/`) and its CSV download.

Both read one `Picture` (`trygg.reports.picture`), so the download always holds the figures on the screen under
the same filters. Server-rendered throughout (SVG map, matplotlib chart as an image, a table behind each), so the
page works without JavaScript and its parts can go unchanged into the PDF report.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from trygg.accounts.access import staff_access
from trygg.areas.gazetteer import with_geometry
from trygg.errors import InputError
from trygg.formatting import integer, sorted_swedish
from trygg.geo import Hotspot
from trygg.incidents.queries import incident_categories
from trygg.reports.charts import PALETTE, figure_svg, new_figure, svg_data_uri
from trygg.reports.maps import area_map_svg
from trygg.reports.picture import MEASURES, Filters, Picture, dialogue_notes, situation_picture
from trygg.reports.results import ResultsError
from trygg.reports.versions import survey_data_version
from trygg.surveys.actions import find_survey
from trygg.surveys.models import Survey

# Short names of the quadrants for table cells; MEASURES has the full text with the kind of measure.
GROUPS = {
    "fear_only": gettext_lazy("Hög otrygghet, få händelser"),
    "incidents_only": gettext_lazy("Många händelser, låg otrygghet"),
    "both": gettext_lazy("Båda höga"),
    "neither": gettext_lazy("Båda låga"),
}
MAP_FIGURES = ("kvadrant", "indikator", "otrygghet", "brott")
CLASSES = 5
# Query parameters (Swedish, as the addresses are) → Filters fields.
PARAMS = {"omrade": "area", "kon": "gender", "alder": "age_group", "indikator": "indicator", "kalla": "source",
          "kategori": "category"}


def _lang() -> str:
    return "en" if (get_language() or "sv").startswith("en") else "sv"


def _survey(request: HttpRequest, slug: str) -> Survey:
    try:
        survey = find_survey(slug)
    except InputError:
        raise Http404(slug) from None
    if staff_access(request.user, survey.organisation) is None:
        raise PermissionDenied
    return survey


def _date(text: str, errors: list[str]) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors.append(_("Datum skrivs ÅÅÅÅ-MM-DD, till exempel 2022-05-01."))
        return None


def _choices(request: HttpRequest) -> tuple[Filters, bool | None, str, list[str]]:
    """Filters, weighting and map figure from the query string, and what was wrong with it."""
    errors: list[str] = []
    values: dict[str, Any] = {field: request.GET.get(param) or None for param, field in PARAMS.items()}
    values["indicator"] = values["indicator"] or "safe_in_area"
    filters = Filters(**values, date_from=_date(request.GET.get("fran", ""), errors),
                      date_to=_date(request.GET.get("till", ""), errors))
    weighted = {"ja": True, "nej": False}.get(request.GET.get("viktat", ""))
    figure = request.GET.get("karta") or "kvadrant"
    if figure not in MAP_FIGURES:
        errors.append(_("Okänd figur för kartan."))
        figure = "kvadrant"
    return filters, weighted, figure, errors


def _version(survey: Survey) -> str:
    # A fingerprint of what the picture reads, other organisations' surveys of the year included.
    return survey_data_version(survey)


def _cached(parts: tuple[Any, ...]) -> tuple[str, Any]:
    key = "trygg:picture:" + hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()
    return key, cache.get(key)


def _picture(survey: Survey, filters: Filters, weighted: bool | None) -> Picture:
    key, found = _cached((survey.pk, filters, weighted, _version(survey)))
    picture: Picture | None = found
    if picture is None:
        picture = situation_picture(survey, weighted=weighted, filters=filters)
        cache.set(key, picture, timeout=24 * 3600)
    return picture


def _page_parts(survey: Survey, filters: Filters, weighted: bool | None, figure: str) -> dict[str, Any]:
    """What the page shows of the picture, map and chart drawn, cached per language and map figure."""
    key, parts = _cached((survey.pk, filters, weighted, _version(survey), _lang(), figure))
    if parts is not None:
        return dict(parts)
    picture = _picture(survey, filters, weighted)
    labels = {i.id: i.label[_lang()] for i in survey.bank.indicators}
    parts = {
        "parts_key": key, "picture": picture, "indicator_label": picture.indicator_label[_lang()], "labels": labels,
        "changes": [{**c, "label": labels[c["indicator"]], "points": 100 * c["difference"],
                     "low": 100 * c["ci_low"], "high": 100 * c["ci_high"]} for c in picture.changes],
        "rows": _rows(picture), "municipality": {"indicator": _cell(picture.municipality["indicator"]),
                                                 "fear": _cell(picture.municipality["fear"]),
                                                 "incidents": integer(picture.municipality["incidents_total"])},
        "years": [{**y, "cell": _cell(y)} for y in picture.years],
        "organisations": [{**o, "cell": _cell(o)} for o in picture.organisations],
        "map": _map(survey, picture, figure), "chart": _chart(picture), "police": _police_table(picture),
        "own": _own_table(picture),
        "quadrants": _quadrants(picture), "promise_link": _promise_link(survey, picture),
    }
    cache.set(key, parts, timeout=24 * 3600)
    return parts


def _classes(values: dict[str, float | None]) -> tuple[dict[str, str], list[tuple[str, float, float]]]:
    """Equal-width classes over the observed range: a CSS class per area and the legend's (class, low, high)."""
    known = [v for v in values.values() if v is not None]
    if not known:
        return {name: "pic-none" for name in values}, []
    low, high = min(known), max(known)
    width = (high - low) / CLASSES or 1.0
    classes = {}
    for name, v in values.items():
        classes[name] = "pic-none" if v is None else f"pic-{min(CLASSES, int((v - low) / width) + 1)}"
    legend = [(f"pic-{i + 1}", low + i * width, low + (i + 1) * width) for i in range(CLASSES)]
    return classes, legend


def _bounds(geometry: dict[str, Any]) -> tuple[float, float, float, float]:
    """(min_lat, min_lon, max_lat, max_lon) of a polygon's or multipolygon's outer rings."""
    rings = [geometry["coordinates"][0]] if geometry["type"] == "Polygon" else [p[0] for p in geometry["coordinates"]]
    lats = [pt[1] for ring in rings for pt in ring]
    lons = [pt[0] for ring in rings for pt in ring]
    return min(lats), min(lons), max(lats), max(lons)


def _focus(geometries: list[tuple[str, dict[str, Any]]]) -> tuple[float, float, float, float] | None:
    """The box of the areas, leaving out one that surrounds all the others (the rest of the municipality), which
    would otherwise shrink the districts where people live to a few pixels."""
    boxes = [_bounds(g) for _, g in geometries]
    if len(boxes) < 3:
        return None
    for i, outer in enumerate(boxes):
        rest = boxes[:i] + boxes[i + 1:]
        box = (min(b[0] for b in rest), min(b[1] for b in rest), max(b[2] for b in rest), max(b[3] for b in rest))
        if outer[0] <= box[0] and outer[1] <= box[1] and outer[2] >= box[2] and outer[3] >= box[3]:
            pad = 0.1 * (box[2] - box[0])
            return box[0] - pad, box[1] - pad, box[2] + pad, box[3] + pad
    return None


def _map(survey: Survey, picture: Picture, figure: str) -> dict[str, Any]:
    names = {a.area: a.name for a in picture.areas}
    geometries = with_geometry((name, geometry) for code, name, geometry
                               in survey.organisation.areas.values_list("code", "name", "geometry") if code in names)
    legend: list[dict[str, str]] = []
    if figure == "kvadrant":
        classes = {a.name: f"pic-q-{a.quadrant['kind']}" if a.quadrant["kind"] else "pic-none" for a in picture.areas}
        legend = [{"class": f"pic-q-{k}", "label": str(MEASURES[k])} for k in MEASURES]
        title = _("Karta: områdena efter otrygghet och händelser")
    else:
        if figure == "indikator":
            values = {a.name: a.indicator["share"] for a in picture.areas}
            title = _("Karta: områdena efter det valda måttet")
        elif figure == "otrygghet":
            values = {a.name: a.fear["share"] for a in picture.areas}
            title = _("Karta: områdena efter andelen som inte känner sig trygga")
        else:
            values = {a.name: a.rate_per_1000 for a in picture.areas}
            title = _("Karta: områdena efter egna händelser per 1 000 invånare")
        classes, ranges = _classes(values)
        rate = figure == "brott"
        for cls, low, high in ranges:
            text = f"{low:.1f}–{high:.1f}" if rate else f"{100 * low:.0f}–{100 * high:.0f} %"
            legend.append({"class": cls, "label": text})
    legend.append({"class": "pic-none", "label": _("Inget värde (för få svar eller inga uppgifter)")})
    hotspots = [Hotspot(h["lat"], h["lon"], h["count"], h["radius_m"]) for h in picture.hotspots]
    description = _("Färgen visar värdet per område enligt förklaringen; röda cirklar är kluster av invånarnas "
                    "markeringar. Tabellerna på sidan har samma uppgifter.")
    svg = area_map_svg(geometries, hotspots, title, description, _focus(geometries), area_classes=classes)
    return {"svg": svg, "legend": legend}


def _chart(picture: Picture) -> dict[str, Any]:
    """Incidents per month by source as a line chart, and the same figures as table rows."""
    by_month: dict[str, dict[str, int]] = defaultdict(dict)
    for r in picture.monthly:
        by_month[r["month"]][r["source"]] = r["count"]
    months = sorted(by_month)
    rows = [{"month": m, "police": by_month[m].get("police", 0), "own": by_month[m].get("own", 0)} for m in months]
    if not rows:
        return {"rows": [], "uri": None}
    # Drawing takes matplotlib most of a second; a filter on who answered leaves the incidents, and so the chart, alone.
    key, uri = _cached(("chart", repr(rows), _lang()))
    if uri is None:
        uri = _draw_chart(months, rows)
        cache.set(key, uri, timeout=24 * 3600)
    return {"rows": rows, "uri": uri}


def _draw_chart(months: list[str], rows: list[dict[str, Any]]) -> str:
    fig, ax = new_figure(6.4, 2.8)
    labels = {"police": _("Polisens händelser (hela kommunen)"), "own": _("Egna rapporter")}
    for colour, source in zip(PALETTE, ("police", "own"), strict=False):
        ax.plot(months, [r[source] for r in rows], marker="o", color=colour, label=labels[source])
    ax.set_ylabel(_("Antal"))
    ax.set_ylim(bottom=0)
    ax.tick_params(axis="x", labelrotation=45)
    fig.legend(loc="outside upper center", ncols=2, frameon=False)
    return svg_data_uri(figure_svg(fig))


def _own_table(picture: Picture) -> dict[str, Any]:
    """Own reports as a cross table: areas down, types across (most reported first), count and rate per cell."""
    totals: dict[str, int] = defaultdict(int)
    for a in picture.areas:
        for inc in a.incidents:
            totals[inc["category"]] += inc["count"]
    types = sorted(totals, key=lambda t: (-totals[t], t))
    rows = []
    for a in picture.areas:
        found = {inc["category"]: inc for inc in a.incidents}
        # A type the area has none of: 0, at a rate of 0 where the area has rates at all.
        none = {"count": 0, "rate_per_1000": None if a.rate_per_1000 is None else 0.0}
        rows.append({"name": a.name, "cells": [found.get(t, none) for t in types]})
    return {"types": types, "rows": rows}


def _police_table(picture: Picture) -> dict[str, Any]:
    months = sorted({r["month"] for r in picture.police})
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for r in picture.police:
        counts[r["type"]][r["month"]] = r["count"]
    types = sorted(counts, key=lambda t: (-sum(counts[t].values()), t))
    return {"months": months, "rows": [{"type": t, "cells": [counts[t].get(m, 0) for m in months],
                                        "total": sum(counts[t].values())} for t in types]}


def _quadrants(picture: Picture) -> list[dict[str, Any]]:
    groups: dict[str | None, list[str]] = defaultdict(list)
    for a in picture.areas:
        groups[a.quadrant["kind"]].append(a.name)
    out: list[dict[str, Any]] = [{"kind": k, "measure": MEASURES[k], "areas": groups.get(k, [])} for k in MEASURES]
    out.append({"kind": None, "measure": _("Går inte att avgöra (för få svar eller inga befolkningstal)"),
                "areas": groups.get(None, [])})
    return out


def _cell(fig: dict[str, Any]) -> dict[str, Any]:
    """A figure for the page in percent (0–100); the template formats it in the reader's language."""
    shown = None if fig["n"] is None else integer(fig["n"])
    if fig["suppressed"]:
        return {"suppressed": True, "n": fig["n"], "n_shown": shown}
    return {"suppressed": False, "share": 100 * fig["share"], "low": 100 * fig["ci_low"],
            "high": 100 * fig["ci_high"], "n": fig["n"], "n_shown": shown}


def _rows(picture: Picture) -> list[dict[str, Any]]:
    out = []
    for a in sorted_swedish(picture.areas, key=lambda a: a.name):
        change = a.change and {**a.change, "points": 100 * a.change["difference"],
                               "low": 100 * a.change["ci_low"], "high": 100 * a.change["ci_high"]}
        out.append({"area": a, "indicator": _cell(a.indicator), "fear": _cell(a.fear), "change": change,
                    "incidents": integer(a.incidents_total),
                    "group": GROUPS[a.quadrant["kind"]] if a.quadrant["kind"] else None})
    return out


def _promise_link(survey: Survey, picture: Picture) -> str:
    query = urlencode({"year": survey.year, "areas": "|".join(picture.priority_areas()),
                       "places": "|".join(picture.top_places())})
    return f"/personal/lofte/{survey.organisation.slug}/nytt/?{query}"


def _form(survey: Survey) -> dict[str, Any]:
    """The filter form's choices, cached with the pictures."""
    key, form = _cached(("form", survey.pk, _version(survey), _lang()))
    if form is None:
        form = _form_choices(survey)
        cache.set(key, form, timeout=24 * 3600)
    return dict(form)


def _form_choices(survey: Survey) -> dict[str, Any]:
    bank = survey.bank
    lang = _lang()
    org = survey.organisation
    return {
        "years": list(Survey.objects.filter(organisation=org).order_by("-year").values_list("year", flat=True)),
        "areas": list(org.areas.order_by("name").values_list("code", "name")),
        "genders": [(o.code, o.text[lang]) for o in bank.by_id["gender"].options],
        "ages": [(o.code, o.text[lang]) for o in bank.by_id["age_group"].options],
        "indicators": [(i.id, i.label[lang]) for i in bank.indicators],
        "categories": incident_categories(org),
    }


@never_cache
@login_required
@require_safe
def picture_page(request: HttpRequest, survey: str) -> HttpResponse:
    found = _survey(request, survey)
    year = request.GET.get("ar", "")
    if year.isdigit() and int(year) != found.year:
        other = Survey.objects.filter(organisation=found.organisation, year=int(year)).first()
        if other is not None:
            query = request.GET.copy()
            del query["ar"]
            url = reverse("picture", args=[other.slug])
            return HttpResponseRedirect(f"{url}?{query.urlencode()}" if query else url)
    filters, weighted, figure, errors = _choices(request)
    parts: dict[str, Any] = {}
    if not errors:
        try:
            parts = _page_parts(found, filters, weighted, figure)
        except ResultsError as exc:  # a filter value it does not know, or weights asked for without margins
            errors.append(_("Urvalet gick inte att visa: %(reason)s") % {"reason": exc})
    context: dict[str, Any] = {"survey": found, "org": found.organisation, "errors": errors, "form": _form(found),
                               "chosen": request.GET, "figure": figure, "lang": _lang(), "map_figures": MAP_FIGURES,
                               "csv_query": request.GET.urlencode(), "dialogue": dialogue_notes(found), **parts}
    return render(request, "reports/picture/dashboard.html", context, status=400 if errors else 200)


@never_cache
@login_required
@require_safe
def picture_csv(request: HttpRequest, survey: str) -> HttpResponse:
    found = _survey(request, survey)
    filters, weighted, _figure, errors = _choices(request)
    if errors:
        return HttpResponse("\n".join(errors), status=400, content_type="text/plain; charset=utf-8")
    try:
        picture = _picture(found, filters, weighted)
    except ResultsError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(picture.csv_text(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="lagesbild-{found.slug}.csv"'
    return response
