"""Turn a GeoJSON geometry dict into a checked shapely geometry, with errors that name the area or place."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import shapely
from shapely.errors import GEOSException
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from trygg.geo.coordinates import SWEDEN_LAT, SWEDEN_LON, FloatArray, to_sweref


class GeometryError(ValueError):
    """A geometry that cannot be used. ``str()`` is the English sentence naming the label; ``problem`` says which
    check failed and ``values`` its details, so an application can word it in another language."""

    def __init__(self, label: str, problem: str, values: Mapping[str, object], text: str) -> None:
        super().__init__(f"{label}: {text}")
        self.label = label
        self.problem = problem
        self.values = dict(values)


POLYGONAL = frozenset({"Polygon", "MultiPolygon"})
ANY_SHAPE = frozenset({"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"})


def geometry_from_geojson(label: str, geometry: Mapping[str, Any], kinds: frozenset[str]) -> BaseGeometry:
    """Build the shapely geometry of ``geometry`` (WGS84 longitude, latitude as GeoJSON prescribes).

    ``label`` names the owner in messages (``"Area 'andersberg'"``). Raises ``GeometryError`` (a ``ValueError``)
    when the dict is not GeoJSON, its type is not in ``kinds``, it is empty, a polygon ring is not closed, its
    coordinates are not longitude/latitude, they lie outside Sweden (with a hint when latitude and longitude are
    swapped), or it is invalid (a ring crossing itself, for instance).
    """
    kind = geometry.get("type") if isinstance(geometry, Mapping) else None
    if kind not in kinds:
        allowed = ", ".join(sorted(kinds))
        raise GeometryError(label, "type", {"type": kind, "allowed": allowed},
                            f"the geometry type is {kind!r}, but it must be one of {allowed}.")
    try:
        _refuse_non_numbers(label, geometry.get("coordinates"))
        _refuse_open_rings(label, kind, geometry.get("coordinates"))
        geom = shape(geometry)
    except (KeyError, TypeError, ValueError, IndexError, GEOSException, RecursionError) as exc:
        if isinstance(exc, GeometryError):
            raise
        reason = f"{exc.__class__.__name__}: {exc}"
        raise GeometryError(label, "unreadable", {"reason": reason},
                            f"the geometry is not readable GeoJSON ({reason}).") from exc
    if geom.is_empty:
        raise GeometryError(label, "empty", {}, "the geometry has no coordinates.")
    min_x, min_y, max_x, max_y = geom.bounds
    if not (np.isfinite(geom.bounds).all() and -180 <= min_x and max_x <= 180 and -90 <= min_y and max_y <= 90):
        raise GeometryError(label, "not_degrees", {},
                            "the coordinates are not longitude and latitude in decimal degrees (WGS84), as GeoJSON "
                            "requires; coordinates in metres (such as SWEREF 99 TM) must be converted first.")
    if not _inside(min_x, max_x, SWEDEN_LON) or not _inside(min_y, max_y, SWEDEN_LAT):
        if _inside(min_y, max_y, SWEDEN_LON) and _inside(min_x, max_x, SWEDEN_LAT):
            raise GeometryError(label, "swapped", {}, "the coordinates look like latitude, longitude; GeoJSON gives "
                                "longitude first ([12.86, 56.67] for Halmstad), so swap them.")
        box = {"min_lon": min_x, "max_lon": max_x, "min_lat": min_y, "max_lat": max_y}
        raise GeometryError(label, "outside_sweden", box, f"the coordinates lie outside Sweden (longitude "
                            f"{min_x:.2f}–{max_x:.2f}, latitude {min_y:.2f}–{max_y:.2f}).")
    if not geom.is_valid:
        reason = shapely.is_valid_reason(geom)
        raise GeometryError(label, "invalid", {"reason": reason}, f"the geometry is not valid ({reason}); a common "
                            "cause is a boundary that crosses itself.")
    return geom


def validate_geometry(label: str, geometry: Mapping[str, Any], *, polygonal: bool = False) -> None:
    """Raise ``ValueError`` naming ``label`` unless ``geometry`` is a usable GeoJSON shape in Sweden.

    ``polygonal`` asks for a Polygon or MultiPolygon (an area); otherwise any shape a named place may have.
    """
    geometry_from_geojson(label, geometry, POLYGONAL if polygonal else ANY_SHAPE)


def _inside(low: float, high: float, box: tuple[float, float]) -> bool:
    return box[0] <= low and high <= box[1]


def _refuse_non_numbers(label: str, coordinates: object) -> None:
    """Positions are numbers, nested at most four deep (a MultiPolygon); text, booleans or deeper nests are not."""
    if coordinates is None:
        return  # no coordinates at all: shapely's own message says so
    level: list[object] = [coordinates]
    for _ in range(5):
        if not level:
            return
        deeper: list[object] = []
        for item in level:
            if isinstance(item, list | tuple):
                deeper.extend(item)
            elif isinstance(item, bool) or not isinstance(item, int | float):
                raise GeometryError(label, "not_a_number", {"value": item}, f"a coordinate is {item!r}, not a number.")
        level = deeper
    if level:
        raise GeometryError(label, "too_deep", {}, "the coordinates are nested deeper than any GeoJSON geometry.")


def _refuse_open_rings(label: str, kind: object, coordinates: object) -> None:
    """A polygon ring must end where it starts (RFC 7946); an open ring is usually a cut-off file."""
    if kind == "Polygon":
        polygons = [coordinates]
    elif kind == "MultiPolygon" and isinstance(coordinates, list):
        polygons = coordinates
    else:
        return
    for polygon in polygons:
        if not isinstance(polygon, list):
            continue
        for ring in polygon:
            if isinstance(ring, list) and len(ring) >= 2 and ring[0] != ring[-1]:
                raise GeometryError(label, "open_ring", {},
                                    "a polygon ring is not closed (its last position must repeat its first).")


def geometry_to_sweref(geometry: BaseGeometry) -> BaseGeometry:
    """Project a longitude/latitude geometry to SWEREF 99 TM metres, vertex by vertex."""

    def project(lon_lat: FloatArray) -> FloatArray:
        east, north = to_sweref(lon_lat[:, 1], lon_lat[:, 0])
        return np.column_stack([east, north])

    return shapely.transform(geometry, project)
