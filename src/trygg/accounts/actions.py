"""Writers for staff, their second factor and the audit log. Every change of state in trygg appends an event here."""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from trygg.accounts.models import ApiToken, AuditEvent, Membership
from trygg.areas.models import Organisation
from trygg.errors import InputError

# Details every event written in this context carries, e.g. the API token a request came with (audit_context).
_AUDIT_CONTEXT: ContextVar[dict[str, Any]] = ContextVar("trygg_audit_context", default={})  # noqa: B039


@contextmanager
def audit_context(**detail: Any) -> Iterator[None]:
    """Every audit event written inside adds `detail`: the staff API names the token, whichever writer it calls."""
    reset = _AUDIT_CONTEXT.set({**_AUDIT_CONTEXT.get(), **detail})
    try:
        yield
    finally:
        _AUDIT_CONTEXT.reset(reset)


def audit(action: str, *, organisation: Organisation | None = None, actor: User | None = None,
          **detail: Any) -> AuditEvent:
    """Append one event to the audit log; every writer function calls this.

    Without an actor the change came from the command line (or a resident's form): the operating-system user who
    ran it is recorded as `os_user`.
    """
    detail = {**_AUDIT_CONTEXT.get(), **detail}
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
        raise InputError(gettext("användaren %(user)s har ingen roll i %(org)s")
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
        raise InputError(gettext("användaren %(user)s finns redan och behåller sitt eget lösenord; lämna "
                                 "lösenordet tomt") % {"user": username})
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


API_TOKEN_DAYS = (30, 90, 365)
_API_TOKEN_ROLES = (Membership.Role.ANALYST, Membership.Role.ADMIN)


@transaction.atomic
def do_create_api_token(user: User, organisation: Organisation, name: str, *, days: int = 90,
                        actor: User | None = None) -> tuple[ApiToken, str]:
    """A token for the staff API in the organisation, valid `days` days (30, 90 or 365); returns it and its secret.

    The secret is returned this once and stored only as a keyed hash. Only analysts and admins (and superusers)
    get one: the staff API imports files, which viewers may not. InputError says what is wrong.
    """
    from trygg.accounts.tokens import SHOWN, new_secret, token_hash

    name = name.strip()
    if not name or len(name) > 100:
        raise InputError(gettext("nyckelns namn ska vara 1–100 tecken (t.ex. skriptet som använder den)"))
    if days not in API_TOKEN_DAYS:
        raise InputError(gettext("en nyckel gäller %(allowed)s dagar, inte %(days)s")
                         % {"allowed": ", ".join(map(str, API_TOKEN_DAYS)), "days": days})
    role = Membership.objects.filter(user=user, organisation=organisation).values_list("role", flat=True).first()
    if not user.is_active or not (user.is_superuser or role in _API_TOKEN_ROLES):
        raise InputError(gettext("%(user)s är inte analytiker eller administratör i %(org)s; API:ts importer "
                                 "kräver en av de rollerna") % {"user": user.get_username(), "org": organisation.slug})
    secret, now = new_secret(), timezone.now()
    token = ApiToken.objects.create(user=user, organisation=organisation, name=name, prefix=secret[:SHOWN],
                                    key_hash=token_hash(secret), created_at=now, expires_at=now + timedelta(days=days))
    audit("api_token_created", organisation=organisation, actor=actor, user=user.get_username(), token=str(token),
          expires=token.expires_at.date().isoformat())
    return token, secret


@transaction.atomic
def do_revoke_api_token(token: ApiToken, actor: User | None = None) -> ApiToken:
    """Revoke the token at once: its next request gets 401. A revoked token stays listed, with who revoked it."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise InputError(gettext("nyckeln %(token)s är redan återkallad") % {"token": token})
    token.revoked_at = timezone.now()
    token.revoked_by = actor
    token.save(update_fields=["revoked_at", "revoked_by"])
    audit("api_token_revoked", organisation=token.organisation, actor=actor, user=token.user.get_username(),
          token=str(token))
    return token
