"""The results page in Debian's Chromium on a phone (390 × 844) and a laptop (1,280 × 900), on the Halmstad demo.

The figures to quote and their intervals must be on screen without scrolling sideways, equal to the query layer's
weighted figures in Swedish number style; every public page must pass axe-core. With TRYGG_SCREENSHOTS=1 the test
also retakes the README's screenshot, docs/screenshot-results.png, from the laptop view.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation
from playwright.sync_api import Browser, Page

from browser_helpers import assert_accessible
from trygg import formatting as fmt

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOT = Path(__file__).resolve().parents[1] / "docs" / "screenshot-results.png"
VIEWPORTS = [{"width": 390, "height": 844}, {"width": 1280, "height": 900}]


def _weighted_safe_in_area() -> dict[str, Any]:
    from trygg.reports.results import survey_results
    from trygg.surveys.models import Survey

    survey = Survey.objects.get(organisation__slug="halmstad", year=2022)
    [e] = [e for e in survey_results(survey, weighted=True)["estimates"] if e["indicator"] == "safe_in_area"]
    return e


def _fits(page: Page, selector: str, width: int) -> list[str]:
    """Texts of the elements matching `selector` that are hidden or reach beyond the viewport's right edge."""
    bad: list[str] = page.evaluate(
        """([sel, width]) => [...document.querySelectorAll(sel)].filter(el => {
             const r = el.getBoundingClientRect();
             return r.width === 0 || r.left < 0 || r.right > width;
           }).map(el => el.textContent)""", [selector, width])
    return bad


def test_main_figures_and_intervals_fit_a_phone_and_a_laptop(browser: Browser, live_server, run_cli) -> None:
    assert run_cli("demo", "--no-serve")[0] == 0
    expected = _weighted_safe_in_area()
    with translation.override("sv"):
        share, interval = fmt.percent(expected["share"]), fmt.percent_range(expected["ci_low"], expected["ci_high"])
    for viewport in VIEWPORTS:
        context = browser.new_context(viewport=viewport, locale="sv-SE")
        page = context.new_page()
        page.goto(f"{live_server.url}/halmstad/resultat/2022/")
        card = page.locator("#matt-safe_in_area")
        assert card.locator(".share").inner_text() == share  # the weighted figure is the one quoted
        assert card.locator(".interval").inner_text() == f"95 % konfidensintervall: {interval}"
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        assert page.locator("li.result .share").count() == 21
        for part in (".share", ".interval", ".count", "svg.dot"):
            assert _fits(page, f"li.result {part}", viewport["width"]) == []
        if viewport["width"] == 1280 and os.environ.get("TRYGG_SCREENSHOTS") == "1":
            page.screenshot(path=str(SCREENSHOT))  # the first screen, as a visitor sees it on arrival
        # Every breakdown opened: its tables still fit without sideways scrolling.
        for summary in page.locator("summary").all():
            summary.click()
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        assert _fits(page, "table.figures td", viewport["width"]) == []
        context.close()


def test_the_page_explains_hidden_figures_and_compares_weighted_shares(page: Page, live_server, run_cli) -> None:
    assert run_cli("demo", "--no-serve")[0] == 0
    page.goto(f"{live_server.url}/halmstad/resultat/2022/")
    text = page.locator("main").inner_text()
    assert "Andelarna på sidan är viktade: citera dem." in text
    assert "Jämförelserna görs på de viktade andelarna." in text
    assert "p = 0.000" not in text and "p < 0,001" in text
    assert " till +" in text and "-" not in page.locator("ul.differences").inner_text().replace("p < 0", "")
    assert "dag:" not in text and "Dagtid: " in text  # labels, not codes
    assert "visas inte, för att skydda en liten grupp" in text
    # Areas in Swedish order: Ö after R and S.
    page.locator("summary", has_text="Per område och kön").first.click()
    table = page.get_by_role("table", name="Trygga i sitt bostadsområde: per område")
    areas = table.locator("tbody th").all_inner_texts()
    assert areas.index("Rotorp") < areas.index("Söndrum") < areas.index("Östra stranden") < areas.index(
        "Övriga kommunen")
    # Printed: the breakdowns are on paper even though nobody opened them, the site's header and back link are not.
    page.reload()
    page.emulate_media(media="print")
    assert page.get_by_role("table", name="Trygga i sitt bostadsområde: per kön").is_visible()
    assert not page.locator("header.site").is_visible() and not page.locator("p.back").is_visible()
    page.emulate_media(media="screen")
    page.get_by_role("link", name="Tillbaka till Halmstads kommun och lokalpolisområde Halmstad").click()
    page.get_by_role("heading", level=1, name="Halmstads kommun och lokalpolisområde Halmstad").wait_for()
    assert page.get_by_role("link", name="Driftstatus").count() == 0


def test_every_public_page_passes_axe(page: Page, live_server, run_cli) -> None:
    from django.utils import timezone

    assert run_cli("demo", "--no-serve")[0] == 0
    year = timezone.localdate().year
    for path in ("/", "/halmstad/", "/halmstad/resultat/2022/", "/halmstad/resultat/2022/rapport.html",
                 "/halmstad/lofte/2023/", f"/halmstad/enkat/{year}/"):
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.status == 200, path
        assert_accessible(page)
    page.goto(f"{live_server.url}/halmstad/resultat/2022/")
    for summary in page.locator("summary").all():
        summary.click()
    assert_accessible(page)
    page.get_by_role("button", name="English").click()
    page.get_by_role("heading", level=1, name="Safety survey 2022: results").wait_for()
    assert "The shares on this page are weighted: quote them." in page.locator("main").inner_text()
    assert_accessible(page)


def test_every_public_page_of_the_demo_fits_a_phone(browser: Browser, live_server, run_cli) -> None:
    """No page a resident reaches scrolls sideways on a phone; the promise's tables become a card per row there."""
    assert run_cli("demo", "--no-serve")[0] == 0
    phone = VIEWPORTS[0]
    for locale in ("sv-SE", "en-GB"):
        context = browser.new_context(viewport=phone, locale=locale)
        page = context.new_page()
        for path in ("/", "/halmstad/", "/halmstad/resultat/2022/", "/halmstad/resultat/2023/",
                     "/halmstad/lofte/2023/", "/halmstad/enkat/2026/"):
            page.goto(f"{live_server.url}{path}")
            assert page.evaluate("document.documentElement.scrollWidth") <= phone["width"], (locale, path)
        # The demo's promise has long words ("medborgarundersökningen"): each row is a card, each cell named.
        page.goto(f"{live_server.url}/halmstad/lofte/2023/")
        done = page.locator("table.promised-done td[data-label]").first
        assert page.evaluate("el => getComputedStyle(el, '::before').content", done.element_handle()) in (
            '"Gjort: "', '"Done: "')
        assert_accessible(page)
        context.close()
