"""Incidents in the admin, to read only: every change goes through `do_import_incidents` and its audit event
(the command line, the staff page /personal/handelser/ORG/ and `trygg incidents fetch`)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from trygg.incidents.models import IncidentImport, OwnIncident, PoliceApiCall, PoliceEvent, PoliceEventVersion


class ReadOnly(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


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
    list_filter = ["organisation", "counted", "type"]
    search_fields = ["police_id", "type", "municipality"]
    date_hierarchy = "occurred_at"
    inlines = [VersionInline]


@admin.register(OwnIncident)
class OwnIncidentAdmin(ReadOnly):
    list_display = ["occurred_at", "category", "area", "organisation"]
    list_filter = ["organisation", "category"]
    date_hierarchy = "occurred_at"


@admin.register(IncidentImport)
class IncidentImportAdmin(ReadOnly):
    list_display = ["imported_at", "file_name", "kind", "organisation", "actor"]
    list_filter = ["organisation", "kind"]


@admin.register(PoliceApiCall)
class PoliceApiCallAdmin(ReadOnly):
    list_display = ["at", "status", "organisation", "url"]
