"""Trimming of weights to bounds, as R's `survey::trimWeights()` on a `survey.design2` (survey 4.1.1).

R's algorithm, one pass:
```r
outside <- pw < lower | pw > upper                # strictly outside: a weight on a bound is inside
pwnew <- pmax(lower, pmin(pw, upper))
pwnew[!outside] <- pwnew[!outside] + sum(pw - pwnew) / sum(!outside)   # the same amount added to each
design$prob <- 1 / pwnew                          # postStrata (the raking) is kept as it was
```
With `strict = TRUE` R repeats the pass until no weight is outside. The total weight is kept; the trimmed amount is
spread additively (not proportionally) over the weights that were inside, including those sitting on a bound after an
earlier pass, which the next pass trims again. These passes converge geometrically and may end in a cycle in the last
place of a float, where R's recursion fails ("C stack usage is too close to the limit"); trygg stops once no weight
is beyond a bound by more than 1e-12 relative and cuts that rounding, so it agrees with R to about 1e-12 wherever R
finishes, and finishes where R does not.

For the variance R changes only `prob`: the raking stays in `postStrata` with the weights of the raking's last pass
(`attr(margin, "weights")`), so `svyrecvar` sweeps the influence of the trimmed weights through the raking margins with
the untrimmed step weights. trygg keeps `margins` and `margin_weights` and replaces `weights`: the same variance. The
trimming itself is treated as fixed, as in R.

Every row with the same weight is treated alike, so the passes run on the distinct weights (for a raked design at most
one per raking cell) with their counts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from trygg.stats.design import Design

if TYPE_CHECKING:
    from trygg.stats.raking import RakeResult

MAX_TRIM_PASSES = 10_000  # R recurses without a cap (until its stack runs out); trygg stops with an error
ROUNDING = 1e-12  # relative overshoot of a bound that is rounding, not trimming (see `trim_values`)


@dataclass(frozen=True)
class TrimResult:
    """A design with trimmed weights and how the trimming went.

    n_trimmed: rows whose weight was cut to a bound in some pass; passes: passes that changed weights (0: none was
    outside the bounds, the design is returned unchanged); weight_min, weight_max: the range after trimming;
    design_effect, n_eff: Kish's design effect and effective n of the trimmed weights.
    """

    design: Design
    n_trimmed: int
    passes: int
    weight_min: float
    weight_max: float
    design_effect: float
    n_eff: float


@dataclass(frozen=True)
class Trimmed:
    """The outcome of `trim_values`: new weights, rows cut to a bound in some pass, passes that changed weights."""

    weights: NDArray[np.float64]
    n_trimmed: int
    passes: int


def check_bounds(lower: float, upper: float) -> tuple[float, float]:
    """Return (lower, upper) as floats, or raise ValueError unless 0 < lower < upper (upper may be infinite)."""
    try:
        lo, hi = float(lower), float(upper)
    except (TypeError, ValueError) as err:
        raise ValueError("Trimming bounds must be two numbers, (lower, upper), in persons per respondent.") from err
    if math.isnan(lo) or math.isnan(hi) or math.isinf(lo):
        raise ValueError("Trimming bounds must be numbers: a finite lower bound and an upper bound (may be infinite).")
    if lo <= 0:
        raise ValueError(f"The lower trimming bound must be positive (a weight below it is raised to it), not {lo:g}.")
    if not lo < hi:
        raise ValueError(f"The lower trimming bound ({lo:g}) must be below the upper bound ({hi:g}).")
    return lo, hi


def trim_values(
    values: NDArray[np.float64],
    counts: NDArray[np.float64],
    lower: float,
    upper: float,
    *,
    strict: bool,
) -> tuple[NDArray[np.float64], NDArray[np.bool_], int]:
    """R's passes on distinct weights `values` held by `counts` rows each: (new values, cut in some pass, passes).

    Raises ValueError when the bounds cannot hold the total, every weight is outside them, the passes do not
    settle, or (strict=False) a weight would become zero or negative.
    """
    lower, upper = check_bounds(lower, upper)
    n = float(counts.sum())
    total = float(counts @ values)
    if n and not (n * lower <= total <= n * upper):
        raise ValueError(
            f"The bounds {lower:g} to {upper:g} cannot hold the total weight: {n:g} respondents must represent"
            f" {total:g} persons, {total / n:g} each on average, so the lower bound must be at most that and the"
            " upper bound at least that."
        )
    w = np.array(values, dtype=np.float64, copy=True)
    cut = np.zeros(w.shape[0], dtype=bool)
    passes = 0
    while True:
        outside = (w < lower) | (w > upper)
        if not outside.any():
            break
        if strict and not ((w < lower * (1 - ROUNDING)) | (w > upper * (1 + ROUNDING))).any():
            # the passes converge geometrically towards the bounds and can end in a cycle of a few units in the
            # last place (the share a weight on a bound takes back rounds to what it gave); R's recursion then
            # runs out of stack. What is left is rounding: cut it (the total moves by less than 1e-12 relative).
            w, cut = np.minimum(np.maximum(w, lower), upper), cut | outside
            break
        if passes == MAX_TRIM_PASSES:
            raise ValueError(
                f"Trimming to {lower:g}..{upper:g} did not settle in {MAX_TRIM_PASSES} passes: almost every weight"
                " ends on a bound; widen the bounds."
            )
        inside = ~outside
        n_inside = float(counts[inside].sum())
        if n_inside == 0:
            raise ValueError(
                f"Every weight lies outside the bounds {lower:g} to {upper:g}, so no weight can take up the trimmed"
                " amount; widen the bounds."
            )
        new = np.minimum(np.maximum(w, lower), upper)  # R's pmax(lower, pmin(pw, upper))
        trimmings = float(counts @ (w - new))
        new[inside] += trimmings / n_inside
        w, cut, passes = new, cut | outside, passes + 1
        if not strict:
            break
    if (w <= 0).any():
        raise ValueError(
            "A single trimming pass left a weight at zero or below; trim with strict=True to keep every weight"
            " within the bounds."
        )
    return w, cut, passes


def trim_rows(weights: NDArray[np.float64], lower: float, upper: float, *, strict: bool) -> Trimmed:
    """R's trimWeights on a vector of row weights."""
    values, row_value, counts = np.unique(weights, return_inverse=True, return_counts=True)
    new, cut, passes = trim_values(values, counts.astype(np.float64), lower, upper, strict=strict)
    row_value = row_value.reshape(-1)
    return Trimmed(new[row_value], int(counts[cut].sum()), passes)


def trim_weights(source: Design | RakeResult, lower: float, upper: float, *, strict: bool = True) -> TrimResult:
    """Trim the weights to [lower, upper] keeping their total, exactly as R's `trimWeights(design, upper, lower,
    strict)`; the variance keeps the raking, as R does.

    source: a design, or the result of `rake_weights` (its design). lower, upper: bounds in persons per respondent,
    0 < lower < upper (upper may be `math.inf`). strict: True (trygg's default, R's `strict = TRUE`) repeats the pass
    until every weight lies within the bounds; False (R's default) makes one pass, after which a weight that took up
    trimmed amount may lie outside the bounds.
    Raises ValueError for bad bounds, or bounds that cannot hold the total weight (n * lower > total or
    n * upper < total).
    """
    design = source if isinstance(source, Design) else source.design
    trimmed = trim_rows(np.asarray(design.weights), lower, upper, strict=strict)
    out = with_weights(design, trimmed.weights) if trimmed.passes else design
    w = out.weights
    n = out.n
    deff = float(n * (w * w).sum() / w.sum() ** 2) if n else float("nan")
    return TrimResult(
        design=out,
        n_trimmed=trimmed.n_trimmed,
        passes=trimmed.passes,
        weight_min=float(w.min()) if n else float("nan"),
        weight_max=float(w.max()) if n else float("nan"),
        design_effect=deff,
        n_eff=n / deff if n else 0.0,
    )


def with_weights(design: Design, weights: NDArray[np.float64]) -> Design:
    """The design with new final weights and everything else, the raking's step weights included, kept (R: `prob`
    replaced, `postStrata` kept)."""
    out = Design(
        weights=weights,
        margins=design.margins,
        margin_weights=design.margin_weights,
        cluster=design.cluster,
        strata=design.strata,
        fpc=design.fpc,
    )
    known = design.__dict__.get("calibration")
    if known is not None and known.cell_weight is not None and (out.weights > 0).all():
        # every row of a cell had the same weight, so it has the same trimmed weight: the cells still hold
        from trygg.stats.calibration import Calibration

        out.__dict__["calibration"] = Calibration.build(
            out.weights, out.margins, out.margin_weights, cells=(known.row_cell, known.cell_first_row)
        )
    return out
