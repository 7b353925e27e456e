"""Linearisation variance, as R's `survey:::svyrecvar` for single-stage designs.

An estimate's influence x (one value per row of the design, zero outside its domain) is first swept through the
raking margins (see `calibration`), then summed per primary sampling unit (PSU); the variance is
sum over strata h of f_h * m_h / (m_h - 1) * sum over PSUs c in h of (t_c - mean_h t)^2, where m_h counts the PSUs of
stratum h in the whole design and f_h = (N_h - m_h) / N_h with the finite population correction, else 1.
A stratum with a single PSU is an error, as R's default `options(survey.lonely.psu = "fail")`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from trygg.stats.calibration import sweep_dense
from trygg.stats.design import Design


def influence_covariance(design: Design, x: NDArray[np.float64]) -> NDArray[np.float64]:
    """Covariance matrix (q x q) of estimates with influence columns `x` (n x q), raking accounted for.

    Works for every design (strata, clusters, fpc) and holds n x q numbers, so it suits a few columns; many domain
    variances of a simple design go through `domain_variances`. A design with fewer than two PSUs gives NaN.
    """
    arr = np.asarray(x, dtype=np.float64)
    if arr.ndim != 2 or arr.shape[0] != design.n:
        raise ValueError(f"x must be a matrix with one row per design row ({design.n}).")
    swept = sweep_dense(arr, design.margins, design.margin_weights)
    return first_stage_covariance(design, swept)


def first_stage_covariance(design: Design, x: NDArray[np.float64]) -> NDArray[np.float64]:
    """Between-PSU covariance of the (already swept) influence matrix `x`, per stratum, with fpc."""
    n, q = x.shape
    strata = design.strata if design.strata is not None else np.zeros(n, dtype=np.intp)
    psu = design.cluster if design.cluster is not None else np.arange(n, dtype=np.intp)
    if n < 2:
        return np.full((q, q), np.nan)
    # R sums clusters within their stratum, so equal cluster ids in two strata are two PSUs
    keys, psu_of_row = np.unique(strata * (int(psu.max()) + 1) + psu, return_inverse=True)
    n_psu = keys.shape[0]
    rowsum = sp.csr_matrix((np.ones(n), (psu_of_row, np.arange(n))), shape=(n_psu, n))
    totals = np.asarray(rowsum @ x)
    first_row = np.full(n_psu, n, dtype=np.intp)
    np.minimum.at(first_row, psu_of_row, np.arange(n, dtype=np.intp))
    psu_stratum = strata[first_row]
    m = np.bincount(psu_stratum).astype(np.float64)
    present = m > 0
    if (m[present] < 2).any():
        raise ValueError("A stratum has only one sampling unit, so its variance cannot be estimated.")
    f = np.ones_like(m)
    if design.fpc is not None:
        pop = np.zeros_like(m)
        pop[strata] = design.fpc
        if not np.allclose(pop[strata], design.fpc):
            raise ValueError("fpc must be the same for every row of a stratum.")
        if (pop[present] < m[present]).any():
            raise ValueError("fpc is smaller than the number of sampled units in a stratum.")
        f[present] = (pop[present] - m[present]) / pop[present]
    means = np.zeros((m.shape[0], q))
    np.add.at(means, psu_stratum, totals)
    means[present] /= m[present, None]
    centred = totals - means[psu_stratum]
    scale = (f * m / np.maximum(m - 1.0, 1.0))[psu_stratum]
    cov: NDArray[np.float64] = (centred * scale[:, None]).T @ centred
    return cov


def domain_variances(
    design: Design, x: NDArray[np.float64], column: NDArray[np.intp], n_columns: int
) -> NDArray[np.float64]:
    """Variance of each of `n_columns` estimates whose influences have disjoint support.

    Row i carries influence x[i] of estimate column[i] (-1: of none). Equals the diagonal of `influence_covariance`
    on the matching n x n_columns matrix; a simple design (`ids = ~1`) goes through `grouped_variances`.
    """
    inside = column >= 0
    if not design.simple:
        dense = np.zeros((design.n, n_columns))
        dense[np.flatnonzero(inside), column[inside]] = x[inside]
        return np.diag(influence_covariance(design, dense)).copy()
    rows = np.flatnonzero(inside)
    xin, w = x[rows], design.weights[rows]
    cell = design.calibration.row_cell[rows] if design.calibrated else np.zeros(rows.shape[0], dtype=np.intp)
    with np.errstate(divide="ignore", invalid="ignore"):
        over_w = np.where(w > 0, xin / w, 0.0)
    return grouped_variances(design, column[rows], cell, InfluenceSums(xin, xin * xin, over_w, xin * w), n_columns)


@dataclass(frozen=True)
class InfluenceSums:
    """Sums of an influence x over the rows of each group: x, x^2, x / w and x * w (w the final weight).

    Each is one value per group, or a groups x q matrix for q estimates (indicators) sharing the groups.
    """

    x: NDArray[np.float64]
    xx: NDArray[np.float64]
    x_over_w: NDArray[np.float64]
    x_times_w: NDArray[np.float64]


def sum_by(
    index: NDArray[np.intp], n_out: int, values: NDArray[np.float64], scale: NDArray[np.float64] | None = None
) -> NDArray[np.float64]:
    """out[k] = sum of scale[i] * values[i] over i with index[i] = k, for a vector or a matrix of columns.

    A matrix goes through one sparse product, which sums all its columns in a single pass over the rows.
    """
    if values.ndim == 1:
        summed = np.bincount(index, weights=values if scale is None else values * scale, minlength=n_out)
        return summed.astype(np.float64, copy=False)
    m = index.shape[0]
    data = np.ones(m) if scale is None else scale
    gather = sp.csr_matrix((data, (index, np.arange(m))), shape=(n_out, m))
    return np.asarray(gather @ values, dtype=np.float64)


def grouped_variances(
    design: Design, column: NDArray[np.intp], cell: NDArray[np.intp], sums: InfluenceSums, n_columns: int
) -> NDArray[np.float64]:
    """Variances of `n_columns` estimates of a simple design from sums over groups of rows.

    Group g holds rows of estimate column[g] in calibration cell cell[g] (any cell for an uncalibrated design).
    The variance is n / (n - 1) * (sum of swept x^2 - (sum of swept x)^2 / n), the swept x coming from the
    category-space sweep of `Calibration`. A design with fewer than two rows gives NaN. With sums given as
    groups x q matrices the result is n_columns x q: the groups, and so all the index work, are shared by the q.
    """
    n = design.n
    if n < 2:
        return np.full((n_columns, *sums.x.shape[1:]), np.nan)
    sum_sq = sum_by(column, n_columns, sums.xx)
    total = sum_by(column, n_columns, sums.x)
    if design.calibrated:
        cal = design.calibration
        pairs, pair_of_group = np.unique(column * cal.n_components + cal.cell_comp[cell], return_inverse=True)
        pair_of_group = pair_of_group.reshape(-1)
        n_pairs, size, n_margins = pairs.shape[0], cal.size, len(cal.cell_local)
        # one (pair, local category) slot per group and margin; x / psw_m = r * x / w and x * psw_m = x * w / r,
        # r = w / psw_m constant within a cell
        slot = np.concatenate([pair_of_group * size + local[cell] for local in cal.cell_local])
        ratio = np.concatenate([r[cell] for r in cal.cell_ratio])
        x_over_w = np.concatenate([sums.x_over_w] * n_margins)
        x_times_w = np.concatenate([sums.x_times_w] * n_margins)
        q_shape = sums.x.shape[1:]
        s = sum_by(slot, n_pairs * size, x_over_w, ratio).reshape(n_pairs, size, -1)
        u = sum_by(slot, n_pairs * size, x_times_w, 1.0 / ratio).reshape(n_pairs, size, -1)
        pair_col, pair_comp = pairs // cal.n_components, pairs % cal.n_components
        coef = cal.sweep[pair_comp] @ s  # pairs x size x q
        cross = (coef * u).sum(axis=1)
        quad = (coef * (cal.quad[pair_comp] @ coef)).sum(axis=1)
        removed = (coef * cal.total[pair_comp][:, :, None]).sum(axis=1)
        sum_sq = sum_sq - sum_by(pair_col, n_columns, (2.0 * cross - quad).reshape(n_pairs, *q_shape))
        total = total - sum_by(pair_col, n_columns, removed.reshape(n_pairs, *q_shape))
    var = n / (n - 1.0) * (sum_sq - total * total / n)
    # the two terms can cancel to a tiny negative number when the raking explains the whole variance
    out: NDArray[np.float64] = np.maximum(var, 0.0)
    return out
