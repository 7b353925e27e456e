"""Limits on how many answers one connection may send a day, without storing who sent them.

The key is a keyed hash (HMAC with SECRET_KEY) of the client address and the date, so it changes every day and
cannot be turned back into an address. Only the key and a count live, in the cache, until the day is over.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone

DAY_SECONDS = 24 * 3600


def connection_key(request: HttpRequest) -> str:
    address = request.META.get("REMOTE_ADDR", "")
    day = timezone.localdate().isoformat()
    digest = hmac.new(settings.SECRET_KEY.encode(), f"{day}|{address}".encode(), hashlib.sha256).hexdigest()
    return f"trygg:answers:{digest}"


def over_daily_limit(request: HttpRequest) -> bool:
    """Count one answer for this connection today; True when it is past TRYGG_ANSWERS_PER_CONNECTION_PER_DAY."""
    key = connection_key(request)
    cache.add(key, 0, timeout=DAY_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # the entry expired between add and incr
        cache.set(key, 1, timeout=DAY_SECONDS)
        count = 1
    return count > settings.TRYGG_ANSWERS_PER_CONNECTION_PER_DAY
