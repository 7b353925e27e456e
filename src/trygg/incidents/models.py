"""Incidents: the police's open events for the organisation's municipality and its own incident reports.

Times are stored as moments (UTC in the database); ``occurred_on`` and ``month`` are the Swedish local day and
month of the incident, kept beside them at import so that counting by local day and month is a plain indexed
GROUP BY on SQLite and PostgreSQL alike (time-zone conversion in SQL is slow on SQLite and differs between them).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from trygg.areas.models import Area, Organisation


class IncidentImport(models.Model):
    """One file (or one fetch from the events API) loaded into an organisation, with what it did."""

    class Kind(models.TextChoices):
        POLICE = "police", _("Polisens händelser (JSON)")
        POLICE_ARCHIVE = "police_archive", _("Polisens händelser (Parquet-arkiv)")
        POLICE_FETCH = "police_fetch", _("Polisens händelser (hämtade)")
        OWN = "own", _("Egna rapporter")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="incident_imports",
                                     verbose_name=_("organisation"))
    kind = models.CharField(_("slag"), max_length=20, choices=Kind.choices)
    file_name = models.CharField(_("fil"), max_length=255, help_text=_("Filens namn, eller adressen som hämtades."))
    imported_at = models.DateTimeField(_("inläst"), auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              verbose_name=_("inläst av"))
    result = models.JSONField(_("resultat"), default=dict, blank=True,
                              help_text=_("Vad inläsningen gjorde: rader, nya, oförändrade, ersatta och så vidare."))

    class Meta:
        ordering = ["-imported_at", "-id"]
        verbose_name = _("inläsning av händelser")
        verbose_name_plural = _("inläsningar av händelser")

    def __str__(self) -> str:
        return f"{self.organisation.slug}: {self.file_name} ({self.get_kind_display()})"


class PoliceEvent(models.Model):
    """The current version of one police event (unique per organisation and police id)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="police_events",
                                     verbose_name=_("organisation"))
    police_id = models.BigIntegerField(_("polisens id"))
    content_hash = models.CharField(_("kontrollsumma"), max_length=64,
                                    help_text=_("SHA-256 av händelsens fält: samma id med en annan summa är en "
                                                "ändrad händelse."))
    raw = models.JSONField(_("händelsen"), help_text=_("Händelsen precis som polisens API levererade den."))
    published_at = models.DateTimeField(_("publicerad"))
    occurred_at = models.DateTimeField(_("inträffade"))
    occurred_on = models.DateField(_("dag"), help_text=_("Dagen då händelsen inträffade, svensk tid."))
    month = models.CharField(_("månad"), max_length=7, help_text=_("Månaden då händelsen inträffade, svensk tid, "
                                                                   "ÅÅÅÅ-MM."))
    type = models.CharField(_("typ"), max_length=200)
    municipality = models.CharField(_("kommun"), max_length=200)
    counted = models.BooleanField(_("räknas"), help_text=_("En händelse i organisationens kommun: inte en "
                                                          "sammanfattning, ett meddelande eller en länshändelse."))
    source_import = models.ForeignKey(IncidentImport, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="police_events", verbose_name=_("inläsning"))

    class Meta:
        verbose_name = _("polisens händelse")
        verbose_name_plural = _("polisens händelser")
        ordering = ["-occurred_at", "-police_id"]
        constraints = [models.UniqueConstraint(fields=["organisation", "police_id"],
                                               name="police_event_unique_per_org")]
        # Covers the count of a range of days (filter, then GROUP BY type and month) without reading the table.
        indexes = [models.Index(fields=["organisation", "occurred_on", "counted", "type", "month"],
                                name="police_event_count_by_day")]

    def __str__(self) -> str:
        return f"{self.police_id}: {self.raw.get('name', '')}"


class PoliceEventVersion(models.Model):
    """A version of a police event that a later, edited version replaced (the police edit events in place)."""

    event = models.ForeignKey(PoliceEvent, on_delete=models.CASCADE, related_name="versions",
                              verbose_name=_("händelse"))
    content_hash = models.CharField(_("kontrollsumma"), max_length=64)
    raw = models.JSONField(_("händelsen"))
    replaced_at = models.DateTimeField(_("ersatt"), auto_now_add=True)
    replaced_by = models.ForeignKey(IncidentImport, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="replaced_versions", verbose_name=_("ersatt av inläsningen"))

    class Meta:
        ordering = ["event", "replaced_at", "id"]
        verbose_name = _("tidigare version av polisens händelse")
        verbose_name_plural = _("tidigare versioner av polisens händelser")

    def __str__(self) -> str:
        return gettext("%(id)s (ersatt %(date)s)") % {"id": self.event.police_id,
                                                      "date": f"{self.replaced_at:%Y-%m-%d}"}


class OwnIncident(models.Model):
    """One incident from the organisation's own reports, placed in an area where it can be."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="own_incidents",
                                     verbose_name=_("organisation"))
    source_import = models.ForeignKey(IncidentImport, on_delete=models.CASCADE, related_name="own_incidents",
                                      verbose_name=_("inläsning"))
    key = models.CharField(_("nyckel"), max_length=64,
                           help_text=_("Kontrollsumma av tid, kategori och plats: samma rapport två gånger är en."))
    occurred_at = models.DateTimeField(_("inträffade"))
    occurred_on = models.DateField(_("dag"), help_text=_("Dagen då händelsen inträffade, svensk tid."))
    month = models.CharField(_("månad"), max_length=7, help_text=_("Månaden då händelsen inträffade, svensk tid, "
                                                                   "ÅÅÅÅ-MM."))
    category = models.CharField(_("kategori"), max_length=100)
    lat = models.FloatField(_("latitud"), null=True, blank=True)
    lon = models.FloatField(_("longitud"), null=True, blank=True)
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.SET_NULL, related_name="own_incidents",
                             verbose_name=_("område"))

    class Meta:
        verbose_name = _("egen rapporterad händelse")
        verbose_name_plural = _("egna rapporterade händelser")
        ordering = ["-occurred_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["organisation", "key"], name="own_incident_unique_per_org")]
        indexes = [models.Index(fields=["organisation", "occurred_on", "category", "month", "area"],
                                name="own_incident_count_cover")]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.category}"


class IncidentTally(models.Model):
    """Counted incidents per source, type, area and local month: what the counts of whole months read.

    Derived from PoliceEvent and OwnIncident and rewritten for the months an import touches (`refresh_tallies`),
    so counting a year of 100,000 incidents reads about a thousand rows instead of all of them.
    """

    class Source(models.TextChoices):
        POLICE = "police", _("Polisens händelser")
        OWN = "own", _("Egna rapporter")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="incident_tallies",
                                     verbose_name=_("organisation"))
    source = models.CharField(_("källa"), max_length=6, choices=Source.choices)
    type = models.CharField(_("typ"), max_length=200,
                            help_text=_("Typen av polisens händelse eller kategorin i en egen rapport."))
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name=_("område"))
    month = models.CharField(_("månad"), max_length=7)
    count = models.PositiveIntegerField(_("antal händelser"))

    class Meta:
        indexes = [models.Index(fields=["organisation", "source", "month"], name="incident_tally_month")]
        verbose_name = _("antal händelser i en månad")
        verbose_name_plural = _("antal händelser per månad")

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.type} {self.month}: {self.count}"


class PoliceApiCall(models.Model):
    """Each call to the events API, so that separate runs keep the police's rate rules together."""

    at = models.DateTimeField(_("tid"), db_index=True)
    url = models.TextField(_("adress"))
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL,
                                     verbose_name=_("organisation"))
    status = models.PositiveSmallIntegerField(_("HTTP-status"), null=True, blank=True,
                                              help_text=_("Svarets HTTP-status; tom när inget svar kom."))

    class Meta:
        ordering = ["-at"]
        verbose_name = _("anrop till polisens API")
        verbose_name_plural = _("anropen till polisens API")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.url}"
