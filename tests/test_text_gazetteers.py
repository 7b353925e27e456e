"""Gazetteers the text tests read: Halmstad (areas of the seed + the demo's places) and Laholm (its own file).

The Django import of the same files is the lead's; these loaders are deliberately plain so the engine's tests need
nothing but the files.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from trygg.text import Gazetteer, GazetteerEntry, slugify

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data" / "text"
HALMSTAD_PLACES = ROOT / "src" / "trygg" / "demo" / "data" / "halmstad_places.geojson"
HALMSTAD_AREAS = (
    ("andersberg", "Andersberg"),
    ("vallas", "Vallås"),
    ("nyhem-linehed", "Nyhem/Linehed"),
    ("centrum-ost", "Centrum öst"),
    ("ostra-stranden", "Östra stranden"),
    ("centrum-vast", "Centrum väst"),
    ("rotorp", "Rotorp"),
    ("sondrum", "Söndrum"),
    ("furet-frennarp", "Furet/Frennarp"),
    ("karleken-sofieberg", "Kärleken/Sofieberg"),
    ("ovriga", "Övriga kommunen"),
)


def load_geojson_places(path: Path) -> list[GazetteerEntry]:
    """Named places of a GeoJSON file: properties name, kind, aliases separated by "|"; slug = slugify(name)."""
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    entries = []
    for feature in features:
        props = feature["properties"]
        aliases = tuple(a.strip() for a in (props.get("aliases") or "").split("|") if a.strip())
        kind = "theme" if props.get("kind") == "theme" else "place"
        entries.append(GazetteerEntry(slugify(props["name"]), props["name"], kind, aliases))
    return entries


def halmstad_entries() -> list[GazetteerEntry]:
    areas = [GazetteerEntry(code, name, "area") for code, name in HALMSTAD_AREAS]
    # The places file carries the town's own words for "everywhere" as a theme entry that joins `overallt`.
    return [*areas, *load_geojson_places(HALMSTAD_PLACES)]


def laholm_entries() -> list[GazetteerEntry]:
    """Laholm's gazetteer file, with its own aliases."""
    return municipality_entries("laholm_gazetteer.json")


def vaxjo_entries() -> list[GazetteerEntry]:
    """Växjö's gazetteer file (same shape as Laholm's): official names only, made by data/text/make_vaxjo.py."""
    return municipality_entries("vaxjo_gazetteer.json")


def municipality_entries(name: str) -> list[GazetteerEntry]:
    """A gazetteer file: {"town": …, "areas": [{code, name, aliases}], "places": [{name, aliases}], "everywhere"}."""
    data = json.loads((DATA / name).read_text(encoding="utf-8"))
    entries = [GazetteerEntry(a["code"], a["name"], "area", tuple(a.get("aliases", ()))) for a in data["areas"]]
    entries += [
        GazetteerEntry(slugify(p["name"]), p["name"], "place", tuple(p.get("aliases", ()))) for p in data["places"]
    ]
    if data.get("everywhere"):
        entries.append(GazetteerEntry("overallt", "Överallt", "theme", tuple(data["everywhere"])))
    return entries


def halmstad_gazetteer() -> Gazetteer:
    return Gazetteer(halmstad_entries())


def laholm_gazetteer() -> Gazetteer:
    return Gazetteer(laholm_entries())


def vaxjo_gazetteer() -> Gazetteer:
    return Gazetteer(vaxjo_entries())


def load_labelled(name: str) -> list[tuple[str, frozenset[str], str]]:
    """Rows of a labelled CSV (text, slugs separated by "|", note) as (text, true slugs, note)."""
    with (DATA / name).open(encoding="utf-8", newline="") as f:
        return [
            (row["text"], frozenset(s for s in row["slugs"].split("|") if s), row.get("note") or "")
            for row in csv.DictReader(f)
        ]


def test_halmstad_gazetteer_has_areas_places_and_themes() -> None:
    gaz = halmstad_gazetteer()
    slugs = {e.slug for e in gaz.entries}
    assert {"andersberg", "stadskarnan", "stora-torg", "morka_platser", "overallt"} <= slugs
    assert {e.kind for e in gaz.entries} == {"area", "place", "theme"}


def test_laholm_gazetteer_has_its_own_areas_and_places() -> None:
    gaz = laholm_gazetteer()
    slugs = {e.slug for e in gaz.entries}
    assert {"laholm-centrum", "mellbystrand", "stortorget", "lagaholms-borgruin", "ranneslovs-station"} <= slugs
    assert "stadskarnan" not in slugs
