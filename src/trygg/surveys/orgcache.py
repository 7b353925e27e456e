"""Work derived from an organisation's areas and places, done once per process per change of them.

Every form page offers the areas and named places (and draws their outlines on the map step), every answer is
checked against them and coded to the organisation's gazetteer. They change only through the writers, and every writer
writes an audit event for the organisation, so the newest event's id is the data's *version*: one indexed query, or a
column of the survey's own lookup (the survey form's). While the version stands, the derived value is served from this
process's memory; when it moves, the rows are read again, and the value is rebuilt only when they differ from the
ones it was built from (most events, e.g. a survey opened or answers imported, change no area or place).

One kind of event is left out: a flagged burst (`PER_ANSWER_EVENT`), written by the answers themselves and
changing no survey, organisation, area or place; counting it would have every flagged answer of a bot's burst make
every process read and render all of this again.

The version is read before the rows, so a change that lands between the two is read with the rows and the next
request's version check only confirms it; an old value is never kept under a newer version.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Generic, TypeVar

from django.db import connection

from trygg.accounts.models import PER_ANSWER_EVENT, AuditEvent
from trygg.areas.models import Organisation

R = TypeVar("R")
T = TypeVar("T")
KEEP = 16  # organisations whose derived values a process keeps
# The newest event's id, through the partial index event_org_version (AuditEvent.Meta). The event left out is written
# into the statement as the index's condition is written, not passed as a parameter, so the database sees that the
# condition holds: SQLite matches the terms as written, and a statement PostgreSQL prepares once has a generic plan
# made before any parameter's value is known.
VERSION_OF = (f"(SELECT e.id FROM {AuditEvent._meta.db_table} e WHERE e.organisation_id = {{organisation}} "  # noqa: S608
              f"AND NOT (e.action = '{PER_ANSWER_EVENT}') ORDER BY e.id DESC LIMIT 1)")


def organisation_version(org: Organisation) -> int:
    """The id of the organisation's newest audit event (0 when none): moves with every change of its places."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {VERSION_OF.format(organisation='%s')}", [org.pk])  # noqa: S608
        row = cursor.fetchone()
    return int(row[0] or 0) if row else 0


class PerOrganisation(Generic[R, T]):
    """`build(org, rows)` once per change of `read(org)`'s rows, checked only when the organisation's version moves.

    The rows are compared by the SHA-256 of their repr, so they must be plain values (tuples, strings, numbers, and
    dicts as the database returns them, keys in one order).
    """

    def __init__(self, read: Callable[[Organisation], R], build: Callable[[Organisation, R], T]) -> None:
        self._read, self._build = read, build
        self._lock = threading.Lock()
        # (organisation id, created at) -> (version, fingerprint of the rows, value). The creation time tells apart
        # two organisations with one id (SQLite reuses the ids of rolled-back rows, as tests do).
        self._entries: dict[tuple[int, datetime], tuple[int, str, T]] = {}

    def get(self, org: Organisation, version: int | None = None) -> T:
        """The value for the organisation as it is now; `version` when the caller read it already."""
        if version is None:
            version = organisation_version(org)
        key = (org.pk, org.created_at)
        with self._lock:
            entry = self._entries.get(key)
        if entry is not None and entry[0] == version:
            return entry[2]
        rows = self._read(org)
        fingerprint = hashlib.sha256(repr(rows).encode("utf-8")).hexdigest()
        value = entry[2] if entry is not None and entry[1] == fingerprint else self._build(org, rows)
        with self._lock:
            self._entries.pop(key, None)
            if len(self._entries) >= KEEP:
                self._entries.pop(next(iter(self._entries)))
            self._entries[key] = (version, fingerprint, value)
        return value
