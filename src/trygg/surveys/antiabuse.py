"""Limits on how many answers one connection may send a day, without storing who sent them.

The key is a keyed hash (HMAC with SECRET_KEY) of the client address and the date, so it changes every day and
cannot be turned back into an address. Only the key and a count live, in the shared cache (a database table, or
Redis), until the day is over. The address is the client's as trygg.proxy resolved it behind a trusted proxy, so two
residents behind the municipality's proxy are two connections, and the count holds across processes and servers.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connection, transaction
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
    return count_answer(connection_key(request)) > settings.TRYGG_ANSWERS_PER_CONNECTION_PER_DAY


def count_answer(key: str) -> int:
    """Add one to the count under `key` and return the new count (1 for a new key); the entry lives a day.

    Atomic across processes and servers: Redis increments in one command; the database cache's own incr reads and
    writes in two steps (and resets the expiry to five minutes), so there the row is locked for the update.
    """
    backend = caches["default"]
    if isinstance(backend, DatabaseCache):
        return _count_in_database(backend, key)
    if cache.add(key, 1, timeout=DAY_SECONDS):
        return 1
    try:
        return int(cache.incr(key))
    except ValueError:  # the entry expired between add and incr: this answer starts a new count
        cache.add(key, 1, timeout=DAY_SECONDS)
        return 1


def _lock(made_key: str) -> None:
    """Lock the cache row until the transaction ends (PostgreSQL); SQLite's IMMEDIATE transaction already holds the
    database's one write lock."""
    if not connection.features.has_select_for_update:
        return
    table = connection.ops.quote_name(settings.CACHE_TABLE)
    with connection.cursor() as cursor:
        # The table name comes from settings, the key is a parameter.
        cursor.execute(f"SELECT cache_key FROM {table} WHERE cache_key = %s FOR UPDATE", [made_key])  # noqa: S608


def _count_in_database(backend: DatabaseCache, key: str) -> int:
    made_key = backend.make_and_validate_key(key)
    with transaction.atomic():
        _lock(made_key)
        current = backend.get(key)
        if current is None:
            # Two first answers at once: the unique key lets one insert; the other locks the row it made.
            if backend.add(key, 1, timeout=DAY_SECONDS):
                return 1
            _lock(made_key)
            current = backend.get(key, 0)
        count = int(current) + 1
        backend.set(key, count, timeout=DAY_SECONDS)
    return count
