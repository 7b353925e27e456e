"""What a cached report, situation picture, open data or API figure is keyed on: a fingerprint of the data it shows.

Each cached value is stored under the version of what it reads, so no write leaves it stale — a writer's, one that
writes no audit event, or an operator's SQL — and an unrelated event (a login, a token made) throws nothing away.
A version is a handful of small queries; reading the data itself is what the cache saves.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.db.models import Count, Max

from trygg.incidents.models import IncidentTally, OwnIncident, PoliceEvent
from trygg.promises.versions import promises_data_version
from trygg.surveys.memo import organisation_data_version, surveys_data_version
from trygg.surveys.models import Survey


def _digest(parts: Any) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def incidents_data_version(organisation_id: int) -> str:
    """The organisation's police events and own incidents (by count and highest id: ids are never reused) and
    their monthly tallies, which an import rewrites for the months it touches (an event edited in place too)."""
    mine = {"organisation_id": organisation_id}
    return _digest((
        PoliceEvent.objects.filter(**mine).aggregate(n=Count("pk"), last=Max("pk")),
        OwnIncident.objects.filter(**mine).aggregate(n=Count("pk"), last=Max("pk")),
        list(IncidentTally.objects.filter(**mine).order_by("source", "type", "area_id", "month")
             .values_list("source", "type", "area_id", "month", "count")),
    ))


def results_version(survey: Survey) -> str:
    """The published results page: the survey, the organisation's surveys it is compared with, and the margins,
    areas and places of the organisation."""
    compared = Survey.objects.filter(organisation_id=survey.organisation_id, year__lte=survey.year)
    return _digest((surveys_data_version([survey.pk, *compared.values_list("pk", flat=True)]),
                    organisation_data_version(survey.organisation_id)))


def survey_data_version(survey: Survey) -> str:
    """Everything the report, open data, situation picture and API of `survey` read: the organisation's surveys
    (the trend and the comparison with an earlier year), the same year's surveys of other organisations on the same
    bank (the picture compares them), the organisation's margins, areas, places, incidents and promises."""
    own = Survey.objects.filter(organisation_id=survey.organisation_id)
    others = Survey.objects.filter(year=survey.year, bank_id=survey.bank_id).exclude(status=Survey.Status.DRAFT)
    organisations = sorted({survey.organisation_id, *others.values_list("organisation_id", flat=True)})
    return _digest((
        surveys_data_version({survey.pk, *own.values_list("pk", flat=True), *others.values_list("pk", flat=True)}),
        [organisation_data_version(pk) for pk in organisations],
        incidents_data_version(survey.organisation_id),
        promises_data_version(survey.organisation_id),
    ))
