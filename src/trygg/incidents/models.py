"""Incidents: the police's open events for the organisation's municipality and its own incident reports.

Times are stored as moments (UTC in the database); ``occurred_on`` and ``month`` are the Swedish local day and
month of the incident, kept beside them at import so that counting by local day and month is a plain indexed
GROUP BY on SQLite and PostgreSQL alike (time-zone conversion in SQL is slow on SQLite and differs between them).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from trygg.areas.models import Area, Organisation


class IncidentImport(models.Model):
    """One file (or one fetch from the events API) loaded into an organisation, with what it did."""

    class Kind(models.TextChoices):
        POLICE = "police", "Polisens händelser (JSON)"
        POLICE_ARCHIVE = "police_archive", "Polisens händelser (Parquet-arkiv)"
        POLICE_FETCH = "police_fetch", "Polisens händelser (hämtade)"
        OWN = "own", "Egna rapporter"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="incident_imports")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    file_name = models.CharField(max_length=255)
    imported_at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    result = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.organisation.slug}: {self.file_name} ({self.kind})"


class PoliceEvent(models.Model):
    """The current version of one police event (unique per organisation and police id)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="police_events")
    police_id = models.BigIntegerField()
    content_hash = models.CharField(max_length=64)
    raw = models.JSONField(help_text="The event exactly as the events API served it.")
    published_at = models.DateTimeField()
    occurred_at = models.DateTimeField()
    occurred_on = models.DateField(help_text="The incident's Swedish local date.")
    month = models.CharField(max_length=7, help_text="The incident's Swedish local month, YYYY-MM.")
    type = models.CharField(max_length=200)
    municipality = models.CharField(max_length=200)
    counted = models.BooleanField(help_text="An incident in the organisation's municipality: not a summary, a notice "
                                            "or a county-wide event.")
    source_import = models.ForeignKey(IncidentImport, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="police_events")

    class Meta:
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

    event = models.ForeignKey(PoliceEvent, on_delete=models.CASCADE, related_name="versions")
    content_hash = models.CharField(max_length=64)
    raw = models.JSONField()
    replaced_at = models.DateTimeField(auto_now_add=True)
    replaced_by = models.ForeignKey(IncidentImport, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="replaced_versions")

    class Meta:
        ordering = ["event", "replaced_at", "id"]

    def __str__(self) -> str:
        return f"{self.event.police_id} (replaced {self.replaced_at:%Y-%m-%d})"


class OwnIncident(models.Model):
    """One incident from the organisation's own reports, placed in an area where it can be."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="own_incidents")
    source_import = models.ForeignKey(IncidentImport, on_delete=models.CASCADE, related_name="own_incidents")
    key = models.CharField(max_length=64, help_text="Hash of time, category and place: the same report twice is one.")
    occurred_at = models.DateTimeField()
    occurred_on = models.DateField(help_text="The incident's Swedish local date.")
    month = models.CharField(max_length=7, help_text="The incident's Swedish local month, YYYY-MM.")
    category = models.CharField(max_length=100)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.SET_NULL, related_name="own_incidents")

    class Meta:
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

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="incident_tallies")
    source = models.CharField(max_length=6)
    type = models.CharField(max_length=200, help_text="The police event type or the own report's category.")
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    month = models.CharField(max_length=7)
    count = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["organisation", "source", "month"], name="incident_tally_month")]

    def __str__(self) -> str:
        return f"{self.source} {self.type} {self.month}: {self.count}"


class PoliceApiCall(models.Model):
    """Each call to the events API, so that separate runs keep the police's rate rules together."""

    at = models.DateTimeField(db_index=True)
    url = models.TextField()
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL)
    status = models.PositiveSmallIntegerField(null=True, blank=True, help_text="HTTP status; empty when no answer.")

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.url}"
