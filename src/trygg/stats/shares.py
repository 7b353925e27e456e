"""Shares of 0/1 indicators by domain, with SE, effective n and interval: the figures every report publishes.

`share_by_domain` is R's
`svyby(~y, ~domain, subset(des, !is.na(y)), svyciprop, vartype = c("se", "ci"), method = "logit", na.rm = TRUE)`;
`shares_by_breakdown` does several breakdowns of one indicator at once, and `shares_table` many indicators (the
columns of a matrix) at once, returning arrays instead of one `ShareEstimate` per figure; the list functions are
thin wrappers over it. For a simple design (`ids = ~1`, raked or not) the work is per calibration cell (one
combination of raking categories, see `cellsums`): six weighted counts per cell give every domain's share and,
through the category-space sweep, its variance, so a breakdown that follows the raking cells (area, gender, age
group, municipality) costs almost nothing beyond one pass over the rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from trygg.stats.cellsums import DomainShares, shares_by_group
from trygg.stats.design import Design, as_domain, as_values
from trygg.stats.estimates import domain_means
from trygg.stats.intervals import check_level, korn_graubard_interval, korn_graubard_n_eff, logit_interval

MIN_N_EFF_FOR_LOGIT = 30.0  # below this Kish effective n, the spec asks for the Korn–Graubard interval
Method = Literal["auto", "logit", "beta"]
_MEAN_FIELDS = ("mean", "variance", "n", "n_eff", "df")  # the DomainMeans fields that make DomainShares


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
    tables = shares_table(design, values, breakdowns, level=level, method=method)
    return {name: table.estimates() for name, table in tables.items()}


@dataclass(frozen=True)
class ShareTable:
    """The `ShareEstimate` fields of one breakdown as arrays: entry [d] for domain d when y is one indicator,
    [d, j] for domain d and indicator j when y is a matrix with one column per indicator."""

    share: NDArray[np.float64]
    se: NDArray[np.float64]
    ci_low: NDArray[np.float64]
    ci_high: NDArray[np.float64]
    n: NDArray[np.int64]
    n_eff: NDArray[np.float64]
    df: NDArray[np.float64]
    method: NDArray[np.str_]

    def estimates(self, column: int | None = None) -> list[ShareEstimate]:
        """One ShareEstimate per domain: of the single indicator, or of indicator `column` of a matrix."""
        if (column is None) != (self.share.ndim == 1):
            raise ValueError("Give column exactly when the table holds several indicators.")
        pick = (slice(None),) if column is None else (slice(None), column)
        fields = (self.share, self.se, self.ci_low, self.ci_high, self.n, self.n_eff, self.df, self.method)
        # tolist() turns each array into Python floats, ints and strs in one call, far cheaper than per item
        return [ShareEstimate(*row) for row in zip(*(f[pick].tolist() for f in fields), strict=True)]


def shares_table(
    design: Design,
    y: NDArray[np.float64],
    breakdowns: Mapping[str, tuple[NDArray[np.intp] | None, int]],
    *,
    level: float = 0.95,
    method: Method = "auto",
) -> dict[str, ShareTable]:
    """`shares_by_breakdown` for one indicator (y of n values) or many (y an n x q matrix, one column each), as
    arrays; the same figures, computed for all indicators in one pass over the rows."""
    check_level(level)
    arr = np.asarray(y, dtype=np.float64)
    if arr.ndim not in (1, 2) or arr.shape[0] != design.n:
        raise ValueError(f"y must be a one-dimensional array with one value per row ({design.n} rows), or a matrix.")
    values = arr[:, None] if arr.ndim == 1 else arr
    codes = {name: (as_domain(d, design.n, k), k) for name, (d, k) in breakdowns.items()}
    if design.simple:
        domains = shares_by_group(design, values, codes)
    else:
        domains = {name: _from_rows(design, values, d, k) for name, (d, k) in codes.items()}
    tables = {name: _table(est, design, level, method) for name, est in domains.items()}
    if arr.ndim == 1:
        tables = {name: _column(t) for name, t in tables.items()}
    return tables


def _from_rows(design: Design, values: NDArray[np.float64], domain: NDArray[np.intp], n_domains: int) -> DomainShares:
    """Designs with clusters, strata or fpc: each indicator from its rows (`domain_means`)."""
    columns = []
    for j in range(values.shape[1]):
        column = values[:, j]
        answered = ~np.isnan(column)
        if ((column[answered] != 0.0) & (column[answered] != 1.0)).any():
            if np.isinf(column).any():
                raise ValueError("y has infinite values.")
            raise ValueError("y must hold 0, 1 or NaN (not answered).")
        columns.append(domain_means(design, column, domain, n_domains))
    if not columns:
        empty = np.zeros((n_domains, 0))
        return DomainShares(empty, empty, empty.astype(np.int64), empty, empty)
    return DomainShares(*(np.stack([getattr(c, f) for c in columns], axis=1) for f in _MEAN_FIELDS))


def _column(t: ShareTable) -> ShareTable:
    """The table of a single indicator, as 1-d arrays."""
    return ShareTable(
        t.share[:, 0], t.se[:, 0], t.ci_low[:, 0], t.ci_high[:, 0], t.n[:, 0], t.n_eff[:, 0], t.df[:, 0], t.method[:, 0]
    )


def _table(est: DomainShares, design: Design, level: float, method: Method) -> ShareTable:
    share, se = est.share, np.sqrt(est.variance)
    if method == "auto":
        use_beta = (share <= 0.0) | (share >= 1.0) | (est.n_eff < MIN_N_EFF_FOR_LOGIT) | (est.df < 1.0)
    else:
        use_beta = np.full(share.shape, method == "beta")
    low, high = logit_interval(share, se, est.df, level)
    # R's svyciprop sees nrow() of the subset: every row of a calibrated design, only the domain's rows otherwise
    n_rows = np.full(share.shape, float(design.n)) if design.calibrated else est.n.astype(np.float64)
    beta = np.nonzero(use_beta)  # Korn–Graubard only where used: its quantiles are the costly part
    kg_n = korn_graubard_n_eff(share[beta], est.variance[beta], est.n_eff[beta], n_rows[beta], est.df[beta], level)
    low[beta], high[beta] = korn_graubard_interval(share[beta], kg_n, level)
    label = np.where(est.n == 0, "none", np.where(use_beta, "beta", "logit"))
    return ShareTable(share, se, low, high, est.n, est.n_eff, est.df, label)
