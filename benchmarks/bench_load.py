"""Load: residents answering through `trygg serve --production` on PostgreSQL, all on loopback. Printed, never asserted.

    python3 benchmarks/bench_load.py [--seconds 60] [--clients 200] [--database postgres://postgres@127.0.0.1:5432]

Each of the concurrent clients is a stream of residents behind the trusted proxy (a new X-Forwarded-For for every
answer, X-Forwarded-Proto https): it fetches the form, then posts a whole answer with its token, form cookie and
Origin, again and again until the time is up.
Phases, each a bounded loop that stops by itself:
1. bare view: the same clients call /halsa/ (one SELECT 1, the cheapest view) for a sixth of the time: the server's
   ceiling;
2. bare form: the same clients fetch and send a bare form pair served by the same server (benchmarks/
   bench_load_peer.py, loaded through bench_load_settings: a GET rendering a form with a CSRF token, a POST that checks
   nothing and inserts the answers into surveys_response) for a third of the time: the peer of an answer;
3. answers: accepted answers per second, p50/p99 of the POST, errors, and the ratios to the bare form and to the bare
   view; then acknowledged = stored (every acknowledged token's hash is in the database);
   then the same residents arriving at 300 a second (an open loop, Poisson arrivals, at most as many at once as there
   are clients): p50/p99 from a resident's arrival to the thanks, whether the server keeps up with the goal's rate —
   in the closed loop above the 200 clients never pause, so its latency is bound to be clients ÷ rate;
4. kill -9 of the whole server (master and workers) in the middle of a load, a restart, and again every
   acknowledged answer is stored;
5. two app servers sharing the database, respondents alternating between them; then a few addresses each send more
   than the daily limit across both servers, concurrently: exactly the limit is accepted per address.
Goal (issue 11): at least 300 answers/s, p99 under 250 ms, ratio to the bare form at least 0.5, no errors.
It creates (and at the end drops) the database trygg_bench_load on the given server. Beside the wall-clock figures it
prints the CPU seconds the servers' processes used per answer (from /proc), the figure to trust on a shared machine.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import http.client
import os
import random
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Coroutine
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = Path(__file__).resolve().parent
AREAS = ROOT / "src" / "trygg" / "demo" / "data" / "halmstad_areas.geojson"
DB_NAME = "trygg_bench_load"
YEAR = 2026
FORM = f"/halmstad/enkat/{YEAR}/"
PEER_YEAR = 2025  # a second survey, whose rows the bare form's POST fills
LIMIT = 200
GOAL_RATE = 300  # answers a second (issue 11)
TOKEN = re.compile(r'name="token" value="([^"]+)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CHOICES = {
    "gender": ["kvinna", "man", "annat", "vill_ej_ange"],
    "age_group": ["16-24", "25-44", "45-64", "65-79", "80+"],
    "area": ["andersberg", "vallas", "sondrum", "centrum-ost", "rotorp", "annat"],
    "safe_area": ["mycket_trygg", "ganska_trygg", "ganska_otrygg", "mycket_otrygg", "vet_ej"],
    "safe_out_late": ["mycket_trygg", "ganska_trygg", "ganska_otrygg", "mycket_otrygg", "vet_ej"],
    "unsafe_places": ["ja", "nej", "vet_ej"],
    "worry_ran": ["mycket_orolig", "ganska_orolig", "inte_sarskilt_orolig", "inte_alls_orolig", "vet_ej"],
    "worry_inbrott": ["mycket_orolig", "ganska_orolig", "inte_sarskilt_orolig", "inte_alls_orolig", "vet_ej"],
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class HttpError(Exception):
    pass


class Connection:
    """One keep-alive HTTP/1.1 connection to 127.0.0.1, reopened when the server closes it."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.used = 0.0

    async def request(self, method: str, path: str, headers: dict[str, str],
                      body: bytes = b"") -> tuple[int, dict[str, str], list[str], bytes]:
        if time.monotonic() - self.used > 1.0:
            # gunicorn closes a keep-alive connection idle for 2 s; a proxy knows this, and so does this client.
            self.close()
        for attempt in (0, 1):
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
            head = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}", f"Content-Length: {len(body)}"]
            head += [f"{k}: {v}" for k, v in headers.items()]
            try:
                self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
                await self.writer.drain()
                assert self.reader is not None
                answer = await self._response()
                self.used = time.monotonic()
                return answer
            except (ConnectionError, asyncio.IncompleteReadError, HttpError):
                self.close()
                if attempt or method == "POST":  # a POST is never resent: it might have been stored
                    raise
        raise HttpError("unreachable")

    async def _response(self) -> tuple[int, dict[str, str], list[str], bytes]:
        assert self.reader is not None
        status_line = await self.reader.readline()
        if not status_line:
            raise HttpError("connection closed")
        status = int(status_line.split()[1])
        headers: dict[str, str] = {}
        cookies: list[str] = []
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            if name.lower() == "set-cookie":
                cookies.append(value.strip())
            headers[name.lower()] = value.strip()
        if headers.get("transfer-encoding") == "chunked":
            body = b""
            while size := int((await self.reader.readline()).strip(), 16):
                body += await self.reader.readexactly(size + 2)
            await self.reader.readline()
        else:
            body = await self.reader.readexactly(int(headers.get("content-length", "0")))
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, headers, cookies, body

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)  # seconds of each acknowledged POST (or bare GET)
    posts: list[float] = field(default_factory=list)  # seconds of each acknowledged answer's POST alone
    acknowledged: list[str] = field(default_factory=list)  # form tokens of answers the server thanked for
    statuses: dict[int, int] = field(default_factory=dict)  # non-200 answers by status
    failures: int = 0  # connections refused or cut
    limited: int = 0  # 429: over the daily limit

    def errors(self) -> int:
        return self.failures + sum(self.statuses.values())


class Respondent:
    """One of the concurrent clients. With `fresh`, every answer comes from a new resident (a new address behind
    the proxy, no cookies), as in a town; without, one address sends them all (the daily limit check)."""

    def __init__(self, ports: list[int], address: str, fresh: bool = False) -> None:
        self.connections = [Connection(p) for p in ports]
        self.address = address
        self.fresh = fresh
        self.cookies: dict[str, str] = {}
        self.turn = 0

    def headers(self, port: int) -> dict[str, str]:
        h = {"X-Forwarded-For": self.address, "X-Forwarded-Proto": "https"}
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return h

    def _next(self) -> Connection:
        self.turn += 1
        return self.connections[self.turn % len(self.connections)]

    async def answer(self, tally: Tally, form: str = FORM, since: float | None = None) -> None:
        """One resident's answer; the latency counted is the POST's, or from `since` (a perf_counter time: the
        resident's arrival in a paced run) to the thanks."""
        if self.fresh:
            self.address = f"10.{random.randint(0, 255)}.{random.randint(0, 255)}.{random.randint(1, 254)}"
            self.cookies = {}
        conn = self._next()
        status, _, cookies, body = await conn.request("GET", form, self.headers(conn.port))
        self._keep(cookies)
        if status != 200:
            tally.statuses[status] = tally.statuses.get(status, 0) + 1
            return
        html = body.decode()
        token, csrf = TOKEN.search(html), CSRF.search(html)
        if not token or not csrf:
            tally.statuses[-1] = tally.statuses.get(-1, 0) + 1
            return
        fields = {q: random.choice(codes) for q, codes in CHOICES.items()}
        body_text = urllib.parse.urlencode({"token": token.group(1), "csrfmiddlewaretoken": csrf.group(1), **fields})
        conn = self._next()
        headers = {**self.headers(conn.port), "Origin": f"https://127.0.0.1:{conn.port}",
                   "Content-Type": "application/x-www-form-urlencoded"}
        posted = time.perf_counter()
        status, _, cookies, _ = await conn.request("POST", form, headers, body_text.encode())
        done = time.perf_counter()
        self._keep(cookies)
        if status == 200:
            tally.latencies.append(done - (posted if since is None else since))
            tally.posts.append(done - posted)
            tally.acknowledged.append(token.group(1))
        elif status == 429:
            tally.limited += 1
        else:
            tally.statuses[status] = tally.statuses.get(status, 0) + 1

    async def bare(self, tally: Tally) -> None:
        conn = self._next()
        start = time.perf_counter()
        status, _, _, _ = await conn.request("GET", "/halsa/", self.headers(conn.port))
        if status == 200:
            tally.latencies.append(time.perf_counter() - start)
        else:
            tally.statuses[status] = tally.statuses.get(status, 0) + 1

    def _keep(self, cookies: list[str]) -> None:
        for cookie in cookies:
            name, _, rest = cookie.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]

    def close(self) -> None:
        for conn in self.connections:
            conn.close()


async def run_load(ports: list[int], clients: int, seconds: float, what: str,
                   during: float | None = None, action: object = None, form: str = FORM) -> tuple[Tally, float]:
    """`clients` respondents for `seconds` (`what`: "answer" to `form`, or "bare"); `action()` (a coroutine
    function) runs once `during` seconds in."""
    tally = Tally()
    deadline = time.monotonic() + seconds
    respondents = [Respondent(ports, f"10.0.{n // 250}.{n % 250 + 1}", fresh=True) for n in range(clients)]

    async def loop(r: Respondent) -> None:
        while time.monotonic() < deadline:
            try:
                await (r.answer(tally, form) if what == "answer" else r.bare(tally))
            except (OSError, HttpError, asyncio.IncompleteReadError, ValueError):
                tally.failures += 1
                r.close()
                await asyncio.sleep(0.05)
        r.close()

    async def act() -> None:
        if during is not None and callable(action):
            await asyncio.sleep(during)
            await action()

    start = time.monotonic()
    await asyncio.gather(act(), *(loop(r) for r in respondents))
    return tally, time.monotonic() - start


async def run_paced(ports: list[int], clients: int, seconds: float, rate: float) -> tuple[Tally, float]:
    """Residents arriving at `rate` a second (Poisson, fixed seed) for `seconds`, at most `clients` at once: an open
    loop, so the latency (arrival to thanks, form GET and POST, waiting for a free client included) says whether the
    server keeps up with that rate, which a closed loop of busy clients cannot (there the latency is clients/rate)."""
    tally = Tally()
    pool: asyncio.Queue[Respondent] = asyncio.Queue()
    for n in range(clients):
        pool.put_nowait(Respondent(ports, f"10.1.{n // 250}.{n % 250 + 1}", fresh=True))
    arrivals = random.Random(11)

    async def one(arrived: float) -> None:
        respondent = await pool.get()
        try:
            await respondent.answer(tally, since=arrived)
        except (OSError, HttpError, asyncio.IncompleteReadError, ValueError):
            tally.failures += 1
            respondent.close()
        finally:
            pool.put_nowait(respondent)

    tasks = []
    start = time.perf_counter()
    due = start
    while due - start < seconds:
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        tasks.append(asyncio.create_task(one(due)))
        due += arrivals.expovariate(rate)
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - start
    while not pool.empty():
        pool.get_nowait().close()
    return tally, elapsed


class Server:
    def __init__(self, env: dict[str, str], port: int) -> None:
        self.env, self.port = env, port
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "trygg", "serve", "--production", "--port",
                                         str(self.port)], env=self.env, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/halsa/", headers={"X-Forwarded-Proto": "https"})
                if conn.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise SystemExit(f"the server on port {self.port} did not start")

    def cpu(self) -> float:
        """CPU seconds (user and system) used so far by the server's live processes: master and workers."""
        assert self.process is not None
        return process_group_cpu(self.process.pid)

    def kill9(self) -> None:
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)


def process_group_cpu(group: int) -> float:
    """CPU seconds of the live processes in a process group, from /proc (Linux)."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # the process ended meanwhile
        if int(fields[2]) == group:  # fields after the name: state, ppid, pgrp, …, utime (12), stime (13)
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def trygg(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "-m", "trygg", *args], env=env, check=True, stdout=subprocess.DEVNULL)


def stored_tokens(url: str) -> set[str]:
    """The hashed form tokens of the web answers stored in the survey (the bare form's peer answers are another's)."""
    import psycopg

    with psycopg.connect(url) as db:
        return {row[0] for row in db.execute(
            "SELECT r.form_token FROM surveys_response r JOIN surveys_survey s ON s.id = r.survey_id "
            "WHERE r.form_token IS NOT NULL AND s.year = %s", [YEAR])}


def survey_id(url: str, year: int) -> int:
    import psycopg

    with psycopg.connect(url) as db:
        row = db.execute("SELECT id FROM surveys_survey WHERE year = %s", [year]).fetchone()
    assert row is not None
    return int(row[0])


def check_stored(url: str, tallies: list[Tally]) -> tuple[int, int, int]:
    """(acknowledged, of them stored, stored web answers in all)."""
    stored = stored_tokens(url)
    acked = [hashlib.sha256(t.encode()).hexdigest() for tally in tallies for t in tally.acknowledged]
    return len(acked), sum(1 for h in acked if h in stored), len(stored)


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def timed(server: Server, load: Coroutine[object, object, tuple[Tally, float]]) -> tuple[Tally, float, float]:
    """Run a load against `server`: (tally, seconds, the server's CPU seconds meanwhile)."""
    before = server.cpu()
    tally, elapsed = asyncio.run(load)
    return tally, elapsed, server.cpu() - before


def report(name: str, tally: Tally, elapsed: float, cpu: float | None = None) -> float:
    """Print one phase's line; `cpu`: the server's CPU seconds during it, printed per accepted request."""
    rate = len(tally.latencies) / elapsed
    limited = f" limited {tally.limited}" if tally.limited else ""
    per = f"  server CPU {1000 * cpu / len(tally.latencies):5.1f} ms each" if cpu and tally.latencies else ""
    print(f"{name:<34} {rate:8.1f}/s  p50 {pct(tally.latencies, 0.5):6.1f} ms  p99 {pct(tally.latencies, 0.99):7.1f} "
          f"ms  errors {tally.errors()} {dict(tally.statuses) or ''}{limited}{per}")
    return rate


async def limit_check(ports: list[int], addresses: int, per_address: int) -> list[Tally]:
    """Each address sends `per_address` answers, four at a time, alternating servers; a tally per address."""
    tallies = []
    for n in range(addresses):
        tally = Tally()
        address = f"192.0.2.{n + 1}"
        respondents = [Respondent(ports, address) for _ in range(4)]
        remaining = [per_address]

        async def loop(r: Respondent, tally: Tally = tally, remaining: list[int] = remaining) -> None:
            while remaining[0] > 0:
                remaining[0] -= 1
                try:
                    await r.answer(tally)
                except (OSError, HttpError, asyncio.IncompleteReadError):
                    tally.failures += 1
                    r.close()
            r.close()

        await asyncio.gather(*(loop(r) for r in respondents))
        tallies.append(tally)
    return tallies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60, help="length of the main answer phase (default 60)")
    parser.add_argument("--clients", type=int, default=200, help="concurrent respondents (default 200)")
    parser.add_argument("--database", default=os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432"),
                        help="PostgreSQL server on loopback (without database name)")
    args = parser.parse_args()
    import psycopg

    base = args.database.rstrip("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {DB_NAME}")
    url = f"{base}/{DB_NAME}"
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench-load-not-secret", "CACHE_URL": "",
           "ALLOWED_HOSTS": "127.0.0.1", "TRYGG_TRUSTED_PROXIES": "127.0.0.1", "TRYGG_HTTPS": "1",
           "TRYGG_ANSWERS_PER_CONNECTION_PER_DAY": str(LIMIT)}
    trygg(env, "org", "create", "halmstad", "--name", "Halmstad", "--areas", str(AREAS))
    trygg(env, "survey", "create", "halmstad", str(YEAR))
    trygg(env, "survey", "open", f"halmstad-{YEAR}")
    trygg(env, "survey", "create", "halmstad", str(PEER_YEAR))
    peer_form = f"/bench/form/{survey_id(url, PEER_YEAR)}/"
    # The servers also serve the bare form pair (bench_load_peer), before trygg's own addresses.
    env = {**env, "DJANGO_SETTINGS_MODULE": "bench_load_settings",
           "PYTHONPATH": os.pathsep.join(p for p in (str(BENCHMARKS), os.environ.get("PYTHONPATH", "")) if p)}
    workers = os.environ.get("TRYGG_WORKERS") or f"2 per core ({2 * (os.cpu_count() or 1)})"
    print(f"trygg serve --production: {workers} processes × {os.environ.get('TRYGG_THREADS', '8')} threads, "
          f"PostgreSQL on loopback, {args.clients} respondents, {os.cpu_count()} CPU cores shared with this client")
    servers = [Server(env, free_port()), Server(env, free_port())]
    try:
        servers[0].start()
        one = [servers[0].port]
        # Warm-up: every process and thread has answered each kind of request once.
        asyncio.run(run_load(one, args.clients, 3, "bare"))
        asyncio.run(run_load(one, args.clients, 3, "answer", form=peer_form))
        warm, _ = asyncio.run(run_load(one, args.clients, 3, "answer"))
        bare, bare_time, cpu = timed(servers[0], run_load(one, args.clients, max(5.0, args.seconds / 6), "bare"))
        bare_rate = report("bare view (/halsa/)", bare, bare_time, cpu)
        peer, peer_time, cpu = timed(servers[0], run_load(one, args.clients, max(5.0, args.seconds / 3), "answer",
                                                          form=peer_form))
        peer_rate = report("bare form (GET + POST, no checks)", peer, peer_time, cpu)
        answers, answer_time, cpu = timed(servers[0], run_load(one, args.clients, args.seconds, "answer"))
        rate = report("answers (form GET + POST)", answers, answer_time, cpu)
        print(f"ratio answers / bare form: {rate / peer_rate:.2f}   answers / bare view: {rate / bare_rate:.2f}   "
              "(goal: >= 300/s, p99 < 250 ms, ratio to the bare form >= 0.5, 0 errors)")
        paced, paced_time, cpu = timed(servers[0], run_paced(one, args.clients, args.seconds / 2, GOAL_RATE))
        report(f"answers arriving at {GOAL_RATE}/s (open loop)", paced, paced_time, cpu)
        print(f"  (p50/p99 here from a resident's arrival to the thanks, form GET and POST; at most {args.clients} "
              f"at once; the POST alone: p50 {pct(paced.posts, 0.5):.1f} ms, p99 {pct(paced.posts, 0.99):.1f} ms)")
        acked, kept, total = check_stored(url, [warm, answers, paced])
        print(f"acknowledged {acked}, of them stored {kept}; stored web answers {total} (with the warm-up's)")

        async def crash_and_restart() -> None:
            servers[0].kill9()
            print("  kill -9 of the server (master and workers) ...", flush=True)
            await asyncio.to_thread(servers[0].start)
            print("  ... restarted", flush=True)

        kill_time = max(6.0, args.seconds / 3)
        crashed, crashed_time = asyncio.run(run_load(one, args.clients, kill_time, "answer", kill_time / 3,
                                                     crash_and_restart))
        report("answers with kill -9 and restart", crashed, crashed_time)
        print("  (errors here are the connections cut by the kill and refused until the restart)")
        acked, kept, total = check_stored(url, [warm, answers, paced, crashed])
        print(f"after kill -9: acknowledged {acked}, of them stored {kept} (lost: {acked - kept}); "
              f"stored web answers {total} (stored but never acknowledged: {total - kept})")

        servers[1].start()
        both = [s.port for s in servers]
        two, two_time = asyncio.run(run_load(both, args.clients, max(6.0, args.seconds / 2), "answer"))
        report("two app servers, one PostgreSQL", two, two_time)
        limited = asyncio.run(limit_check(both, 3, LIMIT + 40))
        print(f"daily limit {LIMIT} across both servers: {LIMIT + 40} answers from each of 3 addresses, "
              f"4 at a time: accepted {[len(t.acknowledged) for t in limited]}, refused (429) "
              f"{[t.limited for t in limited]}, errors {[t.errors() for t in limited]}")
        acked, kept, total = check_stored(url, [warm, answers, paced, crashed, two, *limited])
        print(f"in all: acknowledged {acked}, of them stored {kept}; stored web answers {total}")
    finally:
        for server in servers:
            server.stop()
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")


if __name__ == "__main__":
    main()
