"""Match pins to an organisation's named places (points, streets, squares, districts) by distance in metres."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import shapely
from numpy.typing import ArrayLike
from shapely.geometry.base import BaseGeometry

from trygg.geo._geojson import ANY_SHAPE, geometry_from_geojson, geometry_to_sweref
from trygg.geo.coordinates import to_sweref


class PlaceIndex:
    """Assigns each pin to the nearest named place within ``max_distance_m`` metres.

    ``places`` are ``(name, geometry)`` pairs, the geometry any GeoJSON point, line or polygon (or their multi
    forms) in longitude/latitude. Distances are measured in SWEREF 99 TM metres, which in Sweden differ from
    distances on the ground by less than 0.1 %; a pin inside a polygon is at distance 0 from it.

    Raises ``ValueError`` when a name is empty or repeated, a geometry is unreadable or invalid (the message names
    the place), or ``max_distance_m`` is not a positive number. No places is allowed; every pin is then unmatched.
    """

    def __init__(self, places: Sequence[tuple[str, Mapping[str, Any]]], max_distance_m: float = 150.0) -> None:
        if not (math.isfinite(max_distance_m) and max_distance_m > 0):
            raise ValueError(f"The distance to a place must be a positive number of metres, not {max_distance_m!r}.")
        names: list[str] = []
        geometries: list[BaseGeometry] = []
        for name, geometry in places:
            if not isinstance(name, str) or not name.strip():
                raise ValueError(f"Every place needs a non-empty name; got {name!r}.")
            if name in names:
                raise ValueError(f"Place {name!r} occurs more than once; names must be unique.")
            names.append(name)
            geometries.append(geometry_to_sweref(geometry_from_geojson(f"Place {name!r}", geometry, ANY_SHAPE)))
        self._names = tuple(names)
        self._max_distance_m = float(max_distance_m)
        self._geometries = np.array(geometries, dtype=object)
        self._tree = shapely.STRtree(self._geometries)
        # Equally near places (a pin inside both a district and the square within it) go to the most specific
        # one: points before lines before polygons, smaller before larger, then the order given.
        self._specificity = np.argsort(
            np.lexsort((np.arange(len(names)), shapely.length(self._geometries), shapely.area(self._geometries)))
        )
        if geometries:
            min_e, min_n, max_e, max_n = shapely.total_bounds(geometries)
            margin = self._max_distance_m
            self._reach = (min_e - margin, min_n - margin, max_e + margin, max_n + margin)

    @property
    def names(self) -> tuple[str, ...]:
        """The place names in the order given."""
        return self._names

    @property
    def max_distance_m(self) -> float:
        """How far, in metres, a pin may lie from a place and still be assigned to it."""
        return self._max_distance_m

    def assign(self, lat: ArrayLike, lon: ArrayLike) -> list[str | None]:
        """Return the name of the nearest place within the distance for each pin (decimal degrees, WGS84).

        ``None`` where no place is that near. A pin exactly at the distance still matches. Distances are compared
        to the centimetre; ties go to the most specific place (see the class). Input is checked as in
        :func:`trygg.geo.coordinates.checked_lat_lon`; no pins give ``[]``.
        """
        east, north = to_sweref(lat, lon)
        result: list[str | None] = [None] * east.size
        if not self._names:
            return result
        min_e, min_n, max_e, max_n = self._reach
        # Most pins in a municipality are far from every named place; skip them before building shapely points.
        near = np.flatnonzero((east >= min_e) & (east <= max_e) & (north >= min_n) & (north <= max_n))
        pins_near = shapely.points(east[near], north[near])
        pins, places = self._tree.query(pins_near, predicate="dwithin", distance=self._max_distance_m)
        distances = shapely.distance(pins_near[pins], self._geometries[places])
        # Compared to the centimetre, so projection round-off cannot decide between a street a pin lies on and
        # the district it lies in.
        order = np.lexsort((self._specificity[places], np.round(distances, 2), pins))
        pins, places = pins[order], places[order]
        _, first = np.unique(pins, return_index=True)
        for pin, place in zip(near[pins[first]].tolist(), places[first].tolist(), strict=True):
            result[pin] = self._names[place]
        return result
