"""Incidents in the admin, to read only: every change goes through `do_import_incidents` and its audit event
(the command line, the staff page /personal/handelser/ORG/ and `trygg incidents fetch`)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from trygg.accounts.adminscope import OrganisationScopedAdmin
from trygg.accounts.models import Membership
from trygg.incidents.models import IncidentImport, OwnIncident, PoliceApiCall, PoliceEvent, PoliceEventVersion


class ReadOnly(OrganisationScopedAdmin):
    """Read only, and only the user's own organisations (accounts/adminscope.py); incidents are an analyst's."""

    min_role = Membership.Role.ANALYST


class VersionInline(admin.TabularInline[PoliceEventVersion, PoliceEvent]):
    model = PoliceEventVersion
    fields = ("replaced_at", "content_hash", "raw")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PoliceEvent)
class PoliceEventAdmin(ReadOnly):
    list_display = ["police_id", "occurred_at", "type", "municipality", "counted", "organisation"]
    list_filter = [("organisation", admin.RelatedOnlyFieldListFilter), "counted", "type"]
    search_fields = ["police_id", "type", "municipality"]
    date_hierarchy = "occurred_at"
    inlines = [VersionInline]


@admin.register(OwnIncident)
class OwnIncidentAdmin(ReadOnly):
    list_display = ["occurred_at", "category", "area", "organisation"]
    list_filter = [("organisation", admin.RelatedOnlyFieldListFilter), "category"]
    date_hierarchy = "occurred_at"


@admin.register(IncidentImport)
class IncidentImportAdmin(ReadOnly):
    list_display = ["imported_at", "file_name", "kind", "organisation", "actor"]
    list_filter = [("organisation", admin.RelatedOnlyFieldListFilter), "kind"]


@admin.register(PoliceApiCall)
class PoliceApiCallAdmin(ReadOnly):
    """Calls to the police's API: the organisation's admins; calls made for no organisation, superusers only."""

    min_role = Membership.Role.ADMIN
    list_display = ["at", "status", "organisation", "url"]
