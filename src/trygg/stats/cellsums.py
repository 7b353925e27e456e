"""Shares by domain as arrays, for many 0/1 indicators at once: the counting behind `shares.shares_table`.

For a simple design (`ids = ~1`, raked or not) six sums per group of rows give every domain's share and, through
the category-space sweep of `calibration`, its variance: answered (a) and yes (y) counts, unweighted, weighted and
with squared weights. A group is a calibration cell (one combination of raking categories) when the breakdown
follows the cells, a (domain, cell) pair when it cuts across them, and a domain for an uncalibrated design.
The indicators are the columns of one matrix, so one pass over the rows counts all of them: a sparse groups x rows
sum operator times each block of rows (all columns), the blocks small enough for their temporaries to stay in cache.
Everything after the counting works on groups, a few per cent of the rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from trygg.stats.design import Design
from trygg.stats.variance import InfluenceSums, grouped_variances, sum_by

BLOCK_VALUES = 2**20  # rows x columns per block of the indicator matrix: 8 MB per float copy


@dataclass(frozen=True)
class DomainShares:
    """Per domain (rows) and indicator (columns): share, its variance, answered n, Kish n_eff, df."""

    share: NDArray[np.float64]
    variance: NDArray[np.float64]
    n: NDArray[np.int64]
    n_eff: NDArray[np.float64]
    df: NDArray[np.float64]


@dataclass(frozen=True)
class _Groups:
    """Rows to count in groups: group of each row (-1: none), number of groups, and the weight of each group when
    all its rows have the same one (then the weighted sums follow from the counts: a third of the work)."""

    row_group: NDArray[np.intp]
    n_groups: int
    weight: NDArray[np.float64] | None

    def gather(self, w: NDArray[np.float64]) -> sp.csc_matrix:
        """Sparse groups x rows sum operator, stacked for w^0, w^1 and w^2 when weights vary within a group.

        Column-compressed, so a block of rows is a cheap slice and the product reads the data rows in order.
        Rows with weight 0 count as unanswered: in R's `subset(des, !is.na(y))` they add nothing either.
        """
        keep = (self.row_group >= 0) & (w > 0)
        group, g, n = self.row_group[keep], self.n_groups, w.shape[0]
        per_row = 1 if self.weight is not None else 3
        indptr = np.zeros(n + 1, dtype=np.intp)
        np.cumsum(keep * per_row, out=indptr[1:])
        if self.weight is not None:
            return sp.csc_matrix((np.ones(group.shape[0]), group, indptr), shape=(g, n))
        wk = w[keep]
        data = np.stack([np.ones(group.shape[0]), wk, wk * wk], axis=1).reshape(-1)
        index = np.stack([group, group + g, group + 2 * g], axis=1).reshape(-1)
        return sp.csc_matrix((data, index, indptr), shape=(3 * g, n))


@dataclass(frozen=True)
class _Sums:
    """Per group and indicator: answered (a) and yes (y) counts, unweighted (0), weighted (1), squared weights (2)."""

    a0: NDArray[np.float64]
    y0: NDArray[np.float64]
    a1: NDArray[np.float64]
    y1: NDArray[np.float64]
    a2: NDArray[np.float64]
    y2: NDArray[np.float64]


@dataclass(frozen=True)
class _Plan:
    """How one breakdown is estimated: the groups counted, and each group's domain (-1: none) and cell."""

    groups: _Groups
    domain: NDArray[np.intp]
    cell: NDArray[np.intp]


def shares_by_group(
    design: Design, values: NDArray[np.float64], codes: Mapping[str, tuple[NDArray[np.intp], int]]
) -> dict[str, DomainShares]:
    """Shares of the 0/1/NaN columns of `values` (n x q) per domain of each breakdown, for a simple design.

    Raises ValueError when a value is not 0, 1 or NaN.
    """
    plans: dict[str, _Plan] = {}
    cells: list[_Groups] = []  # the calibration cells, counted once for every breakdown that follows them
    for name, (domain, k) in codes.items():
        plans[name] = _plan(design, domain, k, cells)
    counted = list({id(p.groups): p.groups for p in plans.values()}.values())
    sums = dict(zip([id(g) for g in counted], _count(design, values, counted), strict=True))
    return {name: _estimate(design, p, sums[id(p.groups)], codes[name][1]) for name, p in plans.items()}


def _plan(design: Design, domain: NDArray[np.intp], n_domains: int, cells: list[_Groups]) -> _Plan:
    w = design.weights
    if not design.calibrated:
        same_w = bool(w.size == 0 or (w == w[0]).all())
        weight = np.full(n_domains, w[0] if w.size else 1.0) if same_w else None
        groups = _Groups(domain, n_domains, weight)
        return _Plan(groups, np.arange(n_domains, dtype=np.intp), np.zeros(n_domains, dtype=np.intp))
    cal = design.calibration
    cell_domain = domain[cal.cell_first_row]
    if np.array_equal(domain, cell_domain[cal.row_cell]):
        if not cells:
            cells.append(_Groups(cal.row_cell, cal.n_cells, cal.cell_weight))
        return _Plan(cells[0], cell_domain, np.arange(cal.n_cells, dtype=np.intp))
    # the breakdown cuts across raking cells: count per (domain, cell) pair instead
    inside = domain >= 0
    key = domain[inside].astype(np.int64) * cal.n_cells + cal.row_cell[inside]
    pairs, pair = np.unique(key, return_inverse=True)
    row_group = np.full(design.n, -1, dtype=np.intp)
    row_group[inside] = pair.reshape(-1)
    pair_cell = (pairs % cal.n_cells).astype(np.intp)
    # a pair is part of a cell, so it has one weight whenever each cell has
    groups = _Groups(row_group, int(pairs.shape[0]), None if cal.cell_weight is None else cal.cell_weight[pair_cell])
    return _Plan(groups, (pairs // cal.n_cells).astype(np.intp), pair_cell)


def _count(design: Design, values: NDArray[np.float64], groups: list[_Groups]) -> list[_Sums]:
    """Sum answered and yes per group for every column, one block of rows at a time (contiguous in a C-ordered
    matrix, and small enough for its temporaries to stay in cache)."""
    n, q = values.shape
    w = design.weights
    gathers = [g.gather(w) for g in groups]
    a_sums = [np.zeros((gather.shape[0], q)) for gather in gathers]
    y_sums = [np.zeros((gather.shape[0], q)) for gather in gathers]
    step = max(1, BLOCK_VALUES // max(q, 1))
    for start in range(0, n, step):
        block = values[start : start + step]
        answered = ~np.isnan(block)
        # 0s and 1s must account for every answer
        if np.count_nonzero(block == 0.0) + np.count_nonzero(block == 1.0) != np.count_nonzero(answered):
            if np.isinf(block).any():
                raise ValueError("y has infinite values.")
            raise ValueError("y must hold 0, 1 or NaN (not answered).")
        a = answered.astype(np.float64)
        yes = np.fmax(block, 0.0)  # NaN -> 0, and 0 and 1 stay (fmax ignores NaN)
        for gather, a_sum, y_sum in zip(gathers, a_sums, y_sums, strict=True):
            part = gather[:, start : start + step]
            a_sum += part @ a
            y_sum += part @ yes
    out = []
    for g, a_sum, y_sum in zip(groups, a_sums, y_sums, strict=True):
        if g.weight is not None:
            w1, w2 = g.weight[:, None], (g.weight * g.weight)[:, None]
            out.append(_Sums(a_sum, y_sum, a_sum * w1, y_sum * w1, a_sum * w2, y_sum * w2))
        else:
            k = g.n_groups
            out.append(_Sums(a_sum[:k], y_sum[:k], a_sum[k : 2 * k], y_sum[k : 2 * k], a_sum[2 * k :], y_sum[2 * k :]))
    return out


def _estimate(design: Design, plan: _Plan, c: _Sums, n_domains: int) -> DomainShares:
    keep = plan.domain >= 0
    sums6 = (c.a0, c.y0, c.a1, c.y1, c.a2, c.y2)
    if keep.all():  # the usual case: every cell lies in some domain, so no copies
        d, cell = plan.domain, plan.cell
        a0, y0, a1, y1, a2, y2 = sums6
    else:
        d, cell = plan.domain[keep], plan.cell[keep]
        a0, y0, a1, y1, a2, y2 = (v[keep] for v in sums6)
    total_w = sum_by(d, n_domains, a1)
    n = np.rint(sum_by(d, n_domains, a0)).astype(np.int64)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = sum_by(d, n_domains, y1) / total_w
        n_eff = total_w**2 / sum_by(d, n_domains, a2)
    # influence x = w a (y - p) / W per row, summed per group; y^2 = y for a 0/1 indicator. A domain without
    # answers (W = 0) has zero influence: p and 1 / W are set to 0 there instead of dividing and cleaning NaN.
    answered = total_w > 0
    p = np.where(answered, share, 0.0)[d]
    inv_w = np.divide(1.0, total_w, out=np.zeros_like(total_w), where=answered)[d]
    sums = InfluenceSums(
        x=(y1 - p * a1) * inv_w,
        xx=(y2 * (1.0 - 2.0 * p) + p * p * a2) * (inv_w * inv_w),
        x_over_w=(y0 - p * a0) * inv_w,
        x_times_w=(y2 - p * a2) * inv_w,
    )
    variance = np.where(n > 0, grouped_variances(design, d, cell, sums, n_domains), np.nan)
    return DomainShares(share, variance, n, n_eff, n.astype(np.float64) - 1.0)
