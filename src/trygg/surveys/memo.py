"""Work derived from a survey's answers, done once per change of the data it rests on and kept in this process.

The results page, the report, the situation picture, the API and open data all start from the same arrays and the
same coded mentions. Reading 300,000 answers and coding their free text is the slow part, so it is done once per
*version* — the survey's answer count and newest answer, the organisation's newest audit event (every writer writes
one) — and reused by every caller in the process until that version moves. Nothing is trusted beyond the version: a
new answer, import, review, alias or margin gives a new key, and an old entry is never served for it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.db.models import Count, Max

from trygg.accounts.models import AuditEvent
from trygg.surveys.models import Survey

T = TypeVar("T")
# A frame of 300,000 answers is tens of megabytes: keep only the few surveys being read now.
MAX_ENTRIES = 6

_entries: OrderedDict[Hashable, Any] = OrderedDict()
_lock = threading.Lock()
_computing: dict[Hashable, threading.Lock] = {}


def survey_version(survey: Survey) -> tuple[int, int, int, int]:
    """(survey id, answers, newest answer id, newest audit event id of the organisation): moves on every change."""
    answers = survey.responses.aggregate(n=Count("id"), last=Max("id"))
    audit = AuditEvent.objects.filter(organisation_id=survey.organisation_id).aggregate(last=Max("id"))
    return survey.pk, answers["n"], answers["last"] or 0, audit["last"] or 0


def remembered(kind: str, survey: Survey, compute: Callable[[], T], *extra: Hashable) -> T:
    """`compute()` once per (kind, survey version, extra) in this process; concurrent callers wait for the first."""
    key = (kind, survey_version(survey), *extra)
    with _lock:
        if key in _entries:
            _entries.move_to_end(key)
            return _entries[key]  # type: ignore[no-any-return]
        gate = _computing.setdefault(key, threading.Lock())
    with gate:
        with _lock:
            if key in _entries:
                return _entries[key]  # type: ignore[no-any-return]
        value = compute()
        with _lock:
            _entries[key] = value
            _computing.pop(key, None)
            while len(_entries) > MAX_ENTRIES:
                _entries.popitem(last=False)
    return value


def forget() -> None:
    """Empty the memo (tests and benchmarks measure cold runs with this)."""
    with _lock:
        _entries.clear()
