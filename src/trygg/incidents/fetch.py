"""Fetching the police's open events from the events API within its published rules, and importing them.

The police ask callers of https://polisen.se/api/events to name themselves in the User-Agent, to leave at least
10 seconds between calls and to make at most 60 calls an hour. Every call is recorded in the database
(`PoliceApiCall`) before it is made, so separate runs — a timer every few minutes, a coordinator at the command
line — keep the rules together; a call that is too soon is refused before anything is sent.
"""

from __future__ import annotations

import importlib.metadata
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from trygg import conf
from trygg.areas.models import Organisation
from trygg.errors import InputError
from trygg.incidents.actions import ImportResult, organisation_county, organisation_municipality, store_police_events
from trygg.incidents.models import IncidentImport, PoliceApiCall
from trygg.incidents.police import parse_events_json

MIN_INTERVAL = timedelta(seconds=10)
MAX_CALLS_PER_HOUR = 60
TIMEOUT_S = 30
MAX_BYTES = 20 * 1024 * 1024  # the API serves about 500 events, some hundred kilobytes


class TooSoon(InputError):
    """The police's rate rules forbid a call now; nothing was sent."""


def user_agent() -> str:
    """The setting TRYGG_POLICE_API_USER_AGENT, or ``trygg/VERSION (first allowed host)`` naming the installation."""
    configured = conf.get("TRYGG_POLICE_API_USER_AGENT").strip()
    if configured:
        return configured
    host = next((h.strip() for h in conf.get("ALLOWED_HOSTS").split(",") if h.strip()), "localhost")
    try:
        version = importlib.metadata.version("trygg")
    except importlib.metadata.PackageNotFoundError:
        version = "dev"
    return f"trygg/{version} ({host})"


def events_url(org: Organisation, base: str | None = None) -> str:
    """The API address for the organisation: ``?locationname=Halmstad;Hallands län`` (its municipality and its
    county, as the police place more and more events at the county). A ``base`` with a query is used as it is."""
    base = base or conf.get("TRYGG_POLICE_EVENTS_URL")
    if urllib.parse.urlsplit(base).query:
        return base
    names = [n for n in (organisation_municipality(org), organisation_county(org)) if n]
    if not names:
        raise InputError(gettext("organisationen %(org)r har varken kommun eller kommunkod att hämta händelser för")
                         % {"org": org.slug})
    query = urllib.parse.urlencode({"locationname": ";".join(names)}, safe=";", quote_via=urllib.parse.quote)
    return f"{base}?{query}"


def _claim_call(url: str, org: Organisation, now: datetime) -> PoliceApiCall:
    with transaction.atomic():
        last = PoliceApiCall.objects.select_for_update().order_by("-at").first()
        if last is not None and now - last.at < MIN_INTERVAL:
            wait = (MIN_INTERVAL - (now - last.at)).total_seconds()
            raise TooSoon(gettext("polisens händelse-API anropades för %(ago)s s sedan; polisen ber om minst %(min)s s "
                                  "mellan anropen, så försök igen om %(wait)s s")
                          % {"ago": f"{(now - last.at).total_seconds():.0f}", "min": MIN_INTERVAL.seconds,
                             "wait": f"{max(wait, 1):.0f}"})
        recent = PoliceApiCall.objects.filter(at__gt=now - timedelta(hours=1)).count()
        if recent >= MAX_CALLS_PER_HOUR:
            raise TooSoon(gettext("polisens händelse-API har anropats %(n)s gånger den senaste timmen, så många som "
                                  "polisen tillåter; försök igen senare") % {"n": recent})
        return PoliceApiCall.objects.create(at=now, url=url, organisation=org)


def _download(url: str, call: PoliceApiCall) -> bytes:
    # The scheme was checked to be http or https before the call was claimed.
    request = urllib.request.Request(url, headers={"User-Agent": user_agent(),  # noqa: S310
                                                   "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:  # noqa: S310
            call.status = response.status
            data: bytes = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as exc:
        call.status = exc.code
        raise InputError(gettext("polisens händelse-API svarade %(code)s %(reason)s för %(url)s")
                         % {"code": exc.code, "reason": exc.reason, "url": url}) from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise InputError(gettext("polisens händelse-API gick inte att nå på %(url)s (%(error)s)")
                         % {"url": url, "error": exc}) from None
    finally:
        call.save(update_fields=["status"])
    if len(data) > MAX_BYTES:
        raise InputError(gettext("händelse-API:ets svar är större än %(mb)s MB; stämmer adressen %(url)s?")
                         % {"mb": MAX_BYTES // 1024 // 1024, "url": url})
    return data


def do_fetch_police_events(org: Organisation, *, url: str | None = None, actor: User | None = None,
                           now: datetime | None = None) -> ImportResult:
    """One call to the events API for ``org`` and an import of what it served, all or nothing.

    Raises TooSoon (an InputError) without calling when the last call by anyone was less than 10 s ago or 60 calls
    were made in the past hour; InputError when the API cannot be reached or answers with anything but events.
    """
    address = events_url(org, url)
    if urllib.parse.urlsplit(address).scheme not in ("http", "https"):
        raise InputError(gettext("händelse-API:ets adress måste börja med http:// eller https://, inte %(address)r")
                         % {"address": address})
    call = _claim_call(address, org, now or timezone.now())
    events = parse_events_json(_download(address, call), file=gettext("händelse-API:ets svar"))
    return store_police_events(org, events, file_name=address, kind=IncidentImport.Kind.POLICE_FETCH, actor=actor)
