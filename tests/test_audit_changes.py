"""Every writer's audit event says what changed: the values before and after (changed fields only), and for bulk
imports counts and fingerprints rather than rows. The audit log page and its CSV show them with labels."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

pytestmark = pytest.mark.django_db

DEMO_DATA = Path(__file__).resolve().parents[1] / "src" / "trygg" / "demo" / "data"


def last(action: str) -> dict[str, Any]:
    from trygg.accounts.models import AuditEvent

    event = AuditEvent.objects.filter(action=action).order_by("-id").first()
    assert event is not None, action
    detail: dict[str, Any] = event.detail
    return detail


def test_changes_keeps_the_changed_fields_only() -> None:
    from trygg.accounts.changes import changes

    assert changes({"status": "open", "n": 1}, {"status": "closed", "n": 1}) == {
        "before": {"status": "open"}, "after": {"status": "closed"}}
    assert changes({"a": 1}, {"a": 1}) == {"before": {}, "after": {}}
    assert changes({}, {"day": date(2026, 1, 2)}) == {"before": {"day": None}, "after": {"day": "2026-01-02"}}


def test_the_survey_lifecycle_records_status_and_times(halmstad: Any) -> None:
    from trygg.surveys.actions import do_close_survey, do_create_survey, do_open_survey, do_publish_results

    survey = do_create_survey(halmstad, 2026)
    assert last("survey_created")["before"] == {"status": None, "bank": None}
    assert last("survey_created")["after"] == {"status": "draft", "bank": "standard-v1"}
    do_open_survey(survey)
    opened = last("survey_opened")
    assert opened["before"] == {"status": "draft", "opened_at": None}
    assert opened["after"]["status"] == "open" and opened["after"]["opened_at"] == survey.opened_at.isoformat()
    do_close_survey(survey)
    closed = last("survey_closed")
    assert closed["before"] == {"status": "open", "closed_at": None}
    assert closed["after"] == {"status": "closed", "closed_at": survey.closed_at.isoformat()}
    do_publish_results(survey)
    assert last("results_published")["before"] == {"results_published": False}
    assert last("results_published")["after"] == {"results_published": True}


def test_an_import_records_counts_and_the_files_fingerprint(open_survey: Any, write_csv: Callable[..., Path]) -> None:
    import hashlib

    from trygg.surveys.actions import do_import_responses

    path = write_csv("svar.csv", ["gender", "safe_area"], [["kvinna", "mycket_trygg"], ["man", "ganska_trygg"]])
    do_import_responses(open_survey, path)
    first = last("responses_imported")
    assert first["before"] == {"responses": 0} and first["after"] == {"responses": 2}
    assert first["fingerprint"] == hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    do_import_responses(open_survey, path)
    assert last("responses_imported")["before"] == {"responses": 2}
    assert last("responses_imported")["after"] == {"responses": 4}


def test_answers_and_notes_entered_by_hand(open_survey: Any) -> None:
    from trygg.surveys.dialogue import do_add_dialogue_note, do_enter_response
    from trygg.surveys.models import DialogueNote

    do_enter_response(open_survey, {"gender": "kvinna"}, "paper", "Biblioteket", timezone.localdate())
    assert last("response_entered")["before"] == {"responses": 0}
    assert last("response_entered")["after"] == {"responses": 1}
    area = open_survey.organisation.areas.order_by("code").first()
    do_add_dialogue_note(open_survey, date(2026, 3, 4), "Torget", DialogueNote.Theme.values[0], "Mörkt.", area=area,
                         people=12)
    note = last("dialogue_note_added")
    assert note["before"] == {"held_on": None, "area": None, "people": None}
    assert note["after"] == {"held_on": "2026-03-04", "area": area.code, "people": 12}


def test_bursts_record_the_decision_and_the_answers_removed(open_survey: Any, analyst_halmstad: Any) -> None:
    from trygg.surveys.actions import do_submit_response
    from trygg.surveys.antiabuse import do_decide_burst, do_flag_burst

    first, _ = do_submit_response(open_survey, {"gender": "kvinna"}, "t1")
    second, _ = do_submit_response(open_survey, {"gender": "man"}, "t2")
    flag_first = do_flag_burst(first, "connection", "g", proven=False)
    assert last("burst_flagged")["before"] == {"decision": None}
    assert last("burst_flagged")["after"] == {"decision": ""}
    do_decide_burst(flag_first, True, analyst_halmstad)
    assert last("burst_kept")["before"] == {"decision": ""} and last("burst_kept")["after"] == {"decision": "behall"}
    do_decide_burst(do_flag_burst(second, "connection", "g", proven=False), False, analyst_halmstad)
    assert last("burst_removed")["before"] == {"responses": 2} and last("burst_removed")["after"] == {"responses": 1}


def test_privacy_records_the_answers_fingerprints(halmstad: Any, settings: Any) -> None:
    from datetime import timedelta

    from trygg.surveys.actions import do_close_survey, do_create_survey, do_open_survey, do_submit_response
    from trygg.surveys.models import Survey
    from trygg.surveys.privacy import do_apply_privacy

    settings.TRYGG_PRIVACY_DAYS = 0
    survey = do_open_survey(do_create_survey(halmstad, 2024))
    do_submit_response(survey, {"unsafe_places_text": "ring 070-123 45 67"}, "t1")
    do_close_survey(survey)
    Survey.objects.filter(pk=survey.pk).update(closed_at=timezone.now() - timedelta(days=1))
    do_apply_privacy()
    event = last("privacy_applied")
    assert event["answers_changed"] == 1
    assert len(event["before"]["fingerprint"]) == 16
    assert event["before"]["fingerprint"] != event["after"]["fingerprint"]


def test_a_review_and_an_alias_record_the_codes_before_and_after(open_survey: Any, analyst_halmstad: Any) -> None:
    from trygg.areas.models import Place
    from trygg.surveys.actions import do_submit_response
    from trygg.surveys.review import do_add_alias, do_review_mentions

    response, _ = do_submit_response(open_survey, {"unsafe_places_text": "Otryggt vid Stora torg"}, "t1")
    do_review_mentions(response, ["stora-torg", "centrum-ost"], analyst_halmstad)
    reviewed = last("mentions_reviewed")
    assert reviewed["before"] == {"slugs": ["stora-torg"]}
    assert reviewed["after"] == {"slugs": ["centrum-ost", "stora-torg"]}
    place = Place.objects.get(organisation=open_survey.organisation, slug="stora-torg")
    aliases = list(place.aliases)
    do_add_alias(place, "torget vid kyrkan", analyst_halmstad)
    assert last("place_alias_added")["before"] == {"aliases": aliases}
    assert last("place_alias_added")["after"] == {"aliases": [*aliases, "torget vid kyrkan"]}


def test_organisations_places_and_margins(db: Any, write_csv: Callable[..., Path]) -> None:
    from trygg.areas.actions import do_create_organisation, do_import_places, do_import_population

    org = do_create_organisation("halmstad", "Halmstad", areas_file=DEMO_DATA / "halmstad_areas.geojson")
    areas = org.areas.count()
    assert last("organisation_created")["after"] == {"name": "Halmstad", "areas": areas}
    do_import_places(org, DEMO_DATA / "halmstad_places.geojson")
    imported = last("places_imported")
    places = org.places.count()
    assert imported["before"]["places"] == 0 and imported["after"]["places"] == places
    assert imported["added"] == places and imported["changed"] == 0
    do_import_places(org, DEMO_DATA / "halmstad_places.geojson")
    again = last("places_imported")
    assert again["before"] == {} and again["after"] == {} and again["added"] == again["changed"] == 0
    path = write_csv("platser.csv", ["name", "aliases"], [["Stora torg", "torget|stortorget"], ["Ny park", ""]])
    do_import_places(org, path)
    changed = last("places_imported")
    assert changed["added"] == 1 and changed["changed"] == 1
    assert changed["before"]["places"] == places and changed["after"]["places"] == places + 1
    assert changed["before"]["fingerprint"] != changed["after"]["fingerprint"]
    do_import_population(org, DEMO_DATA / "halmstad_population.csv")
    first = last("population_imported")
    assert first["before"] == {"margins": 0, "population": None, "fingerprint": None}
    assert first["after"]["margins"] == org.margins.count() and first["after"]["population"] > 0
    do_import_population(org, DEMO_DATA / "halmstad_population.csv")
    assert last("population_imported")["before"] == last("population_imported")["after"] == {}


def test_incident_imports_record_counts_and_a_fingerprint(halmstad: Any, tmp_path: Path,
                                                          write_csv: Callable[..., Path]) -> None:
    from incident_files import event, write_events
    from trygg.incidents.actions import do_import_incidents

    halmstad.police_area = "Halmstad"
    halmstad.save()
    events = [event(500 + i, f"2024-05-0{i + 1} 22:05:00 +02:00", f"0{i + 1} maj 21.30, Misshandel, Halmstad",
                    "Misshandel", "Halmstad") for i in range(3)]
    path = write_events(tmp_path / "handelser.json", events)
    do_import_incidents(halmstad, path)
    first = last("incidents_imported")
    assert first["before"] == {"police_events": 0} and first["after"] == {"police_events": 3}
    do_import_incidents(halmstad, path)
    again = last("incidents_imported")
    assert again["before"] == again["after"] == {} and again["fingerprint"] != first["fingerprint"]
    own = write_csv("egna.csv", ["occurred_at", "category", "lat", "lon", "area"],
                    [["2024-05-01 00:30", "klotter", "", "", "vallas"]])
    do_import_incidents(halmstad, own)
    assert last("incidents_imported")["before"] == {"own_incidents": 0}
    assert last("incidents_imported")["after"] == {"own_incidents": 1}


def test_a_promise_records_its_publication_and_each_progress(halmstad: Any, django_user_model: Any) -> None:
    from trygg.accounts.actions import do_grant_role
    from trygg.promises.actions import (
        do_add_activity,
        do_add_commitment,
        do_approve,
        do_create_draft,
        do_log_progress,
        do_publish,
    )

    draft = do_create_draft(halmstad, 2026)
    activity = do_add_activity(do_add_commitment(draft, "gemensamt", "Tryggare centrum"),
                               {"text": "Belysning vid stationen", "quantity": 10, "unit": "lampor"})
    for name, party in (("kommun", "kommunen"), ("polis", "polisen")):
        user = django_user_model.objects.create_user(name)
        do_grant_role(user, halmstad, "admin", party=party)
        do_approve(draft, user)
    do_publish(draft)
    published = last("promise_published")
    assert published["before"] == {"promise_status": "draft", "published_at": None}
    assert published["after"]["promise_status"] == "published"
    do_log_progress(activity, on=date(2026, 3, 1), delivered=4)
    progress = last("promise_progress_logged")
    assert progress["before"] == {"delivered": None, "percent": None, "status": "planned"}
    assert progress["after"] == {"delivered": 4, "percent": 40.0, "status": "ongoing"}
    do_log_progress(activity, on=date(2026, 4, 1), note="Inget nytt")
    assert last("promise_progress_logged")["before"] == last("promise_progress_logged")["after"] == {}


def test_the_log_page_and_csv_show_before_and_after_with_labels(open_survey: Any, django_user_model: Any) -> None:
    from trygg.accounts.actions import do_add_staff
    from trygg.surveys.actions import do_close_survey

    do_close_survey(open_survey)
    admin = do_add_staff(open_survey.organisation, "admin_h", "admin", "kommunen", password="Sommar-Tylösand-2026").user
    client = Client()
    client.force_login(admin)
    page = client.get("/personal/logg/halmstad/").content.decode()
    assert "Före → efter" in page and "status: Öppen → Stängd" in page
    rows = list(csv.DictReader(io.StringIO(client.get("/personal/logg/halmstad/logg.csv").content.decode("utf-8-sig"))))
    closed = next(r for r in rows if r["action"] == "survey_closed")
    assert closed["change"].startswith("status: Öppen → Stängd; stängd: – → 20")
    assert "enkät: halmstad-2026" in closed["summary"] and "status" not in closed["summary"]
    client.cookies["django_language"] = "en"
    english = client.get("/personal/logg/halmstad/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Before → after" in english and "status: Open → Closed" in english
    from django.utils import translation

    from trygg.accounts.labels import event_change
    from trygg.accounts.models import AuditEvent

    event = AuditEvent(action="promise_published", detail={"before": {"promise_status": "draft"},
                                                           "after": {"promise_status": "published"}})
    with translation.override("sv"):
        assert event_change(event) == "löftets status: Utkast → Publicerat"
