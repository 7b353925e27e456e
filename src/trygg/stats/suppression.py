"""Small-cell suppression with complementary suppression, for every published breakdown.

Primary: a cell with 0 < n < threshold respondents is hidden (an empty cell has no figure and reveals nobody).
Complementary: the published total minus the published cells gives the hidden cells taken together, so the hidden
part of a breakdown must consist of at least two parts and be large enough to publish: while it is a single cell, or
its respondents number fewer than `threshold`, the smallest published non-empty cell is hidden too. A single hidden
cell thus always takes a second one with it (in a cross, a hidden complement could otherwise be recovered from its
row and then reveal the small cell through its column). Respondents in the total but in no cell (an unpublished
category, a missing answer) already form part of the hidden remainder. For a cross (rows x columns, with row and
column totals published) the rule holds for every row and every column, repeated until nothing changes.

Counts: a cell whose figure is published may show its n. A hidden cell's n is shown only when it is a
complementary cell and at least two hidden parts (primary cells or the remainder) stay without n, so no primary
n can be recovered by subtracting shown n from the total.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

DEFAULT_THRESHOLD = 30


def _frozen(a: NDArray[np.bool_]) -> NDArray[np.bool_]:
    out = a.copy()
    out.flags.writeable = False
    return out


@dataclass(frozen=True, eq=False)
class Suppression:
    """Which cells of a breakdown are hidden; arrays (read-only) in the order of the cells given.

    hidden: the figure must not be published; primary: hidden because n < threshold; show_n: its n may be shown;
    total_hidden: the breakdown's total itself has fewer than `threshold` respondents.
    """

    hidden: NDArray[np.bool_]
    primary: NDArray[np.bool_]
    show_n: NDArray[np.bool_]
    total_hidden: bool


def _check(n: NDArray[np.int64], threshold: int) -> None:
    if threshold < 1:
        raise ValueError("threshold must be at least 1 respondent.")
    if (n < 0).any():
        raise ValueError("Cell counts n must be zero or more.")


def _complete_line(n: NDArray[np.int64], hidden: NDArray[np.bool_], remainder: int, threshold: int) -> bool:
    """Hide cells of one line (a breakdown, a row or a column) in place until its hidden part is safe.

    Safe: nothing hidden (and no small remainder), or at least two hidden parts that together reach `threshold`.
    A single hidden part would follow from the total by subtraction. Returns whether anything was added.
    """
    changed = False
    while True:
        parts = int((hidden & (n > 0)).sum()) + (1 if remainder > 0 else 0)
        hidden_n = int(n[hidden].sum()) + remainder
        if hidden_n == 0 or (parts == 1 and not hidden.any() and hidden_n >= threshold):
            return changed
        if parts >= 2 and hidden_n >= threshold:
            return changed
        candidates = np.flatnonzero(~hidden & (n > 0))
        if candidates.size == 0:
            return changed
        hidden[candidates[int(np.argmin(n[candidates]))]] = True
        changed = True


def _show_n(hidden: NDArray[np.bool_], primary: NDArray[np.bool_], remainder: int) -> NDArray[np.bool_]:
    secret_parts = int(primary.sum()) + (1 if remainder > 0 else 0)
    show: NDArray[np.bool_] = ~hidden | (hidden & ~primary & (secret_parts >= 2))
    return show


def suppress_breakdown(
    n: Sequence[int] | NDArray[np.int64], *, total: int | None = None, threshold: int = DEFAULT_THRESHOLD
) -> Suppression:
    """Suppression for one breakdown (the cells of one margin, for example the areas of a municipality).

    n: unweighted respondents per cell. total: respondents of the published total if more than the sum of the
    cells (default: the sum). Cells with n = 0 are never hidden and never used as complements.
    """
    counts = np.asarray(n, dtype=np.int64)
    if counts.ndim != 1:
        raise ValueError("n must be a list of cell counts.")
    _check(counts, threshold)
    cell_sum = int(counts.sum())
    grand = cell_sum if total is None else int(total)
    if grand < cell_sum:
        raise ValueError("total is smaller than the sum of the cells.")
    primary = (counts > 0) & (counts < threshold)
    hidden = primary.copy()
    remainder = grand - cell_sum
    if hidden.any() or 0 < remainder < threshold:
        _complete_line(counts, hidden, remainder, threshold)
    return Suppression(
        hidden=_frozen(hidden),
        primary=_frozen(primary),
        show_n=_frozen(_show_n(hidden, primary, remainder)),
        total_hidden=grand < threshold,
    )


@dataclass(frozen=True, eq=False)
class CrossSuppression:
    """Suppression for a cross (rows x columns); arrays have the cross's shape and are read-only.

    row_total_hidden / column_total_hidden: the totals with fewer than `threshold` respondents, which the margin
    breakdowns (`suppress_breakdown` on the totals) hide in their turn.
    """

    hidden: NDArray[np.bool_]
    primary: NDArray[np.bool_]
    show_n: NDArray[np.bool_]
    row_total_hidden: NDArray[np.bool_]
    column_total_hidden: NDArray[np.bool_]


def suppress_cross(
    n: Sequence[Sequence[int]] | NDArray[np.int64], *, threshold: int = DEFAULT_THRESHOLD
) -> CrossSuppression:
    """Suppression for a two-way cross whose row and column totals are published (the sums of its cells)."""
    counts = np.asarray(n, dtype=np.int64)
    if counts.ndim != 2:
        raise ValueError("n must be a rows x columns table of cell counts.")
    _check(counts, threshold)
    primary = (counts > 0) & (counts < threshold)
    hidden = primary.copy()
    changed = True
    while changed:
        changed = False
        for i in range(counts.shape[0]):
            changed |= _complete_line(counts[i], hidden[i], 0, threshold)
        for j in range(counts.shape[1]):
            column = hidden[:, j].copy()
            if _complete_line(counts[:, j], column, 0, threshold):
                hidden[:, j] = column
                changed = True
    show = np.ones_like(hidden)
    for i in range(counts.shape[0]):
        show[i] &= _show_n(hidden[i], primary[i], 0)
    for j in range(counts.shape[1]):
        show[:, j] &= _show_n(hidden[:, j], primary[:, j], 0)
    return CrossSuppression(
        hidden=_frozen(hidden),
        primary=_frozen(primary),
        show_n=_frozen(show),
        row_total_hidden=_frozen(counts.sum(axis=1) < threshold),
        column_total_hidden=_frozen(counts.sum(axis=0) < threshold),
    )
