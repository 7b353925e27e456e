"""The promise in the admin: read-only and scoped to the user's organisations. Promises are written on the staff
pages (/personal/lofte/ORG/) and the command line, through the writers, so no rule can be skipped here."""

from __future__ import annotations

from django.contrib import admin

from trygg.accounts.adminscope import OrganisationScopedAdmin
from trygg.promises.models import Amendment, ProgressEntry, Promise


@admin.register(Promise)
class PromiseAdmin(OrganisationScopedAdmin):
    list_display = ["organisation", "year", "status", "published_at"]
    list_filter = [("organisation", admin.RelatedOnlyFieldListFilter), "status"]


@admin.register(ProgressEntry)
class ProgressEntryAdmin(OrganisationScopedAdmin):
    organisation_path = "activity__promise__organisation_id"
    list_display = ["activity", "date", "delivered", "percent", "status"]
    exclude = ["file_data", "form_token"]


@admin.register(Amendment)
class AmendmentAdmin(OrganisationScopedAdmin):
    organisation_path = "promise__organisation_id"
    list_display = ["promise", "at", "activity_number", "reason"]
