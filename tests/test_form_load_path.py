"""The answer path under load (issue 11): few queries per answer, derived data kept per version, exact counts.

The form's areas, places and map data and the coder's gazetteer are built once per change of the organisation's areas
and places; the daily and burst counts are one upsert; the survey's close is seen by every answer stored after
it. The figures (answers per second, CPU per answer) are printed by benchmarks/bench_load.py, never asserted here.
"""

from __future__ import annotations

import http.client
import os
import re
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import closing
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from trygg.accounts.actions import audit
from trygg.surveys.models import Counter, Response

URL = "/halmstad/enkat/2026/"
HOST = "trygg.kommun.se"
DEMO_DATA = Path(__file__).resolve().parents[1] / "src" / "trygg" / "demo" / "data"
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")


def _fields(page: str) -> dict[str, str]:
    return {name: re.search(rf'name="{name}" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
            for name in ("token", "csrfmiddlewaretoken")}


def _answer(client: Client, address: str, **answers: str) -> Any:
    page = client.get(URL, REMOTE_ADDR=address)
    assert page.status_code == 200
    return client.post(URL, {**_fields(page.content.decode()), "safe_area": "mycket_trygg", **answers},
                       REMOTE_ADDR=address)


def test_a_page_and_an_answer_read_the_survey_once_each_and_count_in_one_statement(open_survey: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    assert _answer(client, "198.51.100.1").status_code == 200  # the first answer builds the process's data
    with CaptureQueriesContext(connection) as page_queries:
        page = client.get(URL, REMOTE_ADDR="198.51.100.2")
    # The survey's id and status and the version of its organisation's data: one query; the rest is this process's.
    assert len(page_queries.captured_queries) == 1, page_queries.captured_queries
    assert "Stora torg" not in page.content.decode()  # step 1 has no places; the step with pins lists them
    with CaptureQueriesContext(connection) as answer_queries:
        sent = client.post(URL, {**_fields(page.content.decode()), "safe_area": "mycket_trygg",
                                 "unsafe_places_text": "Stora torg"}, REMOTE_ADDR="198.51.100.2")
    assert sent.status_code == 200
    statements = [q["sql"].split()[0].upper() for q in answer_queries.captured_queries]
    # The survey's lookup; the survey's status, share-locked; the answer (a resent form's inserts nothing, no
    # savepoint); the day's count and both burst counts with the last windows' in one statement.
    # (Inside the test's transaction the answer's own transaction is a savepoint: one, not one more for the insert.)
    assert statements.count("SAVEPOINT") <= 1, answer_queries.captured_queries
    assert [s for s in statements if s not in ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE")] == [
        "SELECT", "SELECT", "INSERT", "INSERT"], answer_queries.captured_queries
    assert Response.objects.get(form_token__isnull=False, answers__unsafe_places_text="Stora torg").coded == [
        "stora-torg"]


def test_the_form_follows_a_change_of_places_and_no_other_event(open_survey: Any, tmp_path: Path) -> None:
    from trygg.areas.actions import do_import_places
    from trygg.surveys.coder import organisation_coder
    from trygg.surveys.formplaces import form_places

    org = open_survey.organisation
    places, coder = form_places(org), organisation_coder(org)
    audit("unrelated_event", organisation=org)  # a new version of the organisation, but the same places
    assert form_places(org) is places and organisation_coder(org) is coder
    new = tmp_path / "more.geojson"
    new.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
                   '{"name": "Nya torget", "aliases": "Torget vid ån"}, '
                   '"geometry": {"type": "Point", "coordinates": [12.86, 56.67]}}]}', encoding="utf-8")
    do_import_places(org, new)
    assert "p:nya-torget" in {p["id"] for p in form_places(org).pins}
    assert organisation_coder(org)[1] != coder[1]
    client = Client()
    assert _answer(client, "198.51.100.3", unsafe_places_text="Otryggt vid torget vid ån").status_code == 200
    assert Response.objects.get(answers__unsafe_places_text="Otryggt vid torget vid ån").coded == ["nya-torget"]


def test_a_flagged_burst_leaves_the_pages_and_data_as_they_are(open_survey: Any) -> None:
    from trygg.surveys.actions import do_submit_response
    from trygg.surveys.antiabuse import do_flag_burst
    from trygg.surveys.orgcache import organisation_version

    client = Client()
    assert client.get(URL, REMOTE_ADDR="198.51.100.5").status_code == 200
    before = organisation_version(open_survey.organisation)
    response, _ = do_submit_response(open_survey, {"safe_area": "mycket_trygg"}, "one-of-a-burst")
    do_flag_burst(response, "anslutning", "1-abcdef", proven=True)  # an audit event of the organisation
    assert organisation_version(open_survey.organisation) == before
    with CaptureQueriesContext(connection) as page_queries:
        assert client.get(URL, REMOTE_ADDR="198.51.100.6").status_code == 200
    assert len(page_queries.captured_queries) == 1  # nothing read or rendered again
    audit("unrelated_event", organisation=open_survey.organisation)
    assert organisation_version(open_survey.organisation) > before


def test_an_answer_sent_after_the_close_is_refused_and_not_stored(open_survey: Any) -> None:
    from trygg.surveys.actions import SurveyClosedError, do_close_survey, do_submit_response

    client = Client()
    page = client.get(URL, REMOTE_ADDR="198.51.100.4")
    stale = type(open_survey).objects.get(pk=open_survey.pk)  # read while open, as the form's send reads it
    do_close_survey(open_survey)
    sent = client.post(URL, {**_fields(page.content.decode()), "safe_area": "mycket_trygg"},
                       REMOTE_ADDR="198.51.100.4")
    assert sent.status_code == 404
    with pytest.raises(SurveyClosedError):  # the check inside the answer's transaction reads the row itself
        do_submit_response(stale, {"safe_area": "mycket_trygg"}, "after-the-close")
    assert not Response.objects.filter(survey=open_survey).exists()


def test_counts_add_in_one_statement_restart_when_expired_and_are_purged(db: Any) -> None:
    from trygg.surveys.antiabuse import _count_in_database, count_answer, purge_expired_counts

    assert [count_answer("trygg:answers:a") for _ in range(3)] == [1, 2, 3]
    assert _count_in_database({"trygg:answers:a": 0, "trygg:burst:b": 1}) == {"trygg:answers:a": 3,
                                                                              "trygg:burst:b": 1}
    Counter.objects.filter(key="trygg:answers:a").update(expires=timezone.now() - timedelta(seconds=1))
    assert count_answer("trygg:answers:a") == 1  # yesterday's count is not today's
    Counter.objects.filter(key="trygg:burst:b").update(expires=timezone.now() - timedelta(seconds=1))
    assert purge_expired_counts() == 1
    assert list(Counter.objects.values_list("key", "n")) == [("trygg:answers:a", 1)]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not ON_POSTGRES, reason="SQLite's one writer orders the close and the answer by itself")
def test_a_close_waits_for_the_answer_being_stored(open_survey: Any) -> None:
    from django.db import transaction

    from trygg.surveys.actions import do_close_survey, do_submit_response

    order: list[str] = []
    storing = threading.Event()

    def close() -> None:
        try:
            storing.wait(10)
            do_close_survey(type(open_survey).objects.get(pk=open_survey.pk))
            order.append("closed")
        finally:
            connection.close()

    closer = threading.Thread(target=close)
    closer.start()
    with transaction.atomic():
        do_submit_response(open_survey, {"safe_area": "mycket_trygg"}, "while-closing")
        storing.set()
        closer.join(1.0)  # the close must wait for this answer's commit, however long that takes
        order.append("answer committed")
    closer.join(30)
    assert order == ["answer committed", "closed"]
    assert Response.objects.filter(form_token__isnull=False).count() == 1


def test_a_page_alike_for_all_is_rendered_once_per_key_with_each_requests_tokens(db: Any) -> None:
    from django.http import HttpResponse
    from django.test import RequestFactory
    from django.utils import translation

    from trygg.surveys.stockpages import stock_page

    renders: list[dict[str, str]] = []

    def render(stand_ins: Any) -> HttpResponse:
        renders.append(dict(stand_ins))
        return HttpResponse(f"<p>{translation.get_language()} {stand_ins['token']} {stand_ins['csrf_token']}</p>")

    def page(key: str, token: str, path: str = "/a/") -> str:
        return stock_page(RequestFactory().get(path), key, render, token=token).content.decode()

    first, second = page("k", "one"), page("k", "two")
    assert len(renders) == 1 and renders[0]["token"].startswith("trygg-stand-in-token-")
    csrf = re.compile(r"^<p>sv (\S+) (\S+)</p>$")
    assert csrf.match(first).group(1) == "one" and csrf.match(second).group(1) == "two"  # type: ignore[union-attr]
    assert csrf.match(first).group(2) != csrf.match(second).group(2)  # type: ignore[union-attr]
    page("other key", "three")
    with translation.override("en"):
        assert page("k", "four").startswith("<p>en four ")
    assert len(renders) == 3
    assert page("k", "<b>", path="/a/?x=1").startswith("<p>sv <b> ")  # a query string: rendered in full
    assert page("k", "<b>").startswith("<p>sv &lt;b&gt; ")  # put into the stock page escaped
    assert len(renders) == 4


def _serve(env: dict[str, str], cwd: Path) -> tuple[subprocess.Popen[str], int]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    server = subprocess.Popen([sys.executable, "-m", "trygg", "serve", "--production", "--port", str(port)], cwd=cwd,
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and server.poll() is None:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/halsa/", headers={"Host": HOST})
            if conn.getresponse().status == 200:
                return server, port
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise AssertionError("the server did not start")


def _http(port: int, method: str, cookies: dict[str, str], body: dict[str, str] | None = None) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Host": HOST, "X-Forwarded-For": "203.0.113.77", "X-Forwarded-Proto": "https",
               "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
    if body is not None:
        headers |= {"Origin": f"https://{HOST}", "Content-Type": "application/x-www-form-urlencoded"}
    conn.request(method, URL, body=urllib.parse.urlencode(body) if body is not None else None, headers=headers)
    response = conn.getresponse()
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        cookies[name] = rest.split(";", 1)[0]
    text = response.read().decode()
    conn.close()
    return response.status, text


@pytest.fixture
def two_servers_database(tmp_path: Path) -> Iterator[str]:
    """A database of its own for two real servers: PostgreSQL when the tests run on it, else a SQLite file."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'trygg.sqlite3'}"
        return
    import psycopg

    base, _, name = url.rpartition("/")
    own = f"{name}_two_servers"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {own} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {own}")
    yield f"{base}/{own}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {own} WITH (FORCE)")


def test_the_daily_limit_is_exact_across_two_servers_answering_at_once(tmp_path: Path,
                                                                       two_servers_database: str) -> None:
    limit, sent = 5, 16
    env = {**os.environ, "DATABASE_URL": two_servers_database, "SECRET_KEY": "test-only", "CACHE_URL": "",
           "TRYGG_TRUSTED_PROXIES": "127.0.0.1", "ALLOWED_HOSTS": HOST, "TRYGG_HTTPS": "0",
           "TRYGG_ANSWERS_PER_CONNECTION_PER_DAY": str(limit), "TRYGG_WORKERS": "2", "TRYGG_THREADS": "4"}
    areas = str(DEMO_DATA / "halmstad_areas.geojson")
    for args in (["org", "create", "halmstad", "--name", "Halmstad", "--areas", areas],
                 ["survey", "create", "halmstad", "2026"], ["survey", "open", "halmstad-2026"]):
        subprocess.run([sys.executable, "-m", "trygg", *args], cwd=tmp_path, env=env, check=True, capture_output=True)
    servers = []
    try:
        for _ in range(2):
            servers.append(_serve(env, tmp_path))
        ports = [port for _, port in servers]
        # One address (a school behind one router): every page first, then every answer at once, half to each server.
        pages = []
        for n in range(sent):
            cookies: dict[str, str] = {}
            status, html = _http(ports[n % 2], "GET", cookies)
            assert status == 200
            pages.append((cookies, {**_fields(html), "safe_area": "mycket_trygg"}))
        start = threading.Barrier(sent)
        statuses: list[int] = []

        def send(n: int) -> None:
            cookies, body = pages[n]
            start.wait(30)
            statuses.append(_http(ports[(n + 1) % 2], "POST", cookies, body)[0])

        senders = [threading.Thread(target=send, args=(n,)) for n in range(sent)]
        for thread in senders:
            thread.start()
        for thread in senders:
            thread.join(120)
    finally:
        for server, _ in servers:
            server.terminate()
            server.wait(timeout=30)
    assert sorted(statuses) == [200] * limit + [429] * (sent - limit)
    assert _stored_answers(two_servers_database) == limit


def _stored_answers(url: str) -> int:
    query = "SELECT COUNT(*) FROM surveys_response"
    if url.startswith("sqlite:///"):
        with closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as db:
            return int(db.execute(query).fetchone()[0])
    import psycopg

    with psycopg.connect(url) as db:
        row = db.execute(query).fetchone()
    assert row is not None
    return int(row[0])


def test_with_a_cache_server_the_counts_are_its_own(open_survey: Any, settings: Any,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """CACHE_URL=redis://…: the counts are the cache's increments, none in surveys_counter (a local cache here)."""
    from django.test import RequestFactory

    from trygg.surveys import antiabuse

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.TRYGG_BURST_ANSWERS = 3
    assert [antiabuse.count_answer("trygg:answers:c") for _ in range(3)] == [1, 2, 3]
    request = RequestFactory().post(URL, REMOTE_ADDR="198.51.100.30")
    flags = []
    for window in (700, 700, 701, 701):
        monkeypatch.setattr(antiabuse, "_window", lambda w=window: w)
        flags.append(antiabuse.count_answer_sent(request, open_survey, {"gender": "man"}, proven=True).burst)
    assert flags[:3] == [None, None, None] and flags[3] is not None and flags[3][0] == "anslutning"
    assert not Counter.objects.exists()


def test_the_data_version_is_found_through_its_index_past_a_bots_burst(open_survey: Any) -> None:
    """A burst's flagged answers write an event each; the version (every page's lookup) skips them by an index."""
    from trygg.accounts.models import PER_ANSWER_EVENT, AuditEvent
    from trygg.surveys.orgcache import VERSION_OF, organisation_version

    org = open_survey.organisation
    audit("places_imported", organisation=org)
    newest = AuditEvent.objects.filter(organisation=org).latest("id").pk
    # A bot's burst: thousands of flagged answers after the last change of the organisation's data.
    AuditEvent.objects.bulk_create([AuditEvent(organisation=org, action=PER_ANSWER_EVENT) for _ in range(5000)])
    assert organisation_version(org) == newest
    statement = f"SELECT {VERSION_OF.format(organisation=str(org.pk))}"  # noqa: S608
    with connection.cursor() as cursor:
        if ON_POSTGRES:
            cursor.execute(f"ANALYZE {AuditEvent._meta.db_table}")  # as autovacuum would after such a burst
            cursor.execute(f"EXPLAIN {statement}")
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {statement}")
        plan = " ".join(str(part) for row in cursor.fetchall() for part in row)
    assert "event_org_version" in plan, plan


def test_postgres_statements_are_prepared_unless_switched_off(tmp_path: Path) -> None:
    script = ("from django.conf import settings; import django; django.setup(); "
              "print(settings.DATABASES['default'].get('OPTIONS', {}))")
    clean = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "TRYGG_POSTGRES_PREPARE")}

    def options(url: str, **env: str) -> str:
        return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=tmp_path,
                              env={**clean, "DJANGO_SETTINGS_MODULE": "trygg.settings", "SECRET_KEY": "test-only",
                                   "DATABASE_URL": url, **env}, timeout=120).stdout

    postgres = "postgres://trygg@db.example:5432/trygg"
    assert "'server_side_binding': True, 'prepare_threshold': 5" in options(postgres)
    assert "prepare_threshold" not in options(postgres, TRYGG_POSTGRES_PREPARE="0")
    assert "prepare_threshold" not in options(f"sqlite:///{tmp_path / 'a.sqlite3'}")
