"""Places and areas with broken geometry are refused at the door, naming the file, row and column."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from trygg.areas.actions import do_create_organisation, do_import_places
from trygg.areas.models import Organisation, Place
from trygg.errors import InputError

GOOD = {"type": "Point", "coordinates": [12.857, 56.674]}


def collection(*geometries: Any) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": f"Plats {i}", "kind": "place"}, "geometry": g}
        for i, g in enumerate(geometries, start=1)]}


@pytest.mark.parametrize(("geometry", "message"), [
    ("Point 12 56", "the geometry type is None"),
    ({"type": "Point", "coordinates": ["12.8", "56.6"]}, "a coordinate is '12.8', not a number"),
    ({"type": "Point", "coordinates": [12.8]}, "not readable GeoJSON"),
    ({"type": "Point", "coordinates": [float("nan"), 56.6]}, "not longitude and latitude"),
    ({"type": "Point", "coordinates": [999, -999]}, "not longitude and latitude"),
    ({"type": "Point", "coordinates": [56.674, 12.857]}, "look like latitude, longitude"),
    ({"type": "Point", "coordinates": [2.35, 48.85]}, "outside Sweden"),
    ({"type": "Polygon", "coordinates": [[[12.8, 56.6], [12.9, 56.6], [12.9, 56.7]]]}, "not closed"),
])
def test_a_bad_place_geometry_names_its_row_and_stores_nothing(halmstad: Organisation, tmp_path: Path,
                                                               geometry: Any, message: str) -> None:
    path = tmp_path / "platser.geojson"
    path.write_text(json.dumps(collection(GOOD, geometry)), encoding="utf-8")
    before = Place.objects.count()
    with pytest.raises(InputError) as err:
        do_import_places(halmstad, path)
    assert str(err.value).startswith("platser.geojson, rad 2, kolumn geometry: Place 'Plats 2'")
    assert message in str(err.value)
    assert Place.objects.count() == before


def test_deeply_nested_geojson_is_a_clear_error(halmstad: Organisation, tmp_path: Path) -> None:
    path = tmp_path / "djup.geojson"
    path.write_text('{"type": "FeatureCollection", "features": ' + "[" * 200_000 + "]" * 200_000 + "}",
                    encoding="utf-8")
    with pytest.raises(InputError, match="djup.geojson: filen är för djupt nästlad"):
        do_import_places(halmstad, path)


def test_an_area_with_swapped_coordinates_names_its_row(db: Any, tmp_path: Path) -> None:
    ring = [[56.6, 12.8], [56.6, 12.9], [56.7, 12.9], [56.7, 12.8], [56.6, 12.8]]
    path = tmp_path / "omraden.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": "norr", "name": "Norr"},
         "geometry": {"type": "Polygon", "coordinates": [ring]}}]}), encoding="utf-8")
    with pytest.raises(InputError, match="omraden.geojson, rad 1, kolumn geometry: Area 'norr': the coordinates look"):
        do_create_organisation("testkommun", "Testkommun", areas_file=path)
    assert not Organisation.objects.filter(slug="testkommun").exists()
