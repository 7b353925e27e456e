"""Organisations (a municipality with its local police area), their areas, named places and population margins."""

from __future__ import annotations

from django.db import models


class Organisation(models.Model):
    slug = models.SlugField(unique=True, help_text="Used in public addresses: /SLUG/.")
    name = models.CharField(max_length=200)
    kommun_code = models.CharField(max_length=4, blank=True, help_text="SCB's four-digit municipality code.")
    police_area = models.CharField(max_length=200, blank=True, help_text="The local police area (lokalpolisområde).")
    municipality = models.CharField(
        max_length=100, blank=True,
        help_text="The municipality as the police's events name it (Halmstad); empty: taken from the name.")
    synthetic = models.BooleanField(default=False, help_text="Demo data: labelled synthetic wherever it shows.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def schematic_areas(self) -> bool:
        """Some of its areas are drawn sketches: pages must say they are not official boundaries."""
        return self.areas.filter(schematic=True).exists()


class Area(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="areas")
    code = models.SlugField(max_length=64)
    name = models.CharField(max_length=200)
    geometry = models.JSONField(null=True, blank=True, help_text="GeoJSON geometry in WGS84.")
    schematic = models.BooleanField(default=False, help_text="A drawn sketch, not an official boundary.")

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "code"], name="area_code_unique_per_org")]

    def __str__(self) -> str:
        return self.name


class Place(models.Model):
    """A gazetteer entry: a named place or a theme residents mention, with the other ways they write it."""

    class Kind(models.TextChoices):
        PLACE = "place", "Plats"
        THEME = "theme", "Tema"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="places")
    slug = models.SlugField(max_length=100)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PLACE)
    aliases = models.JSONField(default=list, blank=True)
    geometry = models.JSONField(null=True, blank=True, help_text="GeoJSON geometry in WGS84.")

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "slug"], name="place_slug_unique_per_org")]

    def __str__(self) -> str:
        return self.name


class PopulationMargin(models.Model):
    """One population count for weighting, e.g. gender=kvinna 52,000."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="margins")
    variable = models.CharField(max_length=32)
    category = models.CharField(max_length=64)
    count = models.FloatField()

    class Meta:
        ordering = ["variable", "category"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "variable", "category"], name="margin_unique_per_org")
        ]

    def __str__(self) -> str:
        return f"{self.variable}={self.category}: {self.count:,.0f}"
