"""The settings registry: every setting an operator may change, its environment variable, default and meaning.

docs/settings.md documents each entry; tests/test_settings.py fails when one is missing there.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    env: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("DATABASE_URL", "sqlite:///trygg.sqlite3",
            "Database to use. SQLite file in the working folder by default; "
            "postgres://user@host:5432/name in production."),
    Setting("SECRET_KEY", "",
            "Key for signing sessions, form tokens and the anti-abuse hash. Required when TRYGG_DEBUG is off."),
    Setting("TRYGG_DEBUG", "0", "1 shows Django's debug pages. Never in production."),
    Setting("TRYGG_HTTPS", "1",
            "1: served over HTTPS: Secure cookies, HSTS for a year, plain http redirected. 0 only for a laptop demo "
            "on http (trygg demo sets it) and the tests; off whenever TRYGG_DEBUG=1."),
    Setting("TRYGG_LOGIN_FAILURE_LIMIT", "5",
            "Wrong passwords in a row after which a user name, or an address, is locked out of the staff login."),
    Setting("TRYGG_LOGIN_LOCKOUT_MINUTES", "30", "How long a lockout lasts, in minutes."),
    Setting("TRYGG_PASSWORD_MIN_LENGTH", "12", "Fewest characters in a staff password."),
    Setting("TRYGG_PRIVACY_DAYS", "365",
            "Days after a survey closes when `trygg privacy apply` redacts (or deletes) its free text and coarsens "
            "its pins."),
    Setting("TRYGG_PRIVACY_FREE_TEXT", "redact",
            "What happens to free text then: redact (names, addresses, numbers replaced) or delete."),
    Setting("TRYGG_PRIVACY_PIN_METRES", "250",
            "Pins are moved to the centre of a square of this many metres (SWEREF 99 TM) then."),
    Setting("ALLOWED_HOSTS", "127.0.0.1,localhost", "Comma-separated host names the site answers to."),
    Setting("TRYGG_SUPPRESSION_MIN_N", "30",
            "Smallest unweighted number of respondents for a published share; smaller cells are suppressed."),
    Setting("TRYGG_ANSWERS_PER_CONNECTION_PER_DAY", "200",
            "Answers one connection (one address, as a daily keyed hash) may send a day; a school or library "
            "shares one address, so keep it generous."),
    Setting("TRYGG_BURST_ANSWERS", "20",
            "Web answers from one connection, or with identical content, within TRYGG_BURST_MINUTES beyond which "
            "further answers are flagged for staff (kept and counted until staff decide); a third of it for "
            "answers sent without JavaScript's proof of work."),
    Setting("TRYGG_BURST_MINUTES", "10", "Length of the burst window, in minutes."),
    Setting("TRYGG_TILE_URL", "",
            "Map tiles under the survey form's pin map, as a URL template (https://tile.example/{z}/{x}/{y}.png) "
            "from a server you trust with residents' addresses (its origin is added to the Content-Security-Policy); "
            "empty: a plain background with the areas' outlines."),
    Setting("TRYGG_TILE_ATTRIBUTION", "",
            "The tiles' attribution shown on the map (e.g. © OpenStreetMap contributors), required by most tile "
            "licences."),
    Setting("TRYGG_TRUSTED_PROXIES", "",
            "Comma-separated addresses or networks (CIDR) of the reverse proxies in front of trygg; only a request "
            "from one of them may give the client's address (X-Forwarded-For) and scheme (X-Forwarded-Proto)."),
    Setting("CSRF_TRUSTED_ORIGINS", "",
            "Comma-separated origins (https://trygg.kommun.se) that may send forms, when the proxy's public "
            "address is not one of ALLOWED_HOSTS over the scheme the proxy reports."),
    Setting("CACHE_URL", "",
            "Shared cache for answer limits and page caches: empty uses a table in the database; "
            "redis://host:6379/0 uses Redis."),
    Setting("TRYGG_WORKERS", "0",
            "Processes of `trygg serve --production` (gunicorn); 0: two per CPU core."),
    Setting("TRYGG_THREADS", "8", "Threads per process of `trygg serve --production`."),
    Setting("TRYGG_SQLITE_BUSY_TIMEOUT", "20",
            "Seconds a write on SQLite waits for another (an import) to finish before it fails."),
    Setting("TRYGG_POSTGRES_PREPARE", "1",
            "On PostgreSQL only: 1 binds parameters in the server and prepares the statements a connection runs "
            "often (an answer's), so they are planned once; 0 behind a connection pooler in transaction mode that "
            "cannot keep prepared statements (PgBouncer before 1.21, or without max_prepared_statements)."),
    Setting("TRYGG_STATIC_ROOT", "",
            "Folder that `collectstatic` fills for a production web server; empty: served by the app."),
    Setting("TRYGG_REPORT_PUBLISHER", "",
            "Name printed at the top of every page of the published report; empty: the organisation's name."),
    Setting("TRYGG_REPORT_LOGO", "",
            "Path to a logo (SVG, PNG or JPEG) for the report's first page, embedded in HTML and PDF; empty: none."),
    Setting("TRYGG_API_RATE", "120/m",
            "Requests one client may make to /api/ per period (s, m, h or d); more get 429 Too Many Requests."),
    Setting("TRYGG_POLICE_EVENTS_URL", "https://polisen.se/api/events",
            "The police's open events API that `trygg incidents fetch` calls (without a query, trygg adds "
            "?locationname=MUNICIPALITY;COUNTY)."),
    Setting("TRYGG_POLICE_API_USER_AGENT", "",
            "User-Agent naming this installation to the police's events API; empty: trygg/VERSION (first host of "
            "ALLOWED_HOSTS)."),
)


def get(env: str) -> str:
    """The value of a registered setting from the environment, or its default."""
    for setting in SETTINGS:
        if setting.env == env:
            return os.environ.get(env, setting.default)
    raise KeyError(f"{env} is not a registered setting; add it to trygg.conf.SETTINGS and docs/settings.md")
