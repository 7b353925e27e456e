"""The schematic Halmstad areas shipped with the demo: valid, non-overlapping, and roughly where they should be."""

import json
from importlib.resources import files
from typing import Any

import numpy as np
import pytest
from shapely.geometry import shape
from shapely.ops import unary_union

from trygg.geo import AreaIndex, PlaceIndex, random_point_in_area

DATA = files("trygg") / "demo" / "data"
AREAS: dict[str, Any] = json.loads((DATA / "halmstad_areas.geojson").read_text(encoding="utf-8"))
PLACES: dict[str, Any] = json.loads((DATA / "halmstad_places.geojson").read_text(encoding="utf-8"))
AREA_PAIRS = [(f["properties"]["code"], f["geometry"]) for f in AREAS["features"]]
PLACE_PAIRS = [(f["properties"]["name"], f["geometry"]) for f in PLACES["features"] if f["geometry"]]
CENTRUM = {"centrum-vast", "centrum-ost"}


def test_the_file_names_exactly_the_halmstad_areas_and_says_it_is_schematic() -> None:
    assert AREAS["type"] == "FeatureCollection"
    assert AREAS["name"] == "Halmstad – schematiska områden (inte officiella gränser)"
    assert {f["properties"]["code"]: f["properties"]["name"] for f in AREAS["features"]} == {
        "andersberg": "Andersberg",
        "vallas": "Vallås",
        "nyhem-linehed": "Nyhem/Linehed",
        "centrum-ost": "Centrum öst",
        "ostra-stranden": "Östra stranden",
        "centrum-vast": "Centrum väst",
        "rotorp": "Rotorp",
        "sondrum": "Söndrum",
        "furet-frennarp": "Furet/Frennarp",
        "karleken-sofieberg": "Kärleken/Sofieberg",
        "ovriga": "Övriga kommunen",
    }
    assert len(AREAS["features"]) == 11
    assert all(f["properties"]["schematic"] is True for f in AREAS["features"])


def test_the_areas_are_valid_and_do_not_overlap() -> None:
    assert len(AreaIndex(AREA_PAIRS).codes) == 11  # AreaIndex refuses invalid and overlapping areas


def test_the_areas_tile_the_municipality_without_gaps() -> None:
    union = unary_union([shape(geometry) for _, geometry in AREA_PAIRS])
    assert union.geom_type == "Polygon"
    assert len(union.interiors) == 0


def test_every_named_place_lies_in_the_city_centre() -> None:
    index = AreaIndex(AREA_PAIRS)
    for name, geometry in PLACE_PAIRS:
        vertices = np.asarray(
            shape(geometry).exterior.coords if geometry["type"] == "Polygon" else [shape(geometry).coords[0]]
        )
        assert set(index.assign(vertices[:, 1], vertices[:, 0])) <= CENTRUM, name


def test_stadskarnan_is_covered_by_centrum_vast_and_ost() -> None:
    centrum = unary_union([shape(geometry) for code, geometry in AREA_PAIRS if code in CENTRUM])
    stadskarnan = shape(dict(PLACE_PAIRS)["Stadskärnan"])
    assert centrum.covers(stadskarnan)


@pytest.mark.parametrize(
    ("lat", "lon", "code"),
    [
        (56.685, 12.880, "andersberg"),
        (56.695, 12.845, "vallas"),
        (56.690, 12.870, "nyhem-linehed"),
        (56.660, 12.790, "sondrum"),
        (56.660, 12.880, "furet-frennarp"),
        (56.6745, 12.8578, "centrum-vast"),  # Stora torg, west of the Nissan
        (56.6745, 12.8680, "centrum-ost"),
        (56.672, 12.895, "ostra-stranden"),
        (56.690, 12.830, "rotorp"),
        (56.700, 12.910, "karleken-sofieberg"),
        (56.800, 13.000, "ovriga"),
        (57.500, 13.000, None),
    ],
)
def test_areas_are_roughly_where_the_districts_are(lat: float, lon: float, code: str | None) -> None:
    assert AreaIndex(AREA_PAIRS).assign([lat], [lon]) == [code]


def test_directions_from_the_centre() -> None:
    centre = {code: shape(geometry).centroid for code, geometry in AREA_PAIRS}
    assert centre["centrum-vast"].x < centre["centrum-ost"].x < centre["ostra-stranden"].x
    assert centre["sondrum"].x < centre["rotorp"].x < centre["centrum-vast"].x
    assert centre["karleken-sofieberg"].x > centre["centrum-ost"].x
    assert centre["karleken-sofieberg"].y > centre["centrum-ost"].y
    assert centre["furet-frennarp"].y < centre["centrum-ost"].y


def test_named_places_match_themselves() -> None:
    index = PlaceIndex(PLACE_PAIRS)
    points = [(name, g["coordinates"]) for name, g in PLACE_PAIRS if g["type"] == "Point"]
    assert index.assign([c[1] for _, c in points], [c[0] for _, c in points]) == [name for name, _ in points]


def test_random_points_stay_in_their_area() -> None:
    rng = np.random.default_rng(2023)
    index = AreaIndex(AREA_PAIRS)
    for code, geometry in AREA_PAIRS:
        points = [random_point_in_area(rng, geometry) for _ in range(20)]
        assert index.assign([p[0] for p in points], [p[1] for p in points]) == [code] * 20
