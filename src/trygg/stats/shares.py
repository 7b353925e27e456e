"""Shares of 0/1 indicators by domain, with SE, effective n and interval: the figures every report publishes.

`share_by_domain` is R's
`svyby(~y, ~domain, subset(des, !is.na(y)), svyciprop, vartype = c("se", "ci"), method = "logit", na.rm = TRUE)`;
`shares_by_breakdown` does several breakdowns of one indicator at once. For a simple design (`ids = ~1`, raked or
not) the work is per calibration cell (one combination of raking categories): six weighted counts per cell give
every domain's share and, through the category-space sweep, its variance, so a breakdown that follows the raking
cells (area, gender, age group, municipality) costs almost nothing beyond one pass over the rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from trygg.stats.design import Design, as_domain, as_values
from trygg.stats.estimates import domain_means
from trygg.stats.intervals import korn_graubard_interval, korn_graubard_n_eff, logit_interval
from trygg.stats.variance import InfluenceSums, grouped_variances

MIN_N_EFF_FOR_LOGIT = 30.0  # below this Kish effective n, the spec asks for the Korn–Graubard interval
Method = Literal["auto", "logit", "beta"]


@dataclass(frozen=True)
class ShareEstimate:
    """A share (0..1) in one domain with its 95% (or `level`) interval.

    n: respondents in the domain who answered; n_eff: Kish's effective n of their weights (= n when unweighted);
    df: the design's degrees of freedom in the domain; method: "logit" or "beta" (Korn–Graubard), or "none"
    when n = 0 (then share, se and the bounds are NaN).
    """

    share: float
    se: float
    ci_low: float
    ci_high: float
    n: int
    n_eff: float
    df: float
    method: Literal["logit", "beta", "none"]


@dataclass(frozen=True)
class _Domains:
    share: NDArray[np.float64]
    variance: NDArray[np.float64]
    n: NDArray[np.int64]
    n_eff: NDArray[np.float64]
    df: NDArray[np.float64]


def share_by_domain(
    design: Design,
    y: NDArray[np.float64],
    domain: NDArray[np.intp] | None = None,
    n_domains: int = 1,
    *,
    level: float = 0.95,
    method: Method = "auto",
) -> list[ShareEstimate]:
    """Share of 1s in `y` per domain with SE and interval, as R's svyciprop on `subset(des, !is.na(y))`.

    y: 1, 0, or NaN where the question was not answered (left out). domain: code 0..n_domains-1 per row, -1 for rows
    in no domain, None for one overall domain. The interval is logit (Student's t, df = the domain's degrees of
    freedom) unless the share is 0 or 1, Kish's n_eff is below 30 or df < 1: then Korn–Graubard, where a zero
    variance (share 0 or 1) falls back to Kish's n_eff so the interval is never of zero width.
    method "logit" or "beta" forces that interval for every domain (a forced logit is NaN where undefined).
    """
    return shares_by_breakdown(design, y, {"": (domain, n_domains)}, level=level, method=method)[""]


def shares_by_breakdown(
    design: Design,
    y: NDArray[np.float64],
    breakdowns: Mapping[str, tuple[NDArray[np.intp] | None, int]],
    *,
    level: float = 0.95,
    method: Method = "auto",
) -> dict[str, list[ShareEstimate]]:
    """`share_by_domain` for several breakdowns (name -> (domain codes, number of domains)) of one indicator."""
    values = as_values(y, design.n)
    answered = ~np.isnan(values)
    if ((values[answered] != 0.0) & (values[answered] != 1.0)).any():
        raise ValueError("y must hold 0, 1 or NaN (not answered).")
    codes = {name: (as_domain(d, design.n, k), k) for name, (d, k) in breakdowns.items()}
    if not design.simple:
        return {
            name: _estimates(_from_rows(design, values, d, k), design, level, method) for name, (d, k) in codes.items()
        }
    counts = _CellCounts.build(design, values, answered)
    return {name: _estimates(counts.domains(design, d, k), design, level, method) for name, (d, k) in codes.items()}


def _from_rows(design: Design, values: NDArray[np.float64], domain: NDArray[np.intp], n_domains: int) -> _Domains:
    est = domain_means(design, values, domain, n_domains)
    return _Domains(est.mean, est.variance, est.n, est.n_eff, est.df)


@dataclass(frozen=True)
class _CellCounts:
    """Per calibration cell (or per row when a breakdown cuts across cells): answered (a) and yes (y) counts,
    unweighted, weighted and with squared weights. Rows with weight 0 count as unanswered."""

    a0: NDArray[np.float64]
    y0: NDArray[np.float64]
    a1: NDArray[np.float64]
    y1: NDArray[np.float64]
    a2: NDArray[np.float64]
    y2: NDArray[np.float64]
    answered: NDArray[np.bool_]
    yes: NDArray[np.float64]

    @classmethod
    def build(cls, design: Design, values: NDArray[np.float64], answered: NDArray[np.bool_]) -> _CellCounts:
        w = design.weights
        answered = answered & (w > 0)
        yes = np.where(answered, values, 0.0)
        a, w2 = answered.astype(np.float64), w * w
        if not design.calibrated:
            return cls(a, yes, a * w, yes * w, a * w2, yes * w2, answered, yes)
        cell, k = design.calibration.row_cell, design.calibration.n_cells

        def per_cell(v: NDArray[np.float64]) -> NDArray[np.float64]:
            return np.bincount(cell, weights=v, minlength=k).astype(np.float64, copy=False)

        return cls(
            per_cell(a),
            per_cell(yes),
            per_cell(a * w),
            per_cell(yes * w),
            per_cell(a * w2),
            per_cell(yes * w2),
            answered,
            yes,
        )

    def domains(self, design: Design, domain: NDArray[np.intp], n_domains: int) -> _Domains:
        if design.calibrated:
            cal = design.calibration
            cell_domain = domain[cal.cell_first_row]
            if np.array_equal(domain, cell_domain[cal.row_cell]):
                return self._estimate(design, cell_domain, np.arange(cal.n_cells, dtype=np.intp), self, n_domains)
            # the breakdown cuts across raking cells: count per (domain, cell) pair instead
            inside = domain >= 0
            key = domain[inside].astype(np.int64) * cal.n_cells + cal.row_cell[inside]
            groups, group = np.unique(key, return_inverse=True)
            counts = self._regroup(design, group, groups.shape[0], inside)
            return self._estimate(
                design,
                (groups // cal.n_cells).astype(np.intp),
                (groups % cal.n_cells).astype(np.intp),
                counts,
                n_domains,
            )
        # uncalibrated: one group per domain (the counts here are still per row)
        inside = domain >= 0
        counts = self._regroup(design, domain[inside], n_domains, inside)
        return self._estimate(
            design, np.arange(n_domains, dtype=np.intp), np.zeros(n_domains, dtype=np.intp), counts, n_domains
        )

    def _regroup(
        self, design: Design, group: NDArray[np.intp], n_groups: int, inside: NDArray[np.bool_]
    ) -> _CellCounts:
        w = design.weights[inside]
        a, yes = self.answered[inside].astype(np.float64), self.yes[inside]

        def per_group(v: NDArray[np.float64]) -> NDArray[np.float64]:
            return np.bincount(group, weights=v, minlength=n_groups).astype(np.float64, copy=False)

        w2 = w * w
        return _CellCounts(
            per_group(a),
            per_group(yes),
            per_group(a * w),
            per_group(yes * w),
            per_group(a * w2),
            per_group(yes * w2),
            self.answered,
            self.yes,
        )

    @staticmethod
    def _estimate(
        design: Design, group_domain: NDArray[np.intp], group_cell: NDArray[np.intp], c: _CellCounts, n_domains: int
    ) -> _Domains:
        keep = group_domain >= 0
        d, cell = group_domain[keep], group_cell[keep]
        a0, y0, a1, y1, a2, y2 = (v[keep] for v in (c.a0, c.y0, c.a1, c.y1, c.a2, c.y2))
        total_w = np.bincount(d, weights=a1, minlength=n_domains)
        n = np.rint(np.bincount(d, weights=a0, minlength=n_domains)).astype(np.int64)
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.bincount(d, weights=y1, minlength=n_domains) / total_w
            n_eff = total_w**2 / np.bincount(d, weights=a2, minlength=n_domains)
            p, big_w = share[d], total_w[d]
            # influence x = w a (y - p) / W per row, summed per group; y^2 = y for a 0/1 indicator
            sums = InfluenceSums(
                x=np.nan_to_num((y1 - p * a1) / big_w),
                xx=np.nan_to_num((y2 * (1.0 - 2.0 * p) + p * p * a2) / big_w**2),
                x_over_w=np.nan_to_num((y0 - p * a0) / big_w),
                x_times_w=np.nan_to_num((y2 - p * a2) / big_w),
            )
        variance = np.where(n > 0, grouped_variances(design, d, cell, sums, n_domains), np.nan)
        return _Domains(share, variance, n, n_eff, n.astype(np.float64) - 1.0)


def _estimates(est: _Domains, design: Design, level: float, method: Method) -> list[ShareEstimate]:
    share, se, k = est.share, np.sqrt(est.variance), est.share.shape[0]
    if method == "auto":
        use_beta = (share <= 0.0) | (share >= 1.0) | (est.n_eff < MIN_N_EFF_FOR_LOGIT) | (est.df < 1.0)
    else:
        use_beta = np.full(k, method == "beta")
    low, high = logit_interval(share, se, est.df, level)
    # R's svyciprop sees nrow() of the subset: every row of a calibrated design, only the domain's rows otherwise
    n_rows = np.full(k, float(design.n)) if design.calibrated else est.n.astype(np.float64)
    beta = np.flatnonzero(use_beta)  # Korn–Graubard only where used: its quantiles are the costly part
    kg_n = korn_graubard_n_eff(share[beta], est.variance[beta], est.n_eff[beta], n_rows[beta], est.df[beta], level)
    low[beta], high[beta] = korn_graubard_interval(share[beta], kg_n, level)
    return [
        ShareEstimate(
            share=float(share[i]),
            se=float(se[i]),
            ci_low=float(low[i]),
            ci_high=float(high[i]),
            n=int(est.n[i]),
            n_eff=float(est.n_eff[i]),
            df=float(est.df[i]),
            method="none" if est.n[i] == 0 else ("beta" if use_beta[i] else "logit"),
        )
        for i in range(k)
    ]
