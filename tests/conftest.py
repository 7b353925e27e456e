"""Shared fixtures with named personas, as in the tests of Zulip: analyst_halmstad, viewer_laholm."""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make there are synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

DEMO_DATA = Path(__file__).resolve().parents[1] / "src" / "trygg" / "demo" / "data"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium, one per test module (tests/browser_helpers.py)."""
    from browser_helpers import chromium

    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A page on a phone-sized screen in Swedish."""
    from browser_helpers import PHONE

    context = browser.new_context(viewport=PHONE, locale="sv-SE")
    yield context.new_page()
    context.close()


@pytest.fixture
def halmstad(db: Any) -> Any:
    """Halmstad with its schematic areas and named places, no surveys."""
    from trygg.areas.actions import do_create_organisation, do_import_places

    org = do_create_organisation("halmstad", "Halmstads kommun och LPO Halmstad", kommun_code="1380",
                                 areas_file=DEMO_DATA / "halmstad_areas.geojson")
    do_import_places(org, DEMO_DATA / "halmstad_places.geojson")
    return org


@pytest.fixture
def open_survey(halmstad: Any) -> Any:
    from trygg.surveys.actions import do_create_survey, do_open_survey

    return do_open_survey(do_create_survey(halmstad, 2026))


@pytest.fixture
def analyst_halmstad(halmstad: Any, django_user_model: Any) -> Any:
    from trygg.accounts.actions import do_grant_role

    user = django_user_model.objects.create_user("analyst_halmstad", password="analys-lösenord-1")
    do_grant_role(user, halmstad, "analyst")
    return user


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[..., Path]:
    def write(name: str, header: list[str], rows: list[list[str]], *, delimiter: str = ",",
              encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        with path.open("w", newline="", encoding=encoding) as f:
            writer = csv.writer(f, delimiter=delimiter)
            writer.writerow(header)
            writer.writerows(rows)
        return path

    return write


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """Run `trygg ARGS` in this process against the test database; returns (status, stdout, stderr)."""
    from trygg.cli import main

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        status = main(list(args))
        out, err = capsys.readouterr()
        return status, out, err

    return run


@pytest.fixture(autouse=True)
def _fresh_cache(request: pytest.FixtureRequest) -> None:
    """Each test with the database starts with no daily answer counts or cached pages from earlier tests.

    The cache is a table of the test database (settings.CACHES), so a test without the database has none to clear.
    """
    from django.core.cache import cache

    from trygg.surveys.memo import forget

    # SQLite reuses the ids of rolled-back rows, so a survey's version key could repeat across tests with other data.
    forget()
    names = request.fixturenames
    marker = request.node.get_closest_marker("django_db")
    if "transactional_db" in names or "live_server" in names or (marker and marker.kwargs.get("transaction")):
        request.getfixturevalue("transactional_db")
    elif "db" in names or marker:
        request.getfixturevalue("db")
    else:
        return
    cache.clear()


@pytest.fixture(autouse=True)
def _site_language() -> Iterator[None]:
    """Each test starts in the site's language: a test client's request leaves the language it chose active in the
    thread, so a message raised in the next test would otherwise come out in that language."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _english_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """`trygg` in a test speaks English, whatever the locale of the machine running the tests; a test that wants
    Swedish sets LANG itself (tests/test_cli_language.py)."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


def pytest_report_header() -> str:
    from django.conf import settings

    return f"trygg database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}"
