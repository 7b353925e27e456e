"""The Django admin app with trygg's site (accounts/site.py) as `admin.site`."""

from django.contrib.admin.apps import AdminConfig


class StaffAdminConfig(AdminConfig):
    default_site = "trygg.accounts.site.StaffAdminSite"
