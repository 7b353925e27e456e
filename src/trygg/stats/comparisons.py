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

from trygg.stats.design import Design
from trygg.stats.estimates import MeanEstimate, domain_means
from trygg.stats.intervals import check_level
from trygg.stats.shares import ShareEstimate
from trygg.stats.variance import influence_covariance


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
