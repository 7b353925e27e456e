"""Writers for staff and the audit log."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User

from trygg.accounts.models import AuditEvent, Membership
from trygg.areas.models import Organisation


def audit(action: str, *, organisation: Organisation | None = None, actor: User | None = None,
          **detail: Any) -> AuditEvent:
    """Append one event to the audit log; every writer function calls this."""
    return AuditEvent.objects.create(action=action, organisation=organisation, actor=actor, detail=detail)


def do_grant_role(user: User, organisation: Organisation, role: str,
                  actor: User | None = None) -> Membership:
    if role not in Membership.Role.values:
        raise ValueError(f"Unknown role {role!r}; choose one of {', '.join(Membership.Role.values)}.")
    membership, _ = Membership.objects.update_or_create(user=user, organisation=organisation,
                                                         defaults={"role": role})
    if not user.is_staff:
        # The staff area's login admits staff users only; a role in an organisation is what makes one.
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    audit("role_granted", organisation=organisation, actor=actor, user=user.get_username(), role=role)
    return membership
