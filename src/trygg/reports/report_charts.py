"""The report's charts: shares with their 95 % intervals, by area, by gender, over the years; counts per area.

Drawn with matplotlib (trygg.reports.charts) to SVG, the same file in the HTML report and the PDF. Each chart
is shown beside a table with the same figures; a share that suppression hides is left out of the chart too.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.ticker import FuncFormatter

from trygg.formatting import integer as format_int
from trygg.reports.charts import PALETTE, figure_svg, new_figure

# (share, ci_low, ci_high) as fractions 0–1.
Interval = tuple[float, float, float]


def _percent_axis(ax: Any, label: str) -> None:
    ax.set_xlim(0, 100)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: format_int(int(x))))
    ax.set_xlabel(label)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)


def shares_chart(rows: Sequence[tuple[str, Interval]], axis_label: str, reference: float | None = None) -> str:
    """Horizontal bars of shares with interval whiskers, first row on top; a dashed line at `reference` (0–1)."""
    fig, ax = new_figure(6.3, 0.8 + 0.28 * len(rows))
    y = np.arange(len(rows))[::-1]
    share = np.array([100 * r[1][0] for r in rows])
    low = np.array([100 * r[1][1] for r in rows])
    high = np.array([100 * r[1][2] for r in rows])
    ax.barh(y, share, color=PALETTE[0], height=0.6)
    ax.errorbar(share, y, xerr=[share - low, high - share], fmt="none", ecolor="#222222", capsize=3, linewidth=1)
    if reference is not None:
        ax.axvline(100 * reference, color=PALETTE[1], linestyle="--", linewidth=1)
    ax.set_yticks(y, [r[0] for r in rows])
    _percent_axis(ax, axis_label)
    return figure_svg(fig)


def grouped_chart(categories: Sequence[str], series: Sequence[tuple[str, Sequence[Interval | None]]],
                  axis_label: str) -> str:
    """Bars per category for each series (women, men …) with interval whiskers; None leaves a gap (suppressed)."""
    fig, ax = new_figure(6.3, 1.0 + 0.22 * len(categories) * len(series))
    height = 0.8 / max(len(series), 1)
    base = np.arange(len(categories))[::-1].astype(float)
    for i, (name, values) in enumerate(series):
        pos = base + 0.4 - height * (i + 0.5)
        shown = [(p, v) for p, v in zip(pos, values, strict=True) if v is not None]
        if not shown:
            continue
        y = np.array([p for p, _ in shown])
        share = np.array([100 * v[0] for _, v in shown])
        err = [share - np.array([100 * v[1] for _, v in shown]), np.array([100 * v[2] for _, v in shown]) - share]
        ax.barh(y, share, height=height * 0.9, color=PALETTE[i % len(PALETTE)], label=name)
        ax.errorbar(share, y, xerr=err, fmt="none", ecolor="#222222", capsize=2, linewidth=0.8)
    ax.set_yticks(base, list(categories))
    _percent_axis(ax, axis_label)
    fig.legend(loc="outside lower center", ncols=max(len(series), 1), frameon=False)
    return figure_svg(fig)


def trend_chart(series: Sequence[tuple[str, Sequence[tuple[int, Interval]]]], axis_label: str) -> str:
    """Shares over the years, one line per indicator, with interval whiskers; years on the horizontal axis."""
    fig, ax = new_figure(6.3, 3.0)
    years: set[int] = set()
    for i, (name, points) in enumerate(series):
        x = np.array([p[0] for p in points])
        share = np.array([100 * p[1][0] for p in points])
        err = [share - np.array([100 * p[1][1] for p in points]), np.array([100 * p[1][2] for p in points]) - share]
        ax.errorbar(x, share, yerr=err, marker="o", capsize=3, color=PALETTE[i % len(PALETTE)], label=name)
        years.update(int(v) for v in x)
    ax.set_xticks(sorted(years), [str(y) for y in sorted(years)])
    ax.set_ylim(0, 100)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: format_int(int(v))))
    ax.set_ylabel(axis_label)
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    fig.legend(loc="outside lower center", ncols=min(len(series), 3), frameon=False, fontsize=8)
    return figure_svg(fig)


def counts_chart(rows: Sequence[tuple[str, float]], axis_label: str) -> str:
    """Horizontal bars of counts or rates (incidents per 1,000 residents), first row on top."""
    fig, ax = new_figure(6.3, 0.8 + 0.28 * len(rows))
    y = np.arange(len(rows))[::-1]
    ax.barh(y, [r[1] for r in rows], color=PALETTE[2], height=0.6)
    ax.set_yticks(y, [r[0] for r in rows])
    ax.set_xlabel(axis_label)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    return figure_svg(fig)
