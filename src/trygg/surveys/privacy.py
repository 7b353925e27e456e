"""Privacy over time: a while after a survey closes, its free text is redacted (or deleted) and its pins coarsened.

The figures need neither verbatim text nor a pin to the metre once the coding is reviewed and the results are out;
keeping them longer only keeps a risk. `trygg privacy apply` (run daily by a timer, docs/privacy.md) calls
do_apply_privacy, which writes one audit event per survey it changed. It is idempotent: a survey already treated
with the same settings is skipped, and treating it again would change nothing.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from trygg.accounts.actions import audit
from trygg.accounts.changes import changes, fingerprint
from trygg.accounts.models import AuditEvent
from trygg.geo.coordinates import to_sweref, to_wgs84
from trygg.surveys.models import Response, Survey
from trygg.text import redact

TEXT_QUESTION = "unsafe_places_text"
PINS_QUESTION = "unsafe_places_pins"
MODES = ("redact", "delete")


@dataclass(frozen=True)
class PrivacyRule:
    """After `days` days from closing: free text `mode` ('redact' or 'delete'), pins to squares of `metres` m."""

    days: int
    mode: str
    metres: float

    @classmethod
    def from_settings(cls) -> PrivacyRule:
        rule = cls(int(settings.TRYGG_PRIVACY_DAYS), str(settings.TRYGG_PRIVACY_FREE_TEXT),
                   float(settings.TRYGG_PRIVACY_PIN_METRES))
        if rule.mode not in MODES or rule.days < 0 or not rule.metres > 0:
            raise ValueError(f"privacy settings must be days ≥ 0, redact or delete, metres > 0; not {rule}")
        return rule


@dataclass(frozen=True)
class PrivacyResult:
    survey: str
    answers_changed: int


def coarsen_pins(pins: list[list[float]], metres: float) -> list[list[float]]:
    """Each [lat, lon] moved to the centre of its `metres`-square in SWEREF 99 TM, rounded to 6 decimals (≈0.1 m).

    An empty list stays empty. Coarsening a coarsened pin gives the same pin again.
    """
    if not pins:
        return []
    east, north = to_sweref([p[0] for p in pins], [p[1] for p in pins])
    centre_east = [(math.floor(e / metres) + 0.5) * metres for e in east]
    centre_north = [(math.floor(n / metres) + 0.5) * metres for n in north]
    lat, lon = to_wgs84(centre_east, centre_north)
    return [[round(float(a), 6), round(float(o), 6)] for a, o in zip(lat, lon, strict=True)]


def private_answers(answers: dict[str, Any], rule: PrivacyRule) -> dict[str, Any]:
    """The answers as they are kept after the privacy period; other questions are untouched."""
    kept = dict(answers)
    text = kept.get(TEXT_QUESTION)
    if isinstance(text, str) and text:
        if rule.mode == "delete":
            del kept[TEXT_QUESTION]
        else:
            kept[TEXT_QUESTION] = redact(text)
    pins = kept.get(PINS_QUESTION)
    if isinstance(pins, list) and pins:
        kept[PINS_QUESTION] = coarsen_pins(pins, rule.metres)
    return kept


def surveys_due(rule: PrivacyRule, now: datetime | None = None) -> list[Survey]:
    """Closed surveys whose privacy period has run out and that were not yet treated with this rule."""
    cutoff = (now or timezone.now()) - timedelta(days=rule.days)
    done = set(AuditEvent.objects.filter(action="privacy_applied", detail__mode=rule.mode,
                                         detail__metres=rule.metres).values_list("detail__survey", flat=True))
    due = Survey.objects.select_related("organisation").filter(status=Survey.Status.CLOSED, closed_at__lte=cutoff)
    return [s for s in due.order_by("closed_at") if s.slug not in done]


def _answers_fingerprint(answers: list[tuple[int, dict[str, Any]]]) -> str:
    return fingerprint((pk, json.dumps(values, sort_keys=True)) for pk, values in answers)


def do_apply_privacy(rule: PrivacyRule | None = None, *, now: datetime | None = None,
                     actor: User | None = None) -> list[PrivacyResult]:
    """Redact or delete free text and coarsen pins of every survey due; one transaction and audit event each."""
    rule = rule or PrivacyRule.from_settings()
    results = []
    for survey in surveys_due(rule, now):
        with transaction.atomic():
            changed: list[Response] = []
            # The answers' fingerprints before and after (the values themselves stay out of the log).
            olds: list[tuple[int, dict[str, Any]]] = []
            news: list[tuple[int, dict[str, Any]]] = []
            for response in survey.responses.select_for_update().order_by("id").iterator(chunk_size=2000):
                kept = private_answers(response.answers, rule)
                olds.append((response.pk, response.answers))
                news.append((response.pk, kept))
                if kept != response.answers:
                    response.answers = kept
                    changed.append(response)
            Response.objects.bulk_update(changed, ["answers"], batch_size=1000)
            audit("privacy_applied", organisation=survey.organisation, actor=actor, survey=survey.slug,
                  mode=rule.mode, metres=rule.metres, days=rule.days, answers_changed=len(changed),
                  **changes({"fingerprint": _answers_fingerprint(olds)}, {"fingerprint": _answers_fingerprint(news)}))
        results.append(PrivacyResult(survey.slug, len(changed)))
    return results
