"""Confidence intervals for a share, as R's `survey::svyciprop` (methods "logit" and "beta").

All functions are vectorised over numpy arrays of estimates and return new arrays.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy import special, stats


def t_quantile(level: float, df: NDArray[np.float64]) -> NDArray[np.float64]:
    """Two-sided quantile of Student's t for `level` (0.95 gives about 1.96); df = inf gives the normal quantile."""
    check_level(level)
    arr = np.asarray(df, dtype=np.float64)
    # domains share few distinct df (counts of respondents), and each ppf costs far more than finding them
    distinct, index = np.unique(arr.reshape(-1), return_inverse=True)
    q: NDArray[np.float64] = np.asarray(stats.t.ppf(0.5 + level / 2.0, distinct), dtype=np.float64)
    return q[index.reshape(-1)].reshape(arr.shape)


def check_level(level: float) -> None:
    """Raise ValueError unless 0 < level < 1."""
    if not 0.0 < level < 1.0:
        raise ValueError("level must lie strictly between 0 and 1 (0.95 for a 95% interval).")


def logit_interval(
    share: NDArray[np.float64], se: NDArray[np.float64], df: NDArray[np.float64], level: float = 0.95
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Wald interval on the logit scale, back-transformed: R's `svyciprop(method = "logit")`.

    R fits `svyglm(y ~ 1, family = quasibinomial)`, whose intercept is logit(share) with standard error
    se / (share * (1 - share)), and uses Student's t with the design's degrees of freedom `df`.
    Undefined (NaN) where share is 0 or 1 or df < 1: use `korn_graubard_interval` there.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        half = t_quantile(level, df) * se / (share * (1.0 - share))
        centre = special.logit(share)
        low: NDArray[np.float64] = special.expit(centre - half)
        high: NDArray[np.float64] = special.expit(centre + half)
    bad = (share <= 0.0) | (share >= 1.0) | ~(df >= 1.0)
    return np.where(bad, np.nan, low), np.where(bad, np.nan, high)


def korn_graubard_interval(
    share: NDArray[np.float64], n_eff: NDArray[np.float64], level: float = 0.95
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Clopper–Pearson interval at an effective sample size: R's `svyciprop(method = "beta")` (Korn & Graubard 1998).

    With x = n_eff * share successes: low = qbeta(a/2, x, n_eff - x + 1), high = qbeta(1 - a/2, x + 1, n_eff - x).
    share = 0 gives low = 0 and share = 1 gives high = 1; the other bound stays strictly inside, so the interval
    never has zero width while n_eff is finite and positive. n_eff <= 0 or NaN gives NaN.
    """
    check_level(level)
    alpha = 1.0 - level
    x = n_eff * share
    ok = n_eff > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        low = np.where(share <= 0.0, 0.0, stats.beta.ppf(alpha / 2.0, x, n_eff - x + 1.0))
        high = np.where(share >= 1.0, 1.0, stats.beta.ppf(1.0 - alpha / 2.0, x + 1.0, n_eff - x))
    return np.where(ok, low, np.nan), np.where(ok, high, np.nan)


def korn_graubard_n_eff(
    share: NDArray[np.float64],
    variance: NDArray[np.float64],
    kish_n_eff: NDArray[np.float64],
    n_rows: NDArray[np.float64],
    df: NDArray[np.float64],
    level: float = 0.95,
) -> NDArray[np.float64]:
    """The effective sample size R's `method = "beta"` plugs into Clopper–Pearson.

    R uses share * (1 - share) / variance, times (qt(a/2, n_rows - 1) / qt(a/2, df))^2 where n_rows is `nrow()` of
    the design passed to svyciprop. Where the share is 0 or 1 the variance is 0 and R returns NaN; trygg then uses
    Kish's effective n of the domain instead, so the interval keeps a width. The t ratio is left out (taken as 1)
    when either degrees of freedom is below 1.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        design_based = share * (1.0 - share) / variance
        base = np.where((share <= 0.0) | (share >= 1.0) | ~(variance > 0.0), kish_n_eff, design_based)
        ratio = t_quantile(level, n_rows - 1.0) / t_quantile(level, df)
    ratio = np.where((df >= 1.0) & (n_rows - 1.0 >= 1.0), ratio, 1.0)
    out: NDArray[np.float64] = base * ratio * ratio
    return out
