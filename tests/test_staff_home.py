"""The staff's first page, /personal/: each organisation of the user with its surveys and their work, promises,
incidents and (for admins) staff, log and keys; nothing of another organisation; the admin's lists last."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import Page

from browser_helpers import assert_accessible

pytestmark = pytest.mark.django_db


@pytest.fixture
def laholm(db: Any) -> Any:
    from trygg.areas.actions import do_create_organisation
    from trygg.surveys.actions import do_create_survey

    org = do_create_organisation("laholm", "Laholms kommun och LPO Laholm")
    do_create_survey(org, 2025)
    return org


def staff(org: Any, name: str, role: str, party: str = "kommunen") -> Client:
    from trygg.accounts.actions import do_add_staff

    client = Client()
    client.force_login(do_add_staff(org, name, role, party, password="Långt-lösenord-för-test-1").user)
    return client


def test_an_analyst_sees_their_surveys_and_the_work_each_needs(open_survey: Any, laholm: Any,
                                                               write_csv: Any) -> None:
    from trygg.surveys.actions import do_import_responses

    do_import_responses(open_survey, write_csv("svar.csv", ["area", "safe_area"],
                                               [["andersberg", "ganska_trygg"], ["vallas", "mycket_trygg"]]))
    page = staff(open_survey.organisation, "analytiker", "analyst").get("/personal/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<h1>Personalens start</h1>" in html and "Din roll: Analytiker (Kommunen)." in html
    assert "Öppen" in html and '<td class="num">2</td>' in html
    for link in ("/personal/monitor/halmstad-2026/", "/personal/import/halmstad-2026/",
                 "/personal/insamling/halmstad-2026/", "/personal/kodning/halmstad-2026/",
                 "/personal/lagesbild/halmstad-2026/", "/personal/lofte/halmstad/", "/personal/handelser/halmstad/"):
        assert f'href="{link}"' in html, link
    assert "Laholm" not in html and "laholm-2025" not in html
    assert "/personal/anstallda/halmstad/" not in html  # staff and log are the admins'


def test_a_viewer_gets_no_links_to_change_or_to_free_text(open_survey: Any) -> None:
    html = staff(open_survey.organisation, "lasare", "viewer", "polisen").get("/personal/").content.decode()
    assert "Din roll: Läsare (Polisen)." in html
    assert "/personal/monitor/halmstad-2026/" in html and "/personal/lagesbild/halmstad-2026/" in html
    for link in ("/personal/import/", "/personal/insamling/", "/personal/kodning/", "/personal/handelser/"):
        assert link not in html, link


def test_an_admin_reaches_staff_log_and_keys_and_the_lists_in_english(open_survey: Any) -> None:
    client = staff(open_survey.organisation, "chef", "admin")
    html = client.get("/personal/").content.decode()
    for link in ("/personal/anstallda/halmstad/", "/personal/logg/halmstad/", "/personal/api-nycklar/halmstad/"):
        assert f'href="{link}"' in html, link
    english = client.get("/personal/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h1>Staff home</h1>" in english and "Your role: Administrator (The municipality)." in english
    assert "Browse the data" in english and 'href="/personal/surveys/response/"' in english


def test_a_user_without_a_role_is_told_whom_to_ask(db: Any, django_user_model: Any) -> None:
    user = django_user_model.objects.create_user("utan_roll", password="Långt-lösenord-för-test-1", is_staff=True)
    client = Client()
    client.force_login(user)
    page = client.get("/personal/")
    assert page.status_code == 200 and "Du har ingen roll i någon organisation än." in page.content.decode()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_staff_home_fits_a_phone_and_passes_axe(page: Page, live_server: Any, open_survey: Any) -> None:
    from trygg.accounts.actions import do_add_staff

    do_add_staff(open_survey.organisation, "samordnare", "analyst", "kommunen", password="Långt-lösenord-för-test-1")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/personal/login/?next=/personal/")
    page.get_by_label("Användarnamn").fill("samordnare")
    page.get_by_label("Lösenord").fill("Långt-lösenord-för-test-1")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Personalens start").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page)
    page.get_by_role("link", name="Insamling 2026").click()
    assert "/personal/monitor/halmstad-2026/" in page.url


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_every_staff_page_of_the_demo_fits_a_phone(page: Page, live_server: Any, run_cli: Any) -> None:
    """Every staff page reachable from the home (the admin's operator lists aside) fits 390 px without sideways
    scrolling: wide tables scroll in their own box, long choices (a promise's activities) stay inside the screen."""
    assert run_cli("demo", "--no-serve")[0] == 0
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/personal/login/?next=/personal/")
    page.get_by_label("Användarnamn").fill("demo")
    page.get_by_label("Lösenord").fill("trygg-demo")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Personalens start").wait_for()
    operators = ("/personal/accounts/", "/personal/auth/", "/personal/axes/", "/personal/areas/",
                 "/personal/incidents/", "/personal/promises/", "/personal/surveys/")
    seen: set[str] = set()
    queue, too_wide = ["/personal/"], []
    while queue:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        page.goto(f"{live_server.url}{path}")
        if page.evaluate("document.documentElement.scrollWidth > window.innerWidth"):
            too_wide.append(path)
        links = page.evaluate("[...document.querySelectorAll('main a')].map(a => a.getAttribute('href'))")
        queue += [h for h in links if h and h.startswith("/personal/") and "?" not in h and "logout" not in h
                  and not h.endswith((".csv", ".pdf", ".zip")) and not h.startswith(operators)]
    assert len(seen) > 40  # the logs, staff, keys, surveys, imports, monitor, coding and its answers, promise, picture
    assert too_wide == []
