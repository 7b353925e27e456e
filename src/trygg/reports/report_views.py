"""The published report as downloads beside the results page, and the press-release draft for staff.

`/ORG/resultat/YEAR/rapport.html`, `rapport.pdf` and `oppna-data.zip` exist only when the results are public
(the same rule as the results page: 404 otherwise, never a 500). Rendering a PDF takes seconds, so each
rendering is cached under a fingerprint of the data it shows (`trygg.reports.versions`): any change that can move a
figure, made by a writer or around them, makes a new version, and an unrelated audit event does not.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import translation
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from trygg.accounts.access import staff_access
from trygg.errors import InputError
from trygg.reports.opendata import opendata_zip
from trygg.reports.report import render_press_release, render_report_html, render_report_pdf, report_context
from trygg.reports.versions import survey_data_version
from trygg.surveys.actions import find_survey
from trygg.surveys.models import Survey

DAY = 24 * 3600


def _lang() -> str:
    return "en" if (get_language() or "sv").startswith("en") else "sv"


def cached(survey: Survey, kind: str, lang: str, make: Callable[[], Any]) -> Any:
    """`make()` once per survey, kind, language and version of the data it shows."""
    key = f"trygg:report:{survey.pk}:{kind}:{lang}:{survey_data_version(survey)}"
    value = cache.get(key)
    if value is None:
        value = make()
        cache.set(key, value, timeout=DAY)
    return value


def _context(survey: Survey, lang: str) -> dict[str, Any]:
    def make() -> dict[str, Any]:
        with translation.override(lang):
            return report_context(survey)

    context: dict[str, Any] = cached(survey, "context", lang, make)
    return context


def _public_survey(request: HttpRequest, org: str, year: int) -> Survey | HttpResponse:
    survey = get_object_or_404(Survey.objects.select_related("organisation"), organisation__slug=org, year=year)
    if not survey.results_public:
        return render(request, "reports/not_published.html", {"survey": survey, "org": survey.organisation},
                      status=404)
    return survey


@require_safe
def report_html(request: HttpRequest, org: str, year: int) -> HttpResponse:
    survey = _public_survey(request, org, year)
    if isinstance(survey, HttpResponse):
        return survey
    lang = _lang()
    html = cached(survey, "html", lang,
                  lambda: render_report_html(survey, lang, standalone=False, context=_context(survey, lang)))
    return HttpResponse(html)


@require_safe
def report_pdf(request: HttpRequest, org: str, year: int) -> HttpResponse:
    survey = _public_survey(request, org, year)
    if isinstance(survey, HttpResponse):
        return survey
    lang = _lang()
    pdf = cached(survey, "pdf", lang, lambda: render_report_pdf(survey, lang, _context(survey, lang)))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{survey.slug}-rapport-{lang}.pdf"'
    return response


@require_safe
def opendata_download(request: HttpRequest, org: str, year: int) -> HttpResponse:
    survey = _public_survey(request, org, year)
    if isinstance(survey, HttpResponse):
        return survey
    data = cached(survey, "opendata", "", lambda: opendata_zip(survey))
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{survey.slug}-oppna-data.zip"'
    return response


@require_safe
@never_cache
@login_required
def press_release(request: HttpRequest, survey: str) -> HttpResponse:
    """The press-release draft, for staff of the organisation (any role), before or after publication."""
    try:
        found = find_survey(survey)
    except InputError:
        raise Http404(survey) from None
    if staff_access(request.user, found.organisation) is None:
        raise PermissionDenied
    lang = _lang()
    html = cached(found, "press", lang, lambda: render_press_release(found, lang, _context(found, lang)))
    response = HttpResponse(html)
    response["Content-Disposition"] = f'attachment; filename="{found.slug}-pressmeddelande-{lang}.html"'
    return response
