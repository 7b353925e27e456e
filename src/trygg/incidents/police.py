"""Pure parsing of the police's open events (polisen.se/api/events) and of own incident reports — no database;
Django only translates the messages.

The events API serves a JSON array, newest first, of ``{id, datetime, name, summary, url, type, location: {name,
gps}}``. ``datetime`` is when the event was *published* (``2024-05-01 0:30:07 +02:00``: the hour without a leading
zero, the offset of Swedish summer or winter time). The incident's own time starts ``name`` (``"30 april 23.40,
Misshandel, Borås"``) in Swedish local time and without a year, which :func:`incident_time` infers from the
publication. ``location`` is a municipality's or a county's centre; for a county (``… län``) the municipality is the
last comma-separated part of ``name``.

Every time returned here is an aware datetime in Europe/Stockholm, so ``.date()`` and ``.month`` are the Swedish
local day and month (an incident at 00:30 on 1 May is a May incident).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from functools import cached_property
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.translation import gettext

from trygg.errors import InputError

STOCKHOLM = ZoneInfo("Europe/Stockholm")
MONTHS = {name: number for number, name in enumerate(
    ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november",
     "december"), start=1)}
SUMMARY_PREFIX = "Sammanfattning"
NOTICE_TYPES = frozenset({"Övrigt", "Information", "Uppdatering", "Trafikkontroll", "Tillfälligt obemannat"})
FIELDS = ("id", "datetime", "name", "summary", "url", "type", "location")
# An incident time later than its publication by more than this belongs to the year before (the police do not
# announce incidents in advance; a day covers clocks that disagree and events published a little early).
FUTURE_TOLERANCE = timedelta(days=1)

_PUBLISHED = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?\s*(Z|[+-]\d{1,2}:?\d{2})$")
_NAME_TIME = re.compile(r"^\s*(\d{1,2})\s+([a-zåäö]+)(?:\s+(\d{1,2})[.:](\d{2}))?\s*,", re.IGNORECASE)


def is_summary(event_type: str) -> bool:
    """Every type that begins ``Sammanfattning`` (natt, kväll och natt, dag, helg, vecka, …) sums up others."""
    return event_type.strip().startswith(SUMMARY_PREFIX)


def is_notice(event_type: str) -> bool:
    """Notices that are not incidents: ``Övrigt``, ``Information``, ``Uppdatering``, ``Trafikkontroll``, …"""
    return event_type.strip() in NOTICE_TYPES


def is_incident_type(event_type: str) -> bool:
    """A type counted as an incident: neither a summary nor a notice."""
    return bool(event_type.strip()) and not is_summary(event_type) and not is_notice(event_type)


def is_county(place: str) -> bool:
    """``Hallands län``, ``Västra Götalands län``: a county, not a municipality."""
    return place.strip().lower().endswith(" län")


def same_place(a: str, b: str) -> bool:
    """Place names compared as the police and an organisation may write them: case and spacing ignored."""
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def parse_published(text: str) -> datetime:
    """The API's ``datetime`` (``2024-05-01 0:30:07 +02:00``; ISO 8601 is accepted too) as Stockholm time.

    Raises ``ValueError`` on anything else.
    """
    match = _PUBLISHED.match(text.strip())
    if not match:
        raise ValueError(gettext("%(text)r är ingen tid som 2024-05-01 0:30:07 +02:00") % {"text": text})
    year, month, day, hour, minute, second, offset = match.groups()
    if offset == "Z":
        tz = UTC
    else:
        sign = -1 if offset[0] == "-" else 1
        digits = offset[1:].replace(":", "")
        hours, minutes = (int(digits[:-2]), int(digits[-2:]))
        tz = timezone(sign * timedelta(hours=hours, minutes=minutes))
    moment = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0), tzinfo=tz)
    return moment.astimezone(STOCKHOLM)


def incident_time(name: str, published: datetime) -> datetime:
    """The incident time at the start of ``name`` (``30 april 23.40, …``), its year inferred from ``published``.

    The year is the latest one that puts the incident no later than a day after its publication: an incident on
    31 December published on 1 January belongs to the old year; 29 February skips years without one. A name
    without a clock time (``06 juni, …``) gives midnight. Raises ``ValueError`` when the name has no date.
    """
    match = _NAME_TIME.match(name)
    if not match or match.group(2).lower() not in MONTHS:
        raise ValueError(gettext("namnet %(name)r börjar inte med ett datum som '30 april 23.40,'") % {"name": name})
    day, month = int(match.group(1)), MONTHS[match.group(2).lower()]
    clock = time(int(match.group(3)), int(match.group(4))) if match.group(3) else time(0, 0)
    if clock.hour > 23:
        raise ValueError(gettext("namnet %(name)r har inget giltigt klockslag") % {"name": name})
    published = published.astimezone(STOCKHOLM)
    for year in range(published.year + 1, published.year - 5, -1):
        try:
            candidate = datetime.combine(date(year, month, day), clock, tzinfo=STOCKHOLM)
        except ValueError:
            continue
        if candidate <= published + FUTURE_TOLERANCE:
            return candidate
    raise ValueError(gettext("namnet %(name)r har inget giltigt datum") % {"name": name})


def municipality_of(name: str, location_name: str) -> str:
    """``location.name``, or, where that is a county, the last comma-separated part of ``name``.

    A county event whose name has no place after its type (``"1 maj 06.46, Sammanfattning natt"``) keeps the
    county: it covers the whole county, no single municipality.
    """
    location_name = location_name.strip()
    if not is_county(location_name):
        return location_name
    parts = [p.strip() for p in name.split(",")]
    return parts[-1] if len(parts) >= 3 and parts[-1] else location_name


@dataclass(frozen=True)
class PoliceEvent:
    """One event as the API serves it, with what trygg derives from it."""

    police_id: int
    published_at: datetime
    occurred_at: datetime
    name: str
    summary: str
    url: str
    type: str
    location_name: str
    location_gps: str
    municipality: str
    # The publication time exactly as the file wrote it, so that the content hash of an event read from the API's
    # JSON and from an archive of it agree; empty when the time came as a timestamp.
    _published_raw: str = ""

    @cached_property
    def raw(self) -> dict[str, Any]:
        """The event in the API's exact shape (what the archive keeps and the content hash covers)."""
        return {"id": self.police_id, "datetime": self._published_raw or format_published(self.published_at),
                "name": self.name, "summary": self.summary, "url": self.url, "type": self.type,
                "location": {"name": self.location_name, "gps": self.location_gps}}

    @cached_property
    def content_hash(self) -> str:
        """SHA-256 of the event's fields: the same id with another hash is an edited event."""
        text = json.dumps(self.raw, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    @property
    def counted_type(self) -> bool:
        return is_incident_type(self.type)


def format_published(moment: datetime) -> str:
    """A publication time as the API writes it: ``2024-05-01 0:30:07 +02:00`` (Stockholm time, hour unpadded)."""
    moment = moment.astimezone(STOCKHOLM)
    offset = moment.utcoffset() or timedelta(0)
    hours, rest = divmod(int(offset.total_seconds()), 3600)
    sign = "+" if hours >= 0 else "-"
    return f"{moment:%Y-%m-%d} {moment.hour}:{moment:%M:%S} {sign}{abs(hours):02d}:{rest // 60:02d}"


def _text(record: Mapping[str, Any], key: str, *, row: int, file: str | Path | None, required: bool = True) -> str:
    value = record.get(key)
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InputError(gettext("%(key)s måste vara text, inte %(value)r") % {"key": key, "value": value}, file=file,
                         row=row, column=key)
    if required and not value.strip():
        raise InputError(gettext("händelsen saknar %(key)s") % {"key": key}, file=file, row=row, column=key)
    return value


def _location(record: Mapping[str, Any], *, row: int, file: str | Path | None) -> tuple[str, str]:
    location = record.get("location")
    if isinstance(location, Mapping):
        name, gps = location.get("name"), location.get("gps")
    elif location is None and "location_name" in record:  # a flat archive: location_name, location_gps
        name, gps = record.get("location_name"), record.get("location_gps")
    else:
        raise InputError(gettext("location måste vara ett objekt {name, gps}"), file=file, row=row, column="location")
    if not isinstance(name, str) or not name.strip():
        raise InputError(gettext("händelsen saknar platsnamn"), file=file, row=row, column="location.name")
    return name, gps if isinstance(gps, str) else ""


def parse_event(record: Any, *, row: int, file: str | Path | None = None) -> PoliceEvent:
    """One element of the API's array; ``row`` counts elements from 1. Raises InputError naming row and field."""
    if not isinstance(record, Mapping):
        raise InputError(gettext("varje element i arrayen måste vara ett händelseobjekt"), file=file, row=row)
    raw_id = record.get("id")
    if isinstance(raw_id, bool) or not isinstance(raw_id, int | str) or not str(raw_id).strip().isdigit():
        raise InputError(gettext("id måste vara ett heltal, inte %(value)r") % {"value": raw_id}, file=file, row=row,
                         column="id")
    raw_published = record.get("datetime")
    try:
        if isinstance(raw_published, datetime):  # an archive written with a timestamp column
            if raw_published.tzinfo is None:
                raise ValueError(gettext("en tidsstämpel utan tidszon"))
            published, published_text = raw_published.astimezone(STOCKHOLM), ""
        else:
            published_text = _text(record, "datetime", row=row, file=file)
            published = parse_published(published_text)
    except ValueError as exc:
        raise InputError(str(exc), file=file, row=row, column="datetime") from None
    name = _text(record, "name", row=row, file=file)
    event_type = _text(record, "type", row=row, file=file)
    try:
        occurred = incident_time(name, published)
    except ValueError as exc:
        raise InputError(str(exc), file=file, row=row, column="name") from None
    location_name, gps = _location(record, row=row, file=file)
    return PoliceEvent(police_id=int(raw_id), published_at=published, occurred_at=occurred, name=name,
                       summary=_text(record, "summary", row=row, file=file, required=False),
                       url=_text(record, "url", row=row, file=file, required=False), type=event_type.strip(),
                       location_name=location_name, location_gps=gps,
                       municipality=municipality_of(name, location_name), _published_raw=published_text)


def parse_events(records: Iterable[Any], *, file: str | Path | None = None) -> list[PoliceEvent]:
    """Every element of the array, in file order; raises InputError at the first bad one."""
    return [parse_event(record, row=row, file=file) for row, record in enumerate(records, start=1)]


def read_events_json(path: str | Path) -> list[PoliceEvent]:
    """The API's JSON array from a file (UTF-8)."""
    path = Path(path)
    return parse_events_json(path.read_bytes(), file=path)


def parse_events_json(data: bytes, *, file: str | Path | None = None) -> list[PoliceEvent]:
    """The API's answer (UTF-8 JSON bytes) as events; InputError naming ``file`` when it is not an array of them."""
    try:
        records = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(gettext("filen är inte JSON som polisens händelse-API levererar den (%(error)s)")
                         % {"error": exc}, file=file) from None
    if not isinstance(records, list):
        raise InputError(gettext("polisens händelse-API levererar en JSON-array av händelser; den här filen innehåller "
                                 "något annat"), file=file)
    return parse_events(records, file=file)


def unique_events(events: Sequence[PoliceEvent]) -> tuple[list[PoliceEvent], int]:
    """One event per id (the first, as the API lists the newest first) and how many repeats were dropped."""
    seen: dict[int, PoliceEvent] = {}
    for event in events:
        seen.setdefault(event.police_id, event)
    return list(seen.values()), len(events) - len(seen)


ARCHIVE_COLUMNS = ("id", "datetime", "name", "summary", "url", "type", "location_name", "location_gps")


def write_parquet_archive(events: Iterable[Mapping[str, Any]], path: str | Path) -> int:
    """Events in the API's shape (``PoliceEvent.raw``) as a Parquet file of flat columns; returns how many."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = list(events)
    columns = {
        "id": pa.array([int(e["id"]) for e in rows], pa.int64()),
        **{key: pa.array([str(e.get(key) or "") for e in rows], pa.string())
           for key in ("datetime", "name", "summary", "url", "type")},
        "location_name": pa.array([str((e.get("location") or {}).get("name") or "") for e in rows], pa.string()),
        "location_gps": pa.array([str((e.get("location") or {}).get("gps") or "") for e in rows], pa.string()),
    }
    pq.write_table(pa.table(columns), Path(path))
    return len(rows)


def read_parquet_archive(path: str | Path) -> list[PoliceEvent]:
    """A Parquet archive: flat columns (``location_name``, ``location_gps``) or a ``location`` struct, as pyarrow
    or polars write them from the API's JSON."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = Path(path)
    try:
        table = pq.read_table(path)
    except (pa.ArrowException, OSError) as exc:
        raise InputError(gettext("filen är ingen läsbar Parquet-fil (%(error)s)") % {"error": exc}, file=path) from None
    names = set(table.column_names)
    for column in ("id", "datetime", "name", "type"):
        if column not in names:
            raise InputError(gettext("arkivet har ingen kolumn %(column)r") % {"column": column}, file=path,
                             column=column)
    if "location" not in names and "location_name" not in names:
        raise InputError(gettext("arkivet har ingen kolumn 'location' eller 'location_name'"), file=path,
                         column="location_name")
    return parse_events(table.to_pylist(), file=path)
