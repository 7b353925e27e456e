"""Work derived from a survey's answers, done once per change of the data it rests on and kept in this process.

The results page, the report, the situation picture, the API and open data all start from the same arrays and the
same coded mentions. Reading 300,000 answers and coding their free text is the slow part, so it is done once per
*version* — a fingerprint of the data itself: the survey's row, its answers (count and highest id), reviews,
dialogue notes, and the organisation's margins, areas and places — and reused by every caller in the process until
that version moves. Nothing is trusted beyond the version: a new or deleted answer, import, review,
alias or margin gives a new key, whether a writer made it or an operator's SQL did, and an old entry is never served
for it. Audit events are no part of it, so a login or a token created throws nothing away; the one exception is
the privacy treatment (an answer's text redacted in place), recorded only by its event.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.db.models import Count, Max, TextField
from django.db.models.functions import Cast, Length

from trygg.accounts.models import AuditEvent
from trygg.areas.models import Area, Organisation, Place, PopulationMargin
from trygg.surveys.models import DialogueNote, MentionReview, Response, Survey

T = TypeVar("T")
# A frame of 300,000 answers is tens of megabytes: keep only the few surveys being read now.
MAX_ENTRIES = 6

_entries: OrderedDict[Hashable, Any] = OrderedDict()
_lock = threading.Lock()
_computing: dict[Hashable, threading.Lock] = {}
_pinned = threading.local()  # the versions read inside `one_version`, per thread


def _digest(parts: Any) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def surveys_data_version(survey_ids: Iterable[int]) -> str:
    """A fingerprint of the surveys' own data: their rows, answers, reviews, dialogue notes and privacy treatment.

    Answers are fingerprinted by count and highest id, read from the survey's index (ids are never reused, so an
    answer added or deleted moves one of them; reading 300,000 answers' text on every request would not be cheap);
    an answer changed in place is seen only through the privacy writer's event, the one writer that does so.
    """
    ids = sorted(set(survey_ids))
    rows = list(Survey.objects.filter(pk__in=ids).order_by("pk").values_list(
        "pk", "organisation_id", "year", "bank_id", "status", "results_published", "opened_at", "closed_at"))
    # One aggregate per survey: SQLite counts from the index, where a grouped query over several sorts first.
    answers = [Response.objects.filter(survey_id=pk).aggregate(n=Count("id"), last=Max("id")) for pk in ids]
    reviews = list(MentionReview.objects.filter(response__survey_id__in=ids).order_by("response_id")
                   .values_list("response_id", "slugs"))
    notes = list(DialogueNote.objects.filter(survey_id__in=ids).order_by("pk").values_list(
        "pk", "survey_id", "held_on", "place", "theme", "text", "area_id", "people"))
    slugs = [f"{org}-{year}" for org, year in Survey.objects.filter(pk__in=ids).values_list(
        "organisation__slug", "year")]
    privacy = list(AuditEvent.objects.filter(organisation_id__in={row[1] for row in rows}, action="privacy_applied",
                                             detail__survey__in=slugs).order_by("pk").values_list("pk", flat=True))
    return _digest((rows, answers, reviews, notes, privacy))


def organisation_data_version(organisation_id: int) -> str:
    """A fingerprint of what an organisation's figures rest on besides its answers: its name, population margins,
    areas and gazetteer places (geometry by its length: official boundaries run to megabytes)."""
    org = list(Organisation.objects.filter(pk=organisation_id).values_list("slug", "name", "kommun_code",
                                                                         "police_area", "synthetic"))
    margins = list(PopulationMargin.objects.filter(organisation_id=organisation_id)
                   .order_by("variable", "category").values_list("variable", "category", "count"))
    areas = list(Area.objects.filter(organisation_id=organisation_id).order_by("code").annotate(
        shape=Length(Cast("geometry", TextField()))).values_list("pk", "code", "name", "schematic", "shape"))
    places = list(Place.objects.filter(organisation_id=organisation_id).order_by("slug").annotate(
        shape=Length(Cast("geometry", TextField()))).values_list("pk", "slug", "name", "kind", "aliases", "shape"))
    return _digest((org, margins, areas, places))


def survey_version(survey: Survey) -> tuple[int, str, str]:
    """(survey id, fingerprint of its data, fingerprint of its organisation's): moves with every change of either."""
    return survey.pk, surveys_data_version([survey.pk]), organisation_data_version(survey.organisation_id)


@contextmanager
def one_version() -> Iterator[None]:
    """Within the block this thread reads each survey's version once, however often it asks the memo.

    A page asks for the arrays, the weighting and the mentions several times; reading the version is a few queries
    over the answers each time (tens of milliseconds at 300,000 answers). Use it around one computation only: a
    change made during the block is seen by the next one.
    """
    outer = getattr(_pinned, "versions", None)
    if outer is None:
        _pinned.versions = {}
    try:
        yield
    finally:
        if outer is None:
            _pinned.versions = None


def _version(survey: Survey) -> tuple[int, str, str]:
    versions: dict[int, tuple[int, str, str]] | None = getattr(_pinned, "versions", None)
    if versions is None:
        return survey_version(survey)
    if survey.pk not in versions:
        versions[survey.pk] = survey_version(survey)
    return versions[survey.pk]


def remembered(kind: str, survey: Survey, compute: Callable[[], T], *extra: Hashable) -> T:
    """`compute()` once per (kind, survey version, extra) in this process; concurrent callers wait for the first."""
    key = (kind, _version(survey), *extra)
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
