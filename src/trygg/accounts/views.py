"""Staff pages of the accounts: the second factor at login, the organisation's staff, the audit log (read only),
the staff API's tokens."""

from __future__ import annotations

import base64
import csv
import io
import json
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from trygg.accounts.access import role_in, staff_access
from trygg.accounts.actions import (
    do_add_staff,
    do_confirm_second_factor,
    do_create_api_token,
    do_revoke_api_token,
    do_revoke_role,
)
from trygg.accounts.factors import second_factor_ok
from trygg.accounts.forms import ApiTokenForm, CodeForm, StaffForm
from trygg.accounts.labels import event_change, event_label, event_summary
from trygg.accounts.models import ApiToken, AuditEvent, Membership
from trygg.accounts.site import safe_next
from trygg.areas.models import Organisation
from trygg.errors import InputError

PAGE_SIZE = 100


def _qr_svg(url: str) -> str:
    import segno

    return str(segno.make(url, error="m").svg_data_uri(scale=4, border=2))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def second_factor(request: HttpRequest) -> HttpResponse:
    """Step two of an admin's login: enrol an authenticator app (first time) or give its current code."""
    user = request.user
    assert isinstance(user, User)
    target = safe_next(request, reverse("admin:index"))
    if second_factor_ok(user):
        return HttpResponseRedirect(target)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    enrolling = device is None
    if device is None:
        device = (TOTPDevice.objects.filter(user=user, confirmed=False).first()
                  or TOTPDevice.objects.create(user=user, name="trygg", confirmed=False))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        credentials = {"username": user.get_username()}
        allowed, _why = device.verify_is_allowed()
        if not allowed:
            # django-otp waits 1, 2, 4 … seconds after each wrong code before it checks another.
            form.add_error("code", _("För många felaktiga koder i rad: vänta några sekunder och försök igen."))
        elif device.verify_token(form.cleaned_data["code"].strip()):
            if enrolling:
                do_confirm_second_factor(user, device)
            otp_login(request, device)
            return HttpResponseRedirect(target)
        else:
            form.add_error("code", _("Koden stämmer inte. Ta den senaste koden från appen och försök igen."))
        # A wrong code counts as a failed login: django-axes locks the name out as for wrong passwords.
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if AxesProxyHandler.is_locked(request, credentials):
            logout(request)
            return render(request, "registration/locked_out.html", status=429)
    context: dict[str, Any] = {"form": form, "enrolling": enrolling, "next": target}
    if enrolling:
        context["qr"] = _qr_svg(device.config_url)
        secret = base64.b32encode(device.bin_key).decode()
        context["secret"] = " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))
        context["config_url"] = device.config_url
    return render(request, "registration/second_factor.html", context)


def _org_for_admin(request: HttpRequest, slug: str) -> tuple[Organisation, Membership | None]:
    """The organisation, if the user is its admin (or a superuser); PermissionDenied otherwise."""
    org = get_object_or_404(Organisation, slug=slug)
    if role_in(request.user, org) != Membership.Role.ADMIN:
        raise PermissionDenied
    user_id = request.user.pk
    own = Membership.objects.filter(user_id=user_id, organisation=org).first() if user_id is not None else None
    return org, own


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def staff_list(request: HttpRequest, org: str) -> HttpResponse:
    """The organisation's staff and their roles; its admin adds staff of their own party here."""
    organisation, own = _org_for_admin(request, org)
    own_party = own.party if own is not None else None
    form = StaffForm(request.POST or None)
    if own_party is not None:
        # An organisation admin adds staff of their own party; only an operator chooses.
        del form.fields["party"]
    actor = request.user if isinstance(request.user, User) else None
    if request.method == "POST" and "remove" in request.POST:
        member = get_object_or_404(Membership, pk=request.POST.get("remove"), organisation=organisation)
        if own_party is not None and member.party != own_party:
            raise PermissionDenied
        do_revoke_role(member.user, organisation, actor=actor)
        messages.success(request, _("%(user)s har inte längre någon roll här.") % {"user": member.user})
        return HttpResponseRedirect(request.path)
    if request.method == "POST" and form.is_valid():
        party = form.cleaned_data["party"] if own_party is None else own_party
        try:
            do_add_staff(organisation, form.cleaned_data["username"], form.cleaned_data["role"], party,
                         password=form.cleaned_data["password"], actor=actor)
        except InputError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("%(user)s kan nu logga in med sin roll.") % {
                "user": form.cleaned_data["username"]})
            return HttpResponseRedirect(request.path)
    members = organisation.memberships.select_related("user").order_by("party", "user__username")
    return render(request, "accounts/staff_list.html", {
        "org": organisation, "members": members, "form": form, "own_party": own_party})


@never_cache
@login_required
@require_safe
def audit_log(request: HttpRequest, org: str) -> HttpResponse:
    """The organisation's audit log, newest first, for its admins: read only, no form changes it."""
    organisation, _own = _org_for_admin(request, org)
    events = AuditEvent.objects.filter(organisation=organisation).select_related("actor")
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("sida"))
    rows = [{"event": e, "label": event_label(e.action), "summary": event_summary(e), "change": event_change(e)}
            for e in page]
    return render(request, "accounts/audit_log.html", {"org": organisation, "page": page, "rows": rows})


@never_cache
@login_required
@require_safe
def audit_log_csv(request: HttpRequest, org: str) -> HttpResponse:
    """The whole audit log of the organisation as CSV (UTF-8 with BOM, CRLF, ISO 8601 times in UTC)."""
    organisation, _own = _org_for_admin(request, org)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["id", "at", "action", "label", "actor", "detail", "summary", "change"])
    events = AuditEvent.objects.filter(organisation=organisation).select_related("actor").order_by("id")
    for event in events.iterator():
        writer.writerow([event.pk, event.at.isoformat(), event.action, event_label(event.action),
                         event.actor.get_username() if event.actor else "",
                         _neutral(json.dumps(event.detail, ensure_ascii=False, sort_keys=True)),
                         _neutral(event_summary(event)), _neutral(event_change(event))])
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="logg-{organisation.slug}.csv"'
    return response


def _neutral(cell: str) -> str:
    """A cell a spreadsheet will not run as a formula (OWASP CSV injection)."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest, org: str) -> HttpResponse:
    """The user's tokens for the staff API in the organisation (its admin sees everyone's): make one, shown once,
    and revoke. Viewers see and revoke their own old tokens but make none: the staff API imports files."""
    organisation = get_object_or_404(Organisation, slug=org)
    if staff_access(request.user, organisation) is None or not isinstance(request.user, User):
        raise PermissionDenied
    user = request.user
    role = role_in(user, organisation)
    can_create = role in (Membership.Role.ANALYST, Membership.Role.ADMIN)
    sees_all = role == Membership.Role.ADMIN
    tokens = ApiToken.objects.filter(organisation=organisation).select_related("user", "revoked_by")
    if not sees_all:
        tokens = tokens.filter(user=user)
    form = ApiTokenForm(request.POST if "skapa" in request.POST else None)
    secret = ""
    if request.method == "POST" and "aterkalla" in request.POST:
        chosen = request.POST.get("aterkalla", "")
        if not (chosen.isascii() and chosen.isdigit()):  # a tampered form: no token has that id (not a 500)
            raise Http404(chosen[:20])
        token = get_object_or_404(tokens, pk=int(chosen), revoked_at__isnull=True)
        do_revoke_api_token(token, actor=user)
        messages.success(request, _("Nyckeln %(token)s är återkallad.") % {"token": token})
        return HttpResponseRedirect(request.path)
    if request.method == "POST":
        if not can_create:
            raise PermissionDenied
        if form.is_valid():
            try:
                _token, secret = do_create_api_token(user, organisation, form.cleaned_data["name"],
                                                     days=form.cleaned_data["days"], actor=user)
            except InputError as exc:
                form.add_error(None, str(exc))
            else:
                form = ApiTokenForm()
    return render(request, "accounts/api_tokens.html", {
        "org": organisation, "tokens": tokens.order_by("revoked_at", "-created_at"), "form": form,
        "secret": secret, "can_create": can_create, "sees_all": sees_all, "now": timezone.now(),
        "api_base": request.build_absolute_uri("/api/staff/"),
    }, status=400 if form.errors else 200)
