"""Point-in-area assignment (AreaIndex) and random points inside an area."""

from typing import Any

import numpy as np
import pytest

from trygg.geo import AreaIndex, random_point_in_area

Ring = list[tuple[float, float]]


def rectangle(lon0: float, lat0: float, lon1: float, lat1: float) -> Ring:
    return [(lon0, lat0), (lon1, lat0), (lon1, lat1), (lon0, lat1), (lon0, lat0)]


def polygon(*rings: Ring) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": [list(ring) for ring in rings]}


WEST = polygon(rectangle(12.80, 56.60, 12.85, 56.70))
EAST = polygon(rectangle(12.85, 56.60, 12.90, 56.70))
HOLE = rectangle(12.95, 56.63, 12.97, 56.65)
RING = polygon(rectangle(12.90, 56.60, 13.00, 56.70), HOLE)
CORE = polygon(HOLE)


def test_points_go_to_the_area_containing_them() -> None:
    index = AreaIndex([("vaster", WEST), ("oster", EAST)])
    assert index.codes == ("vaster", "oster")
    assert index.assign([56.65, 56.65, 56.75], [12.82, 12.88, 12.82]) == ["vaster", "oster", None]


def test_a_point_in_a_hole_belongs_to_the_area_filling_it() -> None:
    index = AreaIndex([("ring", RING), ("karna", CORE)])
    assert index.assign([56.64, 56.62], [12.96, 12.92]) == ["karna", "ring"]
    assert AreaIndex([("ring", RING)]).assign([56.64], [12.96]) == [None]


def test_boundary_points_are_inside_and_shared_edges_go_to_the_first_area() -> None:
    index = AreaIndex([("vaster", WEST), ("oster", EAST)])
    assert index.assign([56.65, 56.60, 56.70], [12.85, 12.82, 12.90]) == ["vaster", "vaster", "oster"]
    assert AreaIndex([("oster", EAST), ("vaster", WEST)]).assign([56.65], [12.85]) == ["oster"]
    ring_then_core = AreaIndex([("ring", RING), ("karna", CORE)])
    assert ring_then_core.assign([56.63], [12.96]) == ["ring"]


def test_multipolygons_are_accepted_and_unclosed_rings_refused() -> None:
    islands = {
        "type": "MultiPolygon",
        "coordinates": [[rectangle(12.0, 56.0, 12.1, 56.1)], [rectangle(12.5, 56.0, 12.6, 56.1)]],
    }
    assert AreaIndex([("oar", islands)]).assign([56.05, 56.05, 56.05], [12.05, 12.55, 12.3]) == ["oar", "oar", None]
    islands["coordinates"][1][0] = islands["coordinates"][1][0][:-1]
    with pytest.raises(ValueError, match="Area 'oar': a polygon ring is not closed"):
        AreaIndex([("oar", islands)])


def test_swapped_latitude_and_longitude_and_places_abroad_are_refused() -> None:
    swapped = {"type": "Polygon", "coordinates": [[[lat, lon] for lon, lat in rectangle(12.8, 56.6, 12.9, 56.7)]]}
    with pytest.raises(ValueError, match="look like latitude, longitude"):
        AreaIndex([("bytt", swapped)])
    with pytest.raises(ValueError, match="outside Sweden"):
        AreaIndex([("berlin", polygon(rectangle(13.3, 52.5, 13.4, 52.6)))])


def test_deeply_nested_coordinates_are_refused_not_a_crash() -> None:
    nested: Any = [12.8, 56.6]
    for _ in range(100_000):
        nested = [nested]
    with pytest.raises(ValueError, match="Area 'djup'"):
        AreaIndex([("djup", {"type": "Polygon", "coordinates": nested})])


def test_assignment_is_vectorised_over_many_points() -> None:
    rng = np.random.default_rng(7)
    lat, lon = rng.uniform(56.55, 56.75, 10_000), rng.uniform(12.75, 13.05, 10_000)
    index = AreaIndex([("vaster", WEST), ("oster", EAST), ("ring", RING), ("karna", CORE)])
    assigned = index.assign(lat, lon)
    assert assigned[:50] == [index.assign([a], [o])[0] for a, o in zip(lat[:50], lon[:50], strict=True)]
    expected_west = (lon > 12.80) & (lon < 12.85) & (lat > 56.60) & (lat < 56.70)
    assert [code == "vaster" for code in assigned] == expected_west.tolist()


def test_no_areas_and_no_points() -> None:
    assert AreaIndex([]).assign([56.6], [12.8]) == [None]
    assert AreaIndex([("vaster", WEST)]).assign([], []) == []


def test_an_invalid_polygon_is_refused_naming_the_area() -> None:
    bowtie = polygon([(12.8, 56.6), (12.9, 56.7), (12.9, 56.6), (12.8, 56.7), (12.8, 56.6)])
    with pytest.raises(ValueError, match=r"^Area 'andersberg': the geometry is not valid \(Self-intersection"):
        AreaIndex([("vaster", WEST), ("andersberg", bowtie)])


def test_overlapping_areas_are_refused_naming_both() -> None:
    overlapping = polygon(rectangle(12.84, 56.60, 12.90, 56.70))
    with pytest.raises(ValueError, match=r"^Areas 'vaster' and 'oster' overlap by about [\d,]+ square metres"):
        AreaIndex([("vaster", WEST), ("oster", overlapping)])


def test_slivers_below_a_square_metre_are_not_overlaps() -> None:
    # 1e-10 degrees of longitude is 6 micrometres here; along 11 km that is under 0.1 square metres.
    sliver = polygon(rectangle(12.85 - 1e-10, 56.60, 12.90, 56.70))
    assert AreaIndex([("vaster", WEST), ("oster", sliver)]).codes == ("vaster", "oster")


@pytest.mark.parametrize(
    ("areas", "message"),
    [
        ([("", WEST)], "non-empty code"),
        ([("vaster", WEST), ("vaster", EAST)], "'vaster' occurs more than once"),
        ([("punkt", {"type": "Point", "coordinates": [12.8, 56.6]})], "Area 'punkt': the geometry type is 'Point'"),
        ([("tom", {"type": "Polygon"})], "Area 'tom': the geometry is not readable GeoJSON"),
        ([("tom", {"type": "Polygon", "coordinates": []})], "Area 'tom': the geometry has no coordinates"),
        ([("sweref", polygon(rectangle(370000, 6280000, 371000, 6281000)))], "must be converted first"),
        ([("text", "Polygon")], "Area 'text': the geometry type is None"),
    ],
)
def test_bad_areas_are_refused(areas: list[tuple[str, Any]], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        AreaIndex(areas)


def test_bad_points_are_refused() -> None:
    with pytest.raises(ValueError, match="between -90 and 90"):
        AreaIndex([("vaster", WEST)]).assign([156.6], [12.8])


def test_random_points_fall_inside_and_follow_the_seed() -> None:
    index = AreaIndex([("ring", RING), ("karna", CORE)])
    points = [random_point_in_area(np.random.default_rng(seed), RING) for seed in range(200)]
    assert index.assign([p[0] for p in points], [p[1] for p in points]) == ["ring"] * 200
    assert random_point_in_area(np.random.default_rng(1), CORE) == random_point_in_area(np.random.default_rng(1), CORE)


def test_an_area_too_thin_to_sample_is_refused() -> None:
    thin = polygon([(12.0, 56.0), (13.0, 57.0), (13.0, 57.0000001), (12.0, 56.0)])
    with pytest.raises(ValueError, match="too thin to sample"):
        random_point_in_area(np.random.default_rng(0), thin)
