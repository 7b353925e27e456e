"""Coordinate checks and the SWEREF 99 TM projection, checked against the meridian arc of GRS80."""

import math

import numpy as np
import pytest
from scipy.integrate import quad

from trygg.geo import checked_lat_lon, to_sweref, to_wgs84

GRS80_A = 6378137.0
GRS80_F = 1 / 298.257222101
SWEREF_SCALE = 0.9996


def meridian_arc_m(lat_deg: float) -> float:
    e2 = GRS80_F * (2 - GRS80_F)
    radius = lambda phi: GRS80_A * (1 - e2) / (1 - e2 * math.sin(phi) ** 2) ** 1.5  # noqa: E731
    return quad(radius, 0.0, math.radians(lat_deg), epsabs=1e-6)[0]


@pytest.mark.parametrize("lat", [55.5, 56.6745, 62.0, 69.0])
def test_points_on_the_central_meridian_match_the_scaled_meridian_arc(lat: float) -> None:
    east, north = to_sweref([lat], [15.0])
    assert east[0] == pytest.approx(500_000.0, abs=1e-6)
    assert north[0] == pytest.approx(SWEREF_SCALE * meridian_arc_m(lat), abs=1e-3)


def test_round_trip_is_exact_to_a_nanodegree() -> None:
    rng = np.random.default_rng(3006)
    lat, lon = rng.uniform(55, 69.5, 1000), rng.uniform(10.5, 24.5, 1000)
    back_lat, back_lon = to_wgs84(*to_sweref(lat, lon))
    np.testing.assert_allclose(back_lat, lat, atol=1e-9)
    np.testing.assert_allclose(back_lon, lon, atol=1e-9)


def test_scalars_and_empty_input() -> None:
    east, north = to_sweref(56.6745, 12.8578)
    assert east.shape == north.shape == (1,)
    assert [a.size for a in to_sweref([], [])] == [0, 0]
    assert [a.size for a in to_wgs84([], [])] == [0, 0]


@pytest.mark.parametrize(
    ("lat", "lon", "message"),
    [
        ([56.0, 57.0], [12.0], "2 latitudes but 1 longitudes"),
        ([math.nan], [12.0], "finite"),
        ([91.0], [12.0], "between -90 and 90"),
        ([56.0], [-181.0], "between -180 and 180"),
        (["norr"], [12.0], "numbers in decimal degrees"),
        ([[56.0]], [[12.0]], "one-dimensional"),
    ],
)
def test_bad_coordinates_are_refused(lat: object, lon: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        checked_lat_lon(lat, lon)  # type: ignore[arg-type]


def test_bad_metres_are_refused() -> None:
    with pytest.raises(ValueError, match="same length"):
        to_wgs84([1.0, 2.0], [1.0])
    with pytest.raises(ValueError, match="finite"):
        to_wgs84([math.inf], [6_280_000.0])
