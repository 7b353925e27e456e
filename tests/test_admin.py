"""The Django admin: staff see only their organisations (model permissions alone open nothing), domain objects are
read only, and the few changes it offers go through the writers with their rules and audit events. The published
results page is never stale, even after a change made around the writers."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

pytestmark = pytest.mark.django_db

GOOD = "Sommar-Tylösand-2026"


@pytest.fixture
def laholm(db: Any) -> Any:
    from trygg.areas.actions import do_create_organisation

    return do_create_organisation("laholm", "Laholms kommun", kommun_code="1381")


def member(org: Any, name: str, role: str, party: str = "kommunen") -> Client:
    from trygg.accounts.actions import do_add_staff

    user = do_add_staff(org, name, role, party, password=GOOD).user
    client = Client()
    client.force_login(user)
    return client


def answered_survey(org: Any, year: int, n: int) -> Any:
    from django.utils import timezone

    from trygg.surveys.actions import do_close_survey, do_create_survey, do_open_survey, do_publish_results
    from trygg.surveys.models import Response

    survey = do_open_survey(do_create_survey(org, year))
    Response.objects.bulk_create(
        Response(survey=survey, submitted_at=timezone.now(), channel=Response.Channel.WEB,
                 answers={"gender": ("kvinna", "man")[i % 2],
                          "safe_area": ("mycket_trygg", "ganska_otrygg")[i % 3 == 0],
                          "unsafe_places_text": f"Mörkt vid Stationen {i}"})
        for i in range(n))
    return do_publish_results(do_close_survey(survey))


def test_staff_of_another_organisation_see_nothing_even_with_every_model_permission(
        halmstad: Any, laholm: Any) -> None:
    from trygg.accounts.actions import audit

    survey = answered_survey(halmstad, 2025, 12)
    audit("survey_note", organisation=halmstad, secret="halmstad only")
    intruder_client = member(laholm, "admin_laholm", "admin")
    from django.contrib.auth.models import User

    intruder = User.objects.get(username="admin_laholm")
    intruder.user_permissions.set(Permission.objects.all())
    for listing in ("surveys/response", "surveys/survey", "accounts/auditevent", "accounts/membership",
                    "areas/place", "areas/organisation"):
        page = intruder_client.get(f"/personal/{listing}/")
        assert page.status_code == 200, listing
        text = page.content.decode()
        for secret in ("halmstad-2025", "Halmstads kommun", "halmstad only", "Stationen", "Stora torg"):
            assert secret not in text, (listing, secret)
    response = survey.responses.first()
    assert intruder_client.get(f"/personal/surveys/response/{response.pk}/change/").status_code == 302
    assert intruder_client.get(f"/personal/surveys/survey/{survey.pk}/change/").status_code == 302
    closed = intruder_client.post("/personal/surveys/survey/", {"action": "close_surveys",
                                                                "_selected_action": [survey.pk]})
    assert closed.status_code in (200, 302)
    # The model permissions gave no add, change or delete either.
    assert intruder_client.post(f"/personal/surveys/response/{response.pk}/delete/", {"post": "yes"}).status_code \
        in (302, 403)
    assert survey.responses.count() == 12
    assert intruder_client.get("/personal/auth/user/").status_code == 403


def test_an_analyst_reads_answers_with_labels_and_without_free_text(halmstad: Any) -> None:
    survey = answered_survey(halmstad, 2025, 3)
    client = member(halmstad, "analys_halmstad", "analyst")
    page = client.get(f"/personal/surveys/response/{survey.responses.first().pk}/change/").content.decode()
    assert "Kvinna" in page and "Mycket trygg" in page or "Ganska otrygg" in page
    assert "Mörkt vid Stationen" not in page and "mycket_trygg" not in page
    viewer = member(halmstad, "lasare_halmstad", "viewer")
    assert viewer.get("/personal/surveys/response/").status_code == 403
    assert viewer.get("/personal/accounts/auditevent/").status_code == 403


def test_the_admin_refuses_to_reopen_a_closed_survey(halmstad: Any) -> None:
    from trygg.accounts.models import AuditEvent

    survey = answered_survey(halmstad, 2025, 3)
    client = member(halmstad, "admin_halmstad", "admin")
    changed = client.post(f"/personal/surveys/survey/{survey.pk}/change/",
                          {"organisation": halmstad.pk, "year": 2025, "bank_id": "standard-v1", "status": "open"})
    assert changed.status_code == 403
    reopened = client.post("/personal/surveys/survey/", {"action": "open_surveys", "_selected_action": [survey.pk]},
                           follow=True)
    assert "en stängd enkät öppnas inte igen" in reopened.content.decode()  # the writer's refusal, in Swedish
    survey.refresh_from_db()
    assert survey.status == "closed" and survey.closed_at is not None
    assert not AuditEvent.objects.filter(action="survey_opened", detail__survey=survey.slug, actor__isnull=False)


def test_the_admin_creates_a_survey_through_the_writer_and_refuses_an_unknown_bank(halmstad: Any,
                                                                                   laholm: Any) -> None:
    from trygg.accounts.models import AuditEvent
    from trygg.surveys.models import Survey

    client = member(halmstad, "admin_halmstad", "admin")
    refused = client.post("/personal/surveys/survey/add/", {"organisation": halmstad.pk, "year": 2027,
                                                            "bank_id": "nope"})
    assert refused.status_code == 200 and "nope" in refused.content.decode()
    assert not Survey.objects.filter(year=2027).exists()
    other = client.post("/personal/surveys/survey/add/", {"organisation": laholm.pk, "year": 2027,
                                                          "bank_id": "standard-v1"})
    assert other.status_code == 200 and not Survey.objects.filter(organisation=laholm).exists()
    made = client.post("/personal/surveys/survey/add/", {"organisation": halmstad.pk, "year": 2027,
                                                         "bank_id": "standard-v1"})
    assert made.status_code == 302
    survey = Survey.objects.get(organisation=halmstad, year=2027)
    event = AuditEvent.objects.get(action="survey_created", detail__survey=survey.slug)
    assert event.actor.username == "admin_halmstad"
    opened = client.post("/personal/surveys/survey/", {"action": "open_surveys", "_selected_action": [survey.pk]})
    assert opened.status_code == 302
    survey.refresh_from_db()
    assert survey.status == "open" and survey.opened_at is not None
    assert AuditEvent.objects.get(action="survey_opened").actor.username == "admin_halmstad"


def test_an_analyst_cannot_publish_in_the_admin(halmstad: Any) -> None:
    from trygg.surveys.actions import do_close_survey, do_create_survey, do_open_survey

    survey = do_close_survey(do_open_survey(do_create_survey(halmstad, 2025)))
    client = member(halmstad, "analys_halmstad", "analyst")
    client.post("/personal/surveys/survey/", {"action": "publish_results", "_selected_action": [survey.pk]})
    survey.refresh_from_db()
    assert not survey.results_published
    assert client.get("/personal/surveys/survey/add/").status_code == 403


def test_even_a_superuser_changes_nothing_in_the_admin_around_the_writers(halmstad: Any,
                                                                          django_user_model: Any) -> None:
    survey = answered_survey(halmstad, 2025, 3)
    root = django_user_model.objects.create_superuser("drift", password=GOOD)
    client = Client()
    client.force_login(root)
    assert client.get("/personal/surveys/response/").status_code == 200
    answer = survey.responses.first()
    assert client.post(f"/personal/surveys/response/{answer.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.post(f"/personal/areas/place/{halmstad.places.first().pk}/change/",
                       {"name": "x"}).status_code == 403
    assert client.post("/personal/accounts/membership/add/", {}).status_code == 403
    assert client.get("/personal/accounts/auditevent/add/").status_code == 403
    assert survey.responses.count() == 3


def test_the_published_page_follows_a_change_made_around_the_writers(halmstad: Any) -> None:
    from trygg.surveys.models import Response

    survey = answered_survey(halmstad, 2025, 40)
    client = Client()
    assert "40 personer svarade" in client.get("/halmstad/resultat/2025/").content.decode()
    Response.objects.filter(pk__in=list(survey.responses.values_list("pk", flat=True)[:5])).delete()
    assert "35 personer svarade" in client.get("/halmstad/resultat/2025/").content.decode()
    halmstad.margins.all().delete()
    place = halmstad.places.first()
    place.aliases = [*place.aliases, "nytt namn"]
    place.save()
    assert "35 personer svarade" in client.get("/halmstad/resultat/2025/").content.decode()
