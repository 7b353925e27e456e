"""Computed pages and figures kept in the shared cache, each computed once per change even under a crowd.

When a survey's results are published, many residents open the page at once. Without care each request that finds
no stored copy would compute it (a stampede); here the first takes a lock in the shared cache (so it holds across
processes and servers) and computes, and the others wait for its result.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

T = TypeVar("T")
STORE_SECONDS = 24 * 3600
# A page takes seconds at most to compute; a waiter gives up on a crashed computer after this and computes itself.
WAIT_SECONDS = 60.0
POLL_SECONDS = 0.05


def computed_once(key: str, compute: Callable[[], T], *, timeout: int = STORE_SECONDS,
                  wait: float = WAIT_SECONDS) -> T:
    """The value stored under `key`, or `compute()` by exactly one caller at a time while the others wait.

    `key` must change whenever the inputs do (a fingerprint of the data); nothing is ever invalidated in place.
    """
    value: T | None = cache.get(key)
    if value is not None:
        return value
    lock = f"{key}:computing"
    if cache.add(lock, "1", timeout=int(wait)):
        try:
            value = compute()
            cache.set(key, value, timeout=timeout)
        finally:
            cache.delete(lock)
        return value
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        value = cache.get(key)
        if value is not None:
            return value
        if cache.get(lock) is None:
            break  # the computing caller failed: compute here rather than wait for nothing
    value = compute()
    cache.set(key, value, timeout=timeout)
    return value
