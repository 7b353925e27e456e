"""A promise written in Chromium by staff of both parties, published, followed up and read on the public page,
which passes axe-core (WCAG 2.1 AA) on a phone and on a wide screen."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from browser_helpers import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "lofte-lösenord-1"  # noqa: S105 - a test user's


@pytest.fixture
def staff(halmstad, django_user_model, run_cli) -> dict[str, Any]:
    from trygg.accounts.actions import do_grant_role

    run_cli("survey", "create", "halmstad", "2022")
    run_cli("survey", "open", "halmstad-2022")
    run_cli("survey", "close", "halmstad-2022")
    users = {}
    for name, party in (("kommun_halmstad", "kommunen"), ("polis_halmstad", "polisen")):
        users[name] = django_user_model.objects.create_user(name, password=PASSWORD)
        do_grant_role(users[name], halmstad, "admin", party=party)
    return users


def _login(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/personal/login/?next=/personal/lofte/halmstad/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.get_by_role("heading", name="Medborgarlöften: Halmstads kommun och LPO Halmstad").wait_for()


def test_staff_of_both_parties_write_publish_and_follow_up_a_promise(browser: Browser, page: Page, live_server,
                                                                     staff) -> None:
    base = live_server.url
    _login(page, base, "kommun_halmstad")
    assert_accessible(page)
    page.goto(f"{base}/personal/lofte/halmstad/nytt/?year=2023&areas=andersberg|vallas&places=stora-torg")
    assert page.get_by_role("checkbox", name="Stora torg").is_checked()
    assert_accessible(page)
    page.get_by_label("Vem lovar den första aktiviteten?").select_option("kommunen")
    page.get_by_label("Löftet (vad parten lovar)").fill("Beakta tryggheten i den fysiska miljön")
    page.get_by_role("textbox", name="Första aktiviteten").fill("Ny belysning på Stora torg")
    page.get_by_role("button", name="Skapa utkastet").click()
    page.get_by_role("heading", name="Löftet 2023").wait_for()
    assert_accessible(page)
    add = page.locator("form", has=page.get_by_role("button", name="Lägg till aktiviteten"))
    add.get_by_label("Vem lovar", exact=False).first.select_option("polisen")
    add.get_by_label("Löftet (vad parten lovar)").fill("Synlig uniformerad polis i stadskärnan")
    add.get_by_role("textbox", name="Aktivitet:", exact=True).fill("Riktade insatser kvällstid")
    add.get_by_role("checkbox", name="Stadskärnan").check()
    add.get_by_label("Hur mycket (antal)").fill("6")
    add.get_by_label("Enhet").fill("insatser")
    add.get_by_role("button", name="Lägg till aktiviteten").click()
    page.get_by_text("Aktiviteten är tillagd.").wait_for()
    page.get_by_role("button", name="Godkänn för kommunen").click()
    page.get_by_text("Godkänt för kommunen.").wait_for()
    assert page.get_by_text("Saknar godkännande: Polisen lovar.").is_visible()

    police = browser.new_context(locale="sv-SE").new_page()
    _login(police, base, "polis_halmstad")
    police.get_by_role("link", name="Löftet 2023").click()
    police.get_by_role("button", name="Godkänn för polisen").click()
    police.get_by_role("button", name="Publicera löftet").click()
    police.get_by_text("Löftet är publicerat.").wait_for()
    police.get_by_role("link", name="Riktade insatser kvällstid").click()
    police.get_by_label("Levererat hittills").fill("11")
    police.get_by_label("Vad har gjorts?").fill("Elva riktade insatser.")
    police.get_by_role("button", name="Spara uppföljningen").click()
    police.get_by_text("Uppföljningen är sparad.").wait_for()
    assert_accessible(police)
    police.context.close()

    page.goto(f"{base}/halmstad/")
    page.get_by_role("link", name="Medborgarlöftet 2023").click()
    page.get_by_role("heading", name="Medborgarlöftet 2023", level=1).wait_for()
    assert page.get_by_role("heading", name="Polisen lovar").is_visible()
    assert page.get_by_text("Lovat: Riktade insatser kvällstid (sex insatser). Gjort: elva insatser (183 %).")\
        .is_visible()
    table = page.get_by_role("table", name="Polisen lovar: lovat och gjort")
    assert table.get_by_role("cell", name="elva insatser").is_visible()
    assert page.locator("#aktivitet-1 .no-progress").inner_text() == "Ingen uppföljning än."
    assert page.get_by_role("img", name="Karta över platserna i löftet").is_visible()
    assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    assert_accessible(page)
    page.locator('button[name="language"][value="en"]').click()
    page.get_by_role("heading", name="The citizen promise 2023", level=1).wait_for()
    assert_accessible(page)


def test_progress_is_logged_with_the_keyboard_alone_and_without_javascript(browser: Browser, live_server, staff,
                                                                           run_cli, write_csv) -> None:
    from trygg.promises.actions import do_approve, do_publish, find_promise

    header = ["party", "commitment", "activity", "places", "quantity", "unit"]
    rows = [["polisen", "Synlig polis", "Fotpatrull i stadskärnan", "Stadskärnan", "900", "timmar"]]
    assert run_cli("promise", "import", "halmstad", "2023", str(write_csv("p.csv", header, rows)))[0] == 0
    promise = find_promise("halmstad-2023")
    for user in staff.values():
        do_approve(promise, user)
    do_publish(promise)
    context = browser.new_context(java_script_enabled=False, locale="sv-SE")
    page = context.new_page()
    _login(page, live_server.url, "polis_halmstad")
    page.goto(f"{live_server.url}/personal/lofte/halmstad/2023/aktivitet/1/")
    page.get_by_label("Levererat hittills").focus()
    page.keyboard.type("450")
    page.get_by_label("Vad har gjorts?").focus()
    page.keyboard.type("Halva timmarna.")
    page.get_by_role("button", name="Spara uppföljningen").focus()
    page.keyboard.press("Enter")
    page.get_by_text("Uppföljningen är sparad.").wait_for()
    context.close()
    assert promise.activities.get().percent == 50
