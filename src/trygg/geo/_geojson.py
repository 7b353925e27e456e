"""Turn a GeoJSON geometry dict into a checked shapely geometry, with errors that name the area or place."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import shapely
from shapely.errors import GEOSException
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from trygg.geo.coordinates import FloatArray, to_sweref

POLYGONAL = frozenset({"Polygon", "MultiPolygon"})
ANY_SHAPE = frozenset({"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"})


def geometry_from_geojson(label: str, geometry: Mapping[str, Any], kinds: frozenset[str]) -> BaseGeometry:
    """Build the shapely geometry of ``geometry`` (WGS84 longitude, latitude as GeoJSON prescribes).

    ``label`` names the owner in messages (``"Area 'andersberg'"``). Raises ``ValueError`` when the dict is not
    GeoJSON, its type is not in ``kinds``, it is empty, its coordinates are not longitude/latitude, or it is
    invalid (a ring crossing itself, for instance).
    """
    kind = geometry.get("type") if isinstance(geometry, Mapping) else None
    if kind not in kinds:
        raise ValueError(f"{label}: the geometry type is {kind!r}, but it must be one of {', '.join(sorted(kinds))}.")
    try:
        geom = shape(geometry)
    except (KeyError, TypeError, ValueError, IndexError, GEOSException) as exc:
        raise ValueError(f"{label}: the geometry is not readable GeoJSON ({exc}).") from exc
    if geom.is_empty:
        raise ValueError(f"{label}: the geometry has no coordinates.")
    min_x, min_y, max_x, max_y = geom.bounds
    if not (np.isfinite(geom.bounds).all() and -180 <= min_x and max_x <= 180 and -90 <= min_y and max_y <= 90):
        raise ValueError(
            f"{label}: the coordinates are not longitude and latitude in decimal degrees (WGS84), as GeoJSON "
            "requires; coordinates in metres (such as SWEREF 99 TM) must be converted first."
        )
    if not geom.is_valid:
        raise ValueError(
            f"{label}: the geometry is not valid ({shapely.is_valid_reason(geom)}); a common cause is a boundary "
            "that crosses itself."
        )
    return geom


def geometry_to_sweref(geometry: BaseGeometry) -> BaseGeometry:
    """Project a longitude/latitude geometry to SWEREF 99 TM metres, vertex by vertex."""

    def project(lon_lat: FloatArray) -> FloatArray:
        east, north = to_sweref(lon_lat[:, 1], lon_lat[:, 0])
        return np.column_stack([east, north])

    return shapely.transform(geometry, project)
