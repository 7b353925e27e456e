"""A fingerprint of an organisation's promises, so a cached promise page or report never outlives a change to them.

Every field the public pages and the report read is in it (a promise, its commitments, activities, indicators,
progress, approvals and amendments); promises are small, so the rows themselves are read, and a change made around
the writers (an operator's SQL) moves it as a writer's does. The surveys its indicators compare are versioned by
their own data (`trygg.surveys.memo`).
"""

from __future__ import annotations

import hashlib

from django.db.models import Count, Max

from trygg.promises.models import Activity, Amendment, Approval, Commitment, Indicator, ProgressEntry, Promise
from trygg.surveys.memo import organisation_data_version, surveys_data_version


def promises_data_version(organisation_id: int) -> str:
    """The organisation's promises as a digest of their rows (progress entries by count and highest id)."""
    mine = {"promise__organisation_id": organisation_id}
    parts = (
        list(Promise.objects.filter(organisation_id=organisation_id).order_by("pk").values_list(
            "pk", "year", "period_start", "period_end", "status", "published_at", "followed_up_at")),
        list(Commitment.objects.filter(**mine).order_by("pk").values_list()),
        list(Activity.objects.filter(**mine).order_by("pk").values_list(
            "pk", "promise_id", "commitment_id", "number", "text", "places", "quantity", "unit", "start", "end",
            "responsible", "status", "cancel_reason", "delivered", "percent", "indicator_id")),
        list(Indicator.objects.filter(**mine).order_by("pk").values_list()),
        ProgressEntry.objects.filter(activity__promise__organisation_id=organisation_id).aggregate(
            n=Count("pk"), last=Max("pk")),
        list(Approval.objects.filter(**mine).order_by("pk").values_list("pk", "party")),
        list(Amendment.objects.filter(**mine).order_by("pk").values_list("pk", "reason", "changes")),
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def promise_version(promise: Promise) -> str:
    """What the promise's public page and its JSON show: its organisation's promises, the surveys its indicators
    compare, and the organisation's margins, areas and places those surveys' figures rest on."""
    surveys = {pk for pair in promise.indicators.values_list("baseline_survey_id", "follow_up_survey_id")
               for pk in pair if pk is not None}
    parts = (promises_data_version(promise.organisation_id), surveys_data_version(surveys),
             organisation_data_version(promise.organisation_id))
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
