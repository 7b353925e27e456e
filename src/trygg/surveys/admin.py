from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from trygg.surveys.models import Response, Survey


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin[Survey]):
    list_display = ["__str__", "organisation", "year", "status", "results_published", "review_link"]
    list_filter = ["organisation", "status"]
    readonly_fields = ["opened_at", "closed_at"]

    @admin.display(description=_("Granska kodning"))
    def review_link(self, survey: Survey) -> SafeString:
        return format_html('<a href="{}">{}</a>', reverse("review_list", args=[survey.slug]), _("Granska kodning"))


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin[Response]):
    list_display = ["id", "survey", "channel", "submitted_at"]
    list_filter = ["survey", "channel"]
    # Free text is read verbatim only on the coding review pages, where access is checked per organisation.
    fields = ("survey", "coded_answers", "submitted_at", "channel")
    readonly_fields = ("survey", "coded_answers", "submitted_at", "channel")

    @admin.display(description=_("Svar (utan fritext)"))
    def coded_answers(self, response: Response) -> str:
        return ", ".join(f"{k}={v}" for k, v in response.answers.items() if k != "unsafe_places_text")
