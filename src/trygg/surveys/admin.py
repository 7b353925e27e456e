"""Surveys and answers in the admin: each staff member's own organisations only; every change through a writer.

A survey is added with do_create_survey (the question bank a choice of the banks that exist), and opened, closed
and published with the writers' own rules (a closed survey is never reopened; results only after closing). Answers
are read only, shown with their labels and without free text or pins.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from trygg.accounts.access import role_in
from trygg.accounts.adminscope import OrganisationScopedAdmin, organisations_with_role
from trygg.accounts.models import Membership
from trygg.areas.models import Organisation
from trygg.errors import InputError
from trygg.surveys.actions import do_close_survey, do_create_survey, do_open_survey, do_publish_results
from trygg.surveys.bank import BANK_DIR, load_bank
from trygg.surveys.models import DialogueNote, Response, Survey


def bank_choices() -> list[tuple[str, str]]:
    """The question banks that exist, by id and Swedish title."""
    return [(p.stem, f"{p.stem} – {load_bank(p.stem).title.get('sv', p.stem)}")
            for p in sorted(BANK_DIR.glob("*.json"))]


class SurveyCreationForm(forms.ModelForm[Survey]):
    bank_id = forms.ChoiceField(label=_("frågebank"), choices=bank_choices)
    year = forms.IntegerField(label=_("år"), min_value=2000, max_value=2100)

    class Meta:
        model = Survey
        fields = ["organisation", "year", "bank_id"]


def _writer_action(writer: Callable[..., Survey], done: Any) -> Callable[..., None]:
    def action(modeladmin: SurveyAdmin, request: HttpRequest, queryset: QuerySet[Survey]) -> None:
        actor = request.user if isinstance(request.user, User) else None
        for survey in queryset.select_related("organisation"):
            if role_in(request.user, survey.organisation) != Membership.Role.ADMIN:
                modeladmin.message_user(request, _("%(survey)s: bara organisationens administratörer får det.")
                                        % {"survey": survey.slug}, messages.ERROR)
                continue
            try:
                writer(survey, actor=actor)
            except InputError as exc:
                modeladmin.message_user(request, f"{survey.slug}: {exc}", messages.ERROR)
            else:
                modeladmin.message_user(request, done % {"survey": survey.slug}, messages.SUCCESS)

    return action


@admin.register(Survey)
class SurveyAdmin(OrganisationScopedAdmin):
    list_display = ["__str__", "organisation", "year", "status", "results_published", "review_link"]
    list_filter = [("organisation", admin.RelatedOnlyFieldListFilter), "status"]
    readonly_fields = ["organisation", "year", "bank_id", "status", "results_published", "opened_at", "closed_at"]
    actions = ["open_surveys", "close_surveys", "publish_results"]

    open_surveys = admin.action(description=_("Öppna markerade enkäter"))(
        _writer_action(do_open_survey, _("%(survey)s är öppen.")))
    close_surveys = admin.action(description=_("Stäng markerade enkäter"))(
        _writer_action(do_close_survey, _("%(survey)s är stängd.")))
    publish_results = admin.action(description=_("Publicera resultaten av markerade enkäter"))(
        _writer_action(do_publish_results, _("Resultaten av %(survey)s är publicerade.")))

    @admin.display(description=_("Granska kodning"))
    def review_link(self, survey: Survey) -> SafeString:
        return format_html('<a href="{}">{}</a>', reverse("review_list", args=[survey.slug]), _("Granska kodning"))

    def has_add_permission(self, request: HttpRequest) -> bool:
        allowed = organisations_with_role(request, Membership.Role.ADMIN)
        return allowed is None or bool(allowed)

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        if obj is not None:
            return super().get_form(request, obj, change=change, **kwargs)
        kwargs.update(form=SurveyCreationForm, fields=SurveyCreationForm.Meta.fields)
        form = super().get_form(request, obj, change=change, **kwargs)
        allowed = organisations_with_role(request, Membership.Role.ADMIN)
        organisations = Organisation.objects.all() if allowed is None else Organisation.objects.filter(id__in=allowed)
        form.base_fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        return form

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.readonly_fields if obj is not None else []

    def save_model(self, request: HttpRequest, obj: Survey, form: Any, change: bool) -> None:
        actor = request.user if isinstance(request.user, User) else None
        created = do_create_survey(obj.organisation, obj.year, obj.bank_id, actor=actor)
        obj.pk = created.pk


@admin.register(Response)
class ResponseAdmin(OrganisationScopedAdmin):
    organisation_path = "survey__organisation_id"
    min_role = Membership.Role.ANALYST
    list_display = ["id", "survey", "channel", "place", "submitted_at"]
    list_filter = [("survey", admin.RelatedOnlyFieldListFilter), "channel"]
    # Free text is read verbatim only on the coding review pages, where access is checked per organisation.
    fields = ("survey", "labelled_answers", "submitted_at", "channel", "place")
    readonly_fields = fields

    @admin.display(description=_("svar (utan fritext och kartnålar)"))
    def labelled_answers(self, response: Response) -> str:
        bank = response.survey.bank
        lang = "en" if (get_language() or "sv").startswith("en") else "sv"
        areas = dict(response.survey.organisation.areas.values_list("code", "name"))
        labels = []
        for qid, value in response.answers.items():
            question = bank.by_id.get(qid)
            if question is None or question.type in ("text", "pins"):
                continue
            texts = {**areas, **{o.code: o.text.get(lang, o.code) for o in question.options}}
            shown = (", ".join(str(texts.get(v, v)) for v in value) if isinstance(value, list)
                     else str(texts.get(value, value)))
            labels.append(f"{question.text.get(lang, qid)}: {shown}")
        return " · ".join(labels)


@admin.register(DialogueNote)
class DialogueNoteAdmin(OrganisationScopedAdmin):
    """Read-only: notes are written on the staff page (surveys/staff_views.py) through do_add_dialogue_note."""

    organisation_path = "survey__organisation_id"
    list_display = ["held_on", "survey", "place", "theme"]
    list_filter = [("survey", admin.RelatedOnlyFieldListFilter), "theme"]
    fields = ("survey", "held_on", "area", "place", "theme", "text", "people", "written_at")
    readonly_fields = fields
