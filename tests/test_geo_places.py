"""Matching pins to named places within a distance in metres (PlaceIndex)."""

import math
from typing import Any

import numpy as np
import pytest

from trygg.geo import PlaceIndex, to_sweref, to_wgs84

STORA_TORG_LAT, STORA_TORG_LON = 56.67445, 12.8576
E0, N0 = (float(v[0]) for v in to_sweref(STORA_TORG_LAT, STORA_TORG_LON))


def point(lat: float, lon: float) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [lon, lat]}


def at_metres(east: float, north: float) -> tuple[float, float]:
    """WGS84 (lat, lon) of a point ``east``/``north`` metres from Stora torg in SWEREF 99 TM."""
    lat, lon = to_wgs84([E0 + east], [N0 + north])
    return float(lat[0]), float(lon[0])


def metres_polygon(e0: float, n0: float, e1: float, n1: float) -> dict[str, Any]:
    corners = [at_metres(e, n) for e, n in [(e0, n0), (e1, n0), (e1, n1), (e0, n1), (e0, n0)]]
    return {"type": "Polygon", "coordinates": [[[lon, lat] for lat, lon in corners]]}


def assign_at(index: PlaceIndex, *offsets: tuple[float, float]) -> list[str | None]:
    pins = [at_metres(e, n) for e, n in offsets]
    return index.assign([p[0] for p in pins], [p[1] for p in pins])


def test_a_pin_matches_within_the_distance_in_metres() -> None:
    index = PlaceIndex([("Stora torg", point(STORA_TORG_LAT, STORA_TORG_LON))], max_distance_m=100)
    assert index.max_distance_m == 100.0
    assert assign_at(index, (99.5, 0), (100.5, 0), (0, 99.5), (0, -100.5), (70, 70), (71, 71)) == [
        "Stora torg",
        None,
        "Stora torg",
        None,
        "Stora torg",
        None,
    ]


def test_sweref_metres_are_ground_metres_within_a_tenth_of_a_percent() -> None:
    # 1/60 degree of latitude is close to one nautical mile (1,852 m) at this latitude.
    east, north = to_sweref([56.6, 56.6 + 1 / 60], [12.86, 12.86])
    assert math.hypot(east[1] - east[0], north[1] - north[0]) == pytest.approx(1855.0, rel=1e-3)


def test_the_nearest_place_wins_whatever_the_order() -> None:
    places = [("Norr", point(*at_metres(0, 80))), ("Syd", point(*at_metres(0, -60)))]
    assert assign_at(PlaceIndex(places), (0, 0)) == ["Syd"]
    assert assign_at(PlaceIndex(places[::-1]), (0, 0)) == ["Syd"]


def test_inside_a_polygon_is_distance_zero() -> None:
    places = [("Torget", point(*at_metres(10, 0))), ("Kvarteret", metres_polygon(-50, -50, 50, 50))]
    assert assign_at(PlaceIndex(places), (-5, 0), (-195, 0), (-205, 0), (300, 0)) == [
        "Kvarteret",
        "Kvarteret",
        None,
        None,
    ]


def test_equally_near_places_go_to_the_most_specific() -> None:
    places = [
        ("Stadskärnan", metres_polygon(-500, -500, 500, 500)),
        ("Kvällsekonomin", metres_polygon(-200, -200, 200, 200)),
        (
            "Storgatan",
            {"type": "LineString", "coordinates": [[lon, lat] for lat, lon in [at_metres(0, -100), at_metres(0, 100)]]},
        ),
        ("Torget", point(*at_metres(0, 0))),
    ]
    index = PlaceIndex(places)
    assert assign_at(index, (0, 0), (0, 50), (100, 0), (300, 0)) == [
        "Torget",
        "Storgatan",
        "Kvällsekonomin",
        "Stadskärnan",
    ]


def test_a_street_matches_along_its_length() -> None:
    street = {"type": "LineString", "coordinates": [[lon, lat] for lat, lon in [at_metres(0, 0), at_metres(0, 1000)]]}
    index = PlaceIndex([("Storgatan", street)], max_distance_m=50)
    assert assign_at(index, (45, 500), (55, 500), (0, 1045), (0, -55)) == ["Storgatan", None, "Storgatan", None]


def test_many_pins_far_from_every_place_are_unmatched() -> None:
    rng = np.random.default_rng(5)
    lat, lon = rng.uniform(57.0, 58.0, 1000), rng.uniform(14.0, 15.0, 1000)
    index = PlaceIndex([("Stora torg", point(STORA_TORG_LAT, STORA_TORG_LON))])
    assert index.names == ("Stora torg",)
    assert index.assign(lat, lon) == [None] * 1000
    assert index.assign([], []) == []


@pytest.mark.parametrize("distance", [0.0, -1.0, math.nan, math.inf])
def test_the_distance_must_be_a_positive_number(distance: float) -> None:
    with pytest.raises(ValueError, match="positive number of metres"):
        PlaceIndex([], max_distance_m=distance)


@pytest.mark.parametrize(
    ("places", "message"),
    [
        ([(" ", point(56.6, 12.8))], "non-empty name"),
        ([("Torget", point(56.6, 12.8)), ("Torget", point(56.7, 12.8))], "'Torget' occurs more than once"),
        ([("Torget", point(6_280_000, 370_000))], "Place 'Torget': the coordinates are not longitude and latitude"),
        (
            [("Åttan", {"type": "Polygon",
                        "coordinates": [[[12.8, 56.6], [12.9, 56.7], [12.9, 56.6], [12.8, 56.7], [12.8, 56.6]]]})],
            "Place 'Åttan': the geometry is not valid",
        ),
        ([("Alla", {"type": "GeometryCollection", "geometries": []})], "Place 'Alla': the geometry type"),
    ],
)
def test_bad_places_are_refused_naming_the_place(places: list[tuple[str, Any]], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        PlaceIndex(places)
