"""Who must log in with a second factor (a TOTP code), and whether this login has given one.

Admins — organisation admins and superusers — publish results and add staff, so a stolen password alone must not
be enough for them. The one exception is a synthetic demo: a user whose organisations are all synthetic, on a
database that holds synthetic organisations only (`trygg demo` refuses any other), logs in with the published
password alone, because there is nothing real behind it to protect.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from trygg.accounts.models import Membership
from trygg.areas.models import Organisation


def synthetic_only() -> bool:
    """The database holds organisations, and every one of them is synthetic demo data."""
    return Organisation.objects.exists() and not Organisation.objects.filter(synthetic=False).exists()


def needs_second_factor(user: AbstractBaseUser | AnonymousUser) -> bool:
    """True for superusers and organisation admins, unless the whole database is a synthetic demo.

    TRYGG_REQUIRE_SECOND_FACTOR is a Django setting, not an environment variable: only the test settings turn it off.
    """
    if not user.is_authenticated or not settings.TRYGG_REQUIRE_SECOND_FACTOR:
        return False
    is_admin = bool(getattr(user, "is_superuser", False)) or Membership.objects.filter(
        user_id=user.pk, role=Membership.Role.ADMIN).exists()
    return is_admin and not synthetic_only()


def second_factor_ok(user: AbstractBaseUser | AnonymousUser | Any) -> bool:
    """The user needs no second factor, or gave one in this session (django-otp's middleware knows)."""
    if not needs_second_factor(user):
        return True
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())
