from django.contrib import admin

from trygg.surveys.models import Response, Survey


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin[Survey]):
    list_display = ["__str__", "organisation", "year", "status", "results_published"]
    list_filter = ["organisation", "status"]
    readonly_fields = ["opened_at", "closed_at"]


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin[Response]):
    list_display = ["id", "survey", "channel", "submitted_at"]
    list_filter = ["survey", "channel"]
    readonly_fields = ["survey", "answers", "submitted_at", "channel"]
    exclude = ["form_token"]
