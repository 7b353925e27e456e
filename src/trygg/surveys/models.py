"""Surveys (one per organisation and year, from a question bank) and their responses."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from trygg.areas.models import Organisation
from trygg.surveys.bank import Bank, load_bank

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models.sql.compiler import SQLCompiler, _AsSqlType


class Survey(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        OPEN = "open", _("Öppen")
        CLOSED = "closed", _("Stängd")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="surveys",
                                     verbose_name=_("organisation"))
    year = models.PositiveSmallIntegerField(_("år"))
    bank_id = models.CharField(_("frågebank"), max_length=40, default="standard-v1")
    status = models.CharField(_("läge"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    results_published = models.BooleanField(_("resultat publicerade"), default=False)
    opened_at = models.DateTimeField(_("öppnad"), null=True, blank=True)
    closed_at = models.DateTimeField(_("stängd"), null=True, blank=True)

    class Meta:
        verbose_name = _("enkät")
        verbose_name_plural = _("enkäter")
        ordering = ["organisation__slug", "-year"]
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="one_survey_per_org_year")]

    def __str__(self) -> str:
        return self.slug

    @property
    def slug(self) -> str:
        return f"{self.organisation.slug}-{self.year}"

    @property
    def bank(self) -> Bank:
        return load_bank(self.bank_id)

    @property
    def results_public(self) -> bool:
        """Results are public only once fieldwork has closed and staff have published them."""
        return self.status == self.Status.CLOSED and self.results_published


class HasFreeText(models.Func):
    """True when the answers' JSON holds "unsafe_places_text" as a string that is not blank (spaces trimmed).

    Written out per database because Django's key lookup reads a JSON null as the text 'null' on SQLite.
    """

    output_field = models.BooleanField()
    arity = 1

    def as_sqlite(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper,
                  **extra_context: Any) -> _AsSqlType:
        return self.as_sql(compiler, connection, template=(
            "COALESCE(JSON_TYPE(%(expressions)s, '$.unsafe_places_text') = 'text' "
            "AND TRIM(JSON_EXTRACT(%(expressions)s, '$.unsafe_places_text')) <> '', 0)"), **extra_context)

    def as_postgresql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper,
                      **extra_context: Any) -> _AsSqlType:
        return self.as_sql(compiler, connection, template=(
            "COALESCE(JSONB_TYPEOF(%(expressions)s -> 'unsafe_places_text') = 'string' "
            "AND BTRIM(%(expressions)s ->> 'unsafe_places_text') <> '', FALSE)"), **extra_context)


class Response(models.Model):
    class Channel(models.TextChoices):
        WEB = "web", _("Webbformulär")
        IMPORT = "import", _("Import")
        DIALOGUE = "dialogue", _("Medborgardialog")
        PAPER = "paper", _("Pappersenkät")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses", verbose_name=_("enkät"))
    answers = models.JSONField(_("svar"), default=dict)
    submitted_at = models.DateTimeField(_("inskickat"))
    channel = models.CharField(_("kanal"), max_length=10, choices=Channel.choices)
    # Where a paper form or a dialogue answer was collected (a library, a square); empty for web answers and imports.
    place = models.CharField(_("insamlingsplats"), max_length=200, blank=True, default="")
    # Hash of the one-time form token: a double submit of the same form stores one answer, not two.
    form_token = models.CharField(max_length=64, null=True, blank=True, unique=True)
    # The automatic coding of the free text (gazetteer slugs), stored so a survey of 300,000 answers is not coded
    # again on every change of the page; `coded_with` is the gazetteer's fingerprint it was coded against, and a
    # different fingerprint (new places, aliases, coder) means it is coded again (trygg.surveys.mentions).
    coded = models.JSONField(null=True, blank=True)
    coded_with = models.CharField(max_length=64, blank=True, default="")
    # Whether the answer has free text (a non-blank "unsafe_places_text"), kept by the database from the answers
    # themselves, so the coding-review list counts and pages its answers without reading every answer's JSON.
    has_text = models.GeneratedField(
        expression=HasFreeText("answers"), output_field=models.BooleanField(), db_persist=True)
    # Whether a person must read the free text before its coding is trusted (another language): stored with the
    # codes, on arrival and whenever coded again; None for answers stored before there was a flag, until the review
    # list's flagged view first reads them.
    flagged = models.BooleanField(null=True, blank=True)

    class Meta:
        verbose_name = _("svar")
        verbose_name_plural = _("svar")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["survey", "submitted_at"]),
            # The coding-review list: its answers counted and paged (and the flagged ones chosen) from the index.
            models.Index(fields=["survey", "id", "flagged"], condition=models.Q(has_text=True),
                         name="response_free_text_idx"),
            # Answers coded against an older gazetteer, found without reading the others.
            models.Index(fields=["survey", "coded_with"], name="response_coded_with_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}/{self.pk} ({self.channel})"


class MentionReview(models.Model):
    """A person's reading of one answer's free text: the gazetteer slugs it names, replacing the automatic coding.

    ``automatic_slugs`` keeps what the coder said when the answer was reviewed, so the agreement between coder and
    reviewer stays measurable after the gazetteer learns new aliases.
    """

    response = models.OneToOneField(Response, on_delete=models.CASCADE, related_name="mention_review",
                                    verbose_name=_("svar"))
    slugs = models.JSONField(_("platser"), default=list, blank=True)
    automatic_slugs = models.JSONField(_("platser enligt den automatiska kodningen"), default=list, blank=True)
    # A review outlives its reviewer's account: the audit log still says who it was.
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="mention_reviews", verbose_name=_("granskare"))
    reviewed_at = models.DateTimeField(_("granskad"))

    class Meta:
        verbose_name = _("granskning av platskodning")
        verbose_name_plural = _("granskningar av platskodning")
        ordering = ["response_id"]

    def __str__(self) -> str:
        return f"{self.response_id}: {', '.join(self.slugs) or '–'}"


class BurstFlag(models.Model):
    """A web answer that came in a burst (surveys/antiabuse.py): kept and counted until staff decide."""

    class Reason(models.TextChoices):
        CONNECTION = "anslutning", _("Många svar från samma anslutning på kort tid")
        CONTENT = "innehall", _("Många likadana svar på kort tid")

    class Decision(models.TextChoices):
        PENDING = "", _("Inte beslutat")
        KEEP = "behall", _("Behålls")

    response = models.OneToOneField(Response, on_delete=models.CASCADE, related_name="burst_flag",
                                    verbose_name=_("svar"))
    reason = models.CharField(_("skäl"), max_length=12, choices=Reason.choices)
    # Shared by the answers of one burst: a short keyed hash that cannot be turned back into an address.
    group = models.CharField(_("grupp"), max_length=40)
    proven = models.BooleanField(_("med arbetsbevis"),
                                 help_text=_("Svaret kom med ett löst arbetsbevis (JavaScript på)."))
    flagged_at = models.DateTimeField(_("flaggat"), auto_now_add=True)
    decision = models.CharField(_("beslut"), max_length=8, choices=Decision.choices, blank=True, default="")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("beslutat av"))
    decided_at = models.DateTimeField(_("beslutat"), null=True, blank=True)

    class Meta:
        verbose_name = _("svar i en skur")
        verbose_name_plural = _("svar i skurar")
        ordering = ["group", "response_id"]

    def __str__(self) -> str:
        return f"{self.response_id} {self.reason}"


class DialogueNote(models.Model):
    """What people raised at a citizen dialogue, by theme and place: kept for the situation picture, not an answer."""

    class Theme(models.TextChoices):
        OTRYGGA_PLATSER = "otrygga_platser", _("Otrygga platser")
        BELYSNING = "belysning", _("Belysning och mörka platser")
        NEDSKRAPNING = "nedskrapning", _("Nedskräpning, klotter och skadegörelse")
        TRAFIK = "trafik", _("Trafik och buskörning")
        UNGDOMAR = "ungdomar", _("Ungdomar och störningar")
        NARKOTIKA = "narkotika", _("Narkotika och berusade")
        POLIS = "polis", _("Polisens och kommunens närvaro")
        ANNAT = "annat", _("Annat")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="dialogue_notes",
                               verbose_name=_("enkät"))
    held_on = models.DateField(_("datum"))
    area = models.ForeignKey("areas.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name=_("område"))
    place = models.CharField(_("plats"), max_length=200)
    theme = models.CharField(_("tema"), max_length=20, choices=Theme.choices)
    text = models.TextField(_("vad som togs upp"), max_length=2000)
    people = models.PositiveIntegerField(_("antal deltagare"), null=True, blank=True)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("antecknat av"))
    written_at = models.DateTimeField(_("antecknat"), auto_now_add=True)

    class Meta:
        verbose_name = _("anteckning från medborgardialog")
        verbose_name_plural = _("anteckningar från medborgardialoger")
        ordering = ["-held_on", "id"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.place}: {self.get_theme_display()}"


class Counter(models.Model):
    """A count shared by every process and server: a connection's answers of the day, a burst window's answers.

    Used when the database is the shared cache (CACHE_URL empty; with Redis the counts live there). Each count is one
    atomic upsert (trygg.surveys.antiabuse), and a count past `expires` starts again; expired rows are deleted now
    and then. Never culled while current, unlike a cache entry.
    """

    key = models.CharField(max_length=200, primary_key=True)
    n = models.BigIntegerField()
    expires = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key}: {self.n}"


class SurveyFrame(models.Model):
    """A closed survey's answers as compact columns (`trygg.surveys.columns`), so a cold results page reads one row
    instead of every answer. Derived data: `key` names what it was built from (`trygg.surveys.snapshot`), and a
    frame whose key no longer matches is rebuilt, never read."""

    survey = models.OneToOneField(Survey, on_delete=models.CASCADE, related_name="frame", verbose_name=_("enkät"))
    key = models.CharField(_("fingeravtryck"), max_length=64)
    data = models.BinaryField()
    created_at = models.DateTimeField(_("skapad"), auto_now=True)

    def __str__(self) -> str:
        return f"{self.survey_id} {self.key[:12]}"
