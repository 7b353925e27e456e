"""Privacy over time: free text redacted or deleted and pins coarsened a set time after a survey closes, once,
through the writer with its audit event, from `trygg privacy apply`."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db

TEXT = "Otryggt vid Stora torg, ring mig på 070-123 45 67 eller skriv till anna@example.se"
PIN = [56.674123, 12.857456]


def closed_survey(org: Any, year: int, closed_days_ago: int) -> Any:
    from trygg.surveys.actions import do_close_survey, do_create_survey, do_open_survey
    from trygg.surveys.models import Response, Survey

    survey = do_open_survey(do_create_survey(org, year))
    Response.objects.bulk_create([
        Response(survey=survey, submitted_at=timezone.now(), channel=Response.Channel.WEB,
                 answers={"gender": "kvinna", "unsafe_places_text": TEXT, "unsafe_places_pins": [PIN, PIN]}),
        Response(survey=survey, submitted_at=timezone.now(), channel=Response.Channel.WEB,
                 answers={"gender": "man", "safe_area": "mycket_trygg"}),
    ])
    do_close_survey(survey)
    Survey.objects.filter(pk=survey.pk).update(closed_at=timezone.now() - timedelta(days=closed_days_ago))
    survey.refresh_from_db()
    return survey


def test_pins_move_to_the_centre_of_their_square() -> None:
    from trygg.geo.coordinates import to_sweref
    from trygg.surveys.privacy import coarsen_pins

    coarse = coarsen_pins([PIN], 250)
    east, north = to_sweref([coarse[0][0]], [coarse[0][1]])
    assert east[0] % 250 == pytest.approx(125, abs=0.2) and north[0] % 250 == pytest.approx(125, abs=0.2)
    original_east, original_north = to_sweref([PIN[0]], [PIN[1]])
    assert abs(east[0] - original_east[0]) <= 125.2 and abs(north[0] - original_north[0]) <= 125.2
    assert coarsen_pins(coarse, 250) == coarse
    assert coarsen_pins([], 250) == []


def test_old_surveys_are_redacted_once_and_recent_ones_kept(halmstad: Any, settings: Any, run_cli: Any) -> None:
    from trygg.accounts.models import AuditEvent

    settings.TRYGG_PRIVACY_DAYS = 365
    old = closed_survey(halmstad, 2023, closed_days_ago=400)
    recent = closed_survey(halmstad, 2025, closed_days_ago=30)
    status, out, _ = run_cli("privacy", "apply", "--dry-run")
    assert status == 0 and "halmstad-2023: due" in out and "halmstad-2025" not in out
    assert old.responses.filter(answers__unsafe_places_text=TEXT).count() == 1
    status, out, _ = run_cli("privacy", "apply")
    assert status == 0 and "halmstad-2023: 1 answer changed (free text: redact, pins: 250 m)" in out
    treated = old.responses.get(answers__gender="kvinna").answers
    assert "070-123" not in treated["unsafe_places_text"] and "anna@example.se" not in treated["unsafe_places_text"]
    assert "Stora torg" in treated["unsafe_places_text"]
    assert treated["unsafe_places_pins"][0] != PIN and len(treated["unsafe_places_pins"]) == 2
    assert old.responses.get(answers__gender="man").answers == {"gender": "man", "safe_area": "mycket_trygg"}
    assert recent.responses.get(answers__gender="kvinna").answers["unsafe_places_text"] == TEXT
    event = AuditEvent.objects.get(action="privacy_applied")
    assert event.detail["survey"] == "halmstad-2023" and event.detail["answers_changed"] == 1
    assert event.detail["os_user"]
    status, out, _ = run_cli("privacy", "apply")
    assert "no survey is due" in out
    assert AuditEvent.objects.filter(action="privacy_applied").count() == 1


def test_free_text_can_be_deleted_instead(halmstad: Any, settings: Any) -> None:
    from trygg.surveys.privacy import do_apply_privacy

    settings.TRYGG_PRIVACY_FREE_TEXT = "delete"
    settings.TRYGG_PRIVACY_DAYS = 0
    survey = closed_survey(halmstad, 2023, closed_days_ago=1)
    results = do_apply_privacy()
    assert [(r.survey, r.answers_changed) for r in results] == [("halmstad-2023", 1)]
    answers = survey.responses.get(answers__gender="kvinna").answers
    assert "unsafe_places_text" not in answers and len(answers["unsafe_places_pins"]) == 2


def test_open_surveys_are_never_touched(open_survey: Any, settings: Any) -> None:
    from trygg.surveys.models import Response
    from trygg.surveys.privacy import do_apply_privacy

    settings.TRYGG_PRIVACY_DAYS = 0
    Response.objects.create(survey=open_survey, submitted_at=timezone.now(), channel=Response.Channel.WEB,
                            answers={"unsafe_places_text": TEXT})
    assert do_apply_privacy() == []
    assert open_survey.responses.get().answers["unsafe_places_text"] == TEXT


def test_bad_privacy_settings_are_refused(settings: Any) -> None:
    from trygg.surveys.privacy import PrivacyRule

    settings.TRYGG_PRIVACY_FREE_TEXT = "shred"
    with pytest.raises(ValueError, match="redact or delete"):
        PrivacyRule.from_settings()
