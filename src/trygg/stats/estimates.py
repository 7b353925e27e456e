"""Estimates by domain from the rows of any design: means with design-based uncertainty, and the influence
functions that shares (for designs with clusters or strata) and comparisons build on.

A domain is a subpopulation (an area, women, women in an area...). As R's `subset()` of a calibrated design, a
domain estimate keeps every row of the design: rows outside the domain, or without an answer (NaN), have zero
influence but still take part in the raking sweep and in the count of sampling units.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from trygg.stats.design import Design, as_domain, as_values
from trygg.stats.intervals import t_quantile
from trygg.stats.variance import domain_variances


@dataclass(frozen=True)
class MeanEstimate:
    """A mean in one domain, in the unit of the variable, with a normal-quantile interval as R's `confint(svymean)`.

    n: respondents in the domain with an answer; n_eff: Kish's effective n; df: the design's degrees of freedom in
    the domain; n = 0 gives NaN mean, se and bounds.
    """

    mean: float
    se: float
    ci_low: float
    ci_high: float
    n: int
    n_eff: float
    df: float


@dataclass(frozen=True)
class DomainMeans:
    """Vectorised domain estimates (one entry per domain) and the per-row influence they came from."""

    mean: NDArray[np.float64]
    variance: NDArray[np.float64]
    n: NDArray[np.int64]
    n_eff: NDArray[np.float64]
    df: NDArray[np.float64]
    influence: NDArray[np.float64]
    column: NDArray[np.intp]


def domain_means(
    design: Design, y: NDArray[np.float64], domain: NDArray[np.intp] | None, n_domains: int
) -> DomainMeans:
    """Weighted means of `y` per domain with linearisation variances (R's `svymean` on each domain).

    Rows with NaN in `y`, domain -1 or weight 0 are outside every domain. The influence of row i in domain d is
    w_i (y_i - mean_d) / W_d with W_d the domain's weight total. A domain without rows has NaN mean and variance,
    a domain with one row NaN variance when the design has fewer than two rows.
    """
    values = as_values(y, design.n)
    codes = as_domain(domain, design.n, n_domains)
    w = design.weights
    inside = (codes >= 0) & ~np.isnan(values) & (w > 0)
    column = np.where(inside, codes, -1)
    col, wi, yi = column[inside], w[inside], values[inside]
    total_w = np.bincount(col, weights=wi, minlength=n_domains)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.bincount(col, weights=wi * yi, minlength=n_domains) / total_w
        n_eff = total_w**2 / np.bincount(col, weights=wi * wi, minlength=n_domains)
    influence = np.zeros(design.n)
    influence[inside] = wi * (yi - mean[col]) / total_w[col]
    variance = domain_variances(design, influence, column, n_domains)
    n = np.bincount(col, minlength=n_domains).astype(np.int64)
    variance = np.where(n > 0, variance, np.nan)
    return DomainMeans(mean, variance, n, n_eff, domain_df(design, column, n_domains, n), influence, column)


def domain_df(design: Design, column: NDArray[np.intp], n_domains: int, n: NDArray[np.int64]) -> NDArray[np.float64]:
    """Degrees of freedom per domain as R's `degf()` of the subset: its PSUs minus its strata."""
    if design.cluster is None and design.strata is None:
        return n.astype(np.float64) - 1.0
    inside = column >= 0
    psu = design.cluster if design.cluster is not None else np.arange(design.n, dtype=np.intp)
    strata = design.strata if design.strata is not None else np.zeros(design.n, dtype=np.intp)

    def distinct(codes: NDArray[np.intp]) -> NDArray[np.float64]:
        pairs = np.unique(column[inside] * (int(codes.max()) + 1) + codes[inside])
        return np.bincount(pairs // (int(codes.max()) + 1), minlength=n_domains).astype(np.float64)

    psu_key = np.unique(strata * (int(psu.max()) + 1) + psu, return_inverse=True)[1].astype(np.intp)
    return distinct(psu_key) - distinct(strata)


def mean_by_domain(
    design: Design,
    y: NDArray[np.float64],
    domain: NDArray[np.intp] | None = None,
    n_domains: int = 1,
    *,
    level: float = 0.95,
) -> list[MeanEstimate]:
    """Mean of `y` (NaN left out) per domain: R's `svyby(~y, ~domain, des, svymean, na.rm = TRUE)` or, with
    domain None, `svymean(~y, des, na.rm = TRUE)`; interval mean +- normal quantile * SE as R's `confint`."""
    est = domain_means(design, y, domain, n_domains)
    se = np.sqrt(est.variance)
    half = t_quantile(level, np.full(n_domains, np.inf)) * se
    return [
        MeanEstimate(
            mean=float(est.mean[d]),
            se=float(se[d]),
            ci_low=float(est.mean[d] - half[d]),
            ci_high=float(est.mean[d] + half[d]),
            n=int(est.n[d]),
            n_eff=float(est.n_eff[d]),
            df=float(est.df[d]),
        )
        for d in range(n_domains)
    ]
