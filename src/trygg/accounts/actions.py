"""Writers for staff, their second factor and the audit log. Every change of state in trygg appends an event here."""

from __future__ import annotations

import getpass
from typing import Any

from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from trygg.accounts.models import AuditEvent, Membership
from trygg.areas.models import Organisation
from trygg.errors import InputError


def audit(action: str, *, organisation: Organisation | None = None, actor: User | None = None,
          **detail: Any) -> AuditEvent:
    """Append one event to the audit log; every writer function calls this.

    Without an actor the change came from the command line (or a resident's form): the operating-system user who
    ran it is recorded as `os_user`.
    """
    if actor is None:
        detail.setdefault("os_user", getpass.getuser())
    return AuditEvent.objects.create(action=action, organisation=organisation, actor=actor, detail=detail)


@transaction.atomic
def do_grant_role(user: User, organisation: Organisation, role: str,
                  actor: User | None = None, party: str = "") -> Membership:
    """Give `user` a role in the organisation; `party` ("kommunen", "polisen" or "") is whom they work for.

    The user can log in to the staff area afterwards (is_staff and active); the event records the role before.
    """
    if role not in Membership.Role.values:
        raise InputError(gettext("okänd roll %(role)r; välj en av %(allowed)s")
                         % {"role": role, "allowed": ", ".join(Membership.Role.values)})
    if party not in Membership.Party.values:
        raise InputError(gettext("okänd part %(party)r; välj kommunen, polisen eller ingen") % {"party": party})
    before = Membership.objects.filter(user=user, organisation=organisation).values("role", "party").first()
    membership, _ = Membership.objects.update_or_create(user=user, organisation=organisation,
                                                         defaults={"role": role, "party": party})
    if not user.is_staff or not user.is_active:
        # The staff area's login admits active staff users only; a role in an organisation is what makes one.
        user.is_staff = True
        user.is_active = True
        user.save(update_fields=["is_staff", "is_active"])
    audit("role_granted", organisation=organisation, actor=actor, user=user.get_username(), role=role,
          party=party, before=before or {})
    return membership


@transaction.atomic
def do_revoke_role(user: User, organisation: Organisation, actor: User | None = None) -> None:
    """Take the user's role in the organisation away; without any role left they can no longer log in."""
    membership = Membership.objects.filter(user=user, organisation=organisation).first()
    if membership is None:
        raise InputError(gettext("%(user)s har ingen roll i %(org)s")
                         % {"user": user.get_username(), "org": organisation.slug})
    before = {"role": membership.role, "party": membership.party}
    membership.delete()
    if not user.is_superuser and not user.memberships.exists():
        user.is_staff = False
        user.save(update_fields=["is_staff"])
    audit("role_revoked", organisation=organisation, actor=actor, user=user.get_username(), before=before)


@transaction.atomic
def do_add_staff(organisation: Organisation, username: str, role: str, party: str, *, password: str = "",
                 actor: User | None = None) -> Membership:
    """A staff member with a role: a new user gets `password` (checked by the password validators); an existing
    user keeps theirs (`password` must then be empty, so no admin can take over another's account).

    InputError says what is wrong; nothing is stored then.
    """
    username = username.strip()
    if not username or len(username) > 150 or not all(c.isalnum() or c in "@.+-_" for c in username):
        raise InputError(gettext("användarnamnet ska vara 1–150 bokstäver, siffror eller @ . + - _"))
    user = User.objects.filter(username=username).first()
    if user is None:
        candidate = User(username=username)
        try:
            validate_password(password, candidate)
        except ValidationError as exc:
            raise InputError(" ".join(exc.messages)) from None
        user = User.objects.create_user(username, password=password, is_staff=True)
        audit("user_created", organisation=organisation, actor=actor, user=username)
    elif password:
        raise InputError(gettext("%(user)s finns redan och behåller sitt eget lösenord; lämna lösenordet tomt")
                         % {"user": username})
    return do_grant_role(user, organisation, role, actor=actor, party=party)


@transaction.atomic
def do_confirm_second_factor(user: User, device: TOTPDevice) -> TOTPDevice:
    """The user proved the app works (a correct code): the device becomes their second factor."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    audit("second_factor_enrolled", actor=user, user=user.get_username())
    return device


@transaction.atomic
def do_reset_second_factor(user: User, actor: User | None = None) -> int:
    """Remove the user's TOTP devices (a lost phone): they enrol a new app at their next login. Returns how many."""
    count = int(TOTPDevice.objects.filter(user=user).delete()[0])
    audit("second_factor_reset", actor=actor, user=user.get_username(), devices=count)
    return count
