"""Point-in-area assignment for an organisation's areas, and random points inside an area for demo data."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray
from shapely.geometry.base import BaseGeometry

from trygg.geo._geojson import POLYGONAL, geometry_from_geojson, geometry_to_sweref
from trygg.geo.coordinates import FloatArray, checked_lat_lon

# Boundaries digitised separately rarely meet exactly; slivers below this are not real overlaps.
OVERLAP_TOLERANCE_M2 = 1.0
_SAMPLE_BATCH = 256
_SAMPLE_BATCHES = 200


class AreaIndex:
    """Assigns WGS84 points to the one area that contains them.

    ``areas`` are ``(code, geometry)`` pairs, the geometry a GeoJSON ``Polygon`` or ``MultiPolygon`` dict in
    longitude/latitude. Raises ``ValueError`` when a code is empty or repeated, when a geometry is unreadable or
    invalid (the message names the area code), or when two areas overlap by more than
    :data:`OVERLAP_TOLERANCE_M2` square metres — overlapping areas would make the assignment ambiguous.
    No areas is allowed; every point is then unassigned.
    """

    def __init__(self, areas: Sequence[tuple[str, Mapping[str, Any]]]) -> None:
        codes: list[str] = []
        geometries: list[BaseGeometry] = []
        for code, geometry in areas:
            if not isinstance(code, str) or not code.strip():
                raise ValueError(f"Every area needs a non-empty code; got {code!r}.")
            if code in codes:
                raise ValueError(f"Area code {code!r} occurs more than once; codes must be unique.")
            codes.append(code)
            geometries.append(geometry_from_geojson(f"Area {code!r}", geometry, POLYGONAL))
        _refuse_overlaps(codes, geometries)
        for geometry in geometries:
            shapely.prepare(geometry)
        self._codes = tuple(codes)
        self._geometries = tuple(geometries)

    @property
    def codes(self) -> tuple[str, ...]:
        """The area codes in the order given."""
        return self._codes

    def assign(self, lat: ArrayLike, lon: ArrayLike) -> list[str | None]:
        """Return the code of the area containing each point (decimal degrees, WGS84), or ``None`` outside all.

        A point inside a hole belongs to whichever area fills the hole, not to the area with the hole. A point on
        a boundary counts as inside; on a boundary shared by two areas it goes to the one listed first.
        Input is checked as in :func:`trygg.geo.coordinates.checked_lat_lon`; no points give ``[]``.
        """
        lat_a, lon_a = checked_lat_lon(lat, lon)
        found = self._area_numbers(lat_a, lon_a)
        codes: list[str | None] = [*self._codes, None]
        return [codes[number] for number in found.tolist()]

    def _area_numbers(self, lat: FloatArray, lon: FloatArray) -> NDArray[np.intp]:
        # Looping over areas with a bounding-box prefilter beats an STRtree query for the tens to hundreds of
        # areas an organisation has, because it avoids building a shapely point object per pin.
        unassigned = len(self._codes)
        found = np.full(lat.shape, unassigned, dtype=np.intp)
        for number, geometry in enumerate(self._geometries):
            min_x, min_y, max_x, max_y = geometry.bounds
            candidates = np.flatnonzero((lon >= min_x) & (lon <= max_x) & (lat >= min_y) & (lat <= max_y))
            candidates = candidates[found[candidates] == unassigned]
            inside = shapely.intersects_xy(geometry, lon[candidates], lat[candidates])
            found[candidates[inside]] = number
        return found


def random_point_in_area(rng: np.random.Generator, geometry: Mapping[str, Any]) -> tuple[float, float]:
    """Draw one ``(lat, lon)`` uniformly (in degrees) from a GeoJSON ``Polygon`` or ``MultiPolygon``.

    Rejection sampling in the bounding box, so the result depends only on ``rng``'s state. Raises ``ValueError``
    for an invalid geometry, or when the area fills so little of its bounding box that 51,200 draws all miss.
    """
    area = geometry_from_geojson("Area", geometry, POLYGONAL)
    shapely.prepare(area)
    min_x, min_y, max_x, max_y = area.bounds
    for _ in range(_SAMPLE_BATCHES):
        lon = rng.uniform(min_x, max_x, _SAMPLE_BATCH)
        lat = rng.uniform(min_y, max_y, _SAMPLE_BATCH)
        hits = np.flatnonzero(shapely.contains_xy(area, lon, lat))
        if hits.size:
            return float(lat[hits[0]]), float(lon[hits[0]])
    raise ValueError("The area is too thin to sample: it fills almost none of its bounding box.")


def _refuse_overlaps(codes: Sequence[str], geometries: Sequence[BaseGeometry]) -> None:
    if len(geometries) < 2:
        return
    tree = shapely.STRtree(geometries)
    first, second = tree.query(geometries, predicate="intersects")
    for i, j in zip(first.tolist(), second.tolist(), strict=True):
        if i >= j:
            continue
        overlap = geometry_to_sweref(geometries[i].intersection(geometries[j])).area
        if overlap > OVERLAP_TOLERANCE_M2:
            raise ValueError(
                f"Areas {codes[i]!r} and {codes[j]!r} overlap by about {overlap:,.0f} square metres; areas must not "
                "overlap, or a point could belong to both."
            )
