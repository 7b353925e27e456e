"""Sample designs: weights, raking margins, and the first-stage structure the variance needs.

A `Design` is what R's `survey` package keeps in a `survey.design2` object, reduced to what trygg estimates need:
the final weights, the raking margins (so the variance accounts for the calibration, as R's `rake()` does),
and optionally strata, clusters (primary sampling units) and a finite population correction for single-stage designs.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    from trygg.stats.calibration import Calibration


def as_codes(values: NDArray[np.integer] | NDArray[np.intp], name: str, n: int | None = None) -> NDArray[np.intp]:
    """Return `values` as a read-only 1-d array of non-negative category codes, or raise ValueError."""
    arr = np.asarray(values)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a one-dimensional array of category codes.")
    if arr.size and not np.issubdtype(arr.dtype, np.integer):
        raise ValueError(f"{name} must hold integer category codes, not {arr.dtype}.")
    if n is not None and arr.shape[0] != n:
        raise ValueError(f"{name} has {arr.shape[0]} rows but the design has {n}.")
    if arr.size and arr.min() < 0:
        raise ValueError(f"{name} has negative codes; every row of a design needs a category.")
    out = arr.astype(np.intp, copy=True)
    out.flags.writeable = False
    return out


def as_domain(domain: NDArray[np.integer] | NDArray[np.intp] | None, n: int, n_domains: int) -> NDArray[np.intp]:
    """Return domain codes (0..n_domains-1, or -1 for rows in no domain); None means one domain of all rows."""
    if n_domains < 0:
        raise ValueError("n_domains must be zero or more.")
    if domain is None:
        if n_domains != 1:
            raise ValueError("Without domain codes there is exactly one domain (n_domains=1).")
        return np.zeros(n, dtype=np.intp)
    arr = np.asarray(domain)
    if arr.ndim != 1 or arr.shape[0] != n:
        raise ValueError(f"domain must be a one-dimensional array with one code per row ({n} rows).")
    if arr.size and not np.issubdtype(arr.dtype, np.integer):
        raise ValueError(f"domain must hold integer codes, not {arr.dtype}.")
    if arr.size and (arr.min() < -1 or arr.max() >= n_domains):
        raise ValueError(f"domain codes must lie in 0..{n_domains - 1}, or be -1 for rows in no domain.")
    return arr.astype(np.intp, copy=False)


def as_values(y: NDArray[np.floating] | NDArray[np.integer], n: int, name: str = "y") -> NDArray[np.float64]:
    """Return `y` as float64 with one value per row; NaN marks an unanswered question."""
    arr = np.asarray(y, dtype=np.float64)
    if arr.ndim != 1 or arr.shape[0] != n:
        raise ValueError(f"{name} must be a one-dimensional array with one value per row ({n} rows).")
    if np.isinf(arr).any():
        raise ValueError(f"{name} has infinite values.")
    return arr


@dataclass(frozen=True, eq=False)
class Design:
    """A single-stage sample design.

    weights: final weight of each row (persons represented per respondent); all rows 1.0 for unweighted figures.
    margins: for a raked design, the category code (0..K-1) of each row in each raking variable, in raking order.
        The variance removes what the raking fixed, exactly as `survey:::svyrecvar` does for a `rake()` design.
    margin_weights: for each margin, the weights right after that margin's step in the last raking pass (R keeps
        them in `postStrata`; `rake_weights` fills them). Empty: the final weights for every margin, which is the
        same once the raking has converged. Must be positive.
    cluster: primary sampling unit of each row (None: every row is its own unit, as `ids = ~1` in R).
    strata: stratum of each row (None: one stratum).
    fpc: population number of sampling units in the row's stratum, for the finite population correction
        (R's `fpc` given as a population size); None: sampling with replacement.

    Rows are never dropped by estimates: a domain keeps every row of the design and sets its influence to zero
    outside the domain, as R's `subset()` of a calibrated design does.
    """

    weights: NDArray[np.float64]
    margins: tuple[NDArray[np.intp], ...] = ()
    margin_weights: tuple[NDArray[np.float64], ...] = ()
    cluster: NDArray[np.intp] | None = None
    strata: NDArray[np.intp] | None = None
    fpc: NDArray[np.float64] | None = None

    def __post_init__(self) -> None:
        w = np.array(self.weights, dtype=np.float64, copy=True)
        if w.ndim != 1:
            raise ValueError("weights must be a one-dimensional array.")
        if not np.isfinite(w).all() or (w < 0).any():
            raise ValueError("weights must be finite and non-negative.")
        w.flags.writeable = False
        n = w.shape[0]
        object.__setattr__(self, "weights", w)
        object.__setattr__(self, "margins", tuple(as_codes(m, f"margin {i}", n) for i, m in enumerate(self.margins)))
        object.__setattr__(self, "margin_weights", self._checked_margin_weights(w))
        if self.cluster is not None:
            object.__setattr__(self, "cluster", as_codes(self.cluster, "cluster", n))
        if self.strata is not None:
            object.__setattr__(self, "strata", as_codes(self.strata, "strata", n))
        if self.fpc is not None:
            fpc = np.array(self.fpc, dtype=np.float64, copy=True)
            if fpc.shape != (n,) or not np.isfinite(fpc).all() or (fpc <= 0).any():
                raise ValueError("fpc must give a positive population number of units for every row.")
            fpc.flags.writeable = False
            object.__setattr__(self, "fpc", fpc)

    def _checked_margin_weights(self, w: NDArray[np.float64]) -> tuple[NDArray[np.float64], ...]:
        given = self.margin_weights or tuple(w for _ in self.margins)
        if len(given) != len(self.margins):
            raise ValueError("margin_weights needs one weight array per raking margin.")
        out = []
        for pw in given:
            arr = np.array(pw, dtype=np.float64, copy=True)
            if arr.shape != w.shape or not np.isfinite(arr).all() or (arr <= 0).any():
                raise ValueError("A raked design needs positive, finite weights for every row and margin.")
            arr.flags.writeable = False
            out.append(arr)
        return tuple(out)

    @property
    def n(self) -> int:
        """Number of rows (respondents) in the design."""
        return int(self.weights.shape[0])

    @property
    def calibrated(self) -> bool:
        """True for a raked design (R keeps every row of a calibrated design when it is subset)."""
        return bool(self.margins)

    @property
    def simple(self) -> bool:
        """True when every row is its own sampling unit in one stratum without fpc (R's `ids = ~1`)."""
        return self.cluster is None and self.strata is None and self.fpc is None

    @cached_property
    def calibration(self) -> Calibration:
        """The raking structure used by the variance (built once per design)."""
        from trygg.stats.calibration import Calibration

        return Calibration.build(self.weights, self.margins, self.margin_weights)


def unweighted_design(n: int) -> Design:
    """The design of unweighted figures: n rows of weight 1, as R's `svydesign(ids = ~1, data = d)`."""
    if n < 0:
        raise ValueError("n must be zero or more.")
    return Design(weights=np.ones(n, dtype=np.float64))


def cross_codes(*factors: tuple[NDArray[np.intp], int]) -> tuple[NDArray[np.intp], int]:
    """Combine breakdowns into one domain code per row.

    Each factor is (codes, number of categories) with codes -1 for rows outside the breakdown. The combined code is
    row-major (the last factor varies fastest) and -1 where any factor is -1. Returns (codes, number of cells).
    """
    if not factors:
        raise ValueError("cross_codes needs at least one factor.")
    n = np.asarray(factors[0][0]).shape[0]
    combined = np.zeros(n, dtype=np.intp)
    outside = np.zeros(n, dtype=bool)
    total = 1
    for codes, size in factors:
        arr = as_domain(codes, n, size)
        outside |= arr < 0
        combined = combined * size + arr
        total *= size
    combined[outside] = -1
    return combined, total
