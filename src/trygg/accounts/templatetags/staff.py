"""Template tags for the staff area."""

from __future__ import annotations

from typing import Any

from django import template

from trygg.accounts.models import Membership
from trygg.areas.models import Organisation
from trygg.surveys.models import Survey

register = template.Library()


@register.simple_tag
def surveys_for(user: Any) -> list[Survey]:
    """The surveys of every organisation where the user has a role (all surveys for a superuser), newest first."""
    surveys = Survey.objects.select_related("organisation").order_by("organisation__name", "-year")
    if user.is_superuser:
        return list(surveys)
    return list(surveys.filter(organisation__memberships__user=user))


@register.simple_tag
def administered_by(user: Any) -> list[Organisation]:
    """The organisations whose staff and log the user manages: where they are admin (every one for a superuser)."""
    organisations = Organisation.objects.order_by("name")
    if user.is_superuser:
        return list(organisations)
    return list(organisations.filter(memberships__user=user, memberships__role=Membership.Role.ADMIN))
