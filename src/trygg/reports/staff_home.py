"""The staff area's first page, /personal/: a safety coordinator's Monday morning on one page.

For each organisation where the user has a role: the surveys with their status and answers and the work each needs
(fieldwork, imports, coding, the situation picture, publishing), the promises with their state, the incidents
loaded, and for the organisation's admins its staff, log and API keys. The admin's lists come last, as a tool for
browsing the data, not as the workplace. It lives here, in the top app, because it shows every app's state.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import admin
from django.contrib.auth.models import User
from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from trygg.accounts.access import role_in
from trygg.accounts.models import Membership
from trygg.areas.models import Organisation
from trygg.incidents.models import IncidentImport, OwnIncident, PoliceEvent
from trygg.promises.models import Promise
from trygg.surveys.models import Survey


@dataclass
class OrganisationDesk:
    org: Organisation
    role: str
    role_label: str
    party_label: str
    surveys: list[Survey] = field(default_factory=list)
    promises: list[Promise] = field(default_factory=list)
    police_events: int = 0
    own_incidents: int = 0
    last_import: Any = None

    @property
    def changes(self) -> bool:
        return self.role in (Membership.Role.ANALYST, Membership.Role.ADMIN)

    @property
    def manages(self) -> bool:
        return self.role == Membership.Role.ADMIN


def _organisations(user: Any) -> list[tuple[Organisation, Membership | None]]:
    if isinstance(user, User) and user.is_superuser:
        return [(org, None) for org in Organisation.objects.order_by("name")]
    memberships = Membership.objects.filter(user=user).select_related("organisation").order_by("organisation__name")
    return [(m.organisation, m) for m in memberships]


def staff_home(request: HttpRequest) -> HttpResponse:
    desks = []
    for org, membership in _organisations(request.user):
        role = role_in(request.user, org)
        if role is None:
            continue
        desk = OrganisationDesk(
            org, role, str(Membership.Role(role).label),
            membership.get_party_display() if membership is not None and membership.party else "")
        desk.surveys = list(org.surveys.annotate(answers=Count("responses")).order_by("-year"))
        desk.promises = list(org.promises.order_by("-year"))
        desk.police_events = PoliceEvent.objects.filter(organisation=org, counted=True).count()
        desk.own_incidents = OwnIncident.objects.filter(organisation=org).count()
        desk.last_import = IncidentImport.objects.filter(organisation=org).aggregate(last=Max("imported_at"))["last"]
        desks.append(desk)
    return render(request, "staff/home.html", {
        "desks": desks, "app_list": admin.site.get_app_list(request),
        "operator": isinstance(request.user, User) and request.user.is_superuser,
        "open_status": Survey.Status.OPEN, "closed_status": Survey.Status.CLOSED,
        "draft_status": Promise.Status.DRAFT})
