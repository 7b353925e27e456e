"""The staff's fieldwork workspace through Django's test client: lifecycle, imports, hand entry, notes, monitor."""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from tests.data.imports.make_imports import write

from trygg.surveys.models import DialogueNote, Response, Survey
from trygg.surveys.monitor import answers_needed, fieldwork

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client: Client, analyst_halmstad: Any) -> Client:
    client.force_login(analyst_halmstad)
    return client


@pytest.fixture
def admin_client(client: Client, halmstad: Any, django_user_model: Any) -> Client:
    from trygg.accounts.actions import do_grant_role

    user = django_user_model.objects.create_user("admin_halmstad", password="admin-lösenord-1")
    do_grant_role(user, halmstad, "admin")
    client.force_login(user)
    return client


@pytest.fixture
def viewer(client: Client, halmstad: Any, django_user_model: Any) -> Client:
    from trygg.accounts.actions import do_grant_role

    user = django_user_model.objects.create_user("viewer_halmstad", password="läsare-lösenord-1")
    do_grant_role(user, halmstad, "viewer")
    client.force_login(user)
    return client


def test_lifecycle_through_the_pages(admin_client: Client, halmstad: Any) -> None:
    from trygg.accounts.models import AuditEvent

    staff = admin_client
    page = staff.post("/personal/enkater/halmstad/", {"ar": "2027", "bank": "standard-v1"})
    assert page.status_code == 302
    survey = Survey.objects.get(organisation=halmstad, year=2027)
    assert survey.status == "draft"
    confirm = staff.get("/personal/enkater/halmstad/2027/stang/")
    assert confirm.status_code == 200
    assert staff.post("/personal/enkater/halmstad/2027/stang/").status_code == 400  # a draft cannot be closed
    assert "slutgiltig" in staff.get("/personal/enkater/halmstad/2027/stang/").content.decode()
    for step, status in (("oppna", "open"), ("stang", "closed")):
        assert staff.post(f"/personal/enkater/halmstad/2027/{step}/").status_code == 302
        survey.refresh_from_db()
        assert survey.status == status
    assert staff.post("/personal/enkater/halmstad/2027/publicera/").status_code == 302
    survey.refresh_from_db()
    assert survey.results_public
    actions = set(AuditEvent.objects.filter(organisation=halmstad).values_list("action", flat=True))
    assert {"survey_created", "survey_opened", "survey_closed", "results_published"} <= actions


def test_analysts_do_not_open_close_or_publish(staff: Client, open_survey: Any) -> None:
    assert staff.get("/personal/enkater/halmstad/").status_code == 200
    assert staff.post("/personal/enkater/halmstad/2026/stang/").status_code == 403
    assert staff.post("/personal/enkater/halmstad/", {"ar": "2030", "bank": "standard-v1"}).status_code == 403
    open_survey.refresh_from_db()
    assert open_survey.status == "open"


def test_viewer_sees_but_cannot_change(viewer: Client, open_survey: Any) -> None:
    assert viewer.get("/personal/enkater/halmstad/").status_code == 200
    assert viewer.get(f"/personal/monitor/{open_survey.slug}/").status_code == 200
    assert viewer.post("/personal/enkater/halmstad/2026/stang/").status_code == 403
    assert viewer.post("/personal/enkater/halmstad/", {"ar": "2030", "bank": "standard-v1"}).status_code == 403


def test_strangers_are_refused(client: Client, open_survey: Any, django_user_model: Any) -> None:
    client.force_login(django_user_model.objects.create_user("someone", password="x-lösenord-1"))
    for url in ("/personal/enkater/halmstad/", f"/personal/monitor/{open_survey.slug}/",
                f"/personal/import/{open_survey.slug}/", f"/personal/dialog/{open_survey.slug}/"):
        assert client.get(url).status_code == 403


def test_import_page_dry_run_then_confirm(staff: Client, open_survey: Any, tmp_path: Path) -> None:
    path = write("netigate", tmp_path / "netigate.xlsx", n=25)
    with path.open("rb") as handle:
        page = staff.post(f"/personal/import/{open_survey.slug}/", {"fil": handle, "mappning": "netigate"})
    text = page.content.decode()
    assert page.status_code == 200, text
    assert "25 svar kan importeras" in text
    assert open_survey.responses.count() == 0
    ticket = text.split('name="biljett" value="')[1].split('"')[0]
    done = staff.post(f"/personal/import/{open_survey.slug}/", {"biljett": ticket})
    assert done.status_code == 302
    assert open_survey.responses.count() == 25
    # The same confirmation a second time finds its file gone and stores nothing more.
    again = staff.post(f"/personal/import/{open_survey.slug}/", {"biljett": ticket})
    assert again.status_code == 400
    assert open_survey.responses.count() == 25


def test_import_page_lists_every_problem(staff: Client, open_survey: Any, tmp_path: Path) -> None:
    path = write("esmaker", tmp_path / "esmaker.csv", n=10, bad={
        (2, "2. Kön"): "Kvinnlig", (5, "3. Ålder"): "90 år", (9, "4. Hur trygg eller otrygg känner du dig i ditt "
                                                             "bostadsområde?"): "Ganska orolig"})
    with path.open("rb") as handle:
        page = staff.post(f"/personal/import/{open_survey.slug}/", {"fil": handle, "mappning": "esmaker"})
    text = page.content.decode()
    assert page.status_code == 400
    assert "3 problem, inget sparades" in text
    for where in ("rad 2", "rad 5", "rad 9"):
        assert where in text
    assert open_survey.responses.count() == 0


@pytest.mark.parametrize("language, sentence", [
    ("sv", "svar.csv, rad 3 (rad 4 i filen), kolumn gender: 'x' är ingen svarskod för gender (tillåtna: "),
    ("en", "svar.csv, row 3 (line 4 of the file), column gender: 'x' is not an answer code for gender (allowed: "),
])
def test_import_page_names_the_problem_in_the_pages_language(staff: Client, open_survey: Any, tmp_path: Path,
                                                             language: str, sentence: str) -> None:
    path = tmp_path / "svar.csv"
    path.write_text("gender,safe_area\nkvinna,ganska_trygg\nman,ganska_trygg\nx,ganska_trygg\n", encoding="utf-8")
    staff.cookies["django_language"] = language
    with path.open("rb") as handle:
        page = staff.post(f"/personal/import/{open_survey.slug}/", {"fil": handle}, HTTP_ACCEPT_LANGUAGE=language)
    assert page.status_code == 400
    assert sentence in html.unescape(page.content.decode())
    assert open_survey.responses.count() == 0


def test_import_page_refuses_a_closed_survey(staff: Client, open_survey: Any, tmp_path: Path) -> None:
    from trygg.surveys.actions import do_close_survey

    path = write("netigate", tmp_path / "n.xlsx", n=3)
    with path.open("rb") as handle:
        dry = staff.post(f"/personal/import/{open_survey.slug}/", {"fil": handle, "mappning": "netigate"})
    ticket = dry.content.decode().split('name="biljett" value="')[1].split('"')[0]
    do_close_survey(open_survey)
    page = staff.post(f"/personal/import/{open_survey.slug}/", {"biljett": ticket})
    assert page.status_code == 400
    assert "är stängd: en stängd enkät tar inte emot fler svar" in page.content.decode()
    assert open_survey.responses.count() == 0


def test_paper_answer_entered_by_hand(staff: Client, open_survey: Any) -> None:
    url = f"/personal/insamling/{open_survey.slug}/"
    assert staff.get(url).status_code == 200
    bad = staff.post(url, {"kanal": "paper", "plats": "Biblioteket", "datum": "2026-10-02", "gender": "okänt"})
    assert bad.status_code == 400 and "okänt" in bad.content.decode()
    done = staff.post(url, {"kanal": "paper", "plats": "Biblioteket Andersberg", "datum": "2026-10-02",
                            "area": "andersberg", "gender": "kvinna", "unsafe_time": ["dag", "20-23"]})
    assert done.status_code == 302
    answer = Response.objects.get(survey=open_survey)
    assert answer.channel == "paper" and answer.place == "Biblioteket Andersberg"
    assert answer.answers == {"area": "andersberg", "gender": "kvinna", "unsafe_time": ["dag", "20-23"]}
    assert answer.submitted_at.date() == date(2026, 10, 2)


def test_dialogue_note(staff: Client, open_survey: Any) -> None:
    url = f"/personal/dialog/{open_survey.slug}/"
    done = staff.post(url, {"datum": "2026-10-05", "plats": "Andersbergs centrum", "omrade": "andersberg",
                            "tema": "belysning", "text": "Mörkt vid gångtunneln", "deltagare": "14"})
    assert done.status_code == 302
    note = DialogueNote.objects.get(survey=open_survey)
    assert (note.theme, note.area.code if note.area else None, note.people) == ("belysning", "andersberg", 14)
    assert "Mörkt vid gångtunneln" in staff.get(url).content.decode()
    assert staff.post(url, {"datum": "2026-10-05", "plats": "x", "tema": "okänt", "text": "y"}).status_code == 400


def test_monitor_puts_the_least_represented_first(staff: Client, open_survey: Any, halmstad: Any,
                                                  write_csv: Any) -> None:
    from trygg.areas.actions import do_import_population
    from trygg.surveys.actions import do_submit_response

    do_import_population(halmstad, write_csv("margins.csv", ["variable", "category", "count"], [
        ["gender", "kvinna", "50000"], ["gender", "man", "50000"],
        ["age_group", "16-24", "2000"], ["age_group", "25-44", "98000"]]))
    for i in range(6):
        do_submit_response(open_survey, {"gender": "kvinna" if i < 5 else "man", "age_group": "25-44"}, f"t{i}")
    data = fieldwork(open_survey)
    assert data.total == 6
    assert [(g.variable, g.category) for g in data.groups[:2]] == [("age_group", "16-24"), ("gender", "man")]
    man = next(g for g in data.groups if g.category == "man")
    assert man.still_needed == answers_needed(50000) - 1
    assert "area" in data.unweighted_variables
    page = staff.get(f"/personal/monitor/{open_survey.slug}/").content.decode()
    assert "6 svar hittills" in page and "<svg" in page


def test_answers_needed_for_five_points() -> None:
    assert answers_needed(10_000_000) == 385
    assert answers_needed(500) == 218
    assert answers_needed(0) == 0


def test_admin_cannot_add_answers_or_reopen_a_closed_survey(client: Client, open_survey: Any,
                                                             django_user_model: Any) -> None:
    from trygg.surveys.actions import do_close_survey

    do_close_survey(open_survey)
    client.force_login(django_user_model.objects.create_superuser("root", password="rot-lösenord-1"))
    assert client.get("/personal/surveys/response/add/").status_code == 403
    page = client.post("/personal/surveys/survey/", {"action": "open_surveys", "_selected_action": [open_survey.pk]},
                       follow=True)
    assert "är stängd; en stängd enkät öppnas inte igen" in page.content.decode()
    open_survey.refresh_from_db()
    assert open_survey.status == "closed"
    assert client.get("/personal/surveys/dialoguenote/").status_code == 200
    assert client.get("/personal/surveys/dialoguenote/add/").status_code == 403


def test_dialogue_notes_show_on_the_situation_picture(staff: Client, open_survey: Any) -> None:
    from trygg.reports.picture import dialogue_notes
    from trygg.surveys.dialogue import do_add_dialogue_note

    area = open_survey.organisation.areas.get(code="vallas")
    do_add_dialogue_note(open_survey, date(2026, 10, 1), "Vallås torg", "ungdomar", "Mopeder på torget", area=area)
    do_add_dialogue_note(open_survey, date(2026, 10, 2), "Vallås torg", "belysning", "Mörkt vid busshållplatsen")
    do_add_dialogue_note(open_survey, date(2026, 10, 3), "Stadsbiblioteket", "belysning", "Parken saknar lampor")
    grouped = dialogue_notes(open_survey)
    assert [(t["theme"], t["count"]) for t in grouped] == [("belysning", 2), ("ungdomar", 1)]
    assert [p["place"] for p in grouped[0]["places"]] == ["Stadsbiblioteket", "Vallås torg"]
    page = staff.get(f"/personal/lagesbild/{open_survey.slug}/").content.decode()
    assert "Vad som togs upp i medborgardialoger" in page and "Parken saknar lampor" in page


def test_unconfirmed_uploads_expire(staff: Client, open_survey: Any, tmp_path: Path) -> None:
    import os
    import time

    from trygg.surveys.staff_views import UPLOAD_MAX_AGE, UPLOADS

    UPLOADS.mkdir(mode=0o700, exist_ok=True)
    stale = UPLOADS / "stale-test.csv"
    stale.write_text("gender\nkvinna\n", encoding="utf-8")
    old = time.time() - UPLOAD_MAX_AGE - 60
    os.utime(stale, (old, old))
    with write("esmaker", tmp_path / "e.csv", n=2).open("rb") as handle:
        assert staff.post(f"/personal/import/{open_survey.slug}/", {"fil": handle, "mappning": "esmaker"}
                          ).status_code == 200
    assert not stale.exists()
