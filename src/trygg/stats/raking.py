"""Raking (iterative proportional fitting) to population margins, as R's `survey::rake()`.

The caller decides who is raked: respondents who did not answer a weighting variable, or gave a category without a
population count, are left out of the weighted design before calling `rake_weights` (and reported as left out).
To rake many populations at once (for example each municipality to its own margins), give each margin combined
codes (municipality x category) and the matching population counts: the raking and the variance then work on each
municipality separately, as one call.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from trygg.stats.calibration import Calibration, cell_index
from trygg.stats.design import Design, as_codes
from trygg.stats.trimming import check_bounds, trim_rows, trim_values


class RakingError(ValueError):
    """The margins cannot be raked to: inconsistent totals, empty categories, or bad codes."""


@dataclass(frozen=True)
class RakeResult:
    """A raked design and how the raking went.

    iterations: full passes over all margins (R's `iter`); converged: whether the largest change of a weighted
    cell count between passes fell below the tolerance within `max_iter`; design_effect: Kish's 1 + CV^2 of the
    weights (n * sum w^2 / (sum w)^2); n_eff: n / design_effect; weight_min, weight_max: in persons per respondent.
    With trimming bounds these describe the final, trimmed weights; n_trimmed: rows whose weight was cut to a bound
    (0 without bounds); trim_passes: trimming passes that changed weights (R's recursion depth of trimWeights).
    """

    design: Design
    iterations: int
    converged: bool
    design_effect: float
    n_eff: float
    weight_min: float
    weight_max: float
    n_trimmed: int = 0
    trim_passes: int = 0


def rake_weights(
    margin_codes: Sequence[NDArray[np.intp]],
    population: Sequence[NDArray[np.float64]],
    *,
    base: Design | None = None,
    epsilon: float = 1e-10,
    max_iter: int = 100,
    bounds: tuple[float, float] | None = None,
) -> RakeResult:
    """Rake weights so each margin's weighted counts equal its population counts, exactly as R's `rake()`.

    margin_codes[m][i]: category (0..K_m-1) of respondent i in margin m (raked in the order given);
    population[m][k]: population count of category k of margin m (persons).
    base: the design to rake (its weights start the raking; its clusters, strata and fpc are kept); default all 1,
    R's `svydesign(ids = ~1, data = d)`.
    epsilon: stop when no cell of the weighted table crossing all margins changes by more than epsilon between two
    passes; as in R, epsilon < 1 is relative to the sum of the base weights and epsilon >= 1 is in persons.
    bounds: (lower, upper) limits of the final weights in persons per respondent, or None (no trimming). The raked
    weights are then trimmed as R's `trimWeights(rake(...), lower = lower, upper = upper, strict = TRUE)`: cut to
    the bounds, the trimmed amount spread over the other weights so the total is kept, repeated until every weight is
    within the bounds; the variance keeps the raking as R does (see `trimming`). Note that the trimmed weights no
    longer meet the margins exactly, and that, as in R, the total kept is that of the whole design.
    Raises RakingError when there are no respondents, when a category has respondents but no population (or the
    reverse), or when the margins
    of a raking component (for example one municipality) do not sum to the same population total; ValueError for
    bounds that are not 0 < lower < upper or cannot hold the total weight.
    """
    if len(margin_codes) != len(population) or not margin_codes:
        raise RakingError("Give one population array per raking margin, and at least one margin.")
    if max_iter < 1 or not epsilon > 0:
        raise RakingError("max_iter must be at least 1 and epsilon positive.")
    if bounds is not None:
        bounds = check_bounds(*_pair(bounds))
    n = base.n if base is not None else np.asarray(margin_codes[0]).shape[0]
    if n == 0:
        raise RakingError("There are no respondents to weight.")
    if base is not None and base.calibrated:
        raise RakingError("The base design is already raked; rake once, with all margins.")
    try:
        codes = tuple(as_codes(m, f"margin {j}", n) for j, m in enumerate(margin_codes))
    except ValueError as err:
        raise RakingError(str(err)) from err
    pops = tuple(_population(p, c, j) for j, (p, c) in enumerate(zip(population, codes, strict=True)))
    w = base.weights.copy() if base is not None else np.ones(n)
    cells, first = cell_index(codes)
    # Every row of a cell gets the same factors, so its weight is its base weight times one factor per cell: the
    # passes run on the cells' base totals (a few thousand numbers) instead of every row, with the same arithmetic
    # as R's rows up to rounding order.
    base_total = np.bincount(cells, weights=w, minlength=first.shape[0]).astype(np.float64, copy=False)
    cell_codes = tuple(c[first] for c in codes)
    _check_cells(cell_codes, pops, base_total)
    tolerance = epsilon * w.sum() if epsilon < 1 else epsilon
    factor_now = np.ones(first.shape[0])
    old = base_total
    iterations, converged = 0, False
    step_factors: list[NDArray[np.float64]] = []
    while iterations < max_iter:
        step_factors = []
        for c, pop in zip(cell_codes, pops, strict=True):
            sums = np.bincount(c, weights=base_total * factor_now, minlength=pop.shape[0])
            factor = np.divide(pop, sums, out=np.ones_like(pop), where=sums > 0)
            factor_now = factor_now * factor[c]
            step_factors.append(factor_now)
        new = base_total * factor_now
        if n == 0 or np.abs(new - old).max() < tolerance:
            converged = True
            break
        old = new
        iterations += 1
    step_weights = [w * f[cells] for f in step_factors[:-1]]
    raked = w * factor_now[cells]
    w, n_trimmed, trim_passes, same_in_cell = raked, 0, 0, True
    if bounds is not None and n:
        if base is None:
            # every row of a cell has the same raked weight, so the same trimmed weight: trim the cells
            values, cut, trim_passes = trim_values(
                raked[first], np.bincount(cells).astype(np.float64), *bounds, strict=True
            )
            w, n_trimmed = values[cells], int(np.count_nonzero(cut[cells]))
        else:
            trimmed = trim_rows(raked, *bounds, strict=True)
            w, n_trimmed, trim_passes = trimmed.weights, trimmed.n_trimmed, trimmed.passes
            same_in_cell = trim_passes == 0
    design = Design(
        weights=w,
        margins=codes,
        margin_weights=(*step_weights, raked) if step_factors else (),
        cluster=base.cluster if base is not None else None,
        strata=base.strata if base is not None else None,
        fpc=base.fpc if base is not None else None,
    )
    if n and (w > 0).all() and same_in_cell:
        # the raking fixed the cells and made w / psw_m constant within each (trimming keeps that when every row
        # of a cell had the same weight): hand them to the variance so it need not find and check them again (a
        # cached_property lives in the instance dict)
        design.__dict__["calibration"] = Calibration.build(
            design.weights, design.margins, design.margin_weights, cells=(cells, first)
        )
    deff = float(n * (w * w).sum() / w.sum() ** 2) if n else float("nan")
    return RakeResult(
        design=design,
        iterations=iterations,
        converged=converged,
        design_effect=deff,
        n_eff=n / deff if n else 0.0,
        weight_min=float(w.min()) if n else float("nan"),
        weight_max=float(w.max()) if n else float("nan"),
        n_trimmed=n_trimmed,
        trim_passes=trim_passes,
    )


def _pair(bounds: tuple[float, float]) -> tuple[float, float]:
    try:
        lower, upper = bounds
    except (TypeError, ValueError) as err:
        raise ValueError("bounds must be two numbers, (lower, upper), in persons per respondent.") from err
    return lower, upper


def _population(pop: NDArray[np.float64], codes: NDArray[np.intp], j: int) -> NDArray[np.float64]:
    arr = np.asarray(pop, dtype=np.float64)
    if arr.ndim != 1 or not np.isfinite(arr).all() or (arr < 0).any():
        raise RakingError(f"Population counts of margin {j} must be finite, non-negative numbers.")
    if codes.size and codes.max() >= arr.shape[0]:
        raise RakingError(f"Margin {j} has category code {int(codes.max())} but only {arr.shape[0]} population counts.")
    return arr


def _check_cells(
    codes: tuple[NDArray[np.intp], ...], pops: tuple[NDArray[np.float64], ...], w: NDArray[np.float64]
) -> None:
    """codes: the margins' codes of each cell; w: the base weight total of each cell."""
    for j, (c, pop) in enumerate(zip(codes, pops, strict=True)):
        sample = np.bincount(c, weights=w, minlength=pop.shape[0])
        empty = np.flatnonzero((sample <= 0) & (pop > 0))
        if empty.size:
            raise RakingError(
                f"Margin {j}, category {int(empty[0])} has a population count but no respondents (with weight);"
                " merge it with a neighbouring category or leave it out of the margins."
            )
        absent = np.flatnonzero((sample > 0) & (pop <= 0))
        if absent.size:
            raise RakingError(
                f"Margin {j}, category {int(absent[0])} has respondents but no population count; leave those"
                " respondents out of the weighted design."
            )
    if not w.size:
        return
    n_comp, labels, offsets = Calibration.components(codes)
    totals = []
    for j, pop in enumerate(pops):
        comp = labels[offsets[j] : offsets[j + 1]]
        totals.append(np.bincount(comp, weights=pop[: comp.shape[0]], minlength=n_comp))
    stacked = np.stack(totals)
    if not np.allclose(stacked, stacked[0], rtol=1e-9, atol=1e-9):
        bad = int(np.flatnonzero(~np.isclose(stacked, stacked[0], rtol=1e-9, atol=1e-9).all(axis=0))[0])
        raise RakingError(
            f"The margins disagree on the population total ({', '.join(f'{t:g}' for t in stacked[:, bad])})"
            " of the same people; every margin must count the same population."
        )
