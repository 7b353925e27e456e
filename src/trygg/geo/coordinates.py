"""WGS84 coordinate checks and the projection to SWEREF 99 TM (EPSG:3006), where all metric work happens."""

from __future__ import annotations

from functools import cache

import numpy as np
from numpy.typing import ArrayLike, NDArray
from pyproj import Transformer

FloatArray = NDArray[np.float64]

# Generous box around Sweden (decimal degrees): catches pins in the wrong country or with swapped axes.
SWEDEN_LAT = (55.0, 69.5)
SWEDEN_LON = (10.5, 24.5)


def checked_lat_lon(lat: ArrayLike, lon: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Return ``lat`` and ``lon`` as 1-D float64 arrays of decimal degrees (WGS84).

    Raises ``ValueError`` when the two differ in length, are not numbers, are not finite (NaN, infinity),
    or lie outside latitude -90..90 or longitude -180..180. Empty input gives two empty arrays.
    """
    try:
        lat_a = np.atleast_1d(np.asarray(lat, dtype=np.float64))
        lon_a = np.atleast_1d(np.asarray(lon, dtype=np.float64))
    except (TypeError, ValueError) as exc:
        raise ValueError(f"Latitude and longitude must be numbers in decimal degrees ({exc}).") from exc
    if lat_a.ndim != 1 or lon_a.ndim != 1:
        raise ValueError("Latitude and longitude must be one-dimensional sequences of numbers.")
    if lat_a.shape != lon_a.shape:
        raise ValueError(f"There are {lat_a.size} latitudes but {lon_a.size} longitudes; every point needs both.")
    if not (np.isfinite(lat_a).all() and np.isfinite(lon_a).all()):
        raise ValueError("Latitude and longitude must be finite numbers (no NaN or infinity).")
    if lat_a.size and (np.abs(lat_a).max() > 90.0 or np.abs(lon_a).max() > 180.0):
        raise ValueError("Latitude must lie between -90 and 90 and longitude between -180 and 180 degrees.")
    return lat_a, lon_a


@cache
def _transformer(source: str, target: str) -> Transformer:
    # Transformer objects are thread-safe since pyproj 3.1 and costly to build, so one per direction is enough.
    return Transformer.from_crs(source, target, always_xy=True)


def to_sweref(lat: ArrayLike, lon: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Project WGS84 decimal degrees to SWEREF 99 TM; return ``(easting, northing)`` in metres.

    Input is checked with :func:`checked_lat_lon`. SWEREF 99 TM is defined for Sweden; points far outside it are
    projected too, but distances there grow increasingly distorted.
    """
    lat_a, lon_a = checked_lat_lon(lat, lon)
    east, north = _transformer("EPSG:4326", "EPSG:3006").transform(lon_a, lat_a)
    return np.asarray(east, dtype=np.float64), np.asarray(north, dtype=np.float64)


def to_wgs84(east: ArrayLike, north: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Inverse of :func:`to_sweref`: SWEREF 99 TM metres to ``(lat, lon)`` in WGS84 decimal degrees.

    Raises ``ValueError`` for differing lengths or non-finite values.
    """
    east_a = np.atleast_1d(np.asarray(east, dtype=np.float64))
    north_a = np.atleast_1d(np.asarray(north, dtype=np.float64))
    if east_a.shape != north_a.shape or east_a.ndim != 1:
        raise ValueError("Easting and northing must be one-dimensional sequences of the same length.")
    if not (np.isfinite(east_a).all() and np.isfinite(north_a).all()):
        raise ValueError("Easting and northing must be finite numbers (no NaN or infinity).")
    lon, lat = _transformer("EPSG:3006", "EPSG:4326").transform(east_a, north_a)
    return np.asarray(lat, dtype=np.float64), np.asarray(lon, dtype=np.float64)
