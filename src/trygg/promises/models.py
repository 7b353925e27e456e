"""The promise: commitments per party, activities on places, progress, indicators, approvals and amendments.

Every change goes through the writers in `trygg.promises.actions`; a published promise is frozen there (changes
become amendments with a reason), not here, so the admin and the shell cannot skip the rule by accident either:
the admin shows promises read-only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from trygg.areas.models import Organisation
from trygg.surveys.models import Survey

PARTIES = ("gemensamt", "kommunen", "polisen")
APPROVING_PARTIES = ("kommunen", "polisen")


class Promise(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        PUBLISHED = "published", _("Publicerat")
        FOLLOWED_UP = "followed_up", _("Uppföljt")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="promises",
                                     verbose_name=_("organisation"))
    year = models.PositiveSmallIntegerField(_("år"))
    period_start = models.DateField(_("gäller från"), null=True, blank=True)
    period_end = models.DateField(_("gäller till"), null=True, blank=True)
    status = models.CharField(_("läge"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("publicerat"), null=True, blank=True)
    followed_up_at = models.DateTimeField(_("uppföljt"), null=True, blank=True)
    created_at = models.DateTimeField(_("skapat"), auto_now_add=True)

    class Meta:
        ordering = ["organisation__slug", "-year"]
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="one_promise_per_org_year")]
        verbose_name = _("medborgarlöfte")
        verbose_name_plural = _("medborgarlöften")

    def __str__(self) -> str:
        return self.slug

    @property
    def slug(self) -> str:
        return f"{self.organisation.slug}-{self.year}"

    @property
    def frozen(self) -> bool:
        """Published (or followed up): changes are amendments with a reason."""
        return self.status != self.Status.DRAFT


class Commitment(models.Model):
    """What one party (or both together) promises; its activities say how."""

    class Party(models.TextChoices):
        GEMENSAMT = "gemensamt", _("Polisen och kommunen lovar")
        KOMMUNEN = "kommunen", _("Kommunen lovar")
        POLISEN = "polisen", _("Polisen lovar")

    promise = models.ForeignKey(Promise, on_delete=models.CASCADE, related_name="commitments",
                                verbose_name=_("medborgarlöfte"))
    party = models.CharField(_("part"), max_length=10, choices=Party.choices)
    text = models.TextField(_("text"))
    position = models.PositiveIntegerField(_("ordning"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("åtagande")
        verbose_name_plural = _("åtaganden")

    def __str__(self) -> str:
        return f"{self.party}: {self.text[:60]}"


class Indicator(models.Model):
    """A bank indicator in a domain (the whole organisation, one area, or areas pooled into one domain)."""

    promise = models.ForeignKey(Promise, on_delete=models.CASCADE, related_name="indicators",
                                verbose_name=_("medborgarlöfte"))
    indicator = models.CharField(_("indikator"), max_length=64)
    areas = models.JSONField(_("områden"), default=list, blank=True,
                             help_text=_("Områdeskoder som räknas tillsammans; tomt: hela organisationen."))
    baseline_survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="+",
                                        verbose_name=_("enkät för utgångsläget"))
    target = models.FloatField(_("mål"), null=True, blank=True, help_text=_("Målet som andel, 0–1."))
    follow_up_survey = models.ForeignKey(Survey, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                         verbose_name=_("enkät för uppföljningen"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("indikator i ett löfte")
        verbose_name_plural = _("indikatorer i löften")

    def __str__(self) -> str:
        return f"{self.indicator} {self.domain_text}"

    @property
    def domain_text(self) -> str:
        """The domain as the CSV writes it: `area=a|b`, or '' for the whole organisation."""
        return f"area={'|'.join(self.areas)}" if self.areas else ""


class Activity(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planerad")
        ONGOING = "ongoing", _("Pågår")
        DONE = "done", _("Genomförd")
        CANCELLED = "cancelled", _("Inställd")
        NO_EVIDENCE = "no_evidence", _("Inget underlag än")

    promise = models.ForeignKey(Promise, on_delete=models.CASCADE, related_name="activities",
                                verbose_name=_("medborgarlöfte"))
    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="activities",
                                   verbose_name=_("åtagande"))
    number = models.PositiveIntegerField(_("nummer"), help_text=_("Dess nummer i löftet, som `trygg promise show` "
                                                                  "visar det."))
    text = models.TextField(_("text"))
    places = models.JSONField(_("platser"), default=list, blank=True,
                              help_text=_("Kortnamn på områden och namngivna platser."))
    quantity = models.FloatField(_("antal"), null=True, blank=True)
    unit = models.CharField(_("enhet"), max_length=60, blank=True)
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("slut"), null=True, blank=True)
    responsible = models.CharField(_("ansvarig"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    cancel_reason = models.TextField(_("skäl till att den ställdes in"), blank=True)
    delivered = models.FloatField(_("levererat"), null=True, blank=True,
                                  help_text=_("Levererat hittills, i aktivitetens enhet."))
    percent = models.FloatField(_("procent"), null=True, blank=True,
                                help_text=_("Tomt tills en uppföljning är gjord (aldrig 0 av sig självt)."))
    indicator = models.ForeignKey(Indicator, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="activities", verbose_name=_("indikator"))
    form_token = models.CharField(_("formulärets engångsnyckel"), max_length=64, null=True, blank=True, unique=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("aktivitet")
        verbose_name_plural = _("aktiviteter")
        constraints = [models.UniqueConstraint(fields=["promise", "number"], name="activity_number_per_promise")]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:60]}"


class ProgressEntry(models.Model):
    """A dated report on an activity: a note, evidence (a link or a file), and what was delivered or how far."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="progress",
                                 verbose_name=_("aktivitet"))
    date = models.DateField(_("datum"))
    note = models.TextField(_("anteckning"), blank=True)
    link = models.URLField(_("länk"), max_length=500, blank=True)
    file_name = models.CharField(_("filnamn"), max_length=200, blank=True)
    file_type = models.CharField(_("filtyp"), max_length=100, blank=True)
    file_data = models.BinaryField(_("fil"), null=True, blank=True)
    delivered = models.FloatField(_("levererat"), null=True, blank=True)
    percent = models.FloatField(_("procent"), null=True, blank=True)
    status_before = models.CharField(_("status före"), max_length=12, blank=True, choices=Activity.Status.choices)
    status = models.CharField(_("ny status"), max_length=12, blank=True, choices=Activity.Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              verbose_name=_("sparad av"))
    created_at = models.DateTimeField(_("sparad"), auto_now_add=True)
    # A double submit of the same form stores one entry, not two.
    form_token = models.CharField(_("formulärets engångsnyckel"), max_length=64, null=True, blank=True, unique=True)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("uppföljning")
        verbose_name_plural = _("uppföljningar")

    def __str__(self) -> str:
        return f"{self.activity_id} {self.date}"


class Approval(models.Model):
    """One party's approval of a promise, by an administrator who works for that party."""

    class Party(models.TextChoices):
        KOMMUNEN = "kommunen", _("Kommunen")
        POLISEN = "polisen", _("Polisen")

    promise = models.ForeignKey(Promise, on_delete=models.CASCADE, related_name="approvals",
                                verbose_name=_("medborgarlöfte"))
    party = models.CharField(_("part"), max_length=10, choices=Party.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                             verbose_name=_("användare"))
    username = models.CharField(_("användarnamn"), max_length=150)
    at = models.DateTimeField(_("godkänt"), auto_now_add=True)

    class Meta:
        ordering = ["party"]
        verbose_name = _("godkännande")
        verbose_name_plural = _("godkännanden")
        constraints = [models.UniqueConstraint(fields=["promise", "party"], name="one_approval_per_party")]

    def __str__(self) -> str:
        return f"{self.promise_id} {self.party} {self.username}"


class Amendment(models.Model):
    """A change to a published promise, with its stated reason: the promise's public history."""

    promise = models.ForeignKey(Promise, on_delete=models.CASCADE, related_name="amendments",
                                verbose_name=_("medborgarlöfte"))
    at = models.DateTimeField(_("ändrat"), auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              verbose_name=_("ändrat av"))
    activity_number = models.PositiveIntegerField(_("aktivitet"), null=True, blank=True)
    reason = models.TextField(_("skäl"))
    changes = models.JSONField(_("ändringar"), default=dict, help_text=_("fält → [före, efter]"))

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("ändring av ett publicerat löfte")
        verbose_name_plural = _("ändringar av publicerade löften")

    def __str__(self) -> str:
        return f"{self.promise_id} {self.at:%Y-%m-%d}: {self.reason[:60]}"
