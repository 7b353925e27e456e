"""What the benchmarks that time pages share: a throwaway SQLite database set up as a newcomer's, and percentiles."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any


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


def add_demo_answers(survey: Any, count: int, seed: int = 7) -> int:
    """Store `count` of the demo's synthetic answers (repeated, shuffled per copy) in `survey` in batches, as an
    import stores them but without coding their text on the way (the benchmarks time what comes after)."""
    import random

    from trygg.demo.generate import generate_answers
    from trygg.demo.load import DATA, _geometries
    from trygg.surveys.models import Response
    from trygg.text import slugify

    areas = _geometries(DATA / "halmstad_areas.geojson", lambda p: str(p["code"]))
    places = _geometries(DATA / "halmstad_places.geojson", lambda p: slugify(str(p["name"])))
    base = generate_answers(areas, places)
    rng = random.Random(seed)
    made = 0
    while made < count:
        batch = rng.sample(base, k=min(len(base), count - made))
        Response.objects.bulk_create(
            [Response(survey=survey, answers={k: v for k, v in a.items() if k != "submitted_at"},
                      submitted_at=a["submitted_at"], channel=Response.Channel.IMPORT) for a in batch],
            batch_size=5000)
        made += len(batch)
    return made
