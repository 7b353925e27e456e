"""Real pages in Debian's Chromium through Playwright: answer, read the results, pass axe-core (WCAG 2.1 AA)."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Browser, Page

from browser_helpers import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
def test_resident_answers_on_a_phone_and_staff_export_it(page: Page, live_server, open_survey, run_cli) -> None:
    page.goto(f"{live_server.url}/halmstad/")
    assert_accessible(page)
    page.get_by_role("link", name="Svara på trygghetsenkäten 2026").click()
    assert_accessible(page)
    page.get_by_role("group", name="Vilket område bor du i?").get_by_label("Andersberg").check()
    page.get_by_role("group", name="Kön").get_by_label("Kvinna").check()
    page.get_by_role("button", name="Fortsätt").click()
    page.get_by_role("group", name="Hur trygg eller otrygg känner du dig i ditt bostadsområde?").get_by_label(
        "Ganska otrygg").check()
    page.get_by_label("Vilka platser? Beskriv gärna var och när.").fill("Mörkt vid Stora torg efter 22 🌙")
    page.get_by_role("group", name="När känner du dig otrygg där? (flera svar)").get_by_label("Kl. 20–23").check()
    for step in (3, 4, 5, 6):
        page.get_by_role("button", name="Fortsätt").click()
        page.get_by_text(f"Steg {step} av 6").wait_for()
    page.get_by_role("button", name="Skicka svaret").click()
    page.get_by_role("heading", name="Tack för ditt svar").wait_for()
    assert_accessible(page)
    status, out, _ = run_cli("responses", "export", "halmstad-2026", "--format", "json")
    assert status == 0
    [answer] = json.loads(out)["responses"]
    assert answer["area"] == "andersberg" and answer["gender"] == "kvinna"
    assert answer["safe_area"] == "ganska_otrygg" and answer["unsafe_time"] == "20-23"
    assert answer["unsafe_places_text"] == "Mörkt vid Stora torg efter 22 🌙"


def test_form_works_with_the_keyboard_alone_and_without_javascript(browser: Browser, live_server, open_survey,
                                                                   run_cli) -> None:
    context = browser.new_context(java_script_enabled=False, locale="sv-SE")
    page = context.new_page()
    page.goto(f"{live_server.url}/halmstad/enkat/2026/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Hoppa till innehållet"
    page.get_by_role("group", name="Kön").get_by_label("Man").focus()
    page.keyboard.press("Space")
    for step in (2, 3, 4, 5, 6):
        page.get_by_role("button", name="Fortsätt").focus()
        page.keyboard.press("Enter")
        page.get_by_text(f"Steg {step} av 6").wait_for()
    page.get_by_role("button", name="Skicka svaret").focus()
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Tack för ditt svar").wait_for()
    context.close()
    status, out, _ = run_cli("responses", "export", "halmstad-2026", "--format", "json")
    assert json.loads(out)["responses"][0]["gender"] == "man"


def test_errors_are_announced_and_accessible(page: Page, live_server, open_survey) -> None:
    page.goto(f"{live_server.url}/halmstad/enkat/2026/")
    page.get_by_role("button", name="Fortsätt").click()
    page.get_by_label("Vilka platser? Beskriv gärna var och när.").evaluate(
        "el => { el.removeAttribute('maxlength'); el.value = 'x'.repeat(2500); }")
    page.get_by_role("button", name="Fortsätt").click()
    page.get_by_role("alert").wait_for()
    assert "högst 2 000 tecken" in page.get_by_role("alert").inner_text()
    assert_accessible(page)


def test_results_page_is_accessible_in_both_languages(page: Page, live_server, open_survey, run_cli,
                                                      write_csv) -> None:
    rows = [["andersberg", ["kvinna", "man"][i % 2], ["ganska_trygg", "mycket_otrygg"][i % 3 == 0]]
            for i in range(80)]
    run_cli("responses", "import", "halmstad-2026", str(write_csv("s.csv", ["area", "gender", "safe_area"], rows)))
    run_cli("survey", "close", "halmstad-2026")
    run_cli("survey", "publish", "halmstad-2026")
    page.goto(f"{live_server.url}/halmstad/resultat/2026/")
    assert page.get_by_role("heading", level=1).inner_text() == "Trygghetsenkäten 2026: resultat"
    assert_accessible(page)
    page.get_by_role("button", name="English").click()
    page.get_by_role("heading", level=1).wait_for()
    assert page.locator("html").get_attribute("lang") == "en"
    assert_accessible(page)


def test_demo_results_with_map_and_places_are_accessible(page: Page, live_server, run_cli) -> None:
    assert run_cli("demo", "--no-serve")[0] == 0
    page.goto(f"{live_server.url}/halmstad/resultat/2022/")
    page.get_by_role("heading", name="Platser där invånare känner sig otrygga").wait_for()
    assert page.get_by_role("img", name="Karta: områden och platser där många markerat otrygghet").is_visible()
    clusters = page.locator("ul.hotspots li").all_inner_texts()
    assert clusters and all(int(c.split()[0]) >= 10 for c in clusters)  # never a single pin
    assert any(c.endswith("vid Stora torg") for c in clusters)
    places = page.locator("ol.place-list h3").all_inner_texts()
    assert places[:3] == ["Stadskärnan", "Mörka platser på kvällstid", "Andersberg"]
    assert_accessible(page)
    page.locator("summary", has_text="Per område och kön").first.click()  # the first theme's breakdowns
    assert page.get_by_role("table", name="Trygga i sitt bostadsområde: per område").is_visible()
    assert_accessible(page)
