"""Matching the places a promise names against the organisation's areas and named places (themes are not places)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from trygg.areas.models import Organisation, Place


@dataclass(frozen=True)
class PromisePlace:
    slug: str  # an area's code or a place's slug
    name: str
    kind: str  # "area" or "place"
    geometry: dict[str, Any] | None


def promise_places(org: Organisation) -> dict[str, PromisePlace]:
    """Every area and named place of the organisation by slug, areas first."""
    out = {code: PromisePlace(code, name, "area", geometry)
           for code, name, geometry in org.areas.order_by("name").values_list("code", "name", "geometry")}
    for slug, name, geometry in (org.places.filter(kind=Place.Kind.PLACE).order_by("name")
                                 .values_list("slug", "name", "geometry")):
        out.setdefault(slug, PromisePlace(slug, name, "place", geometry))
    return out


def place_lookup(org: Organisation) -> dict[str, str]:
    """Lower-cased names, aliases, slugs and codes → slug, for matching without regard to case."""
    lookup: dict[str, str] = {}
    for code, name in org.areas.values_list("code", "name"):
        lookup.setdefault(code.lower(), code)
        lookup.setdefault(name.casefold(), code)
    for slug, name, aliases in org.places.filter(kind=Place.Kind.PLACE).values_list("slug", "name", "aliases"):
        for key in (slug, name, *aliases):
            lookup.setdefault(str(key).casefold(), slug)
    return lookup


def area_lookup(org: Organisation) -> dict[str, str]:
    """Lower-cased area codes and names → code."""
    lookup: dict[str, str] = {}
    for code, name in org.areas.values_list("code", "name"):
        lookup[code.lower()] = code
        lookup.setdefault(name.casefold(), code)
    return lookup
