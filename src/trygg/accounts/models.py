"""Staff roles per organisation and the audit log every writer function appends to."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trygg.areas.models import Organisation


class Membership(models.Model):
    class Role(models.TextChoices):
        VIEWER = "viewer", _("Läsare")
        ANALYST = "analyst", _("Analytiker")
        ADMIN = "admin", _("Administratör")

    class Party(models.TextChoices):
        """Which of the promise's two parties the user works for: both must approve a promise before it is public."""

        NONE = "", _("Ingen")
        KOMMUNEN = "kommunen", _("Kommunen")
        POLISEN = "polisen", _("Polisen")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships",
                             verbose_name=_("användare"))
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships",
                                     verbose_name=_("organisation"))
    role = models.CharField(_("roll"), max_length=10, choices=Role.choices)
    party = models.CharField(_("part"), max_length=10, choices=Party.choices, default=Party.NONE, blank=True)

    class Meta:
        verbose_name = _("roll i en organisation")
        verbose_name_plural = _("roller i organisationer")
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="one_role_per_org")]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.role})"


# The one kind of event the answers themselves write (trygg.surveys.antiabuse.do_flag_burst: a web answer flagged as
# part of a burst). It changes no survey, organisation, area or place, so an organisation's data version leaves it out
# (trygg.surveys.orgcache), through an index made for that: a bot's burst of flagged answers must not make every page
# view scan past its events.
PER_ANSWER_EVENT = "burst_flagged"


class AuditEvent(models.Model):
    at = models.DateTimeField(_("tid"), auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              verbose_name=_("vem"))
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.CASCADE,
                                     verbose_name=_("organisation"))
    action = models.CharField(_("händelse"), max_length=64)
    detail = models.JSONField(_("detaljer"), default=dict, blank=True)

    class Meta:
        verbose_name = _("loggad händelse")
        verbose_name_plural = _("logg")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["organisation", "-id"], name="event_org_version",
                                condition=~models.Q(action=PER_ANSWER_EVENT))]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Write the event once; a stored event is never changed (the log is the evidence of who did what)."""
        if self.pk is not None:
            raise ValueError("an audit event is never changed once written")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        """Refused: an event goes only with its organisation."""
        raise ValueError("an audit event is never deleted on its own")


class ApiToken(models.Model):
    """A staff member's key to the staff API (/api/staff/) in one organisation, for scripts that import files.

    Only a keyed hash of the secret is stored (tokens.py); the secret is shown once, when the token is made. The
    token acts with its user's role in its organisation at the time of each request, so a role taken away takes
    the token's rights with it. Revoked or past `expires_at`, it opens nothing.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens",
                             verbose_name=_("användare"))
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="api_tokens",
                                     verbose_name=_("organisation"))
    name = models.CharField(_("namn"), max_length=100)
    prefix = models.CharField(_("början"), max_length=16)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("skapad"), default=timezone.now)
    expires_at = models.DateTimeField(_("gäller till"))
    last_used_at = models.DateTimeField(_("senast använd"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("återkallad"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("återkallad av"))

    class Meta:
        verbose_name = _("API-nyckel")
        verbose_name_plural = _("API-nycklar")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
