from django.contrib import admin

from trygg.areas.models import Area, Organisation, Place, PopulationMargin


class AreaInline(admin.TabularInline[Area, Organisation]):
    model = Area
    fields = ["code", "name", "schematic"]
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ["name", "slug", "kommun_code", "synthetic"]
    search_fields = ["name", "slug"]
    inlines = [AreaInline]


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin[Place]):
    list_display = ["name", "kind", "organisation"]
    list_filter = ["organisation", "kind"]
    search_fields = ["name", "slug"]


@admin.register(PopulationMargin)
class PopulationMarginAdmin(admin.ModelAdmin[PopulationMargin]):
    list_display = ["organisation", "variable", "category", "count"]
    list_filter = ["organisation", "variable"]
