"""Writers for organisations, areas, gazetteer places and population margins. Each import is all rows or none."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.text import slugify as django_slugify
from django.utils.translation import gettext

from trygg import formatting
from trygg.accounts.actions import audit
from trygg.accounts.changes import changes, file_fingerprint, fingerprint
from trygg.areas.models import Area, Organisation, Place, PopulationMargin
from trygg.errors import InputError
from trygg.geo import AreaIndex, GeometryError, validate_geometry
from trygg.surveys.bank import load_bank
from trygg.tabular import read_table
from trygg.text import slugify

WEIGHTING_VARIABLES = ("area", "gender", "age_group")
# Twice Sweden's population: any larger count for one group is a typo or a wrong column.
MAX_POPULATION = 20_000_000


def _features(path: Path) -> list[tuple[int, dict[str, Any], dict[str, Any] | None]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(gettext("filen är inte giltig GeoJSON (%(reason)s)") % {"reason": exc}, file=path) from None
    except RecursionError:
        raise InputError(gettext("filen är för djupt nästlad för att vara GeoJSON"), file=path) from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise InputError(gettext("GeoJSON-filen ska vara en FeatureCollection"), file=path)
    out = []
    for index, feature in enumerate(data.get("features") or [], start=1):
        if not isinstance(feature, dict) or not isinstance(feature.get("properties"), dict):
            raise InputError(gettext("objektet saknar properties"), file=path, row=index)
        out.append((index, feature["properties"], feature.get("geometry")))
    return out


def _checked_geometry(geometry: Any, label: str, path: Path, row: int, *, polygonal: bool) -> dict[str, Any] | None:
    """The feature's geometry if it is usable (None stays None); InputError naming the row otherwise."""
    if geometry is None:
        return None
    try:
        validate_geometry(label, geometry, polygonal=polygonal)
    except GeometryError as exc:
        raise InputError(f"{label}: {_geometry_problem(exc)}", file=path, row=row, column="geometry") from None
    return dict(geometry)


def _geometry_problem(exc: GeometryError) -> str:
    """The geo engine's refusal in the active language (the engine words it in English)."""
    values = {k: formatting.decimal(v, 2) if isinstance(v, float) else v for k, v in exc.values.items()}
    texts = {
        "type": gettext("geometritypen är %(type)r, men den ska vara en av %(allowed)s"),
        "unreadable": gettext("geometrin är inte läsbar GeoJSON (%(reason)s)"),
        "empty": gettext("geometrin har inga koordinater"),
        "not_degrees": gettext("koordinaterna är inte longitud och latitud i decimala grader (WGS84), som GeoJSON "
                               "kräver; koordinater i meter (som SWEREF 99 TM) måste räknas om först"),
        "swapped": gettext("koordinaterna ser ut som latitud, longitud; GeoJSON anger longitud först ([12.86, 56.67] "
                           "för Halmstad), så byt plats på dem"),
        "outside_sweden": gettext("koordinaterna ligger utanför Sverige (longitud %(min_lon)s–%(max_lon)s, latitud "
                                  "%(min_lat)s–%(max_lat)s)"),
        "invalid": gettext("geometrin är inte giltig (%(reason)s); en vanlig orsak är en gräns som korsar sig själv"),
        "not_a_number": gettext("en koordinat är %(value)r, inget tal"),
        "too_deep": gettext("koordinaterna är nästlade djupare än någon GeoJSON-geometri"),
        "open_ring": gettext("en polygonring är inte sluten (dess sista position ska upprepa den första)"),
    }
    return texts[exc.problem] % values


def _no_column(column: str) -> str:
    return gettext("rubrikraden har ingen kolumn %(column)r") % {"column": column}


def _required(value: Any, path: Path, row: int, column: str) -> str:
    text = str(value).strip() if value is not None else ""
    if not text:
        raise InputError(gettext("cellen är tom"), file=path, row=row, column=column)
    return text


def read_areas(path: str | Path) -> list[dict[str, Any]]:
    """Areas from CSV `code,name` or GeoJSON (properties code, name); validated, nothing stored."""
    path = Path(path)
    if path.suffix.lower() in (".geojson", ".json"):
        records = [(i, props, geom) for i, props, geom in _features(path)]
    else:
        table = read_table(path)
        for column in ("code", "name"):
            if column not in table.header:
                raise InputError(_no_column(column), file=path, column=column)
        records = [(i, row, None) for i, row in enumerate(table.rows, start=1)]
    areas: list[dict[str, Any]] = []
    seen: set[str] = set()
    for row, props, geometry in records:
        code = _required(props.get("code"), path, row, "code")
        if code != django_slugify(code) or code in load_bank("standard-v1").by_id["area"].codes:
            raise InputError(gettext("områdeskoden %(code)r ska vara små bokstäver, siffror och '-', och inte 'annat'")
                             % {"code": code}, file=path, row=row, column="code")
        if code in seen:
            raise InputError(gettext("områdeskoden %(code)r står två gånger") % {"code": code}, file=path, row=row,
                             column="code")
        seen.add(code)
        geometry = _checked_geometry(geometry, gettext("område %(code)r") % {"code": code}, path, row, polygonal=True)
        areas.append({"code": code, "name": _required(props.get("name"), path, row, "name"), "geometry": geometry,
                      "schematic": bool(props.get("schematic", False))})
    with_geometry = [(a["code"], a["geometry"]) for a in areas if a["geometry"]]
    if with_geometry:
        try:
            AreaIndex(with_geometry)
        except ValueError as exc:
            raise InputError(str(exc), file=path, column="geometry") from None
    return areas


@transaction.atomic
def do_create_organisation(slug: str, name: str, *, kommun_code: str = "", police_area: str = "",
                           areas_file: str | Path | None = None, synthetic: bool = False,
                           actor: User | None = None) -> Organisation:
    if slug != django_slugify(slug) or not slug:
        raise InputError(gettext("kortnamnet %(slug)r ska vara små bokstäver, siffror och '-'") % {"slug": slug})
    if Organisation.objects.filter(slug=slug).exists():
        raise InputError(gettext("organisationen %(slug)r finns redan") % {"slug": slug})
    if kommun_code and not (len(kommun_code) == 4 and kommun_code.isdigit()):
        raise InputError(gettext("kommunkoden %(code)r ska vara fyra siffror, som SCB:s (Halmstad: 1380)")
                         % {"code": kommun_code})
    areas = read_areas(areas_file) if areas_file else []
    org = Organisation.objects.create(slug=slug, name=name, kommun_code=kommun_code, police_area=police_area,
                                      synthetic=synthetic)
    Area.objects.bulk_create(Area(organisation=org, **a) for a in areas)
    audit("organisation_created", organisation=org, actor=actor, slug=slug, areas=len(areas),
          **changes({}, {"name": name, "areas": len(areas)}))
    return org


def read_places(path: str | Path) -> list[dict[str, Any]]:
    """Gazetteer entries from CSV `name,kind,aliases` (aliases separated by |) or GeoJSON with those properties."""
    path = Path(path)
    if path.suffix.lower() in (".geojson", ".json"):
        records = _features(path)
    else:
        table = read_table(path)
        if "name" not in table.header:
            raise InputError(_no_column("name"), file=path, column="name")
        records = [(i, row, None) for i, row in enumerate(table.rows, start=1)]
    places: list[dict[str, Any]] = []
    seen: set[str] = set()
    for row, props, geometry in records:
        name = _required(props.get("name"), path, row, "name")
        kind = str(props.get("kind") or "place").strip()
        if kind not in Place.Kind.values:
            raise InputError(gettext("%(kind)r är inget slag av plats; välj en av %(allowed)s")
                             % {"kind": kind, "allowed": ", ".join(Place.Kind.values)}, file=path, row=row,
                             column="kind")
        slug = slugify(name)
        if not slug or slug in seen:
            raise InputError(gettext("namnet %(name)r är tomt eller står två gånger") % {"name": name}, file=path,
                             row=row, column="name")
        seen.add(slug)
        geometry = _checked_geometry(geometry, gettext("plats %(name)r") % {"name": name}, path, row, polygonal=False)
        raw_aliases = props.get("aliases") or ""
        aliases = raw_aliases if isinstance(raw_aliases, list) else str(raw_aliases).split("|")
        places.append({"slug": slug, "name": name, "kind": kind, "geometry": geometry,
                       "aliases": [a.strip() for a in aliases if str(a).strip()]})
    return places


@transaction.atomic
def do_import_places(org: Organisation, path: str | Path, actor: User | None = None) -> int:
    """Add or replace named places by slug; returns how many were read."""
    places = read_places(path)
    before = _places_state(org)
    for place in places:
        Place.objects.update_or_create(organisation=org, slug=place.pop("slug"), defaults=place)
    after = _places_state(org)
    audit("places_imported", organisation=org, actor=actor, file=Path(path).name, places=len(places),
          fingerprint=file_fingerprint(path), added=len(after.keys() - before.keys()),
          changed=sum(1 for slug in before if before[slug] != after[slug]),
          **changes(_places_summary(before), _places_summary(after)))
    return len(places)


def _places_state(org: Organisation) -> dict[str, tuple[Any, ...]]:
    return {slug: tuple(rest) for slug, *rest in Place.objects.filter(organisation=org).order_by("slug").values_list(
        "slug", "name", "kind", "aliases", "geometry")}


def _places_summary(state: dict[str, tuple[Any, ...]]) -> dict[str, Any]:
    """An audit event's before or after of the gazetteer: how many places and aliases, and their fingerprint."""
    return {"places": len(state), "aliases": sum(len(aliases) for _name, _kind, aliases, _geometry in state.values()),
            "fingerprint": fingerprint(sorted(state.items()))}


def _margins_summary(org: Organisation) -> dict[str, Any]:
    rows = list(PopulationMargin.objects.filter(organisation=org).order_by("variable", "category")
                .values_list("variable", "category", "count"))
    # Every variable sums to the population (the import checks it): the first one's total is the population's.
    return {"margins": len(rows), "population": sum(n for v, _c, n in rows if v == rows[0][0]) if rows else None,
            "fingerprint": fingerprint(rows) if rows else None}


@transaction.atomic
def do_import_population(org: Organisation, path: str | Path, actor: User | None = None) -> int:
    """Population margins from CSV `variable,category,count`; replaces the organisation's margins."""
    path = Path(path)
    table = read_table(path)
    for column in ("variable", "category", "count"):
        if column not in table.header:
            raise InputError(_no_column(column), file=path, column=column)
    bank = load_bank("standard-v1")
    allowed = {"area": set(org.areas.values_list("code", flat=True)),
               "gender": set(bank.by_id["gender"].codes), "age_group": set(bank.by_id["age_group"].codes)}
    margins = []
    seen: set[tuple[str, str]] = set()
    for row, record in enumerate(table.rows, start=1):
        variable = _required(record.get("variable"), path, row, "variable")
        category = _required(record.get("category"), path, row, "category")
        if variable not in allowed:
            raise InputError(gettext("%(variable)r är ingen viktningsvariabel (använd %(allowed)s)")
                             % {"variable": variable, "allowed": ", ".join(WEIGHTING_VARIABLES)},
                             file=path, row=row, column="variable")
        if category not in allowed[variable]:
            raise InputError(gettext("%(category)r är ingen kategori av %(variable)s här (tillåtna: %(allowed)s)")
                             % {"category": category, "variable": variable,
                                "allowed": ", ".join(sorted(allowed[variable]))},
                             file=path, row=row, column="category")
        if (variable, category) in seen:
            raise InputError(gettext("%(variable)s=%(category)s står två gånger")
                             % {"variable": variable, "category": category}, file=path, row=row, column="category")
        seen.add((variable, category))
        raw = _required(record.get("count"), path, row, "count").replace(" ", "").replace("\u00a0", "")
        try:
            count = float(raw)
        except ValueError:
            raise InputError(gettext("%(value)r är inget tal") % {"value": raw}, file=path, row=row,
                             column="count") from None
        if not 0 < count <= MAX_POPULATION:
            raise InputError(gettext("antalet ska vara ett positivt antal personer upp till %(max)s, inte %(value)s")
                             % {"max": formatting.integer(MAX_POPULATION), "value": raw}, file=path, row=row,
                             column="count")
        margins.append(PopulationMargin(organisation=org, variable=variable, category=category, count=count))
    totals = {v: sum(m.count for m in margins if m.variable == v) for v in {m.variable for m in margins}}
    if totals and max(totals.values()) - min(totals.values()) > 1e-6 * max(totals.values()):
        described = ", ".join(f"{v} {formatting.integer(round(t))}" for v, t in sorted(totals.items()))
        raise InputError(gettext("marginalerna har olika summor (%(totals)s); varje variabel ska summera till "
                                 "befolkningen") % {"totals": described}, file=path)
    before = _margins_summary(org)
    PopulationMargin.objects.filter(organisation=org).delete()
    PopulationMargin.objects.bulk_create(margins)
    audit("population_imported", organisation=org, actor=actor, file=path.name, margins=len(margins),
          **changes(before, _margins_summary(org)))
    return len(margins)
