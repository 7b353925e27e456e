"""The SECRET_KEY of a laptop's SQLite database, kept in a file beside it (imports no Django: runs before setup).

trygg refuses to start without SECRET_KEY unless debugging (settings.py). `trygg demo` on SQLite makes a key once
and writes it to DATABASE.key, readable by its owner alone; every later command on that database reads it. Such a
local database is served on plain http, so TRYGG_HTTPS defaults to 0 with it.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

from trygg import conf


def local_key_path() -> Path | None:
    """The key file of the configured SQLite database; None for any other database or one in memory."""
    url = conf.get("DATABASE_URL")
    if not url.startswith("sqlite:"):
        return None
    name = str(dj_database_url.parse(url).get("NAME") or "")
    if not name or name == ":memory:":
        return None
    return Path(f"{name}.key")


def use_local_key(*, create: bool) -> Path | None:
    """Set SECRET_KEY (and TRYGG_HTTPS=0) from the SQLite database's key file, making it first if `create`.

    Nothing happens when SECRET_KEY is set already or the database is not a SQLite file. Returns the file used.
    """
    if os.environ.get("SECRET_KEY"):
        return None
    path = local_key_path()
    if path is None:
        return None
    if not path.exists():
        if not create:
            return None
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as f:
            f.write(secrets.token_urlsafe(50) + "\n")
    os.environ["SECRET_KEY"] = path.read_text(encoding="ascii").strip()
    os.environ.setdefault("TRYGG_HTTPS", "0")
    return path
