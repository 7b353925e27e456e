"""The report's written summary: facts from the query layer, in the number style of the active language.

The templates word each fact with `{% blocktranslate %}`; this module only chooses which facts the data supports
and formats their figures. A difference is called one only when its comparison test says `certain`; a figure that
suppression hides is never a fact here (the query layer's suppressed estimates carry no share to format).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from django.utils.translation import get_language, gettext_lazy, ngettext

# The report's names for the one formatting module's functions (the report's modules and tests use them).
from trygg.formatting import decimal as format_decimal  # noqa: F401 - re-exported for report.py's callers
from trygg.formatting import integer as format_int
from trygg.formatting import join_names
from trygg.formatting import percent_number as format_percent
from trygg.reports.results import ResultsError, gender_comparisons, year_comparisons
from trygg.stats import share_by_domain
from trygg.stats.comparisons import compare_domains, is_statistically_certain
from trygg.surveys.frames import survey_design
from trygg.surveys.models import Survey

# The crimes of the worry questions as nouns for a sentence ("the worry about …").
CRIMES = {
    "worried_sexualbrott": gettext_lazy("sexualbrott"),
    "worried_misshandel": gettext_lazy("misshandel"),
    "worried_ran": gettext_lazy("rån"),
    "worried_inbrott": gettext_lazy("inbrott i bostaden"),
    "worried_fordonsbrott": gettext_lazy("stöld av eller ur fordon"),
    "worried_bedrageri": gettext_lazy("bedrägeri"),
    "worried_hot_trakasserier": gettext_lazy("hot och trakasserier"),
}
WEIGHTING_VARIABLES = {"area": gettext_lazy("område"), "gender": gettext_lazy("kön"),
                       "age_group": gettext_lazy("ålder")}
# At most this many areas in each of the two groups the summary contrasts (the seed names five and five).
GROUP_SIZE = 5


def _estimate(results: dict[str, Any], indicator: str, **domain: str) -> dict[str, Any] | None:
    for e in results["estimates"]:
        if e["indicator"] == indicator and e["domain"] == domain and not e["suppressed"]:
            found: dict[str, Any] = e
            return found
    return None


def area_groups(survey: Survey, results: dict[str, Any], area_names: dict[str, str],
                indicator: str = "safe_in_area") -> dict[str, Any] | None:
    """The published areas with the lowest and the highest share, pooled into two groups and compared.

    Only areas whose own share is published take part, at most GROUP_SIZE in each group and never the same area
    in both; None when fewer than two areas are published. The comparison uses the design of `results` (weighted or
    not), with the covariance of the two groups, as `gender_comparisons` does.
    """
    published = sorted(
        ((e["share"], code) for code in area_names
         if (e := _estimate(results, indicator, area=code)) is not None),
    )
    size = min(GROUP_SIZE, len(published) // 2)
    if size < 1:
        return None
    low = [code for _, code in published[:size]]
    high = [code for _, code in published[-size:]]
    frame, design, rows, _ = survey_design(survey, results["weighted"])
    codes = frame.codes["area"][rows]
    domain = np.full(len(rows), -1, dtype=np.intp)
    for group, members in enumerate((low, high)):
        for code in members:
            domain[codes == frame.categories["area"].index(code)] = group
    y = frame.indicators[indicator][rows]
    pooled = share_by_domain(design, y, domain, 2)
    comparison = compare_domains(design, y, domain, 2, 1, 0)
    return {"low_codes": low, "high_codes": high, "single": size == 1,
            "low_names": join_names([area_names[c] for c in low]),
            "high_names": join_names([area_names[c] for c in high]),
            "low_share": pooled[0].share, "high_share": pooled[1].share,
            "low": format_percent(pooled[0].share), "high": format_percent(pooled[1].share),
            "difference": comparison.difference, "p_value": comparison.p_value,
            "certain": is_statistically_certain(comparison)}


def _gender_facts(comparisons: list[dict[str, Any]]) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    unsafe = next((c for c in comparisons if c["indicator"] == "unsafe_places_exist"), None)
    places = None if unsafe is None else {
        "women": format_percent(unsafe["first_share"]), "men": format_percent(unsafe["second_share"]),
        "certain": unsafe["certain"], "women_higher": unsafe["difference"] > 0}
    worries = [c for c in comparisons if c["indicator"] in CRIMES]
    if not worries:
        return places, None
    certain = [c for c in worries if c["certain"]]
    largest = max(certain, key=lambda c: abs(c["difference"]), default=None)
    worry = {"total": len(worries), "women_more": sum(c["difference"] > 0 for c in certain),
             "men_more": sum(c["difference"] < 0 for c in certain), "largest": None if largest is None else {
                 "crime": str(CRIMES[largest["indicator"]]), "women": format_percent(largest["first_share"]),
                 "men": format_percent(largest["second_share"])}}
    return places, worry


def _places(mentions: dict[str, Any], count: int = 3) -> str:
    parts = []
    for i, place in enumerate(mentions["places"][:count]):
        n = format_int(place["respondents"])
        parts.append(ngettext("%(name)s (%(n)s person)", "%(name)s (%(n)s personer)", place["respondents"])
                     % {"name": place["name"], "n": n} if i == 0 else f"{place['name']} ({n})")
    return join_names(parts)


def _change(survey: Survey, earlier: Survey | None, weighted: bool,
            labels: dict[str, str]) -> dict[str, Any] | None:
    if earlier is None:
        return None
    try:
        comparisons = year_comparisons(survey, earlier, weighted=weighted)
    except ResultsError:
        comparisons = year_comparisons(survey, earlier)
    safe = next((c for c in comparisons if c["indicator"] == "safe_in_area"), None)
    others = sorted((c for c in comparisons if c["certain"] and c["indicator"] != "safe_in_area"),
                    key=lambda c: -abs(c["difference"]))
    return {
        "year": survey.year, "earlier_year": earlier.year,
        "safe": None if safe is None else {"now": format_percent(safe["first_share"]),
                                           "before": format_percent(safe["second_share"]),
                                           "certain": safe["certain"], "up": safe["difference"] > 0},
        "others": [{"label": labels[c["indicator"]], "now": format_percent(c["first_share"]),
                    "before": format_percent(c["second_share"]), "up": c["difference"] > 0} for c in others[:3]],
        "comparisons": comparisons,
    }


def summary_facts(survey: Survey, results: dict[str, Any], mentions: dict[str, Any], area_names: dict[str, str],
                  earlier: Survey | None, margin_variables: Sequence[str]) -> dict[str, Any]:
    """Everything the summary says, figures already formatted; each part None when the data cannot support it.

    `results` is the query layer's answer (weighted when the organisation has margins and raking succeeded) with
    breakdowns by area and gender; `mentions` is `public_mentions` (already suppressed).
    """
    weighted = bool(results["weighted"])
    labels = {ind.id: ind.label.get(_lang(), ind.label["sv"]) for ind in survey.bank.indicators}
    safe = _estimate(results, "safe_in_area")
    comparisons = gender_comparisons(survey, weighted=weighted)
    places, worry = _gender_facts(comparisons)
    return {
        "respondents": format_int(results["respondents"]),
        "weighted": weighted,
        "weighting_variables": join_names([str(WEIGHTING_VARIABLES[v]) for v in WEIGHTING_VARIABLES
                                           if v in margin_variables]),
        "safe": None if safe is None else format_percent(safe["share"]),
        "groups": area_groups(survey, results, area_names) if safe is not None else None,
        "unsafe_places": places,
        "worry": worry,
        "places": _places(mentions) if mentions["places"] else None,
        "change": _change(survey, earlier, weighted, labels),
        "gender_comparisons": comparisons,
    }


def _lang() -> str:
    return "en" if (get_language() or "sv").startswith("en") else "sv"
