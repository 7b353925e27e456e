"""What a staff user may do in an organisation: the one check every staff page, export and command asks."""

from __future__ import annotations

from typing import Literal

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User

from trygg.accounts.factors import second_factor_ok
from trygg.accounts.models import Membership
from trygg.areas.models import Organisation

Access = Literal["change", "view"]
_ACCESS_BY_ROLE: dict[str, Access] = {
    Membership.Role.ADMIN: "change",
    Membership.Role.ANALYST: "change",
    Membership.Role.VIEWER: "view",
}


def staff_access(user: AbstractBaseUser | AnonymousUser, org: Organisation) -> Access | None:
    """'change' for the organisation's analysts and admins and for superusers, 'view' for its viewers, else None.

    An admin who has not yet given this session's second factor (accounts/factors.py) gets None everywhere.
    """
    if not user.is_authenticated or not user.is_active or not second_factor_ok(user):
        return None
    if isinstance(user, User) and user.is_superuser:
        return "change"
    role = Membership.objects.filter(user_id=user.pk, organisation=org).values_list("role", flat=True).first()
    return _ACCESS_BY_ROLE.get(role) if role else None


def role_in(user: AbstractBaseUser | AnonymousUser, org: Organisation) -> str | None:
    """The user's role in the organisation ('admin' for superusers), None without one or without the second factor."""
    if not user.is_authenticated or not user.is_active or not second_factor_ok(user):
        return None
    if isinstance(user, User) and user.is_superuser:
        return Membership.Role.ADMIN
    return Membership.objects.filter(user_id=user.pk, organisation=org).values_list("role", flat=True).first()


def free_text_access(user: AbstractBaseUser | AnonymousUser, org: Organisation) -> Access | None:
    """Access to residents' free text (the coding review): analysts and admins only, never viewers."""
    role = role_in(user, org)
    return "change" if role in (Membership.Role.ANALYST, Membership.Role.ADMIN) else None
