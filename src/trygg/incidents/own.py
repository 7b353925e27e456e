"""Pure parsing of an organisation's own incident reports (EST-style, from housing companies, municipal units,
security firms) — no database; Django only translates the messages.

CSV (or XLSX) ``occurred_at,category,lat,lon,area``: ``occurred_at`` in Swedish local time unless it carries an
offset (``2024-05-01 00:30``, ``2024-05-01T00:30:00+02:00``, or a date alone for midnight); ``category`` free text
(skadegörelse, otrygg plats, våld, buskörning, inbrott, folksamling, klotter, …); ``area`` an area code of the
organisation, or ``lat,lon`` (WGS84 decimal degrees, a decimal comma is accepted) placed by point-in-area.
One of the two must be given; when both are, ``area`` decides.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
from django.utils.translation import gettext

from trygg.errors import InputError
from trygg.geo import SWEDEN_LAT, SWEDEN_LON, AreaIndex
from trygg.incidents.police import STOCKHOLM
from trygg.tabular import read_table

COLUMNS = ("occurred_at", "category", "lat", "lon", "area")
MAX_CATEGORY = 100


@dataclass(frozen=True)
class OwnReport:
    row: int
    occurred_at: datetime  # aware, Europe/Stockholm
    category: str
    lat: float | None
    lon: float | None
    area: str | None  # the area code it was placed in; None outside every area

    @property
    def key(self) -> str:
        """Reports with the same time, category and place are one report (overlapping exports repeat them)."""
        place = f"{self.lat!r},{self.lon!r}" if self.lat is not None else ""
        text = f"{self.occurred_at.isoformat()}|{self.category.casefold()}|{place}|{self.area or ''}"
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def parse_occurred(text: str) -> datetime:
    """A report's time: naive means Swedish local time; a date alone is midnight. Raises ValueError."""
    text = text.strip()
    try:
        moment = datetime.fromisoformat(text.replace(" ", "T", 1) if len(text) > 10 else text)
    except ValueError:
        raise ValueError(gettext("%(text)r är ingen tid som 2024-05-01 00:30") % {"text": text}) from None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=STOCKHOLM)
    return moment.astimezone(STOCKHOLM)


def _coordinate(text: str, column: str, bounds: tuple[float, float], path: Path, row: int) -> float:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        raise InputError(gettext("%(text)r är inget tal i decimala grader") % {"text": text}, file=path, row=row,
                         column=column) from None
    if not bounds[0] <= value <= bounds[1]:
        raise InputError(gettext("%(value)s ligger utanför Sverige (%(column)s %(low)s–%(high)s); har lat och lon "
                                 "bytt plats?") % {"value": value, "column": column, "low": bounds[0],
                                                    "high": bounds[1]}, file=path, row=row, column=column)
    return value


def read_own_reports(path: str | Path, *, area_codes: Collection[str], area_index: AreaIndex | None) -> list[OwnReport]:
    """Every row of the file, checked and placed; InputError naming file, data row (from 1) and column at the
    first bad one. ``area_index`` places rows that give only ``lat,lon`` (None: the organisation has no drawn
    areas, and such rows stay unplaced)."""
    path = Path(path)
    table = read_table(path)
    for column in ("occurred_at", "category", "lat", "lon", "area"):
        if column not in table.header:
            raise InputError(gettext("rubrikraden saknar kolumnen %(column)r (kolumnerna: %(columns)s)")
                             % {"column": column, "columns": ", ".join(COLUMNS)}, file=path, column=column)
    parsed: list[tuple[int, datetime, str, float | None, float | None, str | None]] = []
    for row, record in enumerate(table.rows, start=1):
        raw_time = record.get("occurred_at", "")
        if not raw_time:
            raise InputError(gettext("cellen är tom"), file=path, row=row, column="occurred_at")
        try:
            occurred = parse_occurred(raw_time)
        except ValueError as exc:
            raise InputError(str(exc), file=path, row=row, column="occurred_at") from None
        category = " ".join(record.get("category", "").split())
        if not category:
            raise InputError(gettext("cellen är tom"), file=path, row=row, column="category")
        if len(category) > MAX_CATEGORY:
            raise InputError(gettext("en kategori har högst %(n)s tecken") % {"n": MAX_CATEGORY}, file=path, row=row,
                             column="category")
        area = record.get("area", "").strip() or None
        raw_lat, raw_lon = record.get("lat", ""), record.get("lon", "")
        if bool(raw_lat) != bool(raw_lon):
            raise InputError(gettext("ange både lat och lon, eller ingen av dem"), file=path, row=row,
                             column="lon" if raw_lat else "lat")
        lat = _coordinate(raw_lat, "lat", SWEDEN_LAT, path, row) if raw_lat else None
        lon = _coordinate(raw_lon, "lon", SWEDEN_LON, path, row) if raw_lon else None
        if area is None and lat is None:
            raise InputError(gettext("ange en områdeskod i area eller lat,lon"), file=path, row=row, column="area")
        if area is not None and area not in area_codes:
            known = ", ".join(sorted(area_codes)) or gettext("inga")
            raise InputError(gettext("%(area)r är inget område i organisationen (dess områden: %(areas)s)")
                             % {"area": area, "areas": known}, file=path, row=row, column="area")
        parsed.append((row, occurred, category, lat, lon, area))
    to_place = [i for i, p in enumerate(parsed) if p[5] is None]
    placed: list[str | None] = [None] * len(to_place)
    if to_place and area_index is not None:
        # Rows without an area code have both coordinates (checked above).
        placed = area_index.assign(np.array([parsed[i][3] for i in to_place], dtype=np.float64),
                                   np.array([parsed[i][4] for i in to_place], dtype=np.float64))
    areas = [p[5] for p in parsed]
    for i, code in zip(to_place, placed, strict=True):
        areas[i] = code
    return [OwnReport(row=p[0], occurred_at=p[1], category=p[2], lat=p[3], lon=p[4], area=area)
            for p, area in zip(parsed, areas, strict=True)]
