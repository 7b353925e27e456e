"""Places and areas with broken geometry are refused at the door, naming the file, row and column."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from trygg.areas.actions import do_create_organisation, do_import_places
from trygg.areas.models import Organisation, Place
from trygg.errors import InputError

GOOD = {"type": "Point", "coordinates": [12.857, 56.674]}


def collection(*geometries: Any) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": f"Plats {i}", "kind": "place"}, "geometry": g}
        for i, g in enumerate(geometries, start=1)]}


@pytest.mark.parametrize(("geometry", "swedish", "english"), [
    ("Point 12 56", "geometritypen är None, men den ska vara en av LineString", "the geometry type is None"),
    ({"type": "Point", "coordinates": ["12.8", "56.6"]}, "en koordinat är '12.8', inget tal",
     "a coordinate is '12.8', not a number"),
    ({"type": "Point", "coordinates": [12.8]}, "inte läsbar GeoJSON", "not readable GeoJSON"),
    ({"type": "Point", "coordinates": [float("nan"), 56.6]}, "inte longitud och latitud", "not longitude and latitude"),
    ({"type": "Point", "coordinates": [999, -999]}, "inte longitud och latitud", "not longitude and latitude"),
    ({"type": "Point", "coordinates": [56.674, 12.857]}, "ser ut som latitud, longitud",
     "look like latitude, longitude"),
    ({"type": "Point", "coordinates": [2.35, 48.85]}, "utanför Sverige (longitud 2,35–2,35, latitud 48,85–48,85)",
     "outside Sweden (longitude 2.35–2.35, latitude 48.85–48.85)"),
    ({"type": "Polygon", "coordinates": [[[12.8, 56.6], [12.9, 56.6], [12.9, 56.7]]]}, "inte sluten", "not closed"),
])
def test_a_bad_place_geometry_names_its_row_and_stores_nothing(halmstad: Organisation, tmp_path: Path,
                                                               geometry: Any, swedish: str, english: str) -> None:
    path = tmp_path / "platser.geojson"
    path.write_text(json.dumps(collection(GOOD, geometry)), encoding="utf-8")
    before = Place.objects.count()
    with pytest.raises(InputError) as err:
        do_import_places(halmstad, path)
    assert str(err.value).startswith("platser.geojson, rad 2, kolumn geometry: plats 'Plats 2': ")
    assert swedish in str(err.value)
    with translation.override("en"):
        with pytest.raises(InputError) as err:
            do_import_places(halmstad, path)
        assert str(err.value).startswith("platser.geojson, row 2, column geometry: Place 'Plats 2': ")
        assert english in str(err.value)
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
    with pytest.raises(InputError, match="omraden.geojson, rad 1, kolumn geometry: område 'norr': koordinaterna "
                                         "ser ut som latitud"):
        do_create_organisation("testkommun", "Testkommun", areas_file=path)
    assert not Organisation.objects.filter(slug="testkommun").exists()
