"""`trygg incidents fetch` against a local server serving recorded answers of the events API."""

from __future__ import annotations

import datetime
import http.server
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from incident_files import event, write_events
from trygg.errors import InputError
from trygg.incidents.fetch import TooSoon, do_fetch_police_events, events_url, user_agent
from trygg.incidents.models import PoliceApiCall, PoliceEvent, PoliceEventVersion

MORNING = [
    event(202, "2024-05-01 6:46:00 +02:00", "01 maj 06.46, Sammanfattning natt, Hallands län", "Sammanfattning natt",
          "Hallands län"),
    event(201, "2024-05-01 0:30:07 +02:00", "30 april 23.40, Misshandel, Halmstad", "Misshandel", "Hallands län"),
    event(200, "2024-04-30 21:00:00 +02:00", "30 april 20.10, Stöld, Kungsbacka", "Stöld", "Hallands län"),
]
# Later the same day the API serves the latest events again: one new, one edited in place, the rest as before.
NOON = [
    event(203, "2024-05-01 11:15:00 +02:00", "01 maj 10.50, Rattfylleri, Halmstad", "Rattfylleri", "Halmstad"),
    MORNING[0],
    event(201, "2024-05-01 0:30:07 +02:00", "30 april 23.40, Misshandel, grov, Halmstad", "Misshandel, grov",
          "Hallands län"),
    MORNING[2],
]


class Recorded(http.server.SimpleHTTPRequestHandler):
    """Serves the files of the test's folder and notes each request's path and User-Agent."""

    requests: list[tuple[str, str]] = []

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        self.requests.append((self.path, self.headers.get("User-Agent", "")))
        super().do_GET()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - http.server's signature
        pass


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path, list[tuple[str, str]]]]:
    requests: list[tuple[str, str]] = []
    handler = type("Handler", (Recorded,), {"requests": requests})

    def make(*args: Any) -> Recorded:
        return handler(*args, directory=str(tmp_path))

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), make)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", tmp_path, requests
    httpd.shutdown()
    httpd.server_close()


def _last_call_was(seconds_ago: float) -> None:
    """Move the recorded calls back in time, through the store the rate rules read."""
    PoliceApiCall.objects.update(at=timezone.now() - datetime.timedelta(seconds=seconds_ago))


def test_fetch_imports_and_a_later_fetch_adds_only_what_is_new(halmstad: Any, server: Any) -> None:
    base, folder, requests = server
    write_events(folder / "events", MORNING)
    first = do_fetch_police_events(halmstad, url=f"{base}/events")
    assert (first.stored, first.skipped_other_municipalities, first.not_counted) == (2, 1, 1)
    path, agent = requests[0]
    assert path == "/events?locationname=Halmstad;Hallands%20l%C3%A4n"
    assert agent == user_agent() and agent.startswith("trygg/")

    write_events(folder / "events", NOON)
    _last_call_was(11)
    second = do_fetch_police_events(halmstad, url=f"{base}/events")
    assert (second.stored, second.unchanged, second.replaced) == (1, 1, 1)
    assert PoliceEvent.objects.get(police_id=201).type == "Misshandel, grov"
    assert PoliceEventVersion.objects.get().raw == MORNING[1]
    assert PoliceApiCall.objects.count() == 2 and set(PoliceApiCall.objects.values_list("status", flat=True)) == {200}


def test_a_call_within_ten_seconds_is_refused_before_anything_is_sent(halmstad: Any, server: Any,
                                                                      run_cli: Any) -> None:
    base, folder, requests = server
    write_events(folder / "events", MORNING)
    do_fetch_police_events(halmstad, url=f"{base}/events")
    _last_call_was(0)  # now: the full 10 s of margin for a slow machine
    status, out, err = run_cli("incidents", "fetch", "halmstad", "--url", f"{base}/events")
    assert status == 1
    assert re.fullmatch(r"trygg: The police events API was called \d s ago; the police ask for at least 10 s between "
                        r"calls, so try again in \d+ s\.\n", err)
    assert len(requests) == 1 and PoliceApiCall.objects.count() == 1
    _last_call_was(10)
    status, out, err = run_cli("incidents", "fetch", "halmstad", "--url", f"{base}/events")
    assert status == 0, err
    assert "0 new, 2 unchanged" in out and len(requests) == 2


def test_at_most_sixty_calls_an_hour(halmstad: Any, server: Any) -> None:
    base, folder, requests = server
    write_events(folder / "events", MORNING)
    now = timezone.now()
    PoliceApiCall.objects.bulk_create(PoliceApiCall(at=now - datetime.timedelta(minutes=59, seconds=50 - i),
                                                    url="https://polisen.se/api/events") for i in range(60))
    with pytest.raises(TooSoon, match="60 gånger den senaste timmen"):
        do_fetch_police_events(halmstad, url=f"{base}/events", now=now)
    assert not requests
    # Eleven seconds later the oldest call is more than an hour old.
    do_fetch_police_events(halmstad, url=f"{base}/events", now=now + datetime.timedelta(seconds=11))
    assert len(requests) == 1


def test_an_error_answer_stores_nothing_but_counts_as_a_call(halmstad: Any, server: Any) -> None:
    base, folder, requests = server
    with pytest.raises(InputError, match="svarade 404"):
        do_fetch_police_events(halmstad, url=f"{base}/missing")
    assert not PoliceEvent.objects.exists()
    assert PoliceApiCall.objects.get().status == 404
    (folder / "broken").write_text("<html>underhåll</html>", encoding="utf-8")
    _last_call_was(11)
    with pytest.raises(InputError, match="inte JSON"):
        do_fetch_police_events(halmstad, url=f"{base}/broken")
    assert not PoliceEvent.objects.exists()


def test_the_address_names_municipality_and_county(halmstad: Any) -> None:
    assert events_url(halmstad) == "https://polisen.se/api/events?locationname=Halmstad;Hallands%20l%C3%A4n"
    assert events_url(halmstad, "http://example.test/x?locationname=Borås") == "http://example.test/x?locationname=Borås"
    with pytest.raises(InputError, match="http"):
        do_fetch_police_events(halmstad, url="file:///etc/passwd")
    assert not PoliceApiCall.objects.exists()
