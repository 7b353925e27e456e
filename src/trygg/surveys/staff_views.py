"""The staff's fieldwork workspace: a survey's lifecycle, imports, answers entered by hand, dialogue notes, monitor.

Every page asks `staff_access`: viewers see, analysts and admins change. Every change goes through a writer
(`surveys/actions.py`, `surveys/dialogue.py`) that writes its audit event. Plain forms: all of it works without
JavaScript; the one script only shows a progress bar while a large import runs.
"""

from __future__ import annotations

import contextlib
import secrets
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from trygg.accounts.access import Access, role_in, staff_access
from trygg.accounts.models import Membership
from trygg.areas.models import Area, Organisation
from trygg.errors import InputError
from trygg.surveys.actions import (
    do_close_survey,
    do_create_survey,
    do_import_responses,
    do_open_survey,
    do_publish_results,
    find_survey,
    read_responses,
    refuse_if_closed,
)
from trygg.surveys.bank import load_bank
from trygg.surveys.dialogue import do_add_dialogue_note, do_enter_response
from trygg.surveys.mapping import ImportProblems, Mapping, shipped_mappings
from trygg.surveys.models import DialogueNote, Response, Survey
from trygg.surveys.monitor import fieldwork

BANKS = ("standard-v1",)
UPLOADS = Path(tempfile.gettempdir()) / "trygg-imports"
UPLOAD_SALT = "trygg.fieldwork.import"
# An uploaded file waits this long for its confirmation; after that staff upload it again.
UPLOAD_MAX_AGE = 3600
MAX_UPLOAD_BYTES = 50 * 1024 * 1024


def _actor(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def _access(request: HttpRequest, org: Organisation) -> Access:
    access = staff_access(request.user, org)
    if access is None or (request.method == "POST" and access != "change"):
        raise PermissionDenied
    return access


def _manages(request: HttpRequest, org: Organisation) -> bool:
    """Creating, opening, closing and publishing a survey is for the organisation's admins (as in the admin)."""
    _access(request, org)
    manages = role_in(request.user, org) == Membership.Role.ADMIN
    if request.method == "POST" and not manages:
        raise PermissionDenied
    return manages


def _survey(request: HttpRequest, slug: str) -> tuple[Survey, Access]:
    try:
        survey = find_survey(slug)
    except InputError:
        raise Http404(slug) from None
    return survey, _access(request, survey.organisation)


def _renamed(text: str, names: dict[str, str]) -> str:
    for stored, shown in names.items():
        text = text.replace(stored, shown)
    return text


def _as_uploaded(exc: InputError, names: dict[str, str]) -> InputError:
    """The error with each stored upload's name (random) replaced by the name of the file the user chose."""
    for problem in [exc, *(exc.problems if isinstance(exc, ImportProblems) else [])]:
        problem.file = _renamed(problem.file or "", names) or None
        problem.message = _renamed(problem.message, names)
    return exc


def _problems(exc: InputError) -> list[str]:
    return [p.sentence() for p in exc.problems] if isinstance(exc, ImportProblems) else [exc.sentence()]


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def survey_list(request: HttpRequest, org: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=org)
    manages = _manages(request, organisation)
    errors: list[str] = []
    if request.method == "POST":
        try:
            year = int(request.POST.get("ar", ""))
        except ValueError:
            errors.append(_("Skriv året med fyra siffror."))
        else:
            bank = request.POST.get("bank", "")
            if bank not in BANKS:
                errors.append(_("Välj en frågebank."))
            else:
                try:
                    survey = do_create_survey(organisation, year, bank, actor=_actor(request))
                except InputError as exc:
                    errors.append(exc.sentence())
                else:
                    messages.success(request, _("Enkäten %(survey)s är skapad som utkast.") % {"survey": survey.slug})
                    return HttpResponseRedirect(request.path)
    surveys = list(organisation.surveys.order_by("-year"))
    counts = {s.pk: s.responses.count() for s in surveys}
    return render(request, "surveys/staff/surveys.html", {
        "org": organisation, "surveys": [(s, counts[s.pk]) for s in surveys], "can_change": manages,
        "banks": [(b, _bank_title(b)) for b in BANKS], "errors": errors,
        "next_year": timezone.localdate().year,
    }, status=400 if errors else 200)


def _bank_title(bank_id: str) -> str:
    bank = load_bank(bank_id)
    return bank.title.get(bank.text_language(get_language() or "sv"), bank_id)


STEPS = {"oppna": do_open_survey, "stang": do_close_survey, "publicera": do_publish_results}


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def survey_step(request: HttpRequest, org: str, year: int, step: str) -> HttpResponse:
    if step not in STEPS:
        raise Http404(step)
    survey = get_object_or_404(Survey.objects.select_related("organisation"), organisation__slug=org, year=year)
    manages = _manages(request, survey.organisation)
    writer = STEPS[step]
    error = ""
    if request.method == "POST":
        try:
            writer(survey, actor=_actor(request))
        except InputError as exc:
            error = exc.sentence()
        else:
            done = {"oppna": _("Enkäten %(survey)s är öppen för svar."),
                    "stang": _("Enkäten %(survey)s är stängd. Svaren är låsta."),
                    "publicera": _("Resultaten för %(survey)s är publicerade.")}[step]
            messages.success(request, done % {"survey": survey.slug})
            return HttpResponseRedirect(reverse("staff_surveys", args=[org]))
    return render(request, "surveys/staff/step.html", {
        "org": survey.organisation, "survey": survey, "step": step, "error": error,
        "can_change": manages, "n": survey.responses.count()}, status=400 if error else 200)


def _store_upload(upload: Any, suffixes: tuple[str, ...]) -> str:
    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in suffixes:
        raise InputError(_("Filen måste vara %(kinds)s.") % {"kinds": ", ".join(suffixes)}, file=upload.name)
    if upload.size > MAX_UPLOAD_BYTES:
        raise InputError(_("Filen är större än 50 MB."), file=upload.name)
    UPLOADS.mkdir(mode=0o700, exist_ok=True)
    # Uploads never confirmed are removed once their confirmation could no longer be used.
    expired = time.time() - UPLOAD_MAX_AGE
    for old in UPLOADS.iterdir():
        with contextlib.suppress(OSError):
            if old.stat().st_mtime < expired:
                old.unlink()
    name = secrets.token_urlsafe(18) + suffix
    with (UPLOADS / name).open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return name


def _uploaded(name: str) -> Path:
    path = UPLOADS / Path(name).name
    if not path.is_file():
        raise InputError(_("Den uppladdade filen finns inte längre. Ladda upp den igen."))
    return path


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def import_page(request: HttpRequest, survey: str) -> HttpResponse:
    found, access = _survey(request, survey)
    shipped = {name: Mapping.load(path).tool or name for name, path in shipped_mappings().items()}
    context: dict[str, Any] = {"survey": found, "org": found.organisation, "can_change": access == "change",
                               "shipped": sorted(shipped.items()), "problems": [], "preview": None}
    if request.method == "POST":
        try:
            refuse_if_closed(found)
            if "biljett" in request.POST:
                ticket = signing.loads(request.POST["biljett"], salt=UPLOAD_SALT, max_age=UPLOAD_MAX_AGE)
                if ticket["survey"] != found.slug or ticket["user"] != request.user.pk:
                    raise PermissionDenied
                data = _uploaded(ticket["file"])
                mapping = _uploaded(ticket["mapping"]) if ticket["mapping_upload"] else ticket["mapping"]
                try:
                    count = do_import_responses(found, data, mapping or None, actor=_actor(request))
                finally:
                    data.unlink(missing_ok=True)
                    if ticket["mapping_upload"]:
                        _uploaded(ticket["mapping"]).unlink(missing_ok=True)
                messages.success(request, _("%(n)d svar är importerade i %(survey)s.")
                                 % {"n": count, "survey": found.slug})
                return HttpResponseRedirect(reverse("staff_monitor", args=[found.slug]))
            upload = request.FILES.get("fil")
            if upload is None:
                raise InputError(_("Välj en fil att importera."))
            data_name = _store_upload(upload, (".csv", ".xlsx"))
            choice = request.POST.get("mappning", "")
            mapping_upload = request.FILES.get("mappningsfil")
            if mapping_upload is not None:
                mapping_name, is_upload = _store_upload(mapping_upload, (".json",)), True
            elif choice in shipped or choice == "":
                mapping_name, is_upload = choice, False
            else:
                raise InputError(_("Välj en mappning."))
            mapping_path: Path | str | None = (_uploaded(mapping_name) if is_upload else mapping_name) or None
            # Problems name the files as the user knows them, not by the names they are stored under here.
            names = {data_name: str(upload.name),
                     **({mapping_name: str(mapping_upload.name)} if mapping_upload is not None else {})}
            warnings: list[str] = []
            try:
                preview = read_responses(found, _uploaded(data_name), mapping_path, warn=warnings.append)
            except InputError as exc:
                _uploaded(data_name).unlink(missing_ok=True)
                raise _as_uploaded(exc, names) from None
            warnings = [_renamed(w, names) for w in warnings]
            bank = found.bank
            lang = bank.text_language(get_language() or "sv")
            context.update(preview=preview, warnings=warnings, file_name=upload.name,
                           questions=[(bank.by_id[q].text.get(lang, q), q, n, preview.counts.get(q, {}))
                                      for q, n in preview.answered.items()],
                           ticket=signing.dumps({"survey": found.slug, "user": request.user.pk, "file": data_name,
                                                 "mapping": mapping_name, "mapping_upload": is_upload},
                                                salt=UPLOAD_SALT))
        except signing.BadSignature:
            context["problems"] = [_("Bekräftelsen har gått ut. Ladda upp filen igen.")]
        except InputError as exc:
            context["problems"] = _problems(exc)
    status = 400 if context["problems"] else 200
    return render(request, "surveys/staff/import.html", context, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def entry_page(request: HttpRequest, survey: str) -> HttpResponse:
    found, access = _survey(request, survey)
    bank = found.bank
    areas = list(found.organisation.areas.order_by("name"))
    questions = [q for q in bank.questions if q.type in ("single", "multi", "area")]
    problems: list[str] = []
    values: dict[str, Any] = {}
    if request.method == "POST":
        cells = {}
        for q in questions:
            chosen = request.POST.getlist(q.id)
            cells[q.id] = ";".join(c for c in chosen if c)
        values = {q: v.split(";") for q, v in cells.items()}
        try:
            day = date.fromisoformat(request.POST.get("datum", ""))
        except ValueError:
            problems.append(_("Skriv datumet som ÅÅÅÅ-MM-DD."))
        else:
            try:
                do_enter_response(found, cells, request.POST.get("kanal", ""), request.POST.get("plats", ""), day,
                                  actor=_actor(request))
            except InputError as exc:
                problems = _problems(exc)
            else:
                messages.success(request, _("Svaret är sparat. Fyll i nästa."))
                response = HttpResponseRedirect(request.path + "?" + "&".join(
                    f"{k}={v}" for k, v in (("kanal", request.POST.get("kanal", "")), ("datum", day.isoformat()))))
                return response
    lang = bank.text_language(get_language() or "sv")
    rows = []
    for q in questions:
        options = ([(a.code, a.name) for a in areas] + [(o.code, o.text.get(lang, o.code)) for o in q.options]
                   if q.type == "area" else [(o.code, o.text.get(lang, o.code)) for o in q.options])
        rows.append({"id": q.id, "text": q.text.get(lang, q.id), "multi": q.type == "multi", "options": options,
                     "chosen": values.get(q.id, [])})
    return render(request, "surveys/staff/entry.html", {
        "survey": found, "org": found.organisation, "can_change": access == "change", "questions": rows,
        "problems": problems, "closed": found.status == Survey.Status.CLOSED,
        "channels": [(c, Response.Channel(c).label) for c in (Response.Channel.PAPER, Response.Channel.DIALOGUE)],
        "chosen_channel": request.POST.get("kanal") or request.GET.get("kanal", Response.Channel.PAPER),
        "day": request.POST.get("datum") or request.GET.get("datum") or timezone.localdate().isoformat(),
        "place": request.POST.get("plats", ""),
    }, status=400 if problems else 200)


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def notes_page(request: HttpRequest, survey: str) -> HttpResponse:
    found, access = _survey(request, survey)
    areas = list(found.organisation.areas.order_by("name"))
    problems: list[str] = []
    if request.method == "POST":
        area: Area | None = None
        area_code = request.POST.get("omrade", "")
        if area_code:
            area = next((a for a in areas if a.code == area_code), None)
        people_raw = request.POST.get("deltagare", "").strip()
        try:
            day = date.fromisoformat(request.POST.get("datum", ""))
            people = int(people_raw) if people_raw else None
        except ValueError:
            problems.append(_("Skriv datumet som ÅÅÅÅ-MM-DD och antalet deltagare som ett tal."))
        else:
            try:
                do_add_dialogue_note(found, day, request.POST.get("plats", ""), request.POST.get("tema", ""),
                                     request.POST.get("text", ""), area=area, people=people, actor=_actor(request))
            except InputError as exc:
                problems = _problems(exc)
            else:
                messages.success(request, _("Anteckningen är sparad."))
                return HttpResponseRedirect(request.path)
    notes = DialogueNote.objects.filter(survey=found).select_related("area")
    return render(request, "surveys/staff/notes.html", {
        "survey": found, "org": found.organisation, "can_change": access == "change", "areas": areas,
        "themes": DialogueNote.Theme.choices, "notes": notes, "problems": problems, "post": request.POST,
        "today": timezone.localdate().isoformat()}, status=400 if problems else 200)


CHART_WIDTH, CHART_HEIGHT, CHART_TOP = 640, 200, 10


@never_cache
@login_required
@require_http_methods(["GET", "HEAD"])
def monitor_page(request: HttpRequest, survey: str) -> HttpResponse:
    found, access = _survey(request, survey)
    data = fieldwork(found)
    labels = dict(Response.Channel.choices)
    peak = max((d.total for d in data.days), default=0)
    step = CHART_WIDTH / max(len(data.days), 1)
    bars = []
    for i, day in enumerate(data.days):
        y = float(CHART_TOP + CHART_HEIGHT)
        parts = []
        for channel in data.channels:
            n = day.by_channel.get(channel, 0)
            if not n:
                continue
            height = CHART_HEIGHT * n / peak
            y -= height
            parts.append({"channel": channel, "y": round(y, 1), "height": round(height, 1), "n": n})
        bars.append({"x": round(i * step + step * 0.1, 1), "width": round(step * 0.8, 1), "parts": parts,
                     "day": day.day, "total": day.total})
    return render(request, "surveys/staff/monitor.html", {
        "survey": found, "org": found.organisation, "data": data, "bars": bars, "peak": peak,
        "channels": [(c, labels.get(c, c)) for c in data.channels],
        "days": [(d, [d.by_channel.get(c, 0) for c in data.channels]) for d in data.days],
        "chart_width": CHART_WIDTH, "chart_height": CHART_HEIGHT + 2 * CHART_TOP,
        "variables": {"area": _("Område"), "gender": _("Kön"), "age_group": _("Ålder")},
    })
