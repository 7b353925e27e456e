"""Staff roles per organisation and the audit log every writer function appends to."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from trygg.areas.models import Organisation


class Membership(models.Model):
    class Role(models.TextChoices):
        VIEWER = "viewer", "Läsare"
        ANALYST = "analyst", "Analytiker"
        ADMIN = "admin", "Administratör"

    class Party(models.TextChoices):
        """Which of the promise's two parties the user works for: both must approve a promise before it is public."""

        NONE = "", "Ingen"
        KOMMUNEN = "kommunen", "Kommunen"
        POLISEN = "polisen", "Polisen"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices)
    party = models.CharField(max_length=10, choices=Party.choices, default=Party.NONE, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="one_role_per_org")]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.role})"


class AuditEvent(models.Model):
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.CASCADE)
    action = models.CharField(max_length=64)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"
