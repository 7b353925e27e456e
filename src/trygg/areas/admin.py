"""Organisations, areas, places and margins in the admin: read only, each staff member's own organisations only.

They change through the writers (`trygg org create`, `trygg places import`, `trygg population import`), which check
every row and write an audit event.
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from trygg.accounts.adminscope import OrganisationScopedAdmin
from trygg.areas.models import Area, Organisation, Place, PopulationMargin


class AreaInline(admin.TabularInline[Area, Organisation]):
    model = Area
    fields = ["code", "name", "schematic"]
    readonly_fields = ["code", "name", "schematic"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Organisation)
class OrganisationAdmin(OrganisationScopedAdmin):
    organisation_path = "id"
    list_display = ["name", "slug", "kommun_code", "synthetic"]
    search_fields = ["name", "slug"]
    inlines = [AreaInline]


@admin.register(Place)
class PlaceAdmin(OrganisationScopedAdmin):
    list_display = ["name", "kind", "organisation", "alias_list"]
    list_filter = [("organisation", admin.RelatedOnlyFieldListFilter), "kind"]
    search_fields = ["name", "slug"]
    exclude = ["geometry"]

    @admin.display(description=_("andra namn"))
    def alias_list(self, place: Place) -> str:
        return ", ".join(place.aliases)


@admin.register(PopulationMargin)
class PopulationMarginAdmin(OrganisationScopedAdmin):
    list_display = ["organisation", "variable", "category", "count"]
    list_filter = [("organisation", admin.RelatedOnlyFieldListFilter), "variable"]
