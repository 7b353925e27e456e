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
                  actor: User | None = None, party: str = "") -> Membership:
    """Give `user` a role in the organisation; `party` ("kommunen", "polisen" or "") is whom they work for."""
    if role not in Membership.Role.values:
        raise ValueError(f"Unknown role {role!r}; choose one of {', '.join(Membership.Role.values)}.")
    if party not in Membership.Party.values:
        raise ValueError(f"Unknown party {party!r}; choose kommunen, polisen or none.")
    membership, _ = Membership.objects.update_or_create(user=user, organisation=organisation,
                                                         defaults={"role": role, "party": party})
    if not user.is_staff:
        # The staff area's login admits staff users only; a role in an organisation is what makes one.
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    audit("role_granted", organisation=organisation, actor=actor, user=user.get_username(), role=role,
          party=party)
    return membership
