"""Behind a TLS proxy: the client's address and scheme come from the trusted proxy's headers only.

The first tests drive trygg.proxy directly; then Django's test client plays the proxy (the request's peer is the
proxy's address); last, a real `trygg serve --production` (gunicorn, two processes) gets requests from a trusted and
an untrusted loopback address, with the shared cache in the database and, when redis-server is installed, in Redis.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from trygg.proxy import parse_networks, resolve_client

DEMO_DATA = Path(__file__).resolve().parents[1] / "src" / "trygg" / "demo" / "data"
PROXY = "10.0.0.2"
HOST = "trygg.kommun.se"
ORIGIN = f"https://{HOST}"
FORM = "/halmstad/enkat/2026/"


def _resolve(meta: dict[str, Any], trusted: str = "10.0.0.0/24") -> dict[str, Any]:
    resolve_client(meta, parse_networks(trusted.split(",")))
    return meta


def test_headers_from_an_untrusted_peer_are_removed() -> None:
    meta = _resolve({"REMOTE_ADDR": "198.51.100.20", "HTTP_X_FORWARDED_FOR": "203.0.113.9",
                     "HTTP_X_FORWARDED_PROTO": "https", "HTTP_FORWARDED": "for=1.2.3.4", "HTTP_X_REAL_IP": "1.2.3.4"})
    assert meta == {"REMOTE_ADDR": "198.51.100.20"}


def test_the_client_is_the_first_untrusted_address_from_the_right() -> None:
    # A client may write anything at the left of the chain; the proxy appends the address it saw.
    meta = _resolve({"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "1.1.1.1, 203.0.113.9",
                     "HTTP_X_FORWARDED_PROTO": "https"})
    assert meta == {"REMOTE_ADDR": "203.0.113.9", "HTTP_X_FORWARDED_PROTO": "https"}
    chained = _resolve({"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.9, 10.0.0.7"})
    assert chained["REMOTE_ADDR"] == "203.0.113.9"


def test_ports_ipv6_and_garbage_in_the_chain() -> None:
    assert _resolve({"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.9:51234"})["REMOTE_ADDR"] == "203.0.113.9"
    assert _resolve({"REMOTE_ADDR": PROXY,
                     "HTTP_X_FORWARDED_FOR": "[2001:db8::7]:443"})["REMOTE_ADDR"] == "2001:db8::7"
    assert _resolve({"REMOTE_ADDR": "::1", "HTTP_X_FORWARDED_FOR": "2001:db8::8"},
                    trusted="::1")["REMOTE_ADDR"] == "2001:db8::8"
    # Unreadable: the proxy's own address counts, never the text.
    assert _resolve({"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "unknown, <script>"})["REMOTE_ADDR"] == PROXY
    assert _resolve({"REMOTE_ADDR": PROXY})["REMOTE_ADDR"] == PROXY


def test_only_the_nearest_proxys_scheme_counts() -> None:
    meta = _resolve({"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_PROTO": "http, HTTPS"})
    assert meta["HTTP_X_FORWARDED_PROTO"] == "https"
    assert "HTTP_X_FORWARDED_PROTO" not in _resolve({"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_PROTO": "gopher"})


def test_a_bad_proxy_setting_is_named() -> None:
    with pytest.raises(ImproperlyConfigured, match="'10.0.0.300'"):
        parse_networks(["10.0.0.0/24", "10.0.0.300"])


@pytest.fixture
def behind_proxy(settings: Any, open_survey: Any) -> Any:
    """Production's HTTPS rules with the proxy at 10.0.0.2 and a small daily limit."""
    settings.TRUSTED_PROXIES = [PROXY]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    settings.CSRF_COOKIE_SECURE = True
    settings.SESSION_COOKIE_SECURE = True
    settings.ALLOWED_HOSTS = [HOST]
    settings.TRYGG_ANSWERS_PER_CONNECTION_PER_DAY = 2
    return open_survey


def _resident(address: str, peer: str = PROXY, proto: str = "https") -> Client:
    return Client(enforce_csrf_checks=True, REMOTE_ADDR=peer, HTTP_HOST=HOST, HTTP_X_FORWARDED_FOR=address,
                  HTTP_X_FORWARDED_PROTO=proto)


def _answer(client: Client, origin: str = ORIGIN) -> int:
    page = client.get(FORM)
    assert page.status_code == 200, page.status_code
    html = page.content.decode()
    fields = {name: re.search(rf'name="{name}" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
              for name in ("token", "csrfmiddlewaretoken")}
    return client.post(FORM, {**fields, "safe_area": "mycket_trygg"}, HTTP_ORIGIN=origin).status_code


def test_a_residents_post_over_https_through_the_proxy_is_stored(behind_proxy: Any) -> None:
    assert _answer(_resident("203.0.113.9")) == 200
    assert behind_proxy.responses.count() == 1
    # The origin check is live: another site's page cannot send the form.
    assert _answer(_resident("203.0.113.9"), origin="https://elak.example") == 403
    assert behind_proxy.responses.count() == 1


def test_a_trusted_origin_may_send_the_form(behind_proxy: Any, settings: Any) -> None:
    # The form embedded under another name of the municipality's, listed in CSRF_TRUSTED_ORIGINS.
    assert _answer(_resident("203.0.113.9"), origin="https://enkat.kommun.se") == 403
    settings.CSRF_TRUSTED_ORIGINS = ["https://enkat.kommun.se"]
    assert _answer(_resident("203.0.113.9"), origin="https://enkat.kommun.se") == 200
    assert behind_proxy.responses.count() == 1


def test_plain_http_is_sent_to_https(behind_proxy: Any) -> None:
    response = _resident("203.0.113.9", proto="http").get(FORM)
    assert response.status_code == 301 and response["Location"] == f"{ORIGIN}{FORM}"


def test_two_residents_behind_the_proxy_have_their_own_limits(behind_proxy: Any) -> None:
    first, second = _resident("203.0.113.9"), _resident("203.0.113.10")
    assert [_answer(first) for _ in range(3)] == [200, 200, 429]
    assert [_answer(second) for _ in range(2)] == [200, 200]
    assert behind_proxy.responses.count() == 4


def test_forged_headers_from_an_untrusted_address_are_ignored(behind_proxy: Any, settings: Any) -> None:
    # Straight to the app, not through the proxy: a new X-Forwarded-For per answer does not make a new resident.
    settings.SECURE_SSL_REDIRECT = False
    statuses = [_answer(_resident(f"203.0.113.{n}", peer="198.51.100.20"), origin=f"http://{HOST}") for n in range(3)]
    assert statuses == [200, 200, 429]
    # Nor does X-Forwarded-Proto make plain http look like https: an https origin does not match, and with the
    # redirect on the request is sent to https.
    assert _answer(_resident("203.0.113.30", peer="198.51.100.21")) == 403
    settings.SECURE_SSL_REDIRECT = True
    assert _resident("203.0.113.31", peer="198.51.100.21").get(FORM).status_code == 301
    assert behind_proxy.responses.count() == 2


# A real production server: gunicorn with two processes, trusting 127.0.0.1 only.

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(port: int, process: subprocess.Popen[str], path: str = "/halsa/") -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", path, headers={"Host": HOST})
            status = conn.getresponse().status
            conn.close()
            if status == 200:
                return
        except OSError:
            pass
        assert process.poll() is None, process.stdout.read() if process.stdout else ""
        assert time.monotonic() < deadline, "the server did not answer within 60 s"
        time.sleep(0.3)


class Resident:
    """One browser: cookies kept, requests through the proxy (from 127.0.0.1) or straight (from 127.0.0.2)."""

    def __init__(self, port: int, address: str, via_proxy: bool = True) -> None:
        self.port, self.address, self.via_proxy = port, address, via_proxy
        self.cookies: dict[str, str] = {}

    def request(self, method: str, body: dict[str, str] | None = None, origin: str = ORIGIN) -> tuple[int, str]:
        source = "127.0.0.1" if self.via_proxy else "127.0.0.2"
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30, source_address=(source, 0))
        headers = {"Host": HOST, "X-Forwarded-For": self.address, "X-Forwarded-Proto": "https",
                   "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        data = None
        if body is not None:
            headers.update({"Origin": origin, "Content-Type": "application/x-www-form-urlencoded"})
            data = urllib.parse.urlencode(body)
        conn.request(method, FORM, body=data, headers=headers)
        response = conn.getresponse()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        text = response.read().decode()
        conn.close()
        return response.status, text

    def answer(self, origin: str = ORIGIN) -> int:
        status, html = self.request("GET")
        assert status == 200, status
        fields = {name: re.search(rf'name="{name}" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
                  for name in ("token", "csrfmiddlewaretoken")}
        return self.request("POST", {**fields, "safe_area": "mycket_trygg"}, origin)[0]


@pytest.fixture(params=["database", "redis"])
def production_server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[int]:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'trygg.sqlite3'}", "SECRET_KEY": "test-only",
           "TRYGG_TRUSTED_PROXIES": "127.0.0.1", "ALLOWED_HOSTS": HOST, "TRYGG_ANSWERS_PER_CONNECTION_PER_DAY": "2",
           "TRYGG_WORKERS": "2", "TRYGG_THREADS": "2", "CACHE_URL": "",
           # Plain http to the app, so that only the forwarded scheme can make a request https.
           "TRYGG_HTTPS": "0"}
    helpers: list[subprocess.Popen[str]] = []
    if request.param == "redis":
        if not shutil.which("redis-server"):
            pytest.skip("redis-server is not installed")
        redis_port = _free_port()
        helpers.append(subprocess.Popen(["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1",
                                         "--save", "", "--appendonly", "no"], cwd=tmp_path,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True))
        env["CACHE_URL"] = f"redis://127.0.0.1:{redis_port}/0"
    for args in (["org", "create", "halmstad", "--name", "Halmstad", "--areas",
                  str(DEMO_DATA / "halmstad_areas.geojson")],
                 ["survey", "create", "halmstad", "2026"], ["survey", "open", "halmstad-2026"]):
        subprocess.run([sys.executable, "-m", "trygg", *args], cwd=tmp_path, env=env, check=True,
                       capture_output=True)
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "trygg", "serve", "--production", "--port", str(port)],
                              cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        _wait_for(port, server)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)
        for helper in helpers:
            helper.terminate()
            helper.wait(timeout=10)


def test_production_server_behind_the_proxy(production_server: int) -> None:
    port = production_server
    first = Resident(port, "203.0.113.9")
    # Two processes answer in turn; the limit of two is counted in the shared cache, so the third answer is refused
    # whichever process gets it.
    assert [first.answer() for _ in range(3)] == [200, 200, 429]
    assert Resident(port, "203.0.113.10").answer() == 200
    # From an address that is not the proxy the forwarded headers are dropped: a new X-Forwarded-For each time is
    # still the one connection 127.0.0.2, and X-Forwarded-Proto does not make it https (an https origin is refused).
    direct = [Resident(port, f"203.0.113.{n}", via_proxy=False) for n in range(20, 24)]
    assert [r.answer(origin=f"http://{HOST}") for r in direct[:3]] == [200, 200, 429]
    assert direct[3].answer() == 403


def test_health_polled_by_a_load_balancer_is_one_query(client: Client, db: Any,
                                                        django_assert_num_queries: Any) -> None:
    assert client.get("/halsa/").json()["migrations"] == "ok"
    # Polled again within ten seconds: the database is asked (SELECT 1), the migration graph is not loaded again.
    with django_assert_num_queries(1):
        assert client.get("/halsa/").json() == {"status": "ok", "database": "ok", "migrations": "ok"}


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                    reason="threads on SQLite's in-memory test database share one connection cache; the file-based "
                           "SQLite case runs through real servers above and in test_sqlite_concurrency.py")
def test_the_count_is_exact_when_answers_race() -> None:
    import threading

    from django.db import connection

    from trygg.surveys.antiabuse import count_answer

    counts: list[int] = []

    def answer() -> None:
        try:
            for _ in range(25):
                counts.append(count_answer("trygg:answers:race"))
        finally:
            connection.close()

    threads = [threading.Thread(target=answer) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(counts) == list(range(1, 201))
    from trygg.surveys.models import Counter

    assert Counter.objects.get(key="trygg:answers:race").n == 200
