"""The organisation's areas and named places as the survey form uses them, built once per change of them.

The form offers the areas (the area question) and the named places (instead of tapping the map), draws the areas'
outlines on the map step, and accepts pins only inside the municipality: the hull of the areas and places, widened by
about a kilometre. Reading the geometry and computing the hull and the places' points for every page and answer was
most of the form's work; it is done once per change of the areas and places in each process (trygg.surveys.orgcache).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from shapely.geometry import GeometryCollection, Polygon, shape
from shapely.geometry.base import BaseGeometry

from trygg.areas.models import Organisation
from trygg.surveys.orgcache import PerOrganisation

# About a kilometre (in degrees of latitude) around the organisation's areas and places counts as the municipality.
MUNICIPALITY_MARGIN_DEG = 0.01


@dataclass(frozen=True)
class FormPlaces:
    """Shared by every request of the process: read, never change.

    `areas`: (code, name) by name, the area question's own options. `pins`: the named places (points) and then the
    areas, each by name, as a resident may pick them instead of tapping the map: id ("p:slug" / "a:code"), name,
    lat, lon. `map_areas`: name and GeoJSON geometry of each area with one. `hull`: where pins are accepted, None
    when the organisation has no geometry (then any pin in Sweden is, as in an import); `outline` its exterior ring.
    `schematic`: some areas are drawn sketches, which the form must say.
    """

    areas: tuple[tuple[str, str], ...]
    pins: tuple[Mapping[str, Any], ...]
    map_areas: tuple[Mapping[str, Any], ...]
    hull: BaseGeometry | None
    outline: tuple[tuple[float, ...], ...] | None
    schematic: bool

    @property
    def area_codes(self) -> list[str]:
        return [code for code, _name in self.areas]


Geometry = dict[str, Any] | None
Rows = tuple[tuple[tuple[str, str, Geometry, bool], ...], tuple[tuple[str, str, Geometry], ...]]


def _rows(org: Organisation) -> Rows:
    areas = tuple(org.areas.order_by("name", "code").values_list("code", "name", "geometry", "schematic"))
    places = tuple(org.places.order_by("name", "slug").values_list("slug", "name", "geometry"))
    return areas, places


def _build(_org: Organisation, rows: Rows) -> FormPlaces:
    areas, places = rows
    pins: list[Mapping[str, Any]] = []
    for slug, name, geometry in places:
        if geometry and geometry.get("type") == "Point":
            lon, lat = geometry["coordinates"][:2]
            pins.append({"id": f"p:{slug}", "name": name, "lat": float(lat), "lon": float(lon)})
    for code, name, geometry, _schematic in areas:
        if geometry:
            point = shape(geometry).representative_point()
            pins.append({"id": f"a:{code}", "name": name, "lat": point.y, "lon": point.x})
    shapes = [shape(g) for *_, g, _s in areas if g] + [shape(g) for *_, g in places if g]
    hull = GeometryCollection(shapes).convex_hull.buffer(MUNICIPALITY_MARGIN_DEG) if shapes else None
    outline = tuple(tuple(c) for c in hull.exterior.coords) if isinstance(hull, Polygon) else None
    return FormPlaces(areas=tuple((code, name) for code, name, _g, _s in areas), pins=tuple(pins),
                      map_areas=tuple({"name": name, "geometry": g} for _c, name, g, _s in areas if g),
                      hull=hull, outline=outline, schematic=any(s for *_, s in areas))


_places = PerOrganisation(_rows, _build)


def form_places(org: Organisation, version: int | None = None) -> FormPlaces:
    """The organisation's areas and places for the form, as they are now (see PerOrganisation.get for `version`)."""
    return _places.get(org, version)
