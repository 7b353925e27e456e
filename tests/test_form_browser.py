"""The resident's form in Chromium: Swedish by keyboard alone, Arabic right to left, without JavaScript, three pins on
the Leaflet map; axe-core (WCAG 2.1 AA) on every step on a phone and a desktop, and no Content-Security-Policy
violation."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from browser_helpers import PHONE, assert_accessible
from trygg.surveys.models import Response

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DESKTOP = {"width": 1280, "height": 900}
FORM = "/halmstad/enkat/2026/"


class Watched:
    """A page whose console errors (CSP violations among them) and failed requests are collected."""

    def __init__(self, browser: Browser, **context: Any) -> None:
        self.context = browser.new_context(**context)
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.requests: list[str] = []
        # Console errors include Content-Security-Policy violations; failed loads are told by the responses.
        self.page.on("console", lambda m: self.problems.append(m.text)
                     if m.type == "error" and not m.text.startswith("Failed to load resource") else None)
        self.page.on("pageerror", lambda e: self.problems.append(str(e)))
        self.page.on("response", lambda r: self.problems.append(f"{r.status} {r.url}")
                     if r.status >= 400 and not r.url.endswith("/favicon.ico") else None)
        self.page.on("request", lambda r: self.requests.append(r.url))


@pytest.fixture(params=[PHONE, DESKTOP], ids=["phone", "desktop"])
def viewport(request: pytest.FixtureRequest) -> dict[str, int]:
    return dict(request.param)


@pytest.fixture
def watched(browser: Browser, viewport: dict[str, int]) -> Iterator[Watched]:
    w = Watched(browser, viewport=viewport, locale="sv-SE")
    yield w
    w.context.close()


def press_on(page: Page, locator: Any, key: str) -> None:
    locator.focus()
    page.keyboard.press(key)


def test_swedish_by_keyboard_alone_with_axe_on_every_step(watched: Watched, live_server, open_survey) -> None:
    page = watched.page
    page.goto(f"{live_server.url}{FORM}")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Hoppa till innehållet"
    assert page.locator(".progress").inner_text() == "Steg 1 av 6"
    assert "<" not in page.title()
    assert_accessible(page)
    press_on(page, page.get_by_role("group", name="Vilket område bor du i?").get_by_label("Vallås"), "Space")
    press_on(page, page.get_by_role("group", name="Kön").get_by_label("Kvinna"), "Space")
    press_on(page, page.get_by_role("button", name="Fortsätt"), "Enter")
    page.get_by_text("Steg 2 av 6").wait_for()
    assert not any("leaflet" in url for url in watched.requests)  # the map's assets wait until it is opened
    assert_accessible(page)
    press_on(page, page.get_by_role("group", name="Hur trygg eller otrygg känner du dig i ditt bostadsområde?")
             .get_by_label("Ganska otrygg"), "Space")
    press_on(page, page.get_by_role("button", name="Visa kartan"), "Enter")
    page.locator(".leaflet-box .area").first.wait_for()
    assert page.evaluate("document.activeElement.classList.contains('leaflet-box')")
    assert page.get_by_role("button", name="Zooma in").is_visible()  # Leaflet's controls in the page's language
    page.keyboard.press("Enter")  # a pin under the crosshair, in the middle of the municipality
    for key in ("Equal", "ArrowDown"):  # zoom in once, then move the crosshair south
        page.keyboard.press(key)
        page.wait_for_timeout(350)  # the map glides to its new place; Leaflet ignores keys meanwhile
    page.keyboard.press("Enter")
    assert page.locator(".pin-status").inner_text() == "2 av 5 punkter markerade."
    assert_accessible(page)
    for step in (3, 4, 5, 6):
        press_on(page, page.get_by_role("button", name="Fortsätt"), "Enter")
        page.get_by_text(f"Steg {step} av 6").wait_for()
        assert_accessible(page)
    summary = page.locator("dl.summary").all_inner_texts()
    assert "Vallås" in summary[0] and "Kvinna" in summary[0] and "2 platser markerade" in summary[1]
    page.wait_for_function("document.querySelector('input[name=pow]').value !== ''")
    press_on(page, page.get_by_role("button", name="Skicka svaret"), "Enter")
    page.get_by_role("heading", name="Tack för ditt svar").wait_for()
    assert_accessible(page)
    answers = Response.objects.get().answers
    assert answers["area"] == "vallas" and answers["gender"] == "kvinna" and answers["safe_area"] == "ganska_otrygg"
    assert len(answers["unsafe_places_pins"]) == 2
    (lat1, _lon1), (lat2, _lon2) = answers["unsafe_places_pins"]
    assert lat2 < lat1  # the crosshair moved south before the second pin
    assert not watched.problems


def test_arabic_right_to_left_with_axe_on_every_step(watched: Watched, live_server, open_survey) -> None:
    page = watched.page
    page.goto(f"{live_server.url}{FORM}")
    page.get_by_role("button", name="العربية").click()
    page.get_by_text("الخطوة 1 من 6").wait_for()
    assert page.locator("html").get_attribute("dir") == "rtl" and page.locator("html").get_attribute("lang") == "ar"
    assert page.evaluate("getComputedStyle(document.querySelector('main')).direction") == "rtl"
    assert page.get_by_text("لم يراجع هذه الترجمة").is_visible()
    assert_accessible(page)
    page.get_by_role("group", name="الجنس").get_by_label("رجل").check()
    page.get_by_role("button", name="متابعة").click()
    page.get_by_text("الخطوة 2 من 6").wait_for()
    page.get_by_role("group", name="ما مدى شعورك بالأمان أو عدم الأمان في منطقة سكنك؟").get_by_label(
        "آمن إلى حد ما", exact=True).check()
    page.get_by_role("button", name="اعرض الخريطة").click()
    page.locator(".leaflet-box .area").first.wait_for()
    assert_accessible(page)
    for step in (3, 4, 5, 6):
        page.get_by_role("button", name="متابعة").click()
        page.get_by_text(f"الخطوة {step} من 6").wait_for()
        # Nothing sticks out sideways: right-to-left pages scroll only when something overflows to the left.
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert_accessible(page)
    assert "رجل" in page.locator("dl.summary").first.inner_text()
    page.get_by_role("button", name="أرسل الإجابة").click()
    page.get_by_role("heading", name="شكرًا على إجابتك").wait_for()
    assert_accessible(page)
    assert Response.objects.get().answers == {"gender": "man", "safe_area": "ganska_trygg"}
    assert not watched.problems


def test_without_javascript_the_list_of_places_replaces_the_map(browser: Browser, live_server, open_survey) -> None:
    context = browser.new_context(java_script_enabled=False, viewport=PHONE, locale="sv-SE")
    page = context.new_page()
    page.goto(f"{live_server.url}{FORM}")
    page.get_by_role("group", name="Kön").get_by_label("Man").check()
    page.get_by_role("button", name="Fortsätt").click()
    page.get_by_text("Steg 2 av 6").wait_for()
    assert not page.get_by_role("button", name="Visa kartan").is_visible()
    pins = page.get_by_role("group", name="Markera platserna på kartan (valfritt)")
    pins.get_by_label("Stora torg").check()
    pins.get_by_label("Andersberg").check()
    page.get_by_role("button", name="Fortsätt").click()
    page.get_by_text("Steg 3 av 6").wait_for()
    page.get_by_role("button", name="Tillbaka").click()
    page.get_by_text("Steg 2 av 6").wait_for()
    assert pins.get_by_label("Stora torg").is_checked() and pins.get_by_label("Andersberg").is_checked()
    for step in (3, 4, 5, 6):
        page.get_by_role("button", name="Fortsätt").click()
        page.get_by_text(f"Steg {step} av 6").wait_for()
    page.get_by_role("button", name="Skicka svaret").click()
    page.get_by_role("heading", name="Tack för ditt svar").wait_for()
    context.close()
    answers = Response.objects.get().answers
    assert answers["gender"] == "man" and len(answers["unsafe_places_pins"]) == 2


def marker_centre(page: Page, name: str) -> tuple[float, float]:
    """Screen position of a named place's dot: the dots are drawn in the order of the map's data."""
    data = json.loads(page.locator("#map-data").text_content() or "{}")
    index = [p["name"] for p in data["places"]].index(name)
    box = page.locator(".leaflet-box path.place").nth(index).bounding_box()
    assert box is not None
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def test_three_pins_on_the_map_where_the_places_are(watched: Watched, live_server, open_survey) -> None:
    page = watched.page
    page.goto(f"{live_server.url}{FORM}")
    page.get_by_role("button", name="Fortsätt").click()
    page.get_by_role("button", name="Visa kartan").click()
    page.locator(".leaflet-box path.place").first.wait_for()
    # Zoom in on the city core with the wheel, as a resident would, so that a pixel is a few metres.
    page.mouse.move(*marker_centre(page, "Stora torg"))
    page.mouse.wheel(0, -500)
    page.wait_for_timeout(800)
    for name in ("Stora torg", "Lilla torg", "Stadsbiblioteket"):
        page.mouse.click(*marker_centre(page, name))
    assert page.locator(".pin-status").inner_text() == "3 av 5 punkter markerade."
    assert page.locator(".leaflet-box path.pin").count() == 3
    # No coordinates anywhere a resident can read them.
    assert "56.67" not in page.locator("main").inner_text()
    # Far to the east, outside the municipality: refused with a message, no pin.
    page.locator(".leaflet-box").focus()
    # Leaflet ignores a key while the map still glides from the last one, so a pause after each.
    for key in ["Minus"] * 3 + ["ArrowRight"] * 10:
        page.keyboard.press(key)
        page.wait_for_timeout(350)
    page.keyboard.press("Enter")
    assert "utanför kommunen" in page.locator(".pin-status").inner_text()
    assert page.locator(".leaflet-box path.pin").count() == 3
    assert_accessible(page)
    assert not any("leaflet" in url and not url.startswith(live_server.url) for url in watched.requests)
    for step in (3, 4, 5, 6):
        page.get_by_role("button", name="Fortsätt").click()
        page.get_by_text(f"Steg {step} av 6").wait_for()
    assert "3 platser markerade" in page.locator("main").inner_text()
    page.get_by_role("button", name="Skicka svaret").click()
    page.get_by_role("heading", name="Tack för ditt svar").wait_for()
    pins = Response.objects.get().answers["unsafe_places_pins"]
    # Within about 30 m (a pixel or two at this zoom) of Stora torg, Lilla torg and Stadsbiblioteket.
    for (lat, lon), (want_lat, want_lon) in zip(pins, [(56.67445, 12.85760), (56.67335, 12.86080),
                                                      (56.67210, 12.86330)], strict=True):
        assert abs(lat - want_lat) < 0.00027 and abs(lon - want_lon) < 0.0005, (lat, lon)
    assert not watched.problems


def test_staff_see_a_burst_and_keep_it_with_axe(page: Page, live_server, open_survey, analyst_halmstad,
                                                settings) -> None:
    from django.test import Client

    from trygg.accounts.models import AuditEvent
    from trygg.surveys.models import BurstFlag

    settings.TRYGG_BURST_ANSWERS = 3
    client = Client()
    for _ in range(3):  # without JavaScript the second identical answer from one connection is already a burst
        token = re.search(r'name="token" value="([^"]+)"',
                          client.get(f"{FORM}?utskrift=1").content.decode()).group(1)
        client.post(FORM, {"token": token, "gender": "man"}, REMOTE_ADDR="198.51.100.9")
    assert BurstFlag.objects.count() == 2
    page.goto(f"{live_server.url}/personal/login/?next=/personal/skurar/halmstad-2026/")
    page.get_by_label("Användarnamn").fill("analyst_halmstad")
    page.get_by_label("Lösenord").fill("analys-lösenord-1")
    page.get_by_role("button", name="Logga in").click()
    page.get_by_role("heading", level=1, name="Skurar av svar: halmstad-2026").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Behåll svaren").click()
    page.get_by_role("status").wait_for()
    assert "2 svar behålls." in page.get_by_role("status").inner_text()
    assert_accessible(page)
    assert Response.objects.count() == 3
    assert AuditEvent.objects.filter(action="burst_kept").count() == 2
