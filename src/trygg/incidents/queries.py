"""Incident counts: the one query behind `trygg incidents summary`, the situation picture, its CSV and the report.

Whole local months are read from the monthly tallies (`IncidentTally`, rewritten by every import for the months it
touches), the days of a month the range only partly covers from the incidents themselves; both are aggregated in the
database and only the groups come to Python. A year of 100,000 incidents thus counts from about a thousand rows
(benchmarks/bench_incidents.py). Only incidents are counted: the police's summaries, notices and county-wide events
are stored but never counted (``PoliceEvent.counted``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Count, QuerySet, Sum

from trygg.areas.models import Area, Organisation
from trygg.incidents.models import IncidentTally, OwnIncident, PoliceEvent

SOURCES = ("police", "own")
KEYS = ("source", "type", "month", "area")
# The column of each key in each table; None: the source has no such value (police events have no area).
_COLUMNS: dict[str, dict[str, dict[str, str | None]]] = {
    "incidents": {"police": {"type": "type", "month": "month", "area": None},
                  "own": {"type": "category", "month": "month", "area": "area_id"}},
    "tally": {"police": {"type": "type", "month": "month", "area": None},
              "own": {"type": "type", "month": "month", "area": "area_id"}},
}


def _checked(by: Sequence[str], sources: Sequence[str] | None) -> tuple[list[str], list[str]]:
    keys = list(dict.fromkeys(by))
    unknown = [k for k in keys if k not in KEYS]
    if unknown:
        raise ValueError(f"cannot count by {', '.join(unknown)}; choose from {', '.join(KEYS)}")
    chosen = list(SOURCES if sources is None else dict.fromkeys(sources))
    bad = [s for s in chosen if s not in SOURCES]
    if bad:
        raise ValueError(f"unknown incident source {', '.join(bad)}; choose from {', '.join(SOURCES)}")
    return keys, chosen


def _month_end(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(days=1)


def _whole_months(date_from: datetime.date | None,
                  date_to: datetime.date | None) -> tuple[str | None, str | None] | None:
    """The first and last whole local month in the range (None on an open side), or None when it has none."""
    first = last = None
    if date_from is not None:
        start = date_from if date_from.day == 1 else _month_end(date_from) + datetime.timedelta(days=1)
        first = f"{start:%Y-%m}"
    if date_to is not None:
        end = date_to if date_to == _month_end(date_to) else date_to.replace(day=1) - datetime.timedelta(days=1)
        last = f"{end:%Y-%m}"
    if first is not None and last is not None and first > last:
        return None
    return first, last


def _incidents(org: Organisation, source: str, date_from: datetime.date | None, date_to: datetime.date | None,
               categories: Sequence[str] | None) -> QuerySet[Any]:
    qs: QuerySet[Any]
    if source == "police":
        qs = PoliceEvent.objects.filter(organisation=org, counted=True)
    else:
        qs = OwnIncident.objects.filter(organisation=org)
    if date_from is not None:
        qs = qs.filter(occurred_on__gte=date_from)
    if date_to is not None:
        qs = qs.filter(occurred_on__lte=date_to)
    if categories is not None:
        qs = qs.filter(**{f"{_COLUMNS['incidents'][source]['type']}__in": list(categories)})
    return qs


def _grouped(qs: QuerySet[Any], group: list[str], total: Count | Sum) -> Iterable[tuple[Any, ...]]:
    """Rows of the group's values and the total; values_list() without fields would group by every column."""
    if group:
        rows: Iterable[tuple[Any, ...]] = qs.values_list(*group).annotate(n=total).order_by()
        return rows
    return [(qs.aggregate(n=total)["n"] or 0,)]


def _parts(org: Organisation, source: str, date_from: datetime.date | None, date_to: datetime.date | None,
           categories: Sequence[str] | None) -> list[tuple[str, QuerySet[Any], Count | Sum]]:
    """The querysets whose totals make the count: the tally for whole months, the incidents for the days of a
    month the range only partly covers (each edge its own narrow range of days, so the index serves it)."""
    months = _whole_months(date_from, date_to)
    if months is None:
        return [("incidents", _incidents(org, source, date_from, date_to, categories), Count("id"))]
    first, last = months
    tally = IncidentTally.objects.filter(organisation=org, source=source)
    if first is not None:
        tally = tally.filter(month__gte=first)
    if last is not None:
        tally = tally.filter(month__lte=last)
    if categories is not None:
        tally = tally.filter(type__in=list(categories))
    parts: list[tuple[str, QuerySet[Any], Count | Sum]] = [("tally", tally, Sum("count"))]
    if date_from is not None and f"{date_from:%Y-%m}" != first:
        parts.append(("incidents", _incidents(org, source, date_from, _month_end(date_from), categories),
                      Count("id")))
    if date_to is not None and f"{date_to:%Y-%m}" != last:
        parts.append(("incidents", _incidents(org, source, date_to.replace(day=1), date_to, categories),
                      Count("id")))
    return parts


def _reader(source: str, key: str, columns: dict[str, str | None], position: dict[str, int]) -> tuple[int, Any]:
    """How to read a key from a grouped row: (0, the source), (1, None: the source has no such value),
    (2, the column of an area id, read as its code), (3, the column of the value)."""
    if key == "source":
        return 0, source
    column = columns[key]
    if column is None:
        return 1, None
    return (2 if key == "area" else 3), position[column]


def _sort_key(item: tuple[tuple[Any, ...], int]) -> tuple[str, ...]:
    # Every value is text but an area, which is None for police events and sorts first ("" is never a code).
    return tuple(value or "" for value in item[0])


def incident_counts(org: Organisation, *, date_from: datetime.date | None = None,
                    date_to: datetime.date | None = None, by: Sequence[str] = ("source", "type", "month"),
                    sources: Sequence[str] | None = None,
                    categories: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """Counted incidents grouped by the keys in ``by``, each row those keys and ``count``, sorted by the keys.

    ``source`` is ``police`` or ``own``; ``type`` the police event type or the organisation's own category;
    ``month`` ``YYYY-MM`` in Swedish local time; ``area`` the area code of an own incident (None when it lies
    outside every area, and always None for police events, which are never placed in an area).
    ``date_from`` and ``date_to`` are Swedish local dates, both included; ``sources`` and ``categories`` (types
    of either source) restrict what is counted, None meaning all. Groups with no incidents are not returned;
    ``by=()`` gives one row with the total (0 when there is nothing). Raises ValueError for an unknown key or
    source.
    """
    keys, chosen = _checked(by, sources)
    totals: dict[tuple[Any, ...], int] = {}
    codes: dict[int, str] = {}
    if "area" in keys and "own" in chosen:
        codes = dict(Area.objects.filter(organisation=org).values_list("id", "code"))
    for source in chosen:
        for table, qs, total in _parts(org, source, date_from, date_to, categories):
            columns = _COLUMNS[table][source]
            group = sorted({c for k in keys if k != "source" and (c := columns[k])})
            position = {column: i for i, column in enumerate(group)}
            spec = [_reader(source, key, columns, position) for key in keys]
            for record in _grouped(qs, group, total):
                if not record[-1]:
                    continue
                key = tuple(v if kind == 0 else None if kind == 1 else codes.get(record[v]) if kind == 2 else
                            record[v] for kind, v in spec)
                totals[key] = totals.get(key, 0) + record[-1]
    if not keys:
        return [{"count": totals.get((), 0)}]
    return [{**dict(zip(keys, key, strict=True)), "count": n} for key, n in sorted(totals.items(), key=_sort_key)]


def incident_categories(org: Organisation) -> list[tuple[str, str]]:
    """``(source, type)`` of every kind of counted incident the organisation has, for filter lists: the police's
    types, then the own categories, each sorted. Read from the monthly tallies, which hold every counted kind."""
    kinds = set(IncidentTally.objects.filter(organisation=org).values_list("source", "type").distinct())
    return sorted(kinds, key=lambda kind: (SOURCES.index(kind[0]), kind[1]))
