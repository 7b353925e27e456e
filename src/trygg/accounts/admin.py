"""Admin of staff and the audit log: read only. Staff are added on the staff page (do_add_staff); users, groups,
devices and lockouts are the operators' (superusers') to read, and changed on the command line or by the writers."""

from __future__ import annotations

from typing import Any

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group, User
from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from trygg.accounts.adminscope import OrganisationScopedAdmin
from trygg.accounts.factors import second_factor_ok
from trygg.accounts.labels import event_label, event_summary
from trygg.accounts.models import AuditEvent, Membership


@admin.register(Membership)
class MembershipAdmin(OrganisationScopedAdmin):
    min_role = Membership.Role.ADMIN
    list_display = ["user", "organisation", "party", "role"]
    list_filter = [("organisation", admin.RelatedOnlyFieldListFilter), "party", "role"]


@admin.register(AuditEvent)
class AuditEventAdmin(OrganisationScopedAdmin):
    min_role = Membership.Role.ADMIN
    list_display = ["at", "label", "organisation", "actor", "summary"]
    list_filter = [("organisation", admin.RelatedOnlyFieldListFilter), "action"]
    fields = ["at", "label", "organisation", "actor", "summary"]
    readonly_fields = ["at", "label", "organisation", "actor", "summary"]

    @admin.display(description=_("händelse"), ordering="action")
    def label(self, event: AuditEvent) -> str:
        return event_label(event.action)

    @admin.display(description=_("detaljer"))
    def summary(self, event: AuditEvent) -> str:
        return event_summary(event)


class OperatorsOnly:
    """Superusers (with their second factor) read; nobody changes here."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and getattr(user, "is_superuser", False) and second_factor_ok(user))

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class ReadOnlyUserAdmin(OperatorsOnly, UserAdmin[User]):
    list_display = ["username", "is_active", "is_staff", "is_superuser", "last_login"]


class ReadOnlyAccessAttemptAdmin(OperatorsOnly, AccessAttemptAdmin):  # type: ignore[misc]
    pass


class ReadOnlyAccessLogAdmin(OperatorsOnly, AccessLogAdmin):  # type: ignore[misc]
    pass


class ReadOnlyAccessFailureLogAdmin(OperatorsOnly, AccessFailureLogAdmin):  # type: ignore[misc]
    pass


for model in (User, Group, TOTPDevice, AccessAttempt, AccessLog, AccessFailureLog):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
admin.site.register(User, ReadOnlyUserAdmin)
admin.site.register(AccessAttempt, ReadOnlyAccessAttemptAdmin)
admin.site.register(AccessLog, ReadOnlyAccessLogAdmin)
admin.site.register(AccessFailureLog, ReadOnlyAccessFailureLogAdmin)
