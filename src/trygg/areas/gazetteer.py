"""An organisation's gazetteer (its areas, named places with aliases, and the built-in themes) and their shapes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from trygg.areas.models import Organisation
from trygg.text import Gazetteer, GazetteerEntry


def organisation_gazetteer(org: Organisation) -> Gazetteer:
    """The organisation's areas and named places (with aliases), plus the built-in themes."""
    entries = [GazetteerEntry(code, name, "area", ()) for code, name in org.areas.values_list("code", "name")]
    for slug, name, kind, aliases in org.places.values_list("slug", "name", "kind", "aliases"):
        entries.append(GazetteerEntry(slug, name, "theme" if kind == "theme" else "place", tuple(aliases)))
    return Gazetteer(entries)


def with_geometry(rows: Iterable[tuple[str, dict[str, Any] | None]]) -> list[tuple[str, dict[str, Any]]]:
    """(key, GeoJSON geometry) pairs, leaving out entries that have no geometry."""
    return [(key, geometry) for key, geometry in rows if geometry is not None]
