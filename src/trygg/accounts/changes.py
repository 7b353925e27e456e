"""What an audit event records of a change: the values before and after, and fingerprints for bulk imports.

Every writer passes `**changes(before, after)` to `audit`; only the fields whose value differs are kept, so the
log stays compact. A bulk import records counts and a fingerprint of its rows rather than the rows themselves.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):  # a datetime too
        return value.isoformat()
    if isinstance(value, set | frozenset):
        return sorted(value)
    if isinstance(value, tuple):
        return list(value)
    return value


def changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, Any]:
    """An event's `before` and `after`: the fields whose value differs, and only those (None where there was none).

    `audit("survey_closed", ..., **changes(before, after))`.
    """
    keys = [k for k in after if _jsonable(before.get(k)) != _jsonable(after[k])]
    keys += [k for k in before if k not in after and before[k] is not None]
    return {"before": {k: _jsonable(before.get(k)) for k in keys}, "after": {k: _jsonable(after.get(k)) for k in keys}}


def fingerprint(rows: Iterable[Any]) -> str:
    """A short digest of rows (a bulk import's before and after: the same rows give the same fingerprint)."""
    digest = hashlib.sha256()
    for row in rows:
        digest.update(repr(row).encode())
        digest.update(b"\n")
    return digest.hexdigest()[:16]


def file_fingerprint(path: str | Path) -> str:
    """The first 16 hex digits of the file's SHA-256: which file an import read, without its rows in the log."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:16]
