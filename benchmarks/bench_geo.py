"""Time the geo engine on Halmstad: pins to areas and to named places, and hotspot clustering.

Run ``python benchmarks/bench_geo.py``; figures are printed, never asserted (they depend on the machine).
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from importlib.resources import files
from typing import Any, TypeVar

import numpy as np
from numpy.typing import NDArray

from trygg.geo import AreaIndex, PlaceIndex, find_hotspots, to_sweref, to_wgs84

T = TypeVar("T")
DATA = files("trygg") / "demo" / "data"
STORA_TORG = (56.67445, 12.8576)


def load(name: str, key: str) -> list[tuple[str, dict[str, Any]]]:
    collection = json.loads((DATA / name).read_text(encoding="utf-8"))
    return [(feature["properties"][key], feature["geometry"]) for feature in collection["features"]]


def halmstad_pins(rng: np.random.Generator, n: int) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Pins as a survey might give them: 40 % around the city centre, the rest anywhere in the municipality."""
    central = int(n * 0.4)
    east0, north0 = to_sweref(*STORA_TORG)
    east = np.r_[rng.normal(east0[0], 400.0, central), rng.uniform(east0[0] - 15_000, east0[0] + 25_000, n - central)]
    north = np.r_[
        rng.normal(north0[0], 400.0, central), rng.uniform(north0[0] - 8_000, north0[0] + 25_000, n - central)
    ]
    return to_wgs84(east, north)


def clustered_pins(rng: np.random.Generator, n: int) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Half the pins in 50 tight spots (50 m spread), half spread over the municipality as noise."""
    east0, north0 = to_sweref(*STORA_TORG)
    spots = rng.uniform([-10_000, -5_000], [20_000, 20_000], size=(50, 2)) + (east0[0], north0[0])
    clustered = spots[rng.integers(0, 50, n // 2)] + rng.normal(0.0, 50.0, size=(n // 2, 2))
    noise = rng.uniform([-15_000, -8_000], [25_000, 25_000], size=(n - n // 2, 2)) + (east0[0], north0[0])
    points = np.vstack([clustered, noise])
    return to_wgs84(points[:, 0], points[:, 1])


def timed(label: str, n: int, run: Callable[[], T]) -> T:
    start = time.perf_counter()
    result = run()
    seconds = time.perf_counter() - start
    print(f"{label:<42} {n:>10,} points {seconds:8.3f} s {n / seconds:>14,.0f} points/s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pins", type=int, default=1_000_000, help="pins to assign to areas and places")
    parser.add_argument("--hotspot-pins", type=int, default=100_000, help="pins to cluster into hotspots")
    parser.add_argument("--seed", type=int, default=2023, help="seed for the synthetic pins")
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)

    areas, places = (
        AreaIndex(load("halmstad_areas.geojson", "code")),
        PlaceIndex(load("halmstad_places.geojson", "name")),
    )
    lat, lon = halmstad_pins(rng, args.pins)
    assigned = timed("assign to Halmstad areas", args.pins, lambda: areas.assign(lat, lon))
    matched = timed("assign to Halmstad places (150 m)", args.pins, lambda: places.assign(lat, lon))
    in_area = sum(code is not None for code in assigned)
    at_place = sum(name is not None for name in matched)
    print(f"  {in_area:,} pins in an area, {at_place:,} at a place")

    lat, lon = clustered_pins(rng, args.hotspot_pins)
    hotspots = timed("find hotspots (eps 150 m, min 5 pins)", args.hotspot_pins, lambda: find_hotspots(lat, lon))
    print(f"  {len(hotspots)} hotspots, largest {hotspots[0].count if hotspots else 0} pins")


if __name__ == "__main__":
    main()
