"""Place mentions: each respondent's free text coded to the organisation's gazetteer, and their pins placed.

One query layer for the CLI, the results page and (later) the API. A mention count is the number of respondents who
named the place at least once, in words or with a pin on a named place; `pins` counts the pins placed there.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from trygg.areas.models import Organisation
from trygg.geo import AreaIndex, PlaceIndex
from trygg.surveys.models import Survey
from trygg.text import Gazetteer, GazetteerEntry, code_mentions


def organisation_gazetteer(org: Organisation) -> Gazetteer:
    """The organisation's areas and named places (with aliases), plus the built-in themes."""
    entries = [GazetteerEntry(code, name, "area", ()) for code, name in org.areas.values_list("code", "name")]
    entries += [GazetteerEntry(slug, name, kind, tuple(aliases))
                for slug, name, kind, aliases in org.places.values_list("slug", "name", "kind", "aliases")]
    return Gazetteer(entries)


def survey_mentions(survey: Survey) -> dict[str, Any]:
    """Counts per place, most named first, in the JSON shape of the CLI contract."""
    org = survey.organisation
    gazetteer = organisation_gazetteer(org)
    names = {e.slug: (e.name, e.kind) for e in gazetteer.entries}
    place_geometries = [(slug, geometry) for slug, geometry in org.places.exclude(geometry=None)
                        .values_list("slug", "geometry")]
    area_geometries = [(code, geometry) for code, geometry in org.areas.exclude(geometry=None)
                       .values_list("code", "geometry")]
    # A pin near Stora torg is about Stora torg, not the city-core polygon around it: spots before regions.
    spots = [(s, g) for s, g in place_geometries if g.get("type") not in ("Polygon", "MultiPolygon")]
    regions = [(s, g) for s, g in place_geometries if g.get("type") in ("Polygon", "MultiPolygon")]
    place_indexes = [PlaceIndex(group) for group in (spots, regions) if group]
    area_index = AreaIndex(area_geometries) if area_geometries else None
    respondents: Counter[str] = Counter()
    pins: Counter[str] = Counter()
    for answers in survey.responses.values_list("answers", flat=True).iterator(chunk_size=2000):
        named: set[str] = set()
        text = answers.get("unsafe_places_text")
        if text:
            named |= code_mentions(text, gazetteer).slugs
        points = answers.get("unsafe_places_pins") or []
        if points:
            lat = [float(p[0]) for p in points]
            lon = [float(p[1]) for p in points]
            at_place: list[str | None] = [None] * len(points)
            for index in place_indexes:
                at_place = [a or b for a, b in zip(at_place, index.assign(lat, lon), strict=True)]
            in_area = area_index.assign(lat, lon) if area_index else [None] * len(points)
            for place, area in zip(at_place, in_area, strict=True):
                # A pin on a named place names it; a pin elsewhere is counted for its area's map only.
                if place is not None:
                    named.add(place)
                    pins[place] += 1
                elif area is not None:
                    pins[area] += 1
        respondents.update(named)
    slugs = sorted(set(respondents) | set(pins), key=lambda s: (-respondents[s], -pins[s], s))
    return {"survey": survey.slug, "mentions": [
        {"slug": s, "name": names[s][0], "kind": names[s][1], "respondents": respondents[s], "pins": pins[s]}
        for s in slugs if s in names]}
