"""The public survey form: plain server-rendered HTML, one theme per step.

It works without JavaScript, on a phone and with a screen reader. A resident has no account and nothing is kept on
the server until the answer is sent: the answers so far travel with the form as a signed draft (django.core.signing
of the answers only; nothing that identifies the resident). `?utskrift=1` shows every question on one page, for
printing, and takes the whole answer in one post.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import connection, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from shapely.geometry import Point

from trygg.areas.models import Organisation
from trygg.surveys.actions import SurveyClosedError, do_submit_response
from trygg.surveys.antiabuse import (
    count_answer_sent,
    do_flag_burst,
    new_challenge,
    solved_challenge,
)
from trygg.surveys.bank import AnswerError, Bank, Question
from trygg.surveys.formplaces import FormPlaces, form_places
from trygg.surveys.languages import unchecked_interface_languages
from trygg.surveys.models import Survey
from trygg.surveys.orgcache import VERSION_OF
from trygg.surveys.stockpages import stock_page

TOKEN_SALT = "trygg.survey-form"  # noqa: S105 - a signing namespace, not a secret
DRAFT_SALT = "trygg.survey-draft"
TOKEN_MAX_AGE = 24 * 3600
# Every answer of the bank fits in a few kilobytes (one text of 2,000 characters is the largest); more is forged.
DRAFT_MAX_CHARS = 24_000
HONEYPOT = "webbplats"
PLACE_FIELD = "{}-plats"  # the named places and areas offered instead of the map, as ids "p:slug" / "a:code"
# The survey's id and status and the version of its organisation's data (its newest audit event: every writer of
# the survey, the organisation, its areas and places writes one; orgcache.organisation_version). Table names are the
# models'; values are parameters.
_LOOKUP = (f"SELECT s.id, s.status, o.created_at, {VERSION_OF.format(organisation='s.organisation_id')} "  # noqa: S608
           f"FROM {Survey._meta.db_table} s JOIN {Organisation._meta.db_table} o ON o.id = s.organisation_id "
           "WHERE o.slug = %s AND s.year = %s")
KEEP_SURVEYS = 32
MAX_YEAR = 32767  # Survey.year is a PositiveSmallIntegerField
_surveys: dict[tuple[str, int], tuple[tuple[Any, ...], Survey]] = {}  # (org, year) -> (lookup's row, survey)
_surveys_lock = threading.Lock()


def _lang() -> str:
    return (get_language() or "sv").split("-")[0]


def _page_context(survey: Survey) -> dict[str, Any]:
    bank = survey.bank
    lang = _lang()
    text_lang = bank.text_language(lang)
    return {"survey": survey, "org": survey.organisation, "honeypot": HONEYPOT, "title": bank.title[text_lang],
            "unchecked": lang in bank.unchecked or lang in unchecked_interface_languages(),
            "questions_untranslated": text_lang != lang}


def _version(survey: Survey) -> int | None:
    """The version of the organisation's areas and places, read with the survey (_find_survey)."""
    return getattr(survey, "places_version", None)


def _places(survey: Survey) -> FormPlaces:
    return form_places(survey.organisation, _version(survey))


def _map_data(places: FormPlaces) -> dict[str, Any]:
    """What map.js draws: area outlines with names, the named places, and the bounds pins must stay in."""
    return {"areas": places.map_areas,
            "places": [{"name": p["name"], "lat": p["lat"], "lon": p["lon"]} for p in places.pins
                       if p["id"].startswith("p:")],
            "municipality": places.outline, "tiles": settings.TRYGG_TILE_URL,
            "attribution": settings.TRYGG_TILE_ATTRIBUTION,
            "messages": {"count": _("%(n)s av %(max)s punkter markerade."),
                         "full": _("Du har redan markerat så många platser som går."),
                         "outside": _("Punkten ligger utanför kommunen. Markera bara platser i kommunen."),
                         "zoom_in": _("Zooma in"), "zoom_out": _("Zooma ut")}}


def _question_context(q: Question, lang: str, areas: Sequence[tuple[str, str]], places: Sequence[Mapping[str, Any]],
                      cells: Mapping[str, Any], errors: Mapping[str, str]) -> dict[str, Any]:
    options = [(o.code, o.text[lang]) for o in q.options]
    if q.type == "area":
        options = [*areas, *options]
    value = cells.get(q.id, "")
    selected = set(value) if isinstance(value, list) else {value}
    context = {"id": q.id, "type": q.type, "text": q.text[lang], "error": errors.get(q.id),
               "options": [{"code": c, "text": t, "checked": c in selected} for c, t in options],
               "value": value if isinstance(value, str) else "", "max_length": q.max_length}
    if q.type == "pins":
        chosen = set(cells.get(PLACE_FIELD.format(q.id), []))
        context["places"] = [{"id": p["id"], "name": p["name"], "checked": p["id"] in chosen} for p in places]
        context["place_field"] = PLACE_FIELD.format(q.id)
        context["max_pins"] = q.max_pins
    return context


def _sections(survey: Survey, cells: Mapping[str, Any], errors: Mapping[str, str],
              only: int | None = None) -> list[dict[str, Any]]:
    """Every step's questions for the page, or only step `only`'s (a list of one)."""
    bank = survey.bank
    lang = bank.text_language(_lang())
    places = _places(survey)
    sections = bank.sections if only is None else bank.sections[only:only + 1]
    return [{"id": section_id, "title": title[lang],
             "questions": [_question_context(q, lang, places.areas, places.pins, cells, errors)
                           for q in bank.questions if q.section == section_id]}
            for section_id, title in sections]


def _new_token(survey: Survey) -> str:
    return signing.dumps({"s": survey.pk, "n": secrets.token_urlsafe(16)}, salt=TOKEN_SALT)


def _valid_token(survey: Survey, token: str) -> bool:
    try:
        value = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        return False
    return isinstance(value, dict) and value.get("s") == survey.pk


def _dump_draft(survey: Survey, cells: Mapping[str, Any]) -> str:
    return signing.dumps({"s": survey.pk, "c": dict(cells)}, salt=DRAFT_SALT, compress=True)


def _load_draft(survey: Survey, text: str) -> dict[str, Any] | None:
    """The answers so far as form cells, or None for a forged, foreign, expired or oversized draft."""
    if len(text) > DRAFT_MAX_CHARS:
        return None
    try:
        value = signing.loads(text, salt=DRAFT_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    cells = value.get("c") if isinstance(value, dict) and value.get("s") == survey.pk else None
    return dict(cells) if isinstance(cells, dict) else None


def _post_cells(bank: Bank, request: HttpRequest, questions: Sequence[Question]) -> dict[str, Any]:
    """The posted values of these questions as cells: strings, or lists for multiple choice and picked places."""
    cells: dict[str, Any] = {}
    for q in questions:
        if q.type == "multi":
            cells[q.id] = [c for c in request.POST.getlist(q.id) if isinstance(c, str)][:20]
        else:
            cells[q.id] = request.POST.get(q.id, "")
        if q.type == "pins":
            cells[PLACE_FIELD.format(q.id)] = request.POST.getlist(PLACE_FIELD.format(q.id))[:20]
    return cells


def _clean(survey: Survey, cells: Mapping[str, Any],
           questions: Sequence[Question]) -> tuple[dict[str, Any], dict[str, str]]:
    """(answers, error text per question) for these questions' cells."""
    bank = survey.bank
    places = _places(survey)
    codes = bank.area_codes(places.area_codes)
    answers: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for q in questions:
        value = cells.get(q.id, "")
        cell = ";".join(str(v) for v in value) if isinstance(value, list) else str(value)
        if q.type == "pins":
            picked = cells.get(PLACE_FIELD.format(q.id), [])
            cell = _pins_with_places(places, cell, picked if isinstance(picked, list) else [])
        try:
            cleaned = bank.clean_answer(q.id, cell, codes)
        except AnswerError:
            errors[q.id] = _error_text(q)
            continue
        if q.type == "pins" and cleaned is not None:
            hull = places.hull
            if hull is not None and not all(hull.contains(Point(lon, lat)) for lat, lon in cleaned):
                errors[q.id] = _("En punkt ligger utanför kommunen. Markera bara platser i kommunen.")
                continue
        if cleaned is not None:
            answers[q.id] = cleaned
    return answers, errors


def _pins_with_places(places: FormPlaces, cell: str, picked: Sequence[str]) -> str:
    """The pins cell with a pin added at each picked named place or area (unknown ids make the cell invalid)."""
    if not picked:
        return cell
    where = {p["id"]: (p["lat"], p["lon"]) for p in places.pins}
    parts = [cell] if cell.strip() else []
    for place_id in dict.fromkeys(picked):
        if place_id not in where:
            return "?"  # refused by the bank's pin rules, with the usual message
        lat, lon = where[place_id]
        parts.append(f"{lat:.5f} {lon:.5f}")
    return "; ".join(parts)


def _error_text(question: Question) -> str:
    if question.type == "text":
        return _("Texten är för lång: högst 2 000 tecken.")
    if question.type == "pins":
        return _("Markera högst fem platser, på kartan eller i listan.")
    return _("Välj ett av svaren.")


def _summary(survey: Survey, answers: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Per step, each question with the resident's answer in words (pins as a count, never coordinates)."""
    bank = survey.bank
    lang = bank.text_language(_lang())
    area_names = dict(_places(survey).areas)
    steps = []
    for index, (section_id, title) in enumerate(bank.sections):
        rows = []
        for q in bank.questions:
            if q.section != section_id:
                continue
            value = answers.get(q.id)
            names = {o.code: o.text[lang] for o in q.options} | (area_names if q.type == "area" else {})
            if value is None:
                shown = _("Inget svar")
            elif q.type == "multi":
                shown = ", ".join(names[c] for c in value)
            elif q.type == "pins":
                shown = ngettext("%(n)d plats markerad", "%(n)d platser markerade", len(value)) % {"n": len(value)}
            elif q.type == "text":
                shown = str(value)
            else:
                shown = names.get(str(value), str(value))
            rows.append({"text": q.text[lang], "answer": shown, "answered": value is not None})
        steps.append({"index": index, "title": title[lang], "rows": rows})
    return steps


def _find_survey(org: str, year: int) -> Survey:
    """The survey with its organisation, and as `places_version` the version of the organisation's data (orgcache).

    One plain statement reads the survey's id and status, its organisation's creation time and the version; the
    survey and organisation themselves are read (the ORM's statement is built) only when one of these moved since
    this process last read them, and are otherwise shared by the requests, which only read them. Building the
    ORM's statement for every request was a quarter of an answer's CPU time.
    """
    if year > MAX_YEAR:
        raise Http404  # no survey's year, and too large a number for the database's parameter
    with connection.cursor() as cursor:
        cursor.execute(_LOOKUP, [org, year])
        row = cursor.fetchone()
    if row is None:
        raise Http404
    # The organisation's creation time tells apart two with one id (SQLite reuses the ids of rolled-back rows).
    state = tuple(row)
    with _surveys_lock:
        known = _surveys.get((org, year))
    if known is not None and known[0] == state:
        return known[1]
    survey = Survey.objects.select_related("organisation").get(pk=row[0])
    survey.places_version = row[3] or 0  # type: ignore[attr-defined]
    with _surveys_lock:
        _surveys.pop((org, year), None)
        if len(_surveys) >= KEEP_SURVEYS:
            _surveys.pop(next(iter(_surveys)))
        _surveys[(org, year)] = (state, survey)
    return survey


def survey_form(request: HttpRequest, org: str, year: int) -> HttpResponse:
    survey = _find_survey(org, year)
    if survey.status != Survey.Status.OPEN:
        return render(request, "surveys/closed.html", {"survey": survey, "org": survey.organisation}, status=404)
    if request.method == "POST":
        if request.POST.get(HONEYPOT):
            # A bot filled the invisible field: thank it and store nothing.
            return _thanks(request, survey)
        if "steg" in request.POST:
            return _step_post(request, survey)
        return _whole_post(request, survey)
    if request.method != "GET":
        raise Http404
    token = _new_token(survey)
    if request.GET.get("utskrift"):
        return _render_whole(request, survey, {}, {}, token)
    return stock_page(request, ("first step", *_stock_key(survey)),
                      lambda stand_ins: _render_step(request, survey, 0, {}, {}, stand_ins["token"],
                                                     stand_ins=stand_ins),
                      token=token, draft=_dump_draft(survey, {}))


def _stock_key(survey: Survey) -> tuple[Any, ...]:
    """What a page alike for every resident shows of the survey and its organisation, as a key (stockpages)."""
    return survey.pk, survey.organisation.created_at, _version(survey)


def _thanks(request: HttpRequest, survey: Survey) -> HttpResponse:
    return stock_page(request, ("thanks", *_stock_key(survey)),
                      lambda stand_ins: render(request, "surveys/thanks.html", {**_page_context(survey), **stand_ins}))


def _render_whole(request: HttpRequest, survey: Survey, cells: Mapping[str, Any], errors: Mapping[str, str],
                  token: str, *, status: int = 200, expired: bool = False, empty: bool = False) -> HttpResponse:
    context = _page_context(survey) | {"sections": _sections(survey, cells, errors), "errors": errors,
                                       "token": token, "expired": expired, "empty": empty,
                                       "schematic_areas": _places(survey).schematic}
    return render(request, "surveys/form.html", context, status=status)


def _render_step(request: HttpRequest, survey: Survey, step: int, cells: Mapping[str, Any],
                 errors: Mapping[str, str], token: str, *, status: int = 200, expired: bool = False,
                 empty: bool = False, stand_ins: Mapping[str, str] | None = None) -> HttpResponse:
    """Step `step` of the form (the summary after the last); `stand_ins` replace context values (stockpages)."""
    sections = survey.bank.sections
    context = _page_context(survey) | {
        "step": step + 1, "steps": len(sections) + 1, "draft": _dump_draft(survey, cells), "token": token,
        "errors": errors, "expired": expired, "empty": empty, "schematic_areas": _places(survey).schematic,
        **(stand_ins or {})}
    if step < len(sections):
        section = _sections(survey, cells, errors, only=step)[0]
        context["section"] = section
        if any(q["type"] == "pins" for q in section["questions"]):
            context["map_data"] = _map_data(_places(survey))
        return render(request, "surveys/form/step.html", context, status=status)
    answers, _errors = _clean(survey, cells, survey.bank.questions)
    context["summary"] = _summary(survey, answers)
    context["challenge"] = new_challenge(token)
    return render(request, "surveys/form/summary.html", context, status=status)


def _step_post(request: HttpRequest, survey: Survey) -> HttpResponse:
    """One step sent: keep its answers in the draft, then go on, back, to a step, or send from the summary."""
    bank = survey.bank
    token = request.POST.get("token", "")
    if not _valid_token(survey, token):
        token = _new_token(survey)
        cells = _load_draft(survey, request.POST.get("utkast", "")) or {}
        return _render_step(request, survey, 0, cells, {}, token, status=400, expired=True)
    draft = _load_draft(survey, request.POST.get("utkast", ""))
    if draft is None:
        return _render_step(request, survey, 0, {}, {}, token, status=400, expired=True)
    cells = draft
    try:
        step = min(max(int(request.POST["steg"]), 0), len(bank.sections))
    except ValueError:
        step = 0
    action = request.POST.get("ga", "")
    if step < len(bank.sections):
        section_id = bank.sections[step][0]
        questions = [q for q in bank.questions if q.section == section_id]
        cells = {**cells, **_post_cells(bank, request, questions)}
        _answers, errors = _clean(survey, cells, questions)
        if errors and action != "tillbaka":
            return _render_step(request, survey, step, cells, errors, token, status=400)
        if errors:
            # Going back keeps what was valid on this step and forgets what was not.
            cells = {k: v for k, v in cells.items() if k.split("-")[0] not in errors}
    return _navigate(request, survey, step, action, cells, token)


def _navigate(request: HttpRequest, survey: Survey, step: int, action: str, cells: dict[str, Any],
              token: str) -> HttpResponse:
    last = len(survey.bank.sections)
    if action == "tillbaka":
        return _render_step(request, survey, max(step - 1, 0), cells, {}, token)
    if action.startswith("steg-") and action[5:].isdigit():
        return _render_step(request, survey, min(int(action[5:]), last), cells, {}, token)
    if action == "skicka" and step == last:
        return _send(request, survey, cells, token)
    return _render_step(request, survey, min(step + 1, last), cells, {}, token)


def _send(request: HttpRequest, survey: Survey, cells: Mapping[str, Any], token: str) -> HttpResponse:
    answers, errors = _clean(survey, cells, survey.bank.questions)
    if errors:
        first = min(i for i, (sid, _t) in enumerate(survey.bank.sections)
                    if any(q.section == sid and q.id in errors for q in survey.bank.questions))
        return _render_step(request, survey, first, cells, errors, token, status=400)
    if not answers:
        # A form sent with nothing answered is no respondent: counting it would skew every denominator.
        return _render_step(request, survey, len(survey.bank.sections), cells, {}, token, status=400, empty=True)
    return _store(request, survey, answers, token)


def _store(request: HttpRequest, survey: Survey, answers: Mapping[str, Any], token: str) -> HttpResponse:
    # The answer, the day's count and the burst counts commit together, in as few statements as can be: the survey's
    # status (share-locked), the answer's insert (a resent form's token inserts nothing), one statement for all the
    # counts. An answer over the day's limit is rolled back, so it is neither stored nor counted.
    limited = False
    try:
        with transaction.atomic():
            response, created = do_submit_response(survey, answers, token, places_version=_version(survey))
            if created:
                proven = solved_challenge(request.POST.get("pow", ""), token)
                limited, burst = count_answer_sent(request, survey, answers, proven=proven)
                if limited:
                    transaction.set_rollback(True)
                elif burst is not None:
                    do_flag_burst(response, *burst, proven=proven)
    except SurveyClosedError:
        # Fieldwork closed between the page and the send: say so, as for any closed survey, never a 500.
        return render(request, "surveys/closed.html", _page_context(survey), status=404)
    if limited:
        return render(request, "surveys/limit.html", _page_context(survey), status=429)
    return _thanks(request, survey)


def _whole_post(request: HttpRequest, survey: Survey) -> HttpResponse:
    """The one-page form (printable, and the first form's address for those who post everything at once)."""
    bank = survey.bank
    token = request.POST.get("token", "")
    valid = _valid_token(survey, token)
    cells = _post_cells(bank, request, bank.questions)
    answers, errors = _clean(survey, cells, bank.questions)
    empty = not answers and not errors
    if valid and not errors and not empty:
        return _store(request, survey, answers, token)
    return _render_whole(request, survey, cells, errors, _new_token(survey), status=400, expired=not valid,
                         empty=empty)
