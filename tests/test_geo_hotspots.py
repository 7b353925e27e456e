"""Hotspots: DBSCAN in SWEREF 99 TM, checked on synthetic clusters and against a brute-force DBSCAN."""

import math

import numpy as np
import pytest
from numpy.typing import NDArray
from scipy.spatial.distance import cdist

from trygg.geo import dbscan_labels, find_hotspots, to_sweref, to_wgs84

CENTRE_E, CENTRE_N = (float(v[0]) for v in to_sweref(56.6745, 12.8578))
CLUSTER_CENTRES = [(-1500.0, 0.0), (0.0, 0.0), (1200.0, 900.0)]


def pins_around(offsets: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """WGS84 pins at SWEREF offsets (metres) from Halmstad's Stora torg."""
    return to_wgs84(CENTRE_E + offsets[:, 0], CENTRE_N + offsets[:, 1])


def synthetic_pins(rng: np.random.Generator) -> NDArray[np.float64]:
    """Three clusters of 30 pins (40 m spread) and 100 noise pins kept 600 m or more from every cluster."""
    clusters = [rng.normal(centre, 40.0, size=(30, 2)) for centre in CLUSTER_CENTRES]
    noise = rng.uniform(-5000, 5000, size=(2000, 2))
    far = np.min(cdist(noise, np.array(CLUSTER_CENTRES)), axis=1) > 600
    return np.vstack([*clusters, noise[far][:100]])


def test_three_clusters_in_noise_give_exactly_three_hotspots() -> None:
    offsets = synthetic_pins(np.random.default_rng(20230901))
    assert len(offsets) == 190
    hotspots = find_hotspots(*pins_around(offsets))
    assert [h.count for h in hotspots] == [30, 30, 30]
    centres = np.column_stack(to_sweref([h.lat for h in hotspots], [h.lon for h in hotspots]))
    expected = np.array(CLUSTER_CENTRES) + (CENTRE_E, CENTRE_N)
    nearest = cdist(centres, expected).min(axis=1)
    assert (nearest < 20).all()


def test_the_radius_covers_every_pin_and_is_rounded_up_to_ten_metres() -> None:
    rng = np.random.default_rng(11)
    offsets = rng.normal(0.0, 30.0, size=(40, 2))
    (hotspot,) = find_hotspots(*pins_around(offsets))
    east, north = to_sweref([hotspot.lat], [hotspot.lon])
    furthest = np.hypot(offsets[:, 0] + CENTRE_E - east[0], offsets[:, 1] + CENTRE_N - north[0]).max()
    assert hotspot.radius_m % 10 == 0
    assert furthest <= hotspot.radius_m < furthest + 10


def test_a_cluster_smaller_than_min_points_is_never_shown() -> None:
    offsets = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0], [10.0, 10.0]])
    assert find_hotspots(*pins_around(offsets), min_points=5) == []
    assert [h.count for h in find_hotspots(*pins_around(offsets), min_points=4)] == [4]


def test_duplicate_pins_each_count_and_get_the_smallest_radius() -> None:
    lat, lon = [56.6745] * 5, [12.8578] * 5
    (hotspot,) = find_hotspots(lat, lon)
    assert (hotspot.count, hotspot.radius_m) == (5, 10)
    assert (hotspot.lat, hotspot.lon) == pytest.approx((56.6745, 12.8578), abs=1e-9)
    assert find_hotspots(lat[:4], lon[:4]) == []


def test_no_pins_and_only_noise_give_no_hotspots() -> None:
    assert find_hotspots([], []) == []
    spread = np.arange(20, dtype=np.float64)[:, None] * [500.0, 0.0]
    assert find_hotspots(*pins_around(spread)) == []


def test_eps_is_a_distance_in_metres() -> None:
    # A pin with four others 100 m away is a core pin only when eps reaches 100 m.
    star = np.array([[0.0, 0.0], [100.0, 0.0], [0.0, 100.0], [-100.0, 0.0], [0.0, -100.0]])
    assert [h.count for h in find_hotspots(*pins_around(star), eps_m=100.5)] == [5]
    assert find_hotspots(*pins_around(star), eps_m=99.5) == []


def test_larger_hotspots_come_first() -> None:
    offsets = np.vstack([np.zeros((5, 2)), np.full((7, 2), 2000.0)])
    assert [h.count for h in find_hotspots(*pins_around(offsets))] == [7, 5]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"min_points": 1}, "at least 2"),
        ({"min_points": 2.5}, "at least 2"),
        ({"eps_m": 0.0}, "positive number of metres"),
        ({"eps_m": math.nan}, "positive number of metres"),
    ],
)
def test_bad_parameters_are_refused(kwargs: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        find_hotspots([56.6745], [12.8578], **kwargs)  # type: ignore[arg-type]


def test_bad_pins_are_refused() -> None:
    with pytest.raises(ValueError, match="finite"):
        find_hotspots([math.nan], [12.8578])


def brute_force_dbscan(points: NDArray[np.float64], eps: float, min_points: int) -> tuple[list[int], list[bool]]:
    """Textbook DBSCAN with a full distance matrix: labels and which points are core."""
    neighbours = cdist(points, points) <= eps
    core = neighbours.sum(axis=1) >= min_points
    labels = [-1] * len(points)
    cluster = 0
    for start in np.flatnonzero(core):
        if labels[start] >= 0:
            continue
        labels[start], stack = cluster, [start]
        while stack:
            for other in np.flatnonzero(neighbours[stack.pop()]):
                if labels[other] < 0:
                    labels[other] = cluster
                    if core[other]:
                        stack.append(other)
        cluster += 1
    return labels, core.tolist()


@pytest.mark.parametrize("seed", range(40))
def test_labels_match_brute_force_dbscan(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(0, 300))
    grid = float(rng.choice([1.0, 10.0, 25.0]))  # coarse grids give duplicates and distances of exactly eps
    points = np.round(rng.uniform(0, 2000, size=(n, 2)) / grid) * grid
    if seed % 4 == 0:
        points[:, 1] = points[:, 0] / 2  # all on one line: no Delaunay triangulation exists
    eps, min_points = float(rng.choice([25.0, 100.0, 150.0])), int(rng.integers(1, 8))
    got = dbscan_labels(points[:, 0], points[:, 1], eps_m=eps, min_points=min_points)
    expected, core = brute_force_dbscan(points, eps, min_points)
    # Core points and noise are unique in DBSCAN; a border point near two clusters may join either.
    assert (got < 0).tolist() == [label < 0 for label in expected]
    pairs = {(int(g), e) for g, e, c in zip(got, expected, core, strict=True) if c}
    assert len(pairs) == len({g for g, _ in pairs}) == len({e for _, e in pairs})
    assert sorted({int(g) for g in got if g >= 0}) == list(range(len(set(expected) - {-1})))


def test_labels_are_numbered_by_first_point() -> None:
    x = np.array([1000.0, 0.0, 1000.0, 0.0, 5000.0])
    assert dbscan_labels(x, np.zeros(5), eps_m=10, min_points=2).tolist() == [0, 1, 0, 1, -1]


def test_dense_pins_stay_fast_and_small() -> None:
    # Everybody pinning the same square: a neighbour-pair approach would need 10^9 pairs here.
    rng = np.random.default_rng(2)
    points = rng.normal(0.0, 20.0, size=(50_000, 2))
    labels = dbscan_labels(points[:, 0], points[:, 1], eps_m=150.0, min_points=5)
    assert set(labels.tolist()) == {0}


@pytest.mark.parametrize(
    ("east", "north", "kwargs", "message"),
    [
        ([0.0, 1.0], [0.0], {}, "same length"),
        ([math.inf], [0.0], {}, "finite"),
        ([0.0], [0.0], {"min_points": 0}, "at least 1"),
        ([0.0], [0.0], {"eps_m": -1.0}, "positive number of metres"),
    ],
)
def test_dbscan_refuses_bad_input(
    east: list[float], north: list[float], kwargs: dict[str, float], message: str
) -> None:
    arguments = {"eps_m": 10.0, "min_points": 2, **kwargs}
    with pytest.raises(ValueError, match=message):
        dbscan_labels(east, north, **arguments)  # type: ignore[arg-type]
