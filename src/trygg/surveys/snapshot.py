"""One read of a survey's answers for everything derived from them: the estimates' arrays and the coded mentions.

Decoding the answers' JSON is the costly part of every figure (a few microseconds per answer, 300,000 answers), so
the results, the comparisons, the mentions, the picture and the report share one pass over the rows per version of
the survey's data (`trygg.surveys.memo`), kept as compact columns (`trygg.surveys.columns`). A closed survey's
answers no longer change (answers are accepted only while it is open), so its columns are also stored in one row
(`SurveyFrame`) when it closes: a cold page in a fresh process reads that row instead of 300,000 answers. The row
carries a key of everything the columns come from — the answers (count, ids, newest time, the privacy treatment
that rewrites them in place), the reviews of their coding, the gazetteer the text was coded with, the areas and
places pins are placed in, the question bank — and a row whose key no longer matches is rebuilt, never read.
The row is derived data in a table like any other: `trygg backup` holds it, and one missing is rebuilt when read.
The free text is not kept: only the stored coding of it, the answers the figures and breakdowns need and the pins.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass

import orjson
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Sum, TextField
from django.db.models.functions import Cast, Length

from trygg.accounts.models import AuditEvent
from trygg.areas.gazetteer import organisation_gazetteer
from trygg.surveys.columns import COLUMNS_FORMAT, ColumnsBuilder, SurveyColumns, decode_columns, encode_columns
from trygg.surveys.frames import Frame, categories_of, frame_from_columns
from trygg.surveys.memo import remembered
from trygg.surveys.mentions import (
    KEPT_ANSWERS,
    CodedSurvey,
    PinPlacer,
    ensure_coded,
    gazetteer_fingerprint,
    reviewed_slugs,
)
from trygg.surveys.models import MentionReview, Survey, SurveyFrame
from trygg.text import Gazetteer

READ_CHUNK = 5000
# The one writer that changes answers in place (it coarsens pins); its events are part of a stored frame's key.
REWRITES_ANSWERS = ("privacy_applied",)


@dataclass(frozen=True)
class Snapshot:
    frame: Frame
    coded: CodedSurvey


def survey_snapshot(survey: Survey) -> Snapshot:
    """The survey's answers as arrays and as coded mentions, read once per version of its data."""
    return remembered("snapshot", survey, lambda: _snapshot(survey))


def _snapshot(survey: Survey) -> Snapshot:
    gazetteer = organisation_gazetteer(survey.organisation)
    columns = survey_columns(survey, gazetteer)
    coded = CodedSurvey({e.slug: (e.name, e.kind) for e in gazetteer.entries}, PinPlacer(survey.organisation),
                        columns)
    return Snapshot(frame_from_columns(survey.bank, categories_of(survey, survey.bank), columns.answers, columns.n),
                    coded)


def _questions(survey: Survey) -> list[str]:
    bank = survey.bank
    return sorted({"area", "gender", "age_group", *(ind.question for ind in bank.indicators),
                   *(k for k in KEPT_ANSWERS if k != "unsafe_places_pins")})


def frame_key(survey: Survey, gazetteer: Gazetteer) -> str:
    """A fingerprint of everything a survey's columns are built from (see the module's docstring)."""
    org = survey.organisation
    answers = survey.responses.aggregate(n=Count("id"), last=Max("id"), total=Sum("id"), newest=Max("submitted_at"))
    reviews = list(MentionReview.objects.filter(response__survey=survey).order_by("response_id")
                   .values_list("response_id", "slugs"))
    rewrites = list(AuditEvent.objects.filter(action__in=REWRITES_ANSWERS, detail__survey=survey.slug)
                    .order_by("pk").values_list("pk", flat=True))
    # Geometry by its length, as the memo's version: official boundaries run to megabytes.
    areas = list(org.areas.order_by("code").annotate(shape=Length(Cast("geometry", TextField())))
                 .values_list("code", "shape"))
    places = list(org.places.order_by("slug").annotate(shape=Length(Cast("geometry", TextField())))
                  .values_list("slug", "kind", "shape"))
    parts = (COLUMNS_FORMAT, survey.bank_id, _questions(survey), sorted(answers.items()), reviews, rewrites,
             gazetteer_fingerprint(gazetteer), areas, places)
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()


def survey_columns(survey: Survey, gazetteer: Gazetteer) -> SurveyColumns:
    """The survey's columns: a closed survey's from its stored frame when its key matches (stored after a fresh read
    when it does not), an open survey's from the answers."""
    if survey.status != Survey.Status.CLOSED:
        return read_columns(survey, gazetteer)
    key = frame_key(survey, gazetteer)
    data = SurveyFrame.objects.filter(survey=survey, key=key).values_list("data", flat=True).first()
    columns = decode_columns(bytes(data)) if data is not None else None
    if columns is None:
        columns = read_columns(survey, gazetteer)
        _store(survey, key, encode_columns(columns))
    return columns


def _store(survey: Survey, key: str, data: bytes) -> None:
    """Keep the frame; derived data, so no audit event (the same data always gives the same frame)."""
    try:
        with transaction.atomic():
            SurveyFrame.objects.update_or_create(survey=survey, defaults={"key": key, "data": data})
    except IntegrityError:
        pass  # another process stored the frame of the same data at the same moment


def store_frame(survey: Survey) -> None:
    """Build and store a closed survey's frame now (when it closes), so its first results page need not."""
    gazetteer = organisation_gazetteer(survey.organisation)
    key = frame_key(survey, gazetteer)
    if not SurveyFrame.objects.filter(survey=survey, key=key).exists():
        _store(survey, key, encode_columns(read_columns(survey, gazetteer)))


def read_columns(survey: Survey, gazetteer: Gazetteer) -> SurveyColumns:
    """One pass over the answers in id order: the questions the figures use, the named places and the pins."""
    # Answers arrive coded; only those coded against an older gazetteer (new places, aliases) are coded here.
    ensure_coded(survey, gazetteer, gazetteer_fingerprint(gazetteer))
    builder = ColumnsBuilder(_questions(survey))
    reviewed = reviewed_slugs(survey)
    # Both JSON columns read as text and decoded by orjson: Django's JSON field decodes with the slower json module.
    rows = (survey.responses.order_by("id")
            .values_list("id", Cast("answers", output_field=TextField()), Cast("coded", output_field=TextField())))
    for response_id, text, codes in rows.iterator(chunk_size=READ_CHUNK):
        # A person's reading of the text replaces the automatic coding; pins still count below.
        named = set(reviewed[response_id]) if response_id in reviewed else set(orjson.loads(codes or "null") or ())
        builder.add(orjson.loads(text), named)
    pins: Counter[str] = Counter()
    if builder.pin_points:
        # All pins placed in one vectorised call: a pin on a named place names it; a pin elsewhere counts for its
        # area's map only.
        placer = PinPlacer(survey.organisation)
        placed = placer.place([list(p) for p in builder.pin_points])
        for owner, (place, area) in zip(builder.pin_owners, placed, strict=True):
            if place is not None:
                builder.named[owner].add(place)
                pins[place] += 1
            elif area is not None:
                pins[area] += 1
    return builder.finish(pins)
