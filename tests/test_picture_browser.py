"""The situation picture in Debian's Chromium: staff filter it, download the CSV and find the screen's figures in it;
axe-core finds nothing on a phone or a desktop screen; staff of another organisation are refused."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from browser_helpers import assert_accessible
from test_picture import OWN, POPULATION, answers
from trygg.incidents.actions import do_import_incidents

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def loaded(open_survey: Any, run_cli: Callable[..., Any], write_csv: Callable[..., Path], tmp_path: Path) -> Any:
    header = ["area", "gender", "age_group", "safe_area", "unsafe_places_text", "unsafe_places_pins"]
    run_cli("responses", "import", "halmstad-2026", str(write_csv("a.csv", header, answers())))
    rows = [["area", code, str(n)] for code, n in POPULATION.items()]
    run_cli("population", "import", "halmstad", str(write_csv("p.csv", ["variable", "category", "count"], rows)))
    (tmp_path / "own.csv").write_text(OWN, encoding="utf-8")
    do_import_incidents(open_survey.organisation, tmp_path / "own.csv")
    return open_survey


def log_in(page: Page, url: str, username: str, password: str) -> None:
    page.goto(f"{url}/personal/login/?next=/personal/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{url}/personal/")


def test_staff_filter_the_picture_and_download_what_they_see(page: Page, live_server: Any, loaded: Any,
                                                             analyst_halmstad: Any) -> None:
    log_in(page, live_server.url, "analyst_halmstad", "analys-lösenord-1")
    page.get_by_role("link", name="Lägesbild").first.click()
    page.get_by_role("heading", level=1, name="Gemensam lägesbild: Halmstads kommun och LPO Halmstad 2026").wait_for()
    assert_accessible(page)
    page.get_by_label("Viktning").select_option("nej")
    page.get_by_label("Händelser från", exact=True).select_option("own")
    page.get_by_label("Typ av händelse").select_option("skadegörelse")
    page.get_by_label("Kartan visar").select_option("brott")
    page.get_by_role("button", name="Visa urvalet").click()
    page.wait_for_url("**kategori=skadeg*")
    assert page.get_by_label("Typ av händelse").input_value() == "skadegörelse"
    assert page.get_by_role("img", name="Karta: områdena efter egna händelser per 1 000 invånare").is_visible()
    assert_accessible(page)
    screen = {}
    for row in page.locator("table.picture-areas tbody tr[data-area]").all():
        cells = row.locator("td").all_inner_texts()
        # A hidden figure is one cell "dold" and its n: the row is two cells shorter per hidden figure.
        fear = cells[3] if len(cells) == 10 else cells[2]
        screen[row.get_attribute("data-area")] = (fear, cells[-3], cells[-2])
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ner lägesbilden som CSV").click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert screen["andersberg"] == ("50 %", "10", "2,0")  # not safe: 20 of 40; ten acts of vandalism in 5,000
    for code, (fear, count, rate) in screen.items():
        [csv_fear] = [r for r in rows if r["section"] == "fear" and r["area"] == code]
        [csv_own] = [r for r in rows if r["section"] == "incidents" and r["area"] == code and r["item"] == "own"]
        if csv_fear["suppressed"] == "True":
            assert fear == "dold"
        else:
            assert fear == f"{100 * float(csv_fear['share']):.0f} %"
        # Areas without a population count have no rate: "–" on the screen, an empty cell in the CSV.
        csv_rate = f"{float(csv_own['rate_per_1000']):.1f}".replace(".", ",") if csv_own["rate_per_1000"] else "–"
        assert (count, rate) == (csv_own["count"], csv_rate)
    assert {r["item"] for r in rows if r["section"] == "incidents" and r["area"] and r["item"] != "own"} == {
        "skadegörelse"}


def test_the_dashboard_is_accessible_on_a_desktop_screen_and_without_javascript(browser: Browser, live_server: Any,
                                                                              loaded: Any,
                                                                              analyst_halmstad: Any) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE", java_script_enabled=False)
    page = context.new_page()
    log_in(page, live_server.url, "analyst_halmstad", "analys-lösenord-1")
    page.goto(f"{live_server.url}/personal/lagesbild/halmstad-2026/?kon=kvinna")
    assert page.get_by_label("Kön").input_value() == "kvinna"
    assert page.locator("table.picture-areas").is_visible()
    context.close()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    page = context.new_page()
    log_in(page, live_server.url, "analyst_halmstad", "analys-lösenord-1")
    page.goto(f"{live_server.url}/personal/lagesbild/halmstad-2026/")
    assert_accessible(page)
    page.get_by_role("button", name="English").click()
    english = "Joint situation picture: Halmstads kommun och LPO Halmstad 2026"
    page.get_by_role("heading", level=1, name=english).wait_for()
    assert page.get_by_role("link", name="Download the situation picture as CSV").is_visible()
    assert_accessible(page)
    context.close()


def test_a_viewer_of_another_organisation_is_refused(page: Page, live_server: Any, loaded: Any,
                                                     django_user_model: Any) -> None:
    from trygg.accounts.actions import do_grant_role
    from trygg.areas.actions import do_create_organisation

    laholm = do_create_organisation("laholm", "Laholms kommun och LPO Laholm", kommun_code="1381")
    user = django_user_model.objects.create_user("viewer_laholm", password="läs-lösenord-2")
    do_grant_role(user, laholm, "viewer")
    log_in(page, live_server.url, "viewer_laholm", "läs-lösenord-2")
    response = page.goto(f"{live_server.url}/personal/lagesbild/halmstad-2026/")
    assert response is not None and response.status == 403
    response = page.goto(f"{live_server.url}/personal/lagesbild/halmstad-2026/lagesbild.csv")
    assert response is not None and response.status == 403
