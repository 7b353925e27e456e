"""Addresses of the accounts' staff pages, under /personal/ before the admin's own."""

from django.urls import path

from trygg.accounts import views

urlpatterns = [
    path("tvastegs/", views.second_factor, name="second_factor"),
    path("anstallda/<slug:org>/", views.staff_list, name="staff_list"),
    path("logg/<slug:org>/", views.audit_log, name="audit_log"),
    path("logg/<slug:org>/logg.csv", views.audit_log_csv, name="audit_log_csv"),
    path("api-nycklar/<slug:org>/", views.api_tokens, name="api_tokens"),
]
