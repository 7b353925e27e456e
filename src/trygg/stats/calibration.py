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
    """Number the combinations of margin categories that occur: (cell of each row, first row of each cell)."""
    n = margins[0].shape[0]
    sizes = [int(m.max()) + 1 if n else 1 for m in margins]
    if float(np.prod(np.array(sizes, dtype=np.float64))) < 2.0**62:
        key = np.zeros(n, dtype=np.int64)
        for m, size in zip(margins, sizes, strict=True):
            key = key * size + m
        _, first, row_cell = np.unique(key, return_index=True, return_inverse=True)
    else:
        _, first, row_cell = np.unique(np.stack(margins, axis=1), axis=0, return_index=True, return_inverse=True)
    return row_cell.reshape(-1).astype(np.intp), first.astype(np.intp)


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
        """(cell of each row, first row of each cell); every row is its own cell if a ratio w / psw_m varies."""
        row_cell, first = cell_index(margins)
        for pm in margin_weights:
            ratio = weights / pm
            if not np.allclose(ratio, ratio[first][row_cell], rtol=1e-12, atol=0.0):
                n = weights.shape[0]
                return np.arange(n, dtype=np.intp), np.arange(n, dtype=np.intp)
        return row_cell, first

    @classmethod
    def build(
        cls,
        weights: NDArray[np.float64],
        margins: tuple[NDArray[np.intp], ...],
        margin_weights: tuple[NDArray[np.float64], ...],
    ) -> Calibration:
        """Precompute cells and the per-component sweep operator for a design with these margins and weights."""
        n = int(weights.shape[0])
        if not margins or n == 0:
            empty = np.zeros((0, 0, 0))
            no_rows = np.zeros(n, np.intp)
            return cls(0, 0, 0, no_rows, no_rows, no_rows, (), (), empty, empty, np.zeros((0, 0)))
        n_comp, labels, offsets = cls.components(margins)
        # local index of each category within its component, in category order
        order = np.argsort(labels, kind="stable")
        starts = np.searchsorted(labels[order], np.arange(n_comp))
        local = np.empty_like(labels)
        local[order] = np.arange(labels.shape[0]) - starts[labels[order]]
        size = int(np.bincount(labels).max())
        row_local = tuple(local[m + offsets[j]] for j, m in enumerate(margins))
        row_comp = labels[margins[0] + offsets[0]]
        row_cell, first = cls.cells(weights, margins, margin_weights)
        cells = n_comp * size * size
        gram = np.zeros(cells)
        quad = np.zeros(cells)
        for lm, pm in zip(row_local, margin_weights, strict=True):
            for lk, pk in zip(row_local, margin_weights, strict=True):
                key = (row_comp * size + lm) * size + lk
                gram += np.bincount(key, weights=pk / pm, minlength=cells)
                quad += np.bincount(key, weights=pk * pm, minlength=cells)
        total = np.zeros(n_comp * size)
        for lm, pm in zip(row_local, margin_weights, strict=True):
            total += np.bincount(row_comp * size + lm, weights=pm, minlength=n_comp * size)
        sweep = cls._sweep_operator(gram.reshape(n_comp, size, size), row_comp, row_local, n_comp, size)
        return cls(
            n_components=n_comp,
            size=size,
            n_cells=int(first.shape[0]),
            row_cell=row_cell,
            cell_first_row=first,
            cell_comp=row_comp[first],
            cell_local=tuple(lm[first] for lm in row_local),
            cell_ratio=tuple(weights[first] / pm[first] for pm in margin_weights),
            sweep=sweep,
            quad=quad.reshape(n_comp, size, size),
            total=total.reshape(n_comp, size),
        )

    @staticmethod
    def _sweep_operator(
        gram: NDArray[np.float64],
        row_comp: NDArray[np.intp],
        row_local: tuple[NDArray[np.intp], ...],
        n_comp: int,
        size: int,
    ) -> NDArray[np.float64]:
        """M with c = M S after R's 10 passes; `gram[c, k, l]` = sum over rows in (k, l) of psw_m(l) / psw_m(k)."""
        masks = []
        counts = np.zeros(n_comp * size)
        for lm in row_local:
            key = row_comp * size + lm
            cnt = np.bincount(key, minlength=n_comp * size)
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
