"""The staff API's tokens: how a secret is made, stored as a keyed hash, and checked on each request.

A token reads `trygg_` and 43 URL-safe characters (256 random bits). The database keeps its first characters (to
recognise it in a list) and an HMAC-SHA256 of the whole under SECRET_KEY, so a copy of the database opens nothing.
A SECRET_KEY moved to SECRET_KEY_FALLBACKS keeps its tokens working until it is dropped from there.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings
from django.contrib.auth.models import User
from django.utils import timezone

from trygg.accounts.models import ApiToken, Membership

PREFIX = "trygg_"
SHOWN = len(PREFIX) + 4


def new_secret() -> str:
    return PREFIX + secrets.token_urlsafe(32)


def token_hash(secret: str, key: str | None = None) -> str:
    """The keyed hash stored for `secret` (hex, 64 characters), under `key` or SECRET_KEY."""
    key = settings.SECRET_KEY if key is None else key
    return hmac.new(key.encode(), b"trygg.api-token:" + secret.encode(), hashlib.sha256).hexdigest()


def find_token(secret: str) -> ApiToken | None:
    """The live token with this secret (not revoked, not expired, its user active), noting when it was used.

    None for anything else, including text that could be no token at all.
    """
    if not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    token = (ApiToken.objects.select_related("user", "organisation")
             .filter(key_hash__in=[token_hash(secret, k) for k in keys], revoked_at__isnull=True,
                     expires_at__gt=timezone.now(), user__is_active=True).first())
    if token is not None:
        # Bookkeeping like Django's last_login, not a change anyone decides: no audit event.
        token.last_used_at = timezone.now()
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=token.last_used_at)
    return token


def token_role(token: ApiToken) -> str | None:
    """The role the token acts with now: its user's role in its organisation ('admin' for a superuser), or None.

    Not `access.role_in`: that asks for this session's second factor, and a token is used without a session (it
    was made in one that had given it).
    """
    user = token.user
    if not user.is_active:
        return None
    if isinstance(user, User) and user.is_superuser:
        return Membership.Role.ADMIN
    role: str | None = Membership.objects.filter(user_id=user.pk, organisation_id=token.organisation_id).values_list(
        "role", flat=True).first()
    return role
