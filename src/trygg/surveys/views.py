"""The public survey form: plain server-rendered HTML.

It works without JavaScript, on a phone and with a screen reader.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language

from trygg.reports.maps import pin_map_svg
from trygg.surveys.actions import area_codes, do_submit_response
from trygg.surveys.antiabuse import over_daily_limit
from trygg.surveys.bank import AnswerError, Bank
from trygg.surveys.models import Survey

TOKEN_SALT = "trygg.survey-form"  # noqa: S105 - a signing namespace, not a secret
TOKEN_MAX_AGE = 24 * 3600
HONEYPOT = "webbplats"


def _lang() -> str:
    return "en" if (get_language() or "sv").startswith("en") else "sv"


def _questions(bank: Bank, survey: Survey, values: dict[str, Any], errors: dict[str, str]) -> list[dict[str, Any]]:
    lang = _lang()
    areas = list(survey.organisation.areas.order_by("name").values_list("code", "name"))
    sections = []
    for section_id, section_text in bank.sections:
        questions = []
        for q in bank.questions:
            if q.section != section_id:
                continue
            options = [(o.code, o.text[lang]) for o in q.options]
            if q.type == "area":
                options = areas + options
            value = values.get(q.id)
            selected = set(value) if isinstance(value, list) else {value}
            questions.append({"id": q.id, "type": q.type, "text": q.text[lang], "error": errors.get(q.id),
                              "options": [{"code": c, "text": t, "checked": c in selected} for c, t in options],
                              "value": value if isinstance(value, str) else "", "max_length": q.max_length})
        sections.append({"id": section_id, "title": section_text[lang], "questions": questions})
    return sections


def _coordinates(geometry: dict[str, Any]) -> list[tuple[float, float]]:
    """Every (lat, lon) in a GeoJSON geometry, however deeply nested."""
    out: list[tuple[float, float]] = []

    def walk(node: Any) -> None:
        if isinstance(node, list) and len(node) >= 2 and all(isinstance(v, int | float) for v in node[:2]):
            out.append((float(node[1]), float(node[0])))
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(geometry.get("coordinates", []))
    return out


def _pin_map(survey: Survey) -> str:
    """The tap-to-pin map around the organisation's named places (or its areas); '' without geometry."""
    org = survey.organisation
    areas = [(n, g) for n, g in org.areas.values_list("name", "geometry") if g]
    places = [(n, g) for n, g in org.places.values_list("name", "geometry") if g]
    points = [c for _, g in (places or areas) for c in _coordinates(g)]
    if not points:
        return ""
    pad = 0.012 if places else 0.0  # about a kilometre around the named places
    lats = [lat for lat, _ in points]
    lons = [lon for _, lon in points]
    bounds = (min(lats) - pad, min(lons) - 2 * pad, max(lats) + pad, max(lons) + 2 * pad)
    dots = [(n, g["coordinates"][1], g["coordinates"][0]) for n, g in places if g.get("type") == "Point"]
    title = ("Karta: tryck där du känner dig otrygg" if _lang() == "sv"
             else "Map: tap where you feel unsafe")
    return pin_map_svg(areas, dots, bounds, title)


def _new_token(survey: Survey) -> str:
    return signing.dumps({"s": survey.pk, "n": secrets.token_urlsafe(16)}, salt=TOKEN_SALT)


def _read_post(bank: Bank, survey: Survey,
               request: HttpRequest) -> tuple[dict[str, Any], dict[str, str], dict[str, Any]]:
    """(cleaned answers, errors per question, raw values to show again)."""
    codes = bank.area_codes(area_codes(survey))
    answers: dict[str, Any] = {}
    errors: dict[str, str] = {}
    raw: dict[str, Any] = {}
    for q in bank.questions:
        if q.type == "multi":
            chosen = [c for c in request.POST.getlist(q.id) if isinstance(c, str)][:20]
            raw[q.id] = chosen
            cell = ";".join(chosen)
        else:
            cell = request.POST.get(q.id, "")
            raw[q.id] = cell
        try:
            value = bank.clean_answer(q.id, cell, codes)
        except AnswerError:
            errors[q.id] = _error_text(q.type)
            continue
        if value is not None:
            answers[q.id] = value
    return answers, errors, raw


def _error_text(kind: str) -> str:
    if _lang() == "en":
        return {"text": "The text is too long: at most 2,000 characters.",
                "pins": "Give at most five points as 'latitude longitude', separated by ';'."}.get(
            kind, "Choose one of the answers.")
    return {"text": "Texten är för lång: högst 2 000 tecken.",
            "pins": "Ange högst fem punkter som 'latitud longitud', åtskilda med ';'."}.get(kind, "Välj ett av svaren.")


def survey_form(request: HttpRequest, org: str, year: int) -> HttpResponse:
    survey = get_object_or_404(Survey.objects.select_related("organisation"), organisation__slug=org, year=year)
    if survey.status != Survey.Status.OPEN:
        return render(request, "surveys/closed.html", {"survey": survey, "org": survey.organisation}, status=404)
    bank = survey.bank
    context: dict[str, Any] = {"survey": survey, "org": survey.organisation, "honeypot": HONEYPOT,
                               "title": bank.title[_lang()], "pin_map": _pin_map(survey)}
    if request.method == "POST":
        if request.POST.get(HONEYPOT):
            # A bot filled the invisible field: thank it and store nothing.
            return render(request, "surveys/thanks.html", context)
        try:
            token = signing.loads(request.POST.get("token", ""), salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
            valid_token = isinstance(token, dict) and token.get("s") == survey.pk
        except signing.BadSignature:
            valid_token = False
        answers, errors, raw = _read_post(bank, survey, request)
        # A form sent with nothing answered is no respondent: counting it would skew every denominator.
        empty = not answers and not errors
        if valid_token and not errors and not empty:
            if over_daily_limit(request):
                return render(request, "surveys/limit.html", context, status=429)
            do_submit_response(survey, answers, request.POST["token"])
            return render(request, "surveys/thanks.html", context)
        context.update(sections=_questions(bank, survey, raw, errors), errors=errors, token=_new_token(survey),
                       expired=not valid_token, empty=empty)
        return render(request, "surveys/form.html", context, status=400)
    if request.method != "GET":
        raise Http404
    context.update(sections=_questions(bank, survey, {}, {}), errors={}, token=_new_token(survey))
    return render(request, "surveys/form.html", context)
