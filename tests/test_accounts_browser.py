"""An admin logs in with password and authenticator code, adds a colleague and reads the log, in Chromium; each
page passes axe-core (WCAG 2.1 AA) and works from the keyboard."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page

from browser_helpers import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Sommar-Tylösand-2026"  # noqa: S105 - a test user's


def test_an_admin_logs_in_with_a_code_adds_a_colleague_and_reads_the_log(page: Page, live_server: Any,
                                                                          halmstad: Any, settings: Any) -> None:
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from trygg.accounts.actions import do_add_staff
    from trygg.accounts.models import Membership

    settings.TRYGG_REQUIRE_SECOND_FACTOR = True
    admin = do_add_staff(halmstad, "admin_halmstad", "admin", "polisen", password=PASSWORD).user
    base = live_server.url
    page.goto(f"{base}/personal/login/?next=/personal/anstallda/halmstad/")
    assert page.locator("#login-factor").is_visible()
    assert_accessible(page)
    page.get_by_label("Användarnamn").fill("admin_halmstad")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Tvåstegsverifiering").wait_for()
    assert page.get_by_role("img", name="QR-kod för att lägga till trygg i autentiseringsappen").is_visible()
    assert_accessible(page)
    device = TOTPDevice.objects.get(user=admin)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    page.get_by_label("Kod (sex siffror)").fill(code)
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Personal: Halmstads kommun och LPO Halmstad").wait_for()
    assert_accessible(page)
    page.get_by_label("Användarnamn").fill("analytiker_polisen")
    page.get_by_label("Roll", exact=True).select_option("analyst")
    page.get_by_label("Lösenord (bara för en ny användare)").fill("kort")
    page.get_by_role("button", name="Lägg till", exact=True).click()
    page.get_by_text("för kort", exact=False).first.wait_for()
    assert_accessible(page)
    page.get_by_label("Lösenord (bara för en ny användare)").fill(PASSWORD)
    page.get_by_role("button", name="Lägg till", exact=True).click()
    page.get_by_text("analytiker_polisen kan nu logga in med sin roll.").wait_for()
    assert Membership.objects.get(user__username="analytiker_polisen").party == "polisen"
    page.get_by_role("link", name="Logg").click()
    page.get_by_role("heading", name="Logg: Halmstads kommun och LPO Halmstad").wait_for()
    assert page.get_by_role("rowheader", name="Roll given").count() >= 2
    assert_accessible(page)


def test_the_lockout_page_is_accessible(page: Page, live_server: Any, halmstad: Any, settings: Any) -> None:
    base = live_server.url
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.goto(f"{base}/personal/login/")
        page.get_by_label("Användarnamn").fill("nagon")
        page.get_by_label("Lösenord").fill("fel-lösenord")
        with page.expect_navigation():
            page.keyboard.press("Enter")
    page.get_by_role("heading", name="Inloggningen är spärrad en stund").wait_for()
    assert_accessible(page)
