"""Charts drawn with matplotlib to SVG, the same file on the staff pages, the public pages and in the PDF report.

matplotlib rather than more hand-drawn SVG: axes, ticks, legends and text layout come from a kept library. The
SVG is shown as an image (a data: address), so the page's Content-Security-Policy (no inline styles) still holds;
every chart stands beside a table or text with the same figures, for screen readers and for copying.
"""

from __future__ import annotations

import base64
import io
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no screen: render to files only

import matplotlib.pyplot as plt  # noqa: E402 - after choosing the backend
from matplotlib.figure import Figure  # noqa: E402

# Text stays text in the SVG (searchable, sharp when printed); ids are stable so the same data gives the same file.
plt.rcParams.update({
    "svg.fonttype": "none",
    "svg.hashsalt": "trygg",
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
})

# Distinguishable in grey print and for the common colour-vision deficiencies (Okabe–Ito).
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")


def new_figure(width_in: float = 6.4, height_in: float = 3.2) -> tuple[Figure, Any]:
    """A figure with one axes, sized in inches (A4 text width is about 6.3 in)."""
    fig = Figure(figsize=(width_in, height_in), layout="constrained")
    return fig, fig.add_subplot()


def figure_svg(fig: Figure) -> str:
    """The figure as SVG text (no metadata dates, so the output depends on the data only)."""
    out = io.StringIO()
    fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    return out.getvalue()


def svg_data_uri(svg: str) -> str:
    """A data: address for an <img>, which the Content-Security-Policy allows where inline styles are not."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
