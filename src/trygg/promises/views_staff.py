"""Staff pages for the promise under /personal/lofte/: write a draft, add activities, approve per party, publish,
amend with a reason, log progress, renew. Every change goes through the writers in `trygg.promises.actions`.

Access (`staff_access`): viewers read, analysts and admins write; approving and publishing take the admin role with
a party (kommunen or polisen), as `do_approve` checks. Plain forms without JavaScript; a one-time token in each form
makes a double submit change nothing twice; writes redirect (post/redirect/get).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from trygg.accounts.access import Access, staff_access
from trygg.areas.models import Organisation
from trygg.errors import InputError
from trygg.promises.actions import (
    EDITABLE_FIELDS,
    approving_party,
    do_add_activity,
    do_add_commitment,
    do_add_indicator,
    do_approve,
    do_create_draft,
    do_edit_activity,
    do_edit_promise,
    do_log_progress,
    do_publish,
    do_renew,
    missing_approvals,
)
from trygg.promises.forms import (
    ActivityForm,
    DraftForm,
    IndicatorForm,
    PeriodForm,
    ProgressForm,
    new_token,
)
from trygg.promises.models import Activity, Promise
from trygg.promises.places import promise_places
from trygg.promises.views import party_title, status_label
from trygg.surveys.bank import load_bank
from trygg.surveys.models import Survey

# Whole sentences per party, so each language words them its own way ("Approve for the police").
APPROVE_LABELS = {"kommunen": gettext_lazy("Godkänn för kommunen"), "polisen": gettext_lazy("Godkänn för polisen")}
APPROVED = {"kommunen": gettext_lazy("Godkänt för kommunen."), "polisen": gettext_lazy("Godkänt för polisen.")}


def _org_access(request: HttpRequest, slug: str) -> tuple[Organisation, Access]:
    org = Organisation.objects.filter(slug=slug).first()
    if org is None:
        raise Http404(slug)
    access = staff_access(request.user, org)
    if access is None:
        raise PermissionDenied
    return org, access


def _writer(request: HttpRequest, access: Access) -> User:
    user = request.user
    if access != "change" or not isinstance(user, User):
        raise PermissionDenied
    return user


def _promise(org: Organisation, year: int) -> Promise:
    promise = Promise.objects.select_related("organisation").filter(organisation=org, year=year).first()
    if promise is None:
        raise Http404(f"{org.slug}-{year}")
    return promise


def _place_choices(org: Organisation) -> list[tuple[str, str]]:
    return [(p.slug, p.name) for p in promise_places(org).values()]


@never_cache
@login_required
@require_http_methods(["GET", "HEAD"])
def promise_list(request: HttpRequest, org: str) -> HttpResponse:
    found, access = _org_access(request, org)
    return render(request, "promises/staff_list.html", {
        "org": found, "can_change": access == "change", "promises": list(found.promises.all())})


def _split(value: str) -> list[str]:
    return [v for v in value.split("|") if v]


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def promise_new(request: HttpRequest, org: str) -> HttpResponse:
    """A new draft, pre-filled from the situation picture: ?year=YEAR&areas=a|b&places=x|y."""
    found, access = _org_access(request, org)
    places = _place_choices(found)
    areas = [(c, n) for c, n in found.areas.values_list("code", "name")]
    known = {s for s, _ in places}
    if request.method == "POST":
        user = _writer(request, access)
        form = DraftForm(request.POST, places=places, areas=areas)
        if form.is_valid():
            d = form.cleaned_data
            existing = Promise.objects.filter(organisation=found, year=d["year"]).first()
            if existing is not None:
                messages.info(request, _("Det finns redan ett löfte för %(year)s.") % {"year": d["year"]})
                return HttpResponseRedirect(reverse("staff_promise", args=[found.slug, existing.year]))
            try:
                with transaction.atomic():
                    promise = _create_draft(found, user, d)
            except InputError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Utkastet är skapat."))
                return HttpResponseRedirect(reverse("staff_promise", args=[found.slug, promise.year]))
        return render(request, "promises/staff_new.html", {"org": found, "form": form}, status=400)
    year = request.GET.get("year", "")
    initial = {"token": new_token(), "year": int(year) if year.isdigit() else timezone.localdate().year + 1,
               "places": [s for s in _split(request.GET.get("places", "")) + _split(request.GET.get("areas", ""))
                          if s in known],
               "indicator_areas": [a for a in _split(request.GET.get("areas", "")) if a in dict(areas)]}
    return render(request, "promises/staff_new.html", {
        "org": found, "form": DraftForm(initial=initial, places=places, areas=areas),
        "can_change": access == "change"})


def _create_draft(org: Organisation, user: User, d: dict[str, Any]) -> Promise:
    promise = do_create_draft(org, d["year"], user, period_start=d["period_start"], period_end=d["period_end"])
    if d["activity"].strip():
        if not d["party"] or not d["commitment"].strip():
            raise InputError(_("Ange vem som lovar och vad, eller lämna aktiviteten tom."))
        commitment = do_add_commitment(promise, d["party"], d["commitment"], user)
        do_add_activity(commitment, {"text": d["activity"], "places": d["places"]}, user)
    if d["indicator_areas"]:
        baseline = (Survey.objects.filter(organisation=org, status=Survey.Status.CLOSED, year__lt=d["year"])
                    .order_by("-year").first())
        if baseline is None:
            raise InputError(_("Det finns ingen avslutad enkät före %(year)s att mäta utgångsläget med.")
                             % {"year": d["year"]})
        do_add_indicator(promise, "safe_in_area", d["indicator_areas"], baseline, None, user)
    return promise


def _activity_rows(promise: Promise) -> list[dict[str, Any]]:
    places = promise_places(promise.organisation)
    return [{"a": a, "party": party_title(a.commitment.party), "status": status_label(a.status),
             "places": [places[s].name for s in a.places if s in places]}
            for a in promise.activities.select_related("commitment")]


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def promise_edit(request: HttpRequest, org: str, year: int) -> HttpResponse:
    found, access = _org_access(request, org)
    promise = _promise(found, year)
    places = _place_choices(found)
    form = ActivityForm(initial={"token": new_token()}, places=places)
    period = PeriodForm(initial={"token": new_token(), "period_start": promise.period_start,
                                 "period_end": promise.period_end})
    choices = _indicator_choices(promise)
    indicator = IndicatorForm(initial={"token": new_token()}, **choices)
    status = 200
    if request.method == "POST":
        user = _writer(request, access)
        action = request.POST.get("action", "")
        try:
            if action == "activity":
                form = ActivityForm(request.POST, places=places)
                if form.is_valid():
                    _add_activity(promise, user, form.cleaned_data)
                    messages.success(request, _("Aktiviteten är tillagd."))
                    return HttpResponseRedirect(request.path)
                status = 400
            elif action == "period":
                period = PeriodForm(request.POST)
                if period.is_valid():
                    d = period.cleaned_data
                    do_edit_promise(promise, user, period_start=d["period_start"], period_end=d["period_end"],
                                    reason=d["reason"])
                    messages.success(request, _("Perioden är sparad."))
                    return HttpResponseRedirect(request.path)
                status = 400
            elif action == "indicator":
                indicator = IndicatorForm(request.POST, **choices)
                if indicator.is_valid():
                    _add_indicator(promise, user, indicator.cleaned_data)
                    messages.success(request, _("Indikatorn är tillagd."))
                    return HttpResponseRedirect(request.path)
                status = 400
            elif action == "approve":
                approval = do_approve(promise, user)
                messages.success(request, str(APPROVED[approval.party]))
                return HttpResponseRedirect(request.path)
            elif action == "publish":
                if approving_party(user, promise) is None:
                    raise PermissionDenied
                do_publish(promise, user)
                messages.success(request, _("Löftet är publicerat."))
                return HttpResponseRedirect(request.path)
            elif action == "renew":
                new = do_renew(promise, user)
                messages.success(request, _("Utkastet för %(year)s har de aktiviteter som inte är klara.")
                                 % {"year": new.year})
                return HttpResponseRedirect(reverse("staff_promise", args=[found.slug, new.year]))
            else:
                status = 400
                messages.error(request, _("Okänd åtgärd."))
        except InputError as exc:
            status = 400
            messages.error(request, exc.message)
    party = approving_party(request.user, promise) if isinstance(request.user, User) else None
    return render(request, "promises/staff_edit.html", {
        "org": found, "promise": promise, "can_change": access == "change", "form": form, "period_form": period,
        "indicator_form": indicator, "indicators": _indicator_rows(promise),
        "activities": _activity_rows(promise), "approvals": list(promise.approvals.all()),
        "missing": [party_title(p) for p in missing_approvals(promise)], "my_party": party,
        "approve_label": APPROVE_LABELS.get(party or ""),
        "already_approved": party is not None and promise.approvals.filter(party=party).exists(),
    }, status=status)


def _indicator_choices(promise: Promise) -> dict[str, list[tuple[str, str]]]:
    org = promise.organisation
    surveys = list(Survey.objects.filter(organisation=org, status=Survey.Status.CLOSED).order_by("-year"))
    bank = surveys[0].bank if surveys else load_bank("standard-v1")
    lang = "en" if (get_language() or "sv").startswith("en") else "sv"
    return {"indicators": [(i.id, i.label.get(lang, i.id)) for i in bank.indicators],
            "areas": list(org.areas.values_list("code", "name")),
            "surveys": [(str(s.pk), s.slug) for s in surveys],
            "activities": [(str(a.number), f"{a.number}. {a.text[:80]}") for a in promise.activities.all()]}


def _indicator_rows(promise: Promise) -> list[dict[str, Any]]:
    names = dict(promise.organisation.areas.values_list("code", "name"))
    return [{"i": i, "areas": [names.get(a, a) for a in i.areas],
             "activities": [a.number for a in i.activities.all()]}
            for i in promise.indicators.select_related("baseline_survey__organisation")]


def _add_indicator(promise: Promise, user: User, d: dict[str, Any]) -> None:
    baseline = Survey.objects.get(pk=int(d["baseline"]))
    activity = promise.activities.filter(number=int(d["activity"])).first() if d["activity"] else None
    target = None if d["target"] is None else d["target"] / 100
    with transaction.atomic():
        do_add_indicator(promise, d["indicator"], d["areas"], baseline, target, user, reason=d["reason"],
                         activity=activity)


def _add_activity(promise: Promise, user: User, d: dict[str, Any]) -> Activity:
    with transaction.atomic():
        commitment = do_add_commitment(promise, d["party"], d["commitment"], user, reason=d["reason"])
        fields = {k: d[k] for k in EDITABLE_FIELDS}
        return do_add_activity(commitment, fields, user, reason=d["reason"], token=d["token"])


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def activity_edit(request: HttpRequest, org: str, year: int, number: int) -> HttpResponse:
    found, access = _org_access(request, org)
    promise = _promise(found, year)
    activity = promise.activities.select_related("commitment").filter(number=number).first()
    if activity is None:
        raise Http404(number)
    places = _place_choices(found)
    initial = {k: getattr(activity, k) for k in EDITABLE_FIELDS} | {"token": new_token()}
    if activity.quantity is not None and activity.quantity.is_integer():
        initial["quantity"] = int(activity.quantity)
    measured = activity.quantity is not None
    form = ActivityForm(initial=initial, places=places, edit=True)
    progress = ProgressForm(initial={"token": new_token(), "date": timezone.localdate()}, measured=measured)
    status = 200
    if request.method == "POST":
        user = _writer(request, access)
        try:
            if request.POST.get("action") == "edit":
                form = ActivityForm(request.POST, places=places, edit=True)
                if form.is_valid():
                    d = form.cleaned_data
                    do_edit_activity(activity, {k: d[k] for k in EDITABLE_FIELDS}, user, reason=d["reason"])
                    messages.success(request, _("Aktiviteten är sparad."))
                    return HttpResponseRedirect(request.path)
            else:
                progress = ProgressForm(request.POST, request.FILES, measured=measured)
                if progress.is_valid():
                    _log(activity, user, progress.cleaned_data)
                    messages.success(request, _("Uppföljningen är sparad."))
                    return HttpResponseRedirect(request.path)
        except InputError as exc:
            messages.error(request, exc.message)
        status = 400
    return render(request, "promises/staff_activity.html", {
        "org": found, "promise": promise, "activity": activity, "status": status_label(activity.status),
        "form": form, "progress_form": progress, "can_change": access == "change",
        "entries": [(e, status_label(e.status) if e.status else "")
                    for e in activity.progress.defer("file_data").order_by("-date", "-id")]}, status=status)


def _log(activity: Activity, user: User, d: dict[str, Any]) -> None:
    f = d.get("file")
    on: date = d["date"]
    do_log_progress(activity, user, on=on, note=d["note"], link=d["link"], delivered=d.get("delivered"),
                    percent=d.get("percent"), status=d["status"] or None, cancel_reason=d["cancel_reason"],
                    file_name=f.name if f else "", file_type=getattr(f, "content_type", "") or "" if f else "",
                    file_data=f.read() if f else None, token=d["token"])
