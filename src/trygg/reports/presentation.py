"""The results page's context: the query layer's figures in the reader's words and number style, grouped by theme.

The figure to quote comes first: weighted where the organisation has population margins (then the unweighted one
is a click away), unweighted otherwise. Comparisons are made on the figures shown, so a weighted page compares
weighted shares (with the raking covariance of `gender_comparisons(weighted=True)`). Every text here comes from
the catalogue through gettext, and every number from `trygg.formatting`.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.utils import translation
from django.utils.translation import gettext, ngettext

from trygg import formatting as fmt
from trygg.areas.gazetteer import with_geometry
from trygg.reports.charts import PALETTE, figure_svg, new_figure, svg_data_uri
from trygg.reports.maps import area_map_svg
from trygg.reports.results import ResultsError, gender_comparisons, survey_results, year_comparisons
from trygg.surveys.memo import one_version
from trygg.surveys.mentions import public_mentions
from trygg.surveys.models import Survey

Key = tuple[bool, str, tuple[tuple[str, str], ...]]


def suppression_reason(n: int | None, min_n: int) -> str:
    """Why a figure is hidden: too few answers of its own, or hidden so a small group cannot be worked out."""
    if n is not None and n < min_n:
        return ngettext("färre än %(n)s svar", "färre än %(n)s svar", min_n) % {"n": fmt.integer(min_n)}
    return gettext("dold för att skydda en liten grupp")


def cell(e: dict[str, Any] | None, min_n: int) -> dict[str, Any]:
    """One estimate for the page: share, interval and counts as text, and the positions (0–100) to draw them."""
    if e is None:
        return {"missing": True}
    if e["suppressed"]:
        return {"suppressed": True, "reason": suppression_reason(e["n"], min_n)}
    return {"share": fmt.percent(e["share"]), "interval": fmt.percent_range(e["ci_low"], e["ci_high"]),
            "n": fmt.integer(e["n"]), "n_eff": fmt.integer(round(e["n_eff"])),
            "x": round(100 * e["share"], 1), "x_low": round(100 * e["ci_low"], 1),
            "x_high": round(100 * e["ci_high"], 1),
            # The inline scale's rectangles: the interval's width, and the point centred on the share (1.6 wide).
            "width": round(100 * (e["ci_high"] - e["ci_low"]), 1), "x_point": round(100 * e["share"] - 0.8, 1)}


def describe_difference(c: dict[str, Any], label: str, lang: str) -> dict[str, Any]:
    """Words for a comparison in language `lang`. Only a comparison whose test says so may be called statistically
    certain."""
    with translation.override(lang):
        return _difference_words(c, label)


def _difference_words(c: dict[str, Any], label: str) -> dict[str, Any]:
    first, second = c["first"], c["second"]
    if "gender" in first:
        names = (gettext("kvinnor"), gettext("män"))
    else:
        names = (str(first["year"]), str(second["year"]))
    shares = gettext("%(first)s %(a)s, %(second)s %(b)s") % {
        "first": names[0], "a": fmt.percent(c["first_share"]), "second": names[1], "b": fmt.percent(c["second_share"])}
    verdict = (gettext("skillnaden är statistiskt säkerställd") if c["certain"]
               else gettext("skillnaden kan bero på slumpen"))
    direction = fmt.signed(100 * c["difference"]) if round(100 * c["difference"]) else "0"
    return {"label": label, "shares": shares,
            "difference": ngettext("%(n)s procentenhet", "%(n)s procentenheter", abs(round(100 * c["difference"])))
            % {"n": direction},
            "interval": fmt.points_range(c["ci_low"], c["ci_high"]),
            "verdict": verdict, "certain": c["certain"], "p_value": fmt.p_value(c["p_value"])}


def interval_chart(rows: list[tuple[str, dict[str, Any]]], axis_label: str) -> str | None:
    """Each share as a dot with its 95 % interval as a line, to scale on 0–100 %, first row on top; None if empty.

    Suppressed rows are left out (the table beside the chart says why).
    """
    shown = [(name, c) for name, c in rows if "x" in c]
    if not shown:
        return None
    fig, ax = new_figure(6.0, 0.7 + 0.32 * len(shown))
    y = list(range(len(shown)))[::-1]
    for pos, (_, c) in zip(y, shown, strict=True):
        ax.plot([c["x_low"], c["x_high"]], [pos, pos], color=PALETTE[0], linewidth=2.5, solid_capstyle="butt")
    ax.plot([c["x"] for _, c in shown], y, "o", color="#000000", markersize=5)
    ax.set_yticks(y, [name for name, _ in shown])
    ax.set_xlim(0, 100)
    ax.set_ylim(-0.6, len(shown) - 0.4)
    ax.xaxis.set_major_formatter(lambda x, _pos: fmt.integer(int(x)))
    ax.set_xlabel(axis_label)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    return svg_data_uri(figure_svg(fig))


def _index(*datasets: dict[str, Any] | None) -> dict[Key, dict[str, Any]]:
    index: dict[Key, dict[str, Any]] = {}
    for data in datasets:
        if data is None:
            continue
        for e in data["estimates"]:
            index[(data["weighted"], e["indicator"], tuple(sorted(e["domain"].items())))] = e
    return index


def results_page_context(survey: Survey, lang: str) -> dict[str, Any]:
    """Everything `reports/_results_body.html` shows; `lang` picks the bank's texts (the catalogue follows the
    active language, which the caller has set to the same). The survey's version is read once for the whole page
    (`trygg.surveys.memo.one_version`), not once per figure."""
    with one_version():
        return _context(survey, lang)


def _context(survey: Survey, lang: str) -> dict[str, Any]:
    bank = survey.bank
    unweighted = survey_results(survey, ["area", "gender"])
    try:
        weighted: dict[str, Any] | None = survey_results(survey, ["area", "gender"], weighted=True)
    except ResultsError:
        weighted = None
    min_n = unweighted["min_n"]
    main = weighted is not None  # the figures to quote are the weighted ones when they exist
    index = _index(unweighted, weighted)
    area_names = dict(survey.organisation.areas.values_list("code", "name"))
    area_names["annat"] = gettext("Annat område")
    area_order = [code for code, _ in fmt.sorted_swedish(area_names.items(), key=lambda kv: kv[1])]
    gender_names = {o.code: o.text[lang] for o in bank.by_id["gender"].options}
    sections = {sid: title.get(lang) or title["sv"] for sid, title in bank.sections}
    themes: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for ind in bank.indicators:
        if (False, ind.id, ()) not in index:
            continue
        by: dict[str, list[dict[str, Any]]] = {}
        for var, names, order in (("area", area_names, area_order), ("gender", gender_names, list(gender_names))):
            by[var] = [_row(names[code], index, main, ind.id, ((var, code),), min_n)
                       for code in order if (False, ind.id, ((var, code),)) in index]
        themes[bank.by_id[ind.question].section].append({
            "id": ind.id, "label": ind.label[lang],
            "main": cell(index.get((main, ind.id, ())), min_n),
            "unweighted": cell(index[(False, ind.id, ())], min_n),
            "by_area": by["area"], "by_gender": by["gender"]})
    axis = gettext("Andel, procent (punkt), med 95 % konfidensintervall (linje)")
    theme_list = [{"id": sid, "title": sections[sid], "indicators": inds,
                   "chart": interval_chart([(i["label"], i["main"]) for i in inds], axis)}
                  for sid, _ in bank.sections if (inds := themes.get(sid))]
    labels = {ind.id: ind.label[lang] for ind in bank.indicators}
    differences = [describe_difference(c, labels[c["indicator"]], lang)
                   for c in gender_comparisons(survey, weighted=main)]
    earlier = (Survey.objects.filter(organisation=survey.organisation, year__lt=survey.year,
                                     status=Survey.Status.CLOSED, results_published=True).order_by("-year").first())
    changes = ([describe_difference(c, labels[c["indicator"]], lang) for c in year_comparisons(survey, earlier)]
               if earlier else [])
    mentions = public_mentions(survey, min_n)
    time_names = {o.code: o.text[lang] for o in bank.by_id["unsafe_time"].options}
    for place in mentions["places"]:
        place["share_text"] = fmt.percent(place["share"])
        place["count_text"] = fmt.integer(place["respondents"])
        place["by_area"] = [(area_names.get(code, code), _count(n))
                            for code, n in fmt.sorted_swedish(place["by_area"],
                                                              key=lambda kv: area_names.get(kv[0], kv[0]))]
        place["by_gender"] = [(gender_names[code], _count(n)) for code, n in place["by_gender"]]
        place["by_time"] = [(fmt.label(code, time_names), _count(n)) for code, n in place["by_time"]]
        place["areas_hidden"] = sum(1 for _, n in place["by_area"] if n is None)
        place["by_area"] = [(name, n) for name, n in place["by_area"] if n is not None]
    weighted_excluded = weighted["excluded_from_weighting"] if weighted else 0
    return {"survey": survey, "org": survey.organisation, "themes": theme_list, "mentions": mentions,
            "mentions_respondents": fmt.integer(mentions["respondents"]),
            "pins": fmt.integer(mentions["pins"]),
            "differences": differences, "changes": changes, "earlier": earlier,
            "map": _map(survey, mentions),
            "respondents": fmt.integer(unweighted["respondents"]),
            "respondents_n": unweighted["respondents"],
            "min_n": fmt.integer(min_n),
            "has_weighted": main,
            "excluded_from_weighting": fmt.integer(weighted_excluded),
            "excluded_n": weighted_excluded,
            "schematic": survey.organisation.schematic_areas}


def _row(name: str, index: dict[Key, dict[str, Any]], main: bool, indicator: str,
         domain: tuple[tuple[str, str], ...], min_n: int) -> dict[str, Any]:
    """A row of a breakdown: the figure to quote, or the unweighted one (marked) for a group the weighting leaves out
    (answers without area, gender or age, or a gender the population statistics do not count)."""
    shown = index.get((main, indicator, domain))
    if shown is None and main:
        return {"name": name, "main": {**cell(index.get((False, indicator, domain)), min_n), "unweighted_only": True}}
    return {"name": name, "main": cell(shown, min_n)}


def _count(n: int | None) -> str | None:
    """A count in a place's breakdown as text; None when suppression hid it (the page then writes why)."""
    return None if n is None else fmt.integer(n)


def _map(survey: Survey, mentions: dict[str, Any]) -> str:
    areas = with_geometry(survey.organisation.areas.values_list("name", "geometry"))
    hotspots = mentions["hotspots"]
    focus = None
    if hotspots:
        pad = 0.012  # about a kilometre around the clusters, so the districts around them show
        focus = (min(h.lat for h in hotspots) - pad, min(h.lon for h in hotspots) - 2 * pad,
                 max(h.lat for h in hotspots) + pad, max(h.lon for h in hotspots) + 2 * pad)
    title = gettext("Karta: områden och platser där många markerat otrygghet")
    text = gettext("%(n)s kluster av markeringar. Enskilda markeringar visas aldrig. "
                   "Listan under kartan har samma uppgifter.") % {"n": fmt.integer(len(hotspots))}
    return area_map_svg(areas, hotspots, title, text, focus)
