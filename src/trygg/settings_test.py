"""Settings for the test suite: production's, with a test-only key, plain http and admins' second factor off.

Tests of the accounts themselves (tests/test_accounts*.py, tests/test_authorisation.py) turn the second factor back
on with pytest-django's `settings` fixture. The environment variables are set for the subprocesses tests start too.
"""

from __future__ import annotations

import os

os.environ.setdefault("SECRET_KEY", "test-only-not-a-secret")
os.environ.setdefault("TRYGG_HTTPS", "0")

from trygg.settings import *  # noqa: E402,F403

# The test client and the browser tests log in over plain http with a password; the accounts tests prove the rule.
TRYGG_REQUIRE_SECOND_FACTOR = False
# Production hashes a password in about half a second on purpose; the suite logs in hundreds of times.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
