"""What the benchmarks that time pages share: a throwaway SQLite database set up as a newcomer's, and percentiles."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path


def temporary_database() -> Path:
    """Point trygg at a new SQLite file in a temporary folder, migrate it, and return the folder.

    Plain http (the test client speaks no TLS, and would otherwise time redirects); a benchmark-only key unless one
    is set. Call before importing anything that needs Django's settings.
    """
    folder = Path(tempfile.mkdtemp(prefix="trygg-bench-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    os.environ["TRYGG_HTTPS"] = "0"
    sys.argv = sys.argv[:1]
    from trygg.cli import setup_django

    setup_django()
    return folder


def percentile(values: list[float], q: float) -> float:
    """The q-th quantile (0–1) of `values`, as the nearest value at or below it."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]
