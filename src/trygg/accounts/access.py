"""What a staff user may do in an organisation: the one check every staff page, export and command asks."""

from __future__ import annotations

from typing import Literal

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User

from trygg.accounts.models import Membership
from trygg.areas.models import Organisation

Access = Literal["change", "view"]
_ACCESS_BY_ROLE: dict[str, Access] = {
    Membership.Role.ADMIN: "change",
    Membership.Role.ANALYST: "change",
    Membership.Role.VIEWER: "view",
}


def staff_access(user: AbstractBaseUser | AnonymousUser, org: Organisation) -> Access | None:
    """'change' for the organisation's analysts and admins and for superusers, 'view' for its viewers, else None."""
    if not user.is_authenticated or not user.is_active:
        return None
    if isinstance(user, User) and user.is_superuser:
        return "change"
    role = Membership.objects.filter(user_id=user.pk, organisation=org).values_list("role", flat=True).first()
    return _ACCESS_BY_ROLE.get(role) if role else None
