"""The admin site under /personal/: the staff login, with a second step for admins (accounts/factors.py)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _

from trygg.accounts.factors import second_factor_ok, synthetic_only


def safe_next(request: HttpRequest, fallback: str) -> str:
    """The `next` address of the request if it points into this site, else `fallback`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return fallback


class StaffAdminSite(admin.AdminSite):
    site_header = _("trygg – personal")
    site_title = "trygg"
    index_title = _("Enkäter, svar och områden")

    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and second_factor_ok(request.user)

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        user = request.user
        if user.is_authenticated and user.is_active and not second_factor_ok(user):
            return self._to_second_factor(request)
        context = {**(extra_context or {}), "demo_login": synthetic_only(),
                   "failure_limit": settings.AXES_FAILURE_LIMIT}
        response = super().login(request, context)
        if request.method == "POST" and request.user.is_authenticated and not second_factor_ok(request.user):
            return self._to_second_factor(request)
        return response

    def _to_second_factor(self, request: HttpRequest) -> HttpResponseRedirect:
        target = safe_next(request, reverse("admin:index"))
        return HttpResponseRedirect(f"{reverse('second_factor')}?{urlencode({'next': target})}")
