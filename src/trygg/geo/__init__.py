"""Pure spatial engine: pins, areas, named places and hotspots (no Django).

Coordinates come in and go out as WGS84 decimal degrees (``lat``, ``lon``); GeoJSON geometries are WGS84
longitude/latitude as RFC 7946 prescribes. Everything measured in metres is computed in SWEREF 99 TM (EPSG:3006),
which needs no grid files, so it works offline.

Public API
----------
``parse_pins(value, *, max_pins=5) -> list[tuple[float, float]]``
    Parse the CSV form ``"lat lon;lat lon"`` of the ``unsafe_places_pins`` answer.
``format_pins(points) -> str``
    The inverse of ``parse_pins``.
``to_sweref(lat, lon) -> (east, north)`` and ``to_wgs84(east, north) -> (lat, lon)``
    Vectorised projection between WGS84 degrees and SWEREF 99 TM metres.
``checked_lat_lon(lat, lon) -> (lat, lon)``
    The input check every function here applies to coordinate arrays.
``AreaIndex(areas)`` with ``.assign(lat, lon) -> list[str | None]`` and ``.codes``
    Point-in-area for ``(code, GeoJSON polygon)`` pairs that must not overlap.
``PlaceIndex(places, max_distance_m=150.0)`` with ``.assign(lat, lon) -> list[str | None]`` and ``.names``
    The nearest named place (point, line or polygon) within a distance in metres.
``find_hotspots(lat, lon, *, eps_m=150.0, min_points=5) -> list[Hotspot]``
    Density clusters of pins; ``Hotspot(lat, lon, count, radius_m)``. Single pins are never returned.
``dbscan_labels(east, north, *, eps_m, min_points) -> ndarray``
    The DBSCAN labelling behind ``find_hotspots``, on coordinates in metres.
``random_point_in_area(rng, geometry) -> (lat, lon)``
    A uniform random point inside a GeoJSON polygon, for demo data.
``validate_geometry(label, geometry, *, polygonal=False)``
    Refuse a GeoJSON geometry that is unreadable, open, invalid, not longitude/latitude or outside Sweden, with a
    ``GeometryError`` (a ``ValueError``) whose ``problem`` and ``values`` let an application word it in its language.
``SWEDEN_LAT``, ``SWEDEN_LON``
    The box (decimal degrees) a pin must lie in.

Every function validates its input and raises ``ValueError`` with a message a coordinator can act on.
"""

from trygg.geo._geojson import GeometryError, validate_geometry
from trygg.geo.areas import AreaIndex, random_point_in_area
from trygg.geo.coordinates import SWEDEN_LAT, SWEDEN_LON, checked_lat_lon, to_sweref, to_wgs84
from trygg.geo.hotspots import Hotspot, dbscan_labels, find_hotspots
from trygg.geo.pins import PinError, format_pins, parse_pins
from trygg.geo.places import PlaceIndex

__all__ = [
    "SWEDEN_LAT",
    "SWEDEN_LON",
    "AreaIndex",
    "GeometryError",
    "PinError",
    "Hotspot",
    "PlaceIndex",
    "checked_lat_lon",
    "dbscan_labels",
    "find_hotspots",
    "format_pins",
    "parse_pins",
    "random_point_in_area",
    "to_sweref",
    "to_wgs84",
    "validate_geometry",
]
