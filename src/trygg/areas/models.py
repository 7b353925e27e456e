"""Organisations (a municipality with its local police area), their areas, named places and population margins."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    slug = models.SlugField(_("kortnamn"), unique=True, help_text=_("Används i publika adresser: /KORTNAMN/."))
    name = models.CharField(_("namn"), max_length=200)
    kommun_code = models.CharField(_("kommunkod"), max_length=4, blank=True,
                                   help_text=_("SCB:s fyrsiffriga kommunkod."))
    police_area = models.CharField(_("lokalpolisområde"), max_length=200, blank=True,
                                   help_text=_("Det lokala polisområdet."))
    municipality = models.CharField(
        _("kommun i polisens händelser"), max_length=100, blank=True,
        help_text=_("Kommunen som polisens händelser namnger den (Halmstad); tomt: tas från namnet."))
    synthetic = models.BooleanField(_("syntetisk"), default=False,
                                    help_text=_("Demodata: märks som påhittade överallt där de visas."))
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisationer")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def schematic_areas(self) -> bool:
        """Some of its areas are drawn sketches: pages must say they are not official boundaries."""
        return self.areas.filter(schematic=True).exists()


class Area(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="areas",
                                     verbose_name=_("organisation"))
    code = models.SlugField(_("kod"), max_length=64)
    name = models.CharField(_("namn"), max_length=200)
    geometry = models.JSONField(_("geometri"), null=True, blank=True, help_text=_("GeoJSON-geometri i WGS84."))
    schematic = models.BooleanField(_("schematisk"), default=False,
                                    help_text=_("En ritad skiss, inte en officiell gräns."))

    class Meta:
        verbose_name = _("område")
        verbose_name_plural = _("områden")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "code"], name="area_code_unique_per_org")]

    def __str__(self) -> str:
        return self.name


class Place(models.Model):
    """A gazetteer entry: a named place or a theme residents mention, with the other ways they write it."""

    class Kind(models.TextChoices):
        PLACE = "place", _("Plats")
        THEME = "theme", _("Tema")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="places",
                                     verbose_name=_("organisation"))
    slug = models.SlugField(_("kortnamn"), max_length=100)
    name = models.CharField(_("namn"), max_length=200)
    kind = models.CharField(_("sort"), max_length=10, choices=Kind.choices, default=Kind.PLACE)
    aliases = models.JSONField(_("andra namn"), default=list, blank=True)
    geometry = models.JSONField(_("geometri"), null=True, blank=True, help_text=_("GeoJSON-geometri i WGS84."))

    class Meta:
        verbose_name = _("plats")
        verbose_name_plural = _("platser")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "slug"], name="place_slug_unique_per_org")]

    def __str__(self) -> str:
        return self.name


class PopulationMargin(models.Model):
    """One population count for weighting, e.g. gender=kvinna 52,000."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="margins",
                                     verbose_name=_("organisation"))
    variable = models.CharField(_("variabel"), max_length=32)
    category = models.CharField(_("kategori"), max_length=64)
    count = models.FloatField(_("antal invånare"))

    class Meta:
        verbose_name = _("befolkningstal")
        verbose_name_plural = _("befolkningstal")
        ordering = ["variable", "category"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "variable", "category"], name="margin_unique_per_org")
        ]

    def __str__(self) -> str:
        return f"{self.variable}={self.category}: {self.count:,.0f}"
