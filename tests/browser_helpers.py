"""Debian's Chromium through Playwright for the page tests, and axe-core's WCAG 2.1 AA check.

Fixtures `browser` (one Chromium per test module) and `page` (a phone-sized Swedish page) live in conftest.py;
a test file marks itself with `pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]`.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
PHONE = {"width": 390, "height": 844}


@contextmanager
def chromium() -> Iterator[Browser]:
    if not shutil.which("chromium"):
        pytest.fail("Debian's chromium is not installed: run `apt-get install chromium` (scripts/test does)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield browser
        browser.close()


def assert_accessible(page: Page) -> None:
    results = Axe().run(page, options=WCAG_AA)
    violations: list[dict[str, Any]] = results.response["violations"]
    assert not violations, json.dumps([{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:3]}
                                       for v in violations], indent=1)
