"""How raking enters the variance: the margin sweep of R's `survey:::svyrecvar`, done two ways.

For a design from `rake()`, R replaces each influence column x by its residual after the raking margins:
```r
for (iterations in 1:10) for (margin in psvar) {
    psw <- attr(margin, "weights")                 # weights after that margin's step in the last raking pass
    x <- x - psw * apply(x / psw, 2, ave, margin)  # remove the per-category mean of x / psw
}
```
Exactly 10 passes, not iterated to convergence, so trygg reproduces the 10 passes.

`sweep_dense` does it literally on an n x q matrix: the reference implementation, fine for a few columns.

`Calibration` does the same algebra in the space of margin categories, so a variance needs only per-category sums of
the influence: after the sweep, x = x0 - sum_m psw_m * (A_m c_m), where A_m is the 0/1 indicator matrix of margin m
and the coefficients c depend on x0 only through S_m = A_m' (x0 / psw_m). The 10 passes then act on c, c = M S, with
M computed once per design. Rows are grouped into cells (one combination of margin categories); within a cell the
ratio r_m = w / psw_m is the same for every row (raking multiplies weights by per-category factors), so S and the
other sums need only per-cell sums of x / w and x * w. The margin graph splits into connected components (for
example one per municipality when each municipality is raked to its own margins); M is block-diagonal over them, so
it is stored as one small dense block per component.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.sparse.csgraph import connected_components

SWEEP_PASSES = 10  # survey:::svyrecvar's fixed `for (iterations in 1:10)`


def cell_index(margins: tuple[NDArray[np.intp], ...]) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Number the combinations of margin categories that occur: (cell of each row, first row of each cell).

    Cells are numbered in lexicographic order of their codes (margin 0 slowest), as `np.unique` of the combined key.
    """
    n = margins[0].shape[0]
    key = np.zeros(n, dtype=np.intp)
    count = 1
    for m in margins:
        size = int(m.max()) + 1 if n else 1
        space = count * size
        if space >= 2**62:  # the combined key would overflow: rank the pairs of codes instead
            uniq, inverse = np.unique(np.stack([key, m], axis=1), axis=0, return_inverse=True)
            count, key = int(uniq.shape[0]), inverse.reshape(-1).astype(np.intp)
            continue
        combined = key * size + m
        if space <= 16 * n + 2**20:
            # rank the codes through a table of the codes that occur: no sort, and the rank keeps their order
            present = np.zeros(space, dtype=bool)
            present[combined] = True
            rank = np.cumsum(present, dtype=np.int32 if space < 2**31 else np.intp)
            count = int(rank[-1])
            key = rank[combined].astype(np.intp) - 1
        else:
            uniq, inverse = np.unique(combined, return_inverse=True)
            count, key = int(uniq.shape[0]), inverse.reshape(-1).astype(np.intp)
    first = np.full(count, n, dtype=np.intp)
    np.minimum.at(first, key, np.arange(n, dtype=np.intp))
    return key, first


def sweep_dense(
    x: NDArray[np.float64], margins: tuple[NDArray[np.intp], ...], margin_weights: tuple[NDArray[np.float64], ...]
) -> NDArray[np.float64]:
    """Return the n x q matrix `x` after R's raking sweep (a new array; `x` is not changed)."""
    out = np.array(x, dtype=np.float64, copy=True)
    if not margins:
        return out
    n = out.shape[0]
    indicators = [
        sp.csr_matrix((np.ones(n), (np.arange(n), codes)), shape=(n, int(codes.max()) + 1)) for codes in margins
    ]
    counts = [np.bincount(codes).astype(np.float64) for codes in margins]
    for _ in range(SWEEP_PASSES):
        for ind, cnt, psw in zip(indicators, counts, margin_weights, strict=True):
            means = (ind.T @ (out / psw[:, None])) / np.maximum(cnt, 1.0)[:, None]
            out -= psw[:, None] * np.asarray(ind @ means)
    return out


@dataclass(frozen=True, eq=False)
class Calibration:
    """The raking sweep in category space (see module docstring); built by `Calibration.build`.

    Cells: row i lies in cell `row_cell[i]`; cell c lies in component `cell_comp[c]`, has local category
    `cell_local[m][c]` (< `size`) in margin m and ratio `cell_ratio[m][c]` = w / psw_m. Per component: `sweep` is M
    (size x size), `quad` the sums of psw_m * psw_m' over rows in category pairs, `total` the sums of psw_m.
    `cell_weight[c]`: the weight w of every row of cell c, or None when w varies within a cell (raking from unequal
    base weights); shares then need weighted sums per cell, not just counts.
    """

    n_components: int
    size: int
    n_cells: int
    row_cell: NDArray[np.intp]
    cell_first_row: NDArray[np.intp]
    cell_comp: NDArray[np.intp]
    cell_local: tuple[NDArray[np.intp], ...]
    cell_ratio: tuple[NDArray[np.float64], ...]
    sweep: NDArray[np.float64]
    quad: NDArray[np.float64]
    total: NDArray[np.float64]
    cell_weight: NDArray[np.float64] | None = None

    @staticmethod
    def components(margins: tuple[NDArray[np.intp], ...]) -> tuple[int, NDArray[np.intp], NDArray[np.intp]]:
        """Connected components of the margin categories: (count, component of each category, offsets per margin)."""
        sizes = [int(m.max()) + 1 if m.size else 0 for m in margins]
        offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(np.intp)
        k = int(offsets[-1])
        first = margins[0] + offsets[0]
        rows = np.concatenate([first for _ in margins[1:]] or [first])
        cols = np.concatenate([m + offsets[j + 1] for j, m in enumerate(margins[1:])] or [first])
        graph = sp.coo_matrix((np.ones(rows.shape[0]), (rows, cols)), shape=(k, k))
        count, labels = connected_components(graph, directed=False)
        return int(count), labels.astype(np.intp), offsets

    @staticmethod
    def cells(
        weights: NDArray[np.float64],
        margins: tuple[NDArray[np.intp], ...],
        margin_weights: tuple[NDArray[np.float64], ...],
    ) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
        """(cell of each row, first row of each cell); every row is its own cell if a ratio w / psw_m varies
        within a cell or a weight is 0 (the per-cell sums of `build` divide by those ratios)."""
        row_cell, first = cell_index(margins)
        ok = bool((weights > 0).all())
        for pm in margin_weights:
            if not ok:
                break
            ratio = weights / pm
            ok = np.allclose(ratio, ratio[first][row_cell], rtol=1e-12, atol=0.0)
        if not ok:
            n = weights.shape[0]
            return np.arange(n, dtype=np.intp), np.arange(n, dtype=np.intp)
        return row_cell, first

    @classmethod
    def build(
        cls,
        weights: NDArray[np.float64],
        margins: tuple[NDArray[np.intp], ...],
        margin_weights: tuple[NDArray[np.float64], ...],
        cells: tuple[NDArray[np.intp], NDArray[np.intp]] | None = None,
    ) -> Calibration:
        """Precompute cells and the per-component sweep operator for a design with these margins and weights.

        cells: (cell of each row, first row of each cell) when the caller knows every ratio w / psw_m is constant
        within a cell and all weights are positive (as `rake_weights` does); else `cells()` finds and checks them.
        """
        n = int(weights.shape[0])
        if not margins or n == 0:
            empty = np.zeros((0, 0, 0))
            no_rows = np.zeros(n, np.intp)
            return cls(0, 0, 0, no_rows, no_rows, no_rows, (), (), empty, empty, np.zeros((0, 0)))
        row_cell, first = cells if cells is not None else cls.cells(weights, margins, margin_weights)
        k = int(first.shape[0])
        # everything below runs on cells, not rows: within a cell psw_m / psw_0 is constant, so sums over the
        # rows of a cell need only their count and their sums of psw_0 and psw_0^2
        cell_codes = tuple(m[first] for m in margins)
        n_comp, labels, offsets = cls.components(cell_codes)
        # local index of each category within its component, in category order
        order = np.argsort(labels, kind="stable")
        starts = np.searchsorted(labels[order], np.arange(n_comp))
        local = np.empty_like(labels)
        local[order] = np.arange(labels.shape[0]) - starts[labels[order]]
        size = int(np.bincount(labels).max())
        cell_local = tuple(local[m + offsets[j]] for j, m in enumerate(cell_codes))
        cell_comp = labels[cell_codes[0] + offsets[0]]
        p0 = margin_weights[0]
        count = np.bincount(row_cell, minlength=k).astype(np.float64)
        sum_p0 = np.bincount(row_cell, weights=p0, minlength=k)
        sum_p0_sq = np.bincount(row_cell, weights=p0 * p0, minlength=k)
        first_psw = tuple(pm[first] for pm in margin_weights)
        rel = tuple(pm / p0[first] for pm in first_psw)  # psw_m / psw_0 in each cell
        n_keys = n_comp * size * size
        gram = np.zeros(n_keys)
        quad = np.zeros(n_keys)
        for lm, pm, rm in zip(cell_local, first_psw, rel, strict=True):
            for lk, pk, rk in zip(cell_local, first_psw, rel, strict=True):
                key = (cell_comp * size + lm) * size + lk
                gram += np.bincount(key, weights=count * (pk / pm), minlength=n_keys)
                quad += np.bincount(key, weights=sum_p0_sq * (rk * rm), minlength=n_keys)
        total = np.zeros(n_comp * size)
        for lm, rm in zip(cell_local, rel, strict=True):
            total += np.bincount(cell_comp * size + lm, weights=sum_p0 * rm, minlength=n_comp * size)
        sweep = cls._sweep_operator(gram.reshape(n_comp, size, size), cell_comp, cell_local, count, n_comp, size)
        return cls(
            n_components=n_comp,
            size=size,
            n_cells=k,
            row_cell=row_cell,
            cell_first_row=first,
            cell_comp=cell_comp,
            cell_local=cell_local,
            cell_ratio=tuple(weights[first] / pm for pm in first_psw),
            sweep=sweep,
            quad=quad.reshape(n_comp, size, size),
            total=total.reshape(n_comp, size),
            cell_weight=weights[first] if np.array_equal(weights, weights[first][row_cell]) else None,
        )

    @staticmethod
    def _sweep_operator(
        gram: NDArray[np.float64],
        cell_comp: NDArray[np.intp],
        cell_local: tuple[NDArray[np.intp], ...],
        cell_count: NDArray[np.float64],
        n_comp: int,
        size: int,
    ) -> NDArray[np.float64]:
        """M with c = M S after R's 10 passes; `gram[c, k, l]` = sum over rows in (k, l) of psw_m(l) / psw_m(k)."""
        masks = []
        counts = np.zeros(n_comp * size)
        for lm in cell_local:
            key = cell_comp * size + lm
            cnt = np.bincount(key, weights=cell_count, minlength=n_comp * size)
            masks.append((cnt > 0).reshape(n_comp, size, 1))
            counts += cnt
        inv_count = np.where(counts > 0, 1.0 / np.maximum(counts, 1.0), 0.0).reshape(n_comp, size, 1)
        eye = np.broadcast_to(np.eye(size), (n_comp, size, size))
        coef = np.zeros((n_comp, size, size))
        for _ in range(SWEEP_PASSES):
            for mask in masks:
                residual = eye - gram @ coef
                coef = coef + np.where(mask, residual * inv_count, 0.0)
        return coef
