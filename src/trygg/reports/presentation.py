"""Formats the query layer's figures for the results page: Swedish number style, bars with their intervals."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from trygg.areas.gazetteer import with_geometry
from trygg.reports.maps import area_map_svg
from trygg.reports.results import ResultsError, gender_comparisons, survey_results, year_comparisons
from trygg.surveys.mentions import public_mentions
from trygg.surveys.models import Survey


def pct(x: float | None, lang: str) -> str:
    if x is None:
        return "–"
    text = f"{100 * x:.0f}"
    return f"{text} %" if lang == "sv" else f"{text}%"


def points(x: float, lang: str) -> str:
    value = f"{abs(100 * x):.0f}"
    return f"{value} procentenheter" if lang == "sv" else f"{value} percentage points"


def describe_difference(c: dict[str, Any], label: str, lang: str) -> dict[str, Any]:
    """Words for a comparison. Only a comparison whose test says so may be called statistically certain."""
    first, second = c["first"], c["second"]
    if "gender" in first:
        names = ("kvinnor", "män") if lang == "sv" else ("women", "men")
    else:
        names = (str(first["year"]), str(second["year"]))
    shares = f"{names[0]} {pct(c['first_share'], lang)}, {names[1]} {pct(c['second_share'], lang)}"
    interval = f"{100 * c['ci_low']:+.0f} – {100 * c['ci_high']:+.0f}"
    if c["certain"]:
        verdict = ("skillnaden är statistiskt säkerställd" if lang == "sv"
                   else "the difference is statistically certain")
    else:
        verdict = ("skillnaden kan bero på slumpen" if lang == "sv" else "the difference may be chance")
    return {"label": label, "shares": shares, "difference": points(c["difference"], lang), "interval": interval,
            "verdict": verdict, "certain": c["certain"], "p_value": f"{c['p_value']:.3f}"}


def _cell(e: dict[str, Any] | None, lang: str) -> dict[str, Any]:
    if e is None:
        return {"missing": True}
    if e["suppressed"]:
        return {"suppressed": True, "n": e["n"]}
    return {"share": pct(e["share"], lang), "low": pct(e["ci_low"], lang), "high": pct(e["ci_high"], lang),
            "n": e["n"], "n_eff": f"{e['n_eff']:.0f}", "bar_point": round(100 * e["share"] - 0.75, 2),
            "bar_low": round(100 * e["ci_low"], 2), "bar_width": round(100 * (e["ci_high"] - e["ci_low"]), 2)}


def results_page_context(survey: Survey, lang: str) -> dict[str, Any]:
    bank = survey.bank
    unweighted = survey_results(survey, ["area", "gender"])
    try:
        weighted: dict[str, Any] | None = survey_results(survey, ["area", "gender"], weighted=True)
    except ResultsError:
        weighted = None
    index: dict[tuple[bool, str, tuple[tuple[str, str], ...]], dict[str, Any]] = {}
    for data in (unweighted, weighted):
        if data is None:
            continue
        for e in data["estimates"]:
            index[(data["weighted"], e["indicator"], tuple(sorted(e["domain"].items())))] = e
    area_names = dict(survey.organisation.areas.values_list("code", "name"))
    area_names["annat"] = "Annat område" if lang == "sv" else "Another area"
    gender_names = {o.code: o.text[lang] for o in bank.by_id["gender"].options}
    indicators = []
    for ind in bank.indicators:
        overall = index.get((False, ind.id, ()))
        if overall is None:
            continue
        breakdowns: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for var, names in (("area", area_names), ("gender", gender_names)):
            for code, name in names.items():
                key = ((var, code),)
                if (False, ind.id, key) in index:
                    breakdowns[var].append({"name": name, "unweighted": _cell(index[(False, ind.id, key)], lang),
                                            "weighted": _cell(index.get((True, ind.id, key)), lang)})
        indicators.append({"id": ind.id, "label": ind.label[lang], "unweighted": _cell(overall, lang),
                           "weighted": _cell(index.get((True, ind.id, ())), lang),
                           "by_area": breakdowns["area"], "by_gender": breakdowns["gender"]})
    labels = {ind.id: ind.label[lang] for ind in bank.indicators}
    differences = [describe_difference(c, labels[c["indicator"]], lang) for c in gender_comparisons(survey)]
    earlier = (Survey.objects.filter(organisation=survey.organisation, year__lt=survey.year,
                                     status=Survey.Status.CLOSED, results_published=True).order_by("-year").first())
    changes = ([describe_difference(c, labels[c["indicator"]], lang) for c in year_comparisons(survey, earlier)]
               if earlier else [])
    mentions = public_mentions(survey, unweighted["min_n"])
    for place in mentions["places"]:
        place["share_text"] = pct(place["share"], lang)
        place["by_area"] = [(area_names.get(code, code), n) for code, n in place["by_area"]]
        place["by_gender"] = [(gender_names[code], n) for code, n in place["by_gender"]]
    return {"survey": survey, "org": survey.organisation, "indicators": indicators, "mentions": mentions,
            "differences": differences, "changes": changes, "earlier": earlier,
            "map": _map(survey, mentions, lang),
            "respondents": unweighted["respondents"], "min_n": unweighted["min_n"],
            "has_weighted": weighted is not None,
            "excluded_from_weighting": weighted["excluded_from_weighting"] if weighted else None,
            "schematic": survey.organisation.schematic_areas}


def _map(survey: Survey, mentions: dict[str, Any], lang: str) -> str:
    areas = with_geometry(survey.organisation.areas.values_list("name", "geometry"))
    hotspots = mentions["hotspots"]
    focus = None
    if hotspots:
        pad = 0.012  # about a kilometre around the clusters, so the districts around them show
        focus = (min(h.lat for h in hotspots) - pad, min(h.lon for h in hotspots) - 2 * pad,
                 max(h.lat for h in hotspots) + pad, max(h.lon for h in hotspots) + 2 * pad)
    if lang == "sv":
        title = "Karta: områden och platser där många markerat otrygghet"
        text = (f"{len(hotspots)} kluster av markeringar. Enskilda markeringar visas aldrig. "
                "Listan under kartan har samma uppgifter.")
    else:
        title = "Map: areas and places many residents marked as unsafe"
        text = (f"{len(hotspots)} clusters of pins. Single pins are never shown. "
                "The list below the map has the same data.")
    return area_map_svg(areas, hotspots, title, text, focus)
