"""The fieldwork workspace in Debian's Chromium: staff create and open a survey, watch the monitor count a
resident's answer, import a Netigate file after its dry run, enter a paper answer and a dialogue note, then close
(with its final warning) and publish. axe-core finds nothing on any of the pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page
from tests.data.imports.make_imports import write

from browser_helpers import assert_accessible
from test_picture_browser import log_in
from trygg.surveys.models import Response, Survey

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_survey_from_draft_to_published(page: Page, live_server: Any, halmstad: Any, django_user_model: Any,
                                          tmp_path: Path) -> None:
    from trygg.accounts.actions import do_grant_role

    do_grant_role(django_user_model.objects.create_user("admin_halmstad", password="admin-lösenord-1"), halmstad,
                  "admin")
    url = live_server.url
    log_in(page, url, "admin_halmstad", "admin-lösenord-1")
    page.goto(f"{url}/personal/enkater/halmstad/")
    assert_accessible(page)
    page.get_by_label("År").fill("2026")
    page.get_by_role("button", name="Skapa utkast").click()
    page.get_by_text("Enkäten halmstad-2026 är skapad som utkast.").wait_for()
    page.get_by_role("link", name="Öppna halmstad-2026").click()
    assert_accessible(page)
    page.get_by_role("button", name="Ja, öppna enkäten").click()
    page.get_by_text("Enkäten halmstad-2026 är öppen för svar.").wait_for()

    page.goto(f"{url}/personal/monitor/halmstad-2026/")
    page.get_by_text("0 svar hittills").wait_for()
    assert_accessible(page)
    # A resident's answer arrives through the writer the web form uses (the form's steps are another test's);
    # the monitor counts it on the next load.
    from trygg.surveys.actions import do_submit_response

    do_submit_response(Survey.objects.get(year=2026), {"gender": "kvinna", "age_group": "16-24"}, "web-1")
    page.reload()
    page.get_by_text("1 svar hittills").wait_for()
    assert page.get_by_role("img", name="Svar per dag och kanal").count() == 1
    assert_accessible(page)

    page.get_by_role("link", name="Import", exact=True).click()
    assert_accessible(page)
    page.get_by_label("Fil med svar (CSV eller XLSX)").set_input_files(write("netigate", tmp_path / "n.xlsx", n=8))
    page.get_by_label("Netigate").check()
    page.get_by_role("button", name="Kontrollera filen").click()
    page.get_by_role("heading", name="Kontroll av n.xlsx: 8 svar kan importeras").wait_for()
    assert_accessible(page)
    assert Response.objects.count() == 1
    page.get_by_role("button", name="Importera 8 svar").click()
    page.get_by_text("9 svar hittills").wait_for()

    page.get_by_role("link", name="Papper och dialog").click()
    assert_accessible(page)
    page.get_by_label("Pappersenkät").check()
    page.get_by_label("Plats (t.ex. biblioteket i Andersberg)").fill("Vallås bibliotek")
    page.get_by_label("Kön").select_option("man")
    page.get_by_role("button", name="Spara svaret").click()
    page.get_by_text("Svaret är sparat. Fyll i nästa.").wait_for()
    assert Response.objects.filter(channel="paper", place="Vallås bibliotek").count() == 1

    page.get_by_role("link", name="Dialoganteckningar").click()
    page.get_by_label("Plats", exact=True).fill("Vallås torg")
    page.get_by_label("Tema").select_option("belysning")
    page.get_by_label("Vad togs upp?").fill("Mörkt vid gångtunneln")
    page.get_by_role("button", name="Spara anteckningen").click()
    page.get_by_role("cell", name="Mörkt vid gångtunneln").wait_for()
    assert_accessible(page)
    page.goto(f"{url}/personal/lagesbild/halmstad-2026/")
    page.get_by_role("heading", name="Vad som togs upp i medborgardialoger").wait_for()
    assert page.get_by_text("Mörkt vid gångtunneln").count() == 1
    assert_accessible(page)

    page.goto(f"{url}/personal/enkater/halmstad/")
    page.get_by_role("link", name="Stäng halmstad-2026").click()
    page.get_by_text("Stängningen är slutgiltig").wait_for()
    page.get_by_role("button", name="Ja, stäng enkäten för gott").click()
    page.get_by_role("link", name="Publicera halmstad-2026").click()
    page.get_by_role("button", name="Ja, publicera resultaten").click()
    page.get_by_text("Resultaten för halmstad-2026 är publicerade.").wait_for()
    assert_accessible(page)
    survey = Survey.objects.get(year=2026)
    assert survey.status == "closed" and survey.results_public
    page.goto(f"{url}/personal/import/halmstad-2026/")
    page.get_by_text("Enkäten är stängd").wait_for()
