"""The admin's rule: staff see only their own organisations' objects, and change nothing but through the writers.

Model permissions are not consulted: a role in an organisation (accounts.Membership) is what grants a view, so a
permission given by mistake in the admin cannot open another organisation's data. Domain objects are read-only
here; the few changes the admin offers (a new survey, opening, closing, publishing) call the same writers as the
command line and the staff pages.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import admin
from django.contrib.auth.models import User
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from trygg.accounts.factors import second_factor_ok
from trygg.accounts.models import Membership

_RANK: dict[str, int] = {Membership.Role.VIEWER: 0, Membership.Role.ANALYST: 1, Membership.Role.ADMIN: 2}


def organisations_with_role(request: HttpRequest, min_role: str) -> list[int] | None:
    """Ids of the organisations where the user has at least `min_role`; None means all (a superuser)."""
    user = request.user
    if not user.is_authenticated or not user.is_active or not second_factor_ok(user):
        return []
    if isinstance(user, User) and user.is_superuser:
        return None
    rows = Membership.objects.filter(user_id=user.pk).values_list("organisation_id", "role")
    return [org for org, role in rows if _RANK.get(role, -1) >= _RANK[min_role]]


class OrganisationScopedAdmin(admin.ModelAdmin[Any]):
    """Read-only, filtered to the user's organisations by `organisation_path` (a lookup to the organisation id)."""

    organisation_path: ClassVar[str] = "organisation_id"
    min_role: ClassVar[str] = Membership.Role.VIEWER

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        allowed = organisations_with_role(request, self.min_role)
        if allowed is None:
            return queryset
        return queryset.filter(**{f"{self.organisation_path}__in": allowed})

    def has_module_permission(self, request: HttpRequest) -> bool:
        allowed = organisations_with_role(request, self.min_role)
        return allowed is None or bool(allowed)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        if not self.has_module_permission(request):
            return False
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
