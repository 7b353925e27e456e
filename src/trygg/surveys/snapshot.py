"""One read of a survey's answers for everything derived from them: the estimates' arrays and the coded mentions.

Decoding the answers' JSON is the costly part of every figure (a few microseconds per answer, 300,000 answers), so
the results, the comparisons, the mentions, the picture and the report share one pass over the rows per version of
the survey's data (`trygg.surveys.memo`). The free text is not kept: only the stored coding of it, the background
answers the breakdowns need and the pins.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson
from django.db.models import TextField
from django.db.models.functions import Cast

from trygg.areas.gazetteer import organisation_gazetteer
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
from trygg.surveys.models import Survey

READ_CHUNK = 5000


@dataclass(frozen=True)
class Snapshot:
    frame: Frame
    coded: CodedSurvey


def survey_snapshot(survey: Survey) -> Snapshot:
    """The survey's answers as arrays and as coded mentions, read once per version of its data."""
    return remembered("snapshot", survey, lambda: _read(survey))


def _read(survey: Survey) -> Snapshot:
    org = survey.organisation
    bank = survey.bank
    gazetteer = organisation_gazetteer(org)
    # Answers arrive coded; only those coded against an older gazetteer (new places, aliases) are coded here.
    ensure_coded(survey, gazetteer, gazetteer_fingerprint(gazetteer))
    categories = categories_of(survey, bank)
    questions = sorted({*categories, *(ind.question for ind in bank.indicators)})
    columns: dict[str, list[Any]] = {q: [] for q in questions}
    placer = PinPlacer(org)
    coded = CodedSurvey({e.slug: (e.name, e.kind) for e in gazetteer.entries}, placer)
    reviewed = reviewed_slugs(survey)
    owners: list[int] = []  # the respondent (row) of each pin
    rows = (survey.responses.order_by("id")
            .values_list("id", Cast("answers", output_field=TextField()), "coded"))
    for row, (response_id, text, codes) in enumerate(rows.iterator(chunk_size=READ_CHUNK)):
        answers = orjson.loads(text)
        for question, column in columns.items():
            column.append(answers.get(question))
        # A person's reading of the text replaces the automatic coding; pins still count below.
        coded.named.append(set(reviewed[response_id]) if response_id in reviewed else set(codes or ()))
        coded.answers.append({k: answers[k] for k in KEPT_ANSWERS if k in answers})
        for point in answers.get("unsafe_places_pins") or ():
            coded.pin_points.append((float(point[0]), float(point[1])))
            owners.append(row)
    if coded.pin_points:
        # All pins placed in one vectorised call: a pin on a named place names it; a pin elsewhere counts for its
        # area's map only.
        for owner, (place, area) in zip(owners, placer.place([list(p) for p in coded.pin_points]), strict=True):
            if place is not None:
                coded.named[owner].add(place)
                coded.pins[place] += 1
            elif area is not None:
                coded.pins[area] += 1
    return Snapshot(frame_from_columns(bank, categories, columns, len(coded.named)), coded)
