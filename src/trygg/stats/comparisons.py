"""Differences between shares (or means) with SE, interval and p-value.

Within one survey two domains share the raked design, so their estimates are correlated: the covariance comes from
both influence columns swept through the same raking margins, as R's
`svycontrast(svyby(~y, ~domain, des, svymean, na.rm = TRUE, covmat = TRUE), c(1, -1))`.
Between two independent surveys (two years) the variances add. Intervals and p-values use the normal
distribution, as R's `confint()` of a `svycontrast`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import stats

from trygg.stats.design import Design, as_domain
from trygg.stats.estimates import MeanEstimate, domain_means
from trygg.stats.intervals import check_level
from trygg.stats.shares import ShareEstimate
from trygg.stats.variance import InfluenceSums, grouped_variances, influence_covariance, sum_by


@dataclass(frozen=True)
class Comparison:
    """first - second (share points as a fraction: 0.05 = 5 percentage points), its SE, interval and p-value.

    p_value is two-sided for "no difference"; NaN when the SE is 0 (both shares 0 or 1) or either side has no
    respondents, and then nothing can be said.
    """

    difference: float
    se: float
    ci_low: float
    ci_high: float
    p_value: float
    level: float


def _comparison(difference: float, se: float, level: float) -> Comparison:
    check_level(level)
    if not (np.isfinite(difference) and np.isfinite(se) and se > 0):
        nan = float("nan")
        return Comparison(difference, se, nan, nan, nan, level)
    z = float(stats.norm.ppf(0.5 + level / 2.0))
    p = float(2.0 * stats.norm.sf(abs(difference) / se))
    return Comparison(difference, se, difference - z * se, difference + z * se, p, level)


def compare_domains(
    design: Design,
    y: NDArray[np.float64],
    domain: NDArray[np.intp],
    n_domains: int,
    first: int,
    second: int,
    *,
    level: float = 0.95,
) -> Comparison:
    """Difference between the means (shares, for 0/1 y) of domains `first` and `second` of one design.

    `y` and `domain` as in `share_by_domain`. The covariance accounts for the raking: two domains of a raking
    variable (women and men) are negatively correlated through the calibrated totals.
    """
    if not (0 <= first < n_domains and 0 <= second < n_domains) or first == second:
        raise ValueError("first and second must be two different domain codes in 0..n_domains-1.")
    est = domain_means(design, y, domain, n_domains)
    x = np.zeros((design.n, 2))
    for j, d in enumerate((first, second)):
        rows = est.column == d
        x[rows, j] = est.influence[rows]
    cov = influence_covariance(design, x)
    var = cov[0, 0] + cov[1, 1] - 2.0 * cov[0, 1]
    return _comparison(float(est.mean[first] - est.mean[second]), float(np.sqrt(max(var, 0.0))), level)


def compare_domains_table(
    design: Design,
    y: NDArray[np.float64],
    domain: NDArray[np.intp],
    n_domains: int,
    first: int,
    second: int,
    *,
    level: float = 0.95,
) -> list[Comparison]:
    """`compare_domains` for every column of the n x q matrix `y` (one indicator each), in one pass over the rows.

    The difference of two domain means has the influence of the first domain's mean on its rows and minus the
    second's on theirs (the domains do not overlap), so its variance is one column's: for a design without clusters
    or strata all q go through the category-space sums of `grouped_variances` together instead of q dense sweeps.
    Equal to `compare_domains` per column up to rounding (the same sums in another order).
    """
    if not (0 <= first < n_domains and 0 <= second < n_domains) or first == second:
        raise ValueError("first and second must be two different domain codes in 0..n_domains-1.")
    values = np.asarray(y, dtype=np.float64)
    if values.ndim != 2 or values.shape[0] != design.n:
        raise ValueError(f"y must be a matrix with one row per design row ({design.n}).")
    codes = as_domain(domain, design.n, n_domains)
    positive = design.weights > 0
    # The first domain's rows, then the second's: each domain a slice, not a mask.
    rows = np.concatenate([np.flatnonzero((codes == d) & positive) for d in (first, second)])
    split = int(np.count_nonzero((codes == first) & positive))
    w = design.weights[rows]
    q = values.shape[1]
    by_indicator = np.ascontiguousarray(values[rows].T)  # q x rows: one indicator's values side by side
    simple = design.simple
    if simple:
        # Rows summed per calibration cell: the variance needs only per-cell sums (see grouped_variances).
        cell = design.calibration.row_cell[rows] if design.calibrated else np.zeros(rows.shape[0], dtype=np.intp)
        cells, group = np.unique(cell, return_inverse=True)
        group = group.reshape(-1)
        sums = [np.zeros((cells.shape[0], q)) for _ in range(4)]
    else:
        dense = np.zeros((design.n, q))
    difference = np.empty(q)
    # One indicator at a time: vectors of the two domains' rows stay small where n x q temporaries would not.
    for j in range(q):
        answered = ~np.isnan(by_indicator[j])
        wj = np.where(answered, w, 0.0)  # a row without an answer is outside both domains for this indicator
        yj = np.where(answered, by_indicator[j], 0.0)
        wy = wj * yj
        x = np.zeros(rows.shape[0])
        mean = []
        # w_i (y_i - mean_d) / W_d on the first domain's rows, minus it on the second's
        for side, sign in ((slice(0, split), 1.0), (slice(split, None), -1.0)):
            total = float(np.sum(wj[side]))
            mean.append(float(np.sum(wy[side])) / total if total > 0 else float("nan"))
            if total > 0:
                x[side] = sign * wj[side] * (yj[side] - mean[-1]) / total
        difference[j] = mean[0] - mean[1]
        if simple:
            for k, (values_k, scale) in enumerate(((x, None), (x * x, None), (x, 1.0 / w), (x, w))):
                sums[k][:, j] = sum_by(group, cells.shape[0], values_k, scale)
        else:
            dense[rows, j] = x
    if simple:
        variance = grouped_variances(design, np.zeros(cells.shape[0], dtype=np.intp), cells, InfluenceSums(*sums),
                                     1)[0]
    else:
        variance = np.diag(influence_covariance(design, dense))
    return [_comparison(float(d), float(np.sqrt(max(v, 0.0))), level)
            for d, v in zip(difference.tolist(), variance.tolist(), strict=True)]


def _value(estimate: ShareEstimate | MeanEstimate) -> float:
    return estimate.share if isinstance(estimate, ShareEstimate) else estimate.mean


def compare_surveys(
    first: ShareEstimate | MeanEstimate, second: ShareEstimate | MeanEstimate, *, level: float = 0.95
) -> Comparison:
    """Difference first - second between estimates from two independent surveys (for example two years)."""
    se = float(np.hypot(first.se, second.se))
    return _comparison(_value(first) - _value(second), se, level)


def is_statistically_certain(comparison: Comparison, alpha: float = 0.05) -> bool:
    """True when the difference is statistically significant at `alpha` (two-sided); False when p is NaN."""
    if not 0.0 < alpha < 1.0:
        raise ValueError("alpha must lie strictly between 0 and 1.")
    return bool(comparison.p_value < alpha)
