"""Surveys (one per organisation and year, from a question bank) and their responses."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from trygg.areas.models import Organisation
from trygg.surveys.bank import Bank, load_bank


class Survey(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Utkast"
        OPEN = "open", "Öppen"
        CLOSED = "closed", "Stängd"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="surveys")
    year = models.PositiveSmallIntegerField()
    bank_id = models.CharField(max_length=40, default="standard-v1")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    results_published = models.BooleanField(default=False)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
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


class Response(models.Model):
    class Channel(models.TextChoices):
        WEB = "web", "Webbformulär"
        IMPORT = "import", "Import"
        DIALOGUE = "dialogue", "Medborgardialog"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    answers = models.JSONField(default=dict)
    submitted_at = models.DateTimeField()
    channel = models.CharField(max_length=10, choices=Channel.choices)
    # Hash of the one-time form token: a double submit of the same form stores one answer, not two.
    form_token = models.CharField(max_length=64, null=True, blank=True, unique=True)
    # The automatic coding of the free text (gazetteer slugs), stored so a survey of 300,000 answers is not coded
    # again on every change of the page; `coded_with` is the gazetteer's fingerprint it was coded against, and a
    # different fingerprint (new places, aliases, coder) means it is coded again (trygg.surveys.mentions).
    coded = models.JSONField(null=True, blank=True)
    coded_with = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["survey", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.survey_id}/{self.pk} ({self.channel})"


class MentionReview(models.Model):
    """A person's reading of one answer's free text: the gazetteer slugs it names, replacing the automatic coding.

    ``automatic_slugs`` keeps what the coder said when the answer was reviewed, so the agreement between coder and
    reviewer stays measurable after the gazetteer learns new aliases.
    """

    response = models.OneToOneField(Response, on_delete=models.CASCADE, related_name="mention_review")
    slugs = models.JSONField(default=list, blank=True)
    automatic_slugs = models.JSONField(default=list, blank=True)
    # A review outlives its reviewer's account: the audit log still says who it was.
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="mention_reviews")
    reviewed_at = models.DateTimeField()

    class Meta:
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

    response = models.OneToOneField(Response, on_delete=models.CASCADE, related_name="burst_flag")
    reason = models.CharField(max_length=12, choices=Reason.choices)
    # Shared by the answers of one burst: a short keyed hash that cannot be turned back into an address.
    group = models.CharField(max_length=40)
    proven = models.BooleanField(help_text="The answer came with a solved proof of work (JavaScript on).")
    flagged_at = models.DateTimeField(auto_now_add=True)
    decision = models.CharField(max_length=8, choices=Decision.choices, blank=True, default="")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["group", "response_id"]

    def __str__(self) -> str:
        return f"{self.response_id} {self.reason}"
