"""A survey's answers as arrays, and the design to estimate from: unit weights, or raked to population margins.

The lowest layer every figure is built on: the results query layer (``trygg.reports``), the promise's indicators
(``trygg.promises``) and the benchmarks all start here, so the same answers always give the same arrays.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from django.utils.translation import gettext
from numpy.typing import NDArray

from trygg.stats import Design, RakingError, rake_weights, unweighted_design
from trygg.surveys.bank import Bank
from trygg.surveys.columns import Column
from trygg.surveys.memo import remembered
from trygg.surveys.models import Survey


class ResultsError(ValueError):
    """The results cannot be computed as asked (unknown breakdown, no margins for weighting)."""


BREAKDOWN_VARIABLES = ("area", "gender", "age_group")


@dataclass(frozen=True)
class Frame:
    """A survey's answers as arrays: one code array per background variable, one 0/1/NaN array per indicator."""

    n: int
    categories: dict[str, list[str]]
    codes: dict[str, NDArray[np.intp]]  # -1 where not answered
    indicators: dict[str, NDArray[np.float64]]


def categories_of(survey: Survey, bank: Bank) -> dict[str, list[str]]:
    areas = list(survey.organisation.areas.order_by("code").values_list("code", flat=True))
    return {"area": [*areas, *bank.by_id["area"].codes], "gender": list(bank.by_id["gender"].codes),
            "age_group": list(bank.by_id["age_group"].codes)}


def frame_from_columns(bank: Bank, categories: dict[str, list[str]], columns: dict[str, Column], n: int) -> Frame:
    """The arrays of `n` answers, from one column per question (`trygg.surveys.columns`).

    Each distinct answer is looked up once and the respondents take theirs by index: a category not in the list (or
    no answer) is code -1; an indicator is 1 for an answer in its numerator, 0 for another, NaN for none.
    """
    codes = {}
    for var, cats in categories.items():
        lookup = {c: i for i, c in enumerate(cats)}
        codes[var] = columns[var].table(
            (lookup.get(v, -1) if isinstance(v, str) else -1 for v in columns[var].values), -1).astype(np.intp)
    indicators = {}
    for ind in bank.indicators:
        column = columns[ind.question]
        indicators[ind.id] = column.table(
            (np.nan if v is None else float(isinstance(v, str) and v in ind.numerator) for v in column.values),
            np.nan).astype(np.float64)
    return Frame(n, categories, codes, indicators)


@dataclass(frozen=True)
class Weighting:
    design: Design
    rows: NDArray[np.intp]  # the respondents in the weighted design
    excluded: int


def weighting_for(survey: Survey, frame: Frame) -> Weighting:
    """Rake the respondents who answered every weighting variable with a category that has a population count."""
    margins: dict[str, dict[str, float]] = {}
    for variable, category, count in survey.organisation.margins.values_list("variable", "category", "count"):
        margins.setdefault(variable, {})[category] = count
    if not margins:
        raise ResultsError(gettext("%(org)s har inga befolkningsmarginaler; importera dem med `trygg population "
                                   "import` innan du ber om viktade resultat") % {"org": survey.organisation.slug})
    variables = [v for v in BREAKDOWN_VARIABLES if v in margins]
    keep = np.ones(frame.n, dtype=bool)
    for var in variables:
        has_count = np.array([c in margins[var] for c in frame.categories[var]] + [False])
        keep &= has_count[frame.codes[var]]  # code -1 indexes the trailing False
    rows = np.flatnonzero(keep)
    margin_codes = []
    population = []
    for var in variables:
        cats = [c for c in frame.categories[var] if c in margins[var]]
        remap = np.full(len(frame.categories[var]) + 1, -1, dtype=np.intp)
        for new, cat in enumerate(cats):
            remap[frame.categories[var].index(cat)] = new
        margin_codes.append(remap[frame.codes[var][rows]])
        population.append(np.array([margins[var][c] for c in cats], dtype=np.float64))
    try:
        result = rake_weights(margin_codes, population)
    except RakingError as exc:
        names = ", ".join(variables)
        raise ResultsError(gettext("svaren går inte att vikta till befolkningsmarginalerna (%(variables)s): "
                                   "%(reason)s") % {"variables": names, "reason": exc}) from None
    return Weighting(result.design, rows, frame.n - len(rows))


def survey_design(survey: Survey, weighted: bool) -> tuple[Frame, Design, NDArray[np.intp], int]:
    """The answers as arrays, the design (unit weights or raked), its rows and how many were left out.

    The arrays and the raking are computed once per version of the survey's data (`trygg.surveys.memo`), so the
    page, report, picture and API asking in turn read the answers once.
    """
    from trygg.surveys.snapshot import survey_snapshot  # here: the snapshot is built from this module's parts

    frame = survey_snapshot(survey).frame
    if weighted:
        weighting = remembered("weighting", survey, lambda: weighting_for(survey, frame))
        return frame, weighting.design, weighting.rows, weighting.excluded
    return frame, unweighted_design(frame.n), np.arange(frame.n, dtype=np.intp), 0
