"""The one query layer for indicator results: the CLI, the results page, CSV and the API all read from here.

It turns a survey's responses into arrays, asks the stats engine for estimates, and applies small-cell suppression
once, so no output can publish what another hides.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from django.conf import settings
from django.utils.translation import gettext
from numpy.typing import NDArray

from trygg.stats import ShareEstimate, share_by_domain, shares_table
from trygg.stats.comparisons import compare_domains_table, compare_surveys, is_statistically_certain
from trygg.stats.suppression import suppress_breakdown, suppress_cross
from trygg.surveys.frames import BREAKDOWN_VARIABLES, Frame, ResultsError, survey_design
from trygg.surveys.models import Survey

__all__ = ["ResultsError", "gender_comparisons", "parse_breakdowns", "survey_results", "year_comparisons"]


def parse_breakdowns(by: Sequence[str]) -> list[tuple[str, ...]]:
    """`["area", "gender"]` → two breakdowns; `["area,gender"]` → their cross."""
    out = []
    for spec in by:
        variables = tuple(v.strip() for v in spec.split(",") if v.strip())
        unknown = [v for v in variables if v not in BREAKDOWN_VARIABLES]
        if not variables or unknown:
            raise ResultsError(gettext("det går inte att dela upp efter %(spec)r; använd %(allowed)s eller en "
                                       "korsning som area,gender") % {"spec": spec,
                                                                      "allowed": ", ".join(BREAKDOWN_VARIABLES)})
        out.append(variables)
    return out


def _domain_codes(frame: Frame, variables: tuple[str, ...],
                  rows: NDArray[np.intp]) -> tuple[NDArray[np.intp], list[dict[str, str]]]:
    """One domain code per row for a breakdown or cross (-1 where a variable is unanswered), and their labels."""
    combined = np.zeros(len(rows), dtype=np.intp)
    missing = np.zeros(len(rows), dtype=bool)
    labels: list[dict[str, str]] = [{}]
    for var in variables:
        cats = frame.categories[var]
        codes = frame.codes[var][rows]
        missing |= codes < 0
        combined = combined * len(cats) + np.maximum(codes, 0)
        labels = [{**lab, var: c} for lab in labels for c in cats]
    combined[missing] = -1
    return combined, labels


def _figures(est: ShareEstimate, hidden: bool, show_n: bool) -> dict[str, Any]:
    if hidden:
        return {"share": None, "se": None, "ci_low": None, "ci_high": None,
                "n": est.n if show_n else None, "n_eff": None, "suppressed": True}
    return {"share": est.share, "se": est.se, "ci_low": est.ci_low, "ci_high": est.ci_high,
            "n": est.n, "n_eff": est.n_eff, "suppressed": False}


def _suppression(cells: list[ShareEstimate], shape: list[int], total: int,
                 min_n: int) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """Hidden cells and cells whose n may be shown, for a breakdown (one variable) or a two-way cross.

    A cross of three variables is treated as a breakdown of its cells: stricter than needed, never leakier,
    because each of its cells is then protected against the grand total.
    """
    n = np.array([c.n for c in cells], dtype=np.int64)
    if len(shape) == 2:
        decision = suppress_cross(n.reshape(shape), threshold=min_n)
        return decision.hidden.ravel(), decision.show_n.ravel()
    single = suppress_breakdown(n, total=total, threshold=min_n)
    return single.hidden, single.show_n


def survey_results(survey: Survey, by: Sequence[str] = (), *, weighted: bool = False,
                   min_n: int | None = None) -> dict[str, Any]:
    """Every indicator of the survey's bank, overall and per breakdown, in the JSON shape of the CLI contract.

    All indicators and breakdowns come from one pass over the rows (`trygg.stats.shares_table`), the path the
    statistics benchmark times; suppression is then decided per indicator and breakdown.
    """
    min_n = settings.TRYGG_SUPPRESSION_MIN_N if min_n is None else min_n
    breakdowns = parse_breakdowns(by)
    frame, design, rows, excluded = survey_design(survey, weighted)
    indicators = [ind for ind in survey.bank.indicators if not np.all(np.isnan(frame.indicators[ind.id][rows]))]
    estimates: list[dict[str, Any]] = []
    if frame.n and indicators:
        y = np.column_stack([frame.indicators[ind.id][rows] for ind in indicators])
        domains: dict[str, tuple[NDArray[np.intp] | None, int]] = {"": (None, 1)}
        labels: dict[str, list[dict[str, str]]] = {"": [{}]}
        for variables in breakdowns:
            name = ",".join(variables)
            codes, labels[name] = _domain_codes(frame, variables, rows)
            domains[name] = (codes, len(labels[name]))
        tables = shares_table(design, y, domains)
        for j, ind in enumerate(indicators):
            overall = tables[""].estimates(j)[0]
            estimates.append({"indicator": ind.id, "domain": {}, **_figures(overall, overall.n < min_n, True)})
            for variables in breakdowns:
                name = ",".join(variables)
                cells = tables[name].estimates(j)
                hidden, show_n = _suppression(cells, [len(frame.categories[v]) for v in variables], overall.n,
                                              min_n)
                for i, cell in enumerate(cells):
                    if cell.n > 0:
                        estimates.append({"indicator": ind.id, "domain": labels[name][i],
                                          **_figures(cell, bool(hidden[i]), bool(show_n[i]))})
    return {"survey": survey.slug, "weighted": weighted, "respondents": frame.n,
            "excluded_from_weighting": excluded, "min_n": min_n, "estimates": estimates}


def _comparison_figures(first: float, second: float, difference: float, se: float, ci_low: float, ci_high: float,
                        p_value: float, certain: bool) -> dict[str, Any]:
    return {"first_share": first, "second_share": second, "difference": difference, "se": se, "ci_low": ci_low,
            "ci_high": ci_high, "p_value": p_value, "certain": certain}


def gender_comparisons(survey: Survey, *, weighted: bool = False, min_n: int | None = None) -> list[dict[str, Any]]:
    """Women minus men for every indicator where both groups are large enough to publish.

    `certain` is the only licence the wording layer has to call a difference statistically certain (p < 0.05,
    with the covariance of the two groups under the raking).
    """
    min_n = settings.TRYGG_SUPPRESSION_MIN_N if min_n is None else min_n
    frame, design, rows, _ = survey_design(survey, weighted)
    genders = frame.categories["gender"]
    women, men = genders.index("kvinna"), genders.index("man")
    domain = frame.codes["gender"][rows]
    indicators = [ind for ind in survey.bank.indicators if not np.all(np.isnan(frame.indicators[ind.id][rows]))]
    if not frame.n or not indicators:
        return []
    # All indicators at once: their shares in one shares_table pass, their differences through one set of sums.
    y = np.column_stack([frame.indicators[ind.id][rows] for ind in indicators])
    table = shares_table(design, y, {"gender": (domain, len(genders))})["gender"]
    differences = compare_domains_table(design, y, domain, len(genders), women, men)
    out = []
    for j, ind in enumerate(indicators):
        cells = table.estimates(j)
        if min(cells[women].n, cells[men].n) < min_n:
            continue
        c = differences[j]
        out.append({"indicator": ind.id, "first": {"gender": "kvinna"}, "second": {"gender": "man"},
                    **_comparison_figures(cells[women].share, cells[men].share, c.difference, c.se, c.ci_low,
                                          c.ci_high, c.p_value, is_statistically_certain(c))})
    return out


def _overall(survey: Survey, weighted: bool) -> dict[str, ShareEstimate]:
    frame, design, rows, _ = survey_design(survey, weighted)
    out = {}
    for ind in survey.bank.indicators:
        y = frame.indicators[ind.id][rows]
        if not np.all(np.isnan(y)):
            out[ind.id] = share_by_domain(design, y, None, 1)[0]
    return out


def year_comparisons(survey: Survey, earlier: Survey, *, weighted: bool = False,
                     min_n: int | None = None) -> list[dict[str, Any]]:
    """This year minus an earlier survey's, overall, for indicators both publish (independent samples)."""
    min_n = settings.TRYGG_SUPPRESSION_MIN_N if min_n is None else min_n
    now, before = _overall(survey, weighted), _overall(earlier, weighted)
    out = []
    for ind, a in now.items():
        b = before.get(ind)
        if b is None or min(a.n, b.n) < min_n:
            continue
        c = compare_surveys(a, b)
        out.append({"indicator": ind, "first": {"year": survey.year}, "second": {"year": earlier.year},
                    **_comparison_figures(a.share, b.share, c.difference, c.se, c.ci_low, c.ci_high,
                                          c.p_value, is_statistically_certain(c))})
    return out
