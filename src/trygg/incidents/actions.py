"""Writers for incidents: every import is all rows or none and leaves an audit event.

`do_import_incidents` tells the kind of file by its content: a JSON array is the police's events as the events API
serves them, ``.parquet`` an archive of the same fields, anything else (CSV, XLSX) the organisation's own reports.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext, ngettext

from trygg.accounts.actions import audit
from trygg.accounts.changes import changes, fingerprint
from trygg.areas.models import Area, Organisation
from trygg.errors import InputError
from trygg.geo import AreaIndex
from trygg.incidents.models import IncidentImport, IncidentTally, OwnIncident, PoliceEvent, PoliceEventVersion
from trygg.incidents.own import read_own_reports
from trygg.incidents.places import county_of, guess_municipality
from trygg.incidents.police import (
    PoliceEvent as ParsedEvent,
)
from trygg.incidents.police import (
    is_county,
    read_events_json,
    read_parquet_archive,
    same_place,
    unique_events,
    write_parquet_archive,
)

Progress = Callable[[int, int], None] | None
BATCH = 1000


@dataclass
class ImportResult:
    """What one import did. Police: ``stored`` new events, ``unchanged`` ones already stored as they are,
    ``replaced`` edited ones (the old version kept as history), ``repeated_in_file`` repeats of an id within the
    file, ``skipped_other_municipalities`` events elsewhere (not stored), ``not_counted`` summaries, notices and
    county-wide events among those kept. Own reports: ``stored``, ``unchanged`` (already imported) and
    ``unplaced`` (outside every area; stored and counted, but in no area)."""

    file: str
    kind: str
    rows: int = 0
    stored: int = 0
    unchanged: int = 0
    replaced: int = 0
    repeated_in_file: int = 0
    skipped_other_municipalities: int = 0
    not_counted: int = 0
    unplaced: int = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def sentence(self) -> str:
        """One line for the command and the staff page."""
        repeated = ngettext("%(n)s upprepad i filen", "%(n)s upprepade i filen", self.repeated_in_file)
        if self.kind == IncidentImport.Kind.OWN:
            parts = [
                (ngettext("%(n)s rad", "%(n)s rader", self.rows), self.rows),
                (ngettext("%(n)s ny händelse", "%(n)s nya händelser", self.stored), self.stored),
                (ngettext("%(n)s redan importerad", "%(n)s redan importerade", self.unchanged), self.unchanged),
                (repeated, self.repeated_in_file),
                (gettext("%(n)s utanför alla områden"), self.unplaced)]
        else:
            parts = [
                (ngettext("%(n)s händelse", "%(n)s händelser", self.rows), self.rows),
                (ngettext("%(n)s ny", "%(n)s nya", self.stored), self.stored),
                (ngettext("%(n)s oförändrad", "%(n)s oförändrade", self.unchanged), self.unchanged),
                (ngettext("%(n)s ersatt (den gamla versionen sparad)", "%(n)s ersatta (de gamla versionerna sparade)",
                          self.replaced), self.replaced),
                (repeated, self.repeated_in_file),
                (ngettext("%(n)s från en annan kommun hoppades över", "%(n)s från andra kommuner hoppades över",
                          self.skipped_other_municipalities), self.skipped_other_municipalities),
                (ngettext("%(n)s sammanfattning, meddelande eller länshändelse sparad men inte räknad",
                          "%(n)s sammanfattningar, meddelanden och länshändelser sparade men inte räknade",
                          self.not_counted), self.not_counted)]
        return f"{self.file}: " + ", ".join(text % {"n": n} for text, n in parts)


def organisation_municipality(org: Organisation) -> str:
    """The municipality whose police events the organisation keeps: its ``municipality`` field, or the name's."""
    return org.municipality.strip() or guess_municipality(org.name)


def organisation_county(org: Organisation) -> str | None:
    """The organisation's county from its SCB municipality code (13xx → Hallands län); None without a code."""
    return county_of(org.kommun_code)


def detect_kind(path: Path) -> str:
    """``police_archive`` for .parquet, ``police`` for a JSON array, else ``own`` (CSV or XLSX)."""
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return IncidentImport.Kind.POLICE_ARCHIVE
    if suffix in (".csv", ".txt", ".tsv", ".xlsx", ".xlsm"):
        return IncidentImport.Kind.OWN
    with path.open("rb") as f:
        start = f.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    if start[:1] in (b"[", b"{") or suffix == ".json":
        return IncidentImport.Kind.POLICE
    return IncidentImport.Kind.OWN


@transaction.atomic
def do_import_incidents(org: Organisation, path: str | Path, actor: User | None = None,
                        progress: Progress = None) -> ImportResult:
    """Import one file of incidents into ``org``, all rows or none; InputError names file, data row and column."""
    path = Path(path)
    if not path.is_file():
        raise InputError(gettext("filen finns inte"), file=path)
    kind = detect_kind(path)
    if kind == IncidentImport.Kind.OWN:
        return _import_own(org, path, actor, progress)
    events = read_parquet_archive(path) if kind == IncidentImport.Kind.POLICE_ARCHIVE else read_events_json(path)
    return store_police_events(org, events, file_name=path.name, kind=kind, actor=actor, progress=progress)


@transaction.atomic
def store_police_events(org: Organisation, events: Sequence[ParsedEvent], *, file_name: str, kind: str,
                        actor: User | None = None, progress: Progress = None) -> ImportResult:
    """Store parsed events of ``org``'s municipality (and county-wide ones of its county, never counted).

    The same id with the same content adds nothing; with other content (the police edit events in place) it
    replaces the stored version, which is kept as a PoliceEventVersion. All or nothing.
    """
    municipality = organisation_municipality(org)
    if not municipality:
        raise InputError(gettext("organisationen %(org)r har ingen kommun att jämföra polisens händelser med; ange "
                                 "den i administrationen (Organisation → kommun i polisens händelser)")
                         % {"org": org.slug},
                         file=file_name)
    county = organisation_county(org)
    result = ImportResult(file=file_name, kind=kind, rows=len(events))
    unique, result.repeated_in_file = unique_events(events)
    stored = {pid: (pk, digest) for pid, pk, digest in
              PoliceEvent.objects.filter(organisation=org).values_list("police_id", "id", "content_hash")}
    record = IncidentImport.objects.create(organisation=org, kind=kind, file_name=file_name[:255], actor=actor)

    def ours(event: ParsedEvent) -> bool:
        if same_place(event.municipality, municipality):
            return True
        return county is not None and is_county(event.municipality) and same_place(event.municipality, county)

    new: list[PoliceEvent] = []
    changed: list[tuple[int, ParsedEvent, bool]] = []
    for event in unique:
        if not ours(event) and event.police_id not in stored:
            result.skipped_other_municipalities += 1
            continue
        counted = event.counted_type and same_place(event.municipality, municipality)
        result.not_counted += not counted
        if event.police_id not in stored:
            new.append(_event_row(org, event, counted, record))
        elif stored[event.police_id][1] == event.content_hash:
            result.unchanged += 1
        else:
            changed.append((stored[event.police_id][0], event, counted))
    total = len(new) + len(changed)
    for start in range(0, len(new), BATCH):
        PoliceEvent.objects.bulk_create(new[start:start + BATCH])
        if progress:
            progress(min(start + BATCH, len(new)), total)
    months = {row.month for row in new}
    if changed:
        current = PoliceEvent.objects.in_bulk([pk for pk, _, _ in changed])
        months |= {current[pk].month for pk, _, _ in changed}
        PoliceEventVersion.objects.bulk_create(
            PoliceEventVersion(event_id=pk, content_hash=current[pk].content_hash, raw=current[pk].raw,
                               replaced_by=record) for pk, _, _ in changed)
        rows = [_event_row(org, event, counted, record, pk=pk) for pk, event, counted in changed]
        months |= {row.month for row in rows}
        PoliceEvent.objects.bulk_update(rows, ["content_hash", "raw", "published_at", "occurred_at", "occurred_on",
                                               "month", "type", "municipality", "counted", "source_import"],
                                        batch_size=BATCH)
        if progress:
            progress(total, total)
    refresh_tallies(org, months)
    result.stored, result.replaced = len(new), len(changed)
    record.result = result.as_dict()
    record.save(update_fields=["result"])
    # The events this import stored or replaced, by id and content: the same file again gives the empty fingerprint.
    written = sorted((row.police_id, row.content_hash) for row in new) + sorted(
        (event.police_id, event.content_hash) for _pk, event, _counted in changed)
    audit("incidents_imported", organisation=org, actor=actor, **result.as_dict(), fingerprint=fingerprint(written),
          **changes({"police_events": len(stored)}, {"police_events": len(stored) + len(new)}))
    return result


def _event_row(org: Organisation, event: ParsedEvent, counted: bool, record: IncidentImport,
               pk: int | None = None) -> PoliceEvent:
    local = event.occurred_at
    return PoliceEvent(pk=pk, organisation=org, police_id=event.police_id, content_hash=event.content_hash,
                       raw=event.raw, published_at=event.published_at, occurred_at=local, occurred_on=local.date(),
                       month=f"{local:%Y-%m}", type=event.type[:200], municipality=event.municipality[:200],
                       counted=counted, source_import=record)


def _import_own(org: Organisation, path: Path, actor: User | None, progress: Progress) -> ImportResult:
    areas = list(Area.objects.filter(organisation=org).values_list("id", "code", "geometry"))
    ids = {code: pk for pk, code, _ in areas}
    drawn = [(code, geometry) for _, code, geometry in areas if geometry]
    reports = read_own_reports(path, area_codes=ids.keys(), area_index=AreaIndex(drawn) if drawn else None)
    result = ImportResult(file=path.name, kind=IncidentImport.Kind.OWN, rows=len(reports))
    known = set(OwnIncident.objects.filter(organisation=org).values_list("key", flat=True))
    record = IncidentImport.objects.create(organisation=org, kind=IncidentImport.Kind.OWN, file_name=path.name[:255],
                                           actor=actor)
    new: list[OwnIncident] = []
    in_file: set[str] = set()
    for report in reports:
        key = report.key
        if key in in_file:
            result.repeated_in_file += 1
            continue
        in_file.add(key)
        if key in known:
            result.unchanged += 1
            continue
        result.unplaced += report.area is None
        local = report.occurred_at
        new.append(OwnIncident(organisation=org, source_import=record, key=key, occurred_at=local,
                               occurred_on=local.date(), month=f"{local:%Y-%m}", category=report.category,
                               lat=report.lat, lon=report.lon, area_id=ids.get(report.area or "")))
    for start in range(0, len(new), BATCH):
        OwnIncident.objects.bulk_create(new[start:start + BATCH])
        if progress:
            progress(min(start + BATCH, len(new)), len(new))
    refresh_tallies(org, {row.month for row in new})
    result.stored = len(new)
    record.result = result.as_dict()
    record.save(update_fields=["result"])
    audit("incidents_imported", organisation=org, actor=actor, **result.as_dict(),
          fingerprint=fingerprint(sorted(row.key for row in new)),
          **changes({"own_incidents": len(known)}, {"own_incidents": len(known) + len(new)}))
    return result


def refresh_tallies(org: Organisation, months: set[str]) -> None:
    """Rewrite the organisation's IncidentTally rows for these local months (``YYYY-MM``) from the incidents.

    Every writer that adds or changes incidents calls this for the months it touched (an edited event's old month
    too), inside its transaction, so the tallies never disagree with the incidents they sum."""
    if not months:
        return
    chosen = sorted(months)
    IncidentTally.objects.filter(organisation=org, month__in=chosen).delete()
    police = PoliceEvent.objects.filter(organisation=org, counted=True, month__in=chosen) \
        .values_list("type", "month").annotate(n=Count("id")).order_by()
    own = OwnIncident.objects.filter(organisation=org, month__in=chosen) \
        .values_list("category", "area_id", "month").annotate(n=Count("id")).order_by()
    IncidentTally.objects.bulk_create(
        [IncidentTally(organisation=org, source="police", type=t, month=m, count=n) for t, m, n in police]
        + [IncidentTally(organisation=org, source="own", type=c, area_id=a, month=m, count=n) for c, a, m, n in own],
        batch_size=BATCH)


def export_police_archive(org: Organisation, path: str | Path) -> int:
    """The organisation's police events (current versions, newest first) as a Parquet archive that imports back
    unchanged; returns how many. Reads only, so no audit event."""
    raws = PoliceEvent.objects.filter(organisation=org).order_by("-published_at", "-police_id").values_list(
        "raw", flat=True)
    return write_parquet_archive(raws.iterator(chunk_size=BATCH), path)
