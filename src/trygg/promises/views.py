"""The public promise: the page residents read at /ORG/lofte/YEAR/, its Atom feed of progress and its open-data
JSON (the shape of `promise show`). All answer 404 until the promise is published."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from trygg.formatting import integer, percent, percent_of_hundred
from trygg.promises.maps import places_map_svg
from trygg.promises.models import Activity, Commitment, ProgressEntry, Promise
from trygg.promises.places import promise_places
from trygg.promises.presentation import (
    bar_step,
    done_text,
    follow_up_sentence,
    number_text,
    promised_text,
    rollup,
)
from trygg.promises.queries import cached_promise_data
from trygg.surveys.bank import load_bank


def published_promise(org: str, year: int) -> Promise:
    promise = (Promise.objects.select_related("organisation")
               .filter(organisation__slug=org, year=year).exclude(status=Promise.Status.DRAFT).first())
    if promise is None:
        raise Http404(f"{org}-{year}")
    return promise


def party_title(party: str) -> str:
    """"Polisen lovar", … in the page's language."""
    return str(Commitment.Party(party).label)


def status_label(status: str) -> str:
    """"Planerad", … in the page's language; an unknown value as it is."""
    return str(Activity.Status(status).label) if status in Activity.Status.values else status


def entry_figure(e: ProgressEntry) -> str:
    """What one entry reports: "elva insatser" or "40 %", or '' for a note alone."""
    if e.delivered is not None:
        return f"{number_text(e.delivered)} {e.activity.unit}".strip()
    return percent(e.percent / 100) if e.percent is not None else ""


def _activity(a: Activity, places: dict[str, Any], entries: list[ProgressEntry]) -> dict[str, Any]:
    return {"a": a, "status": status_label(a.status), "promised": promised_text(a), "done": done_text(a),
            "percent": None if a.percent is None else round(a.percent), "percent_text": percent_of_hundred(a.percent),
            "bar": bar_step(a.percent),
            "places": [places[s] for s in a.places if s in places], "entries": entries}


def _field_labels() -> dict[str, str]:
    return {"text": _("text"), "places": _("platser"), "quantity": _("antal"), "unit": _("enhet"),
            "start": _("start"), "end": _("slut"), "responsible": _("ansvarig"), "period_start": _("period"),
            "period_end": _("period"), "activity": _("ny aktivitet"), "commitment": _("nytt åtagande"),
            "indicator": _("ny indikator")}


def _day(at: datetime | date) -> date:
    return timezone.localtime(at).date() if isinstance(at, datetime) else at


def promise_history(promise: Promise, activities: list[Activity],
                    entries: dict[int, list[ProgressEntry]]) -> list[dict[str, Any]]:
    """The dated public history: publication, amendments with their reasons, every status change of an activity
    (on the date of its progress entry) and the follow-up. Oldest first."""
    history: list[dict[str, Any]] = []
    if promise.published_at:
        history.append({"on": _day(promise.published_at), "text": _("Löftet publicerades."), "reason": "",
                        "note": ""})
    labels = _field_labels()
    for am in promise.amendments.all():
        what = (_("Aktivitet %(number)s ändrades") % {"number": am.activity_number} if am.activity_number
                else _("Löftet ändrades"))
        fields = ", ".join(dict.fromkeys(labels.get(k, k) for k in sorted(am.changes)))
        history.append({"on": _day(am.at), "text": f"{what}: {fields}", "reason": am.reason, "note": ""})
    by_id = {a.pk: a for a in activities}
    for activity_id, items in entries.items():
        a = by_id[activity_id]
        for e in items:
            if e.status:
                history.append({"on": e.date, "text": _("Aktivitet %(number)s: %(before)s → %(after)s") % {
                    "number": a.number, "before": status_label(e.status_before), "after": status_label(e.status)},
                    "reason": a.cancel_reason if e.status == Activity.Status.CANCELLED else "", "note": e.note})
    if promise.followed_up_at:
        history.append({"on": _day(promise.followed_up_at), "text": _("Indikatorerna följdes upp."), "reason": "",
                        "note": ""})
    history.sort(key=lambda h: h["on"])
    return history


def promise_context(promise: Promise) -> dict[str, Any]:
    """Everything the public page shows, from the models and `promise_data` (the indicators' figures)."""
    org = promise.organisation
    places = promise_places(org)
    activities = list(promise.activities.select_related("commitment"))
    entries: dict[int, list[ProgressEntry]] = {}
    for e in ProgressEntry.objects.filter(activity__promise=promise).defer("file_data").order_by("date", "id"):
        entries.setdefault(e.activity_id, []).append(e)
    commitments = list(promise.commitments.all())
    parties = []
    for party in Commitment.Party.values:
        mine = [c for c in commitments if c.party == party]
        if not mine:
            continue
        blocks = []
        for c in mine:
            acts = [a for a in activities if a.commitment_id == c.pk]
            blocks.append({"c": c, "activities": [_activity(a, places, entries.get(a.pk, [])) for a in acts],
                           "rollup": rollup(acts)})
        party_acts = [a for a in activities if a.commitment.party == party]
        parties.append({"party": party, "title": party_title(party), "commitments": blocks,
                        "rollup": rollup(party_acts),
                        "table": [_activity(a, places, []) for a in party_acts]})
    data = cached_promise_data(promise)
    bank = load_bank("standard-v1")
    labels = {i.id: i.label for i in bank.indicators}
    lang = "en" if (get_language() or "sv").startswith("en") else "sv"
    area_names = {p.slug: p.name for p in places.values()}
    indicators = []
    for ind in data["indicators"]:
        follow = ind["follow_up"]
        indicators.append({
            "label": labels.get(ind["indicator"], {}).get(lang, ind["indicator"]),
            "domain": ", ".join(area_names.get(a, a) for a in ind["domain"].get("area", [])),
            "target": percent(ind["target"]), "baseline": ind["baseline"], "follow_up": follow,
            "base_pct": percent(ind["baseline"]["share"]), "base_low": percent(ind["baseline"]["ci_low"]),
            "base_high": percent(ind["baseline"]["ci_high"]), "base_n": _count(ind["baseline"]["n"]),
            "follow_n": _count(follow["n"]) if follow else None,
            "follow_pct": percent(follow["share"]) if follow else None,
            "follow_low": percent(follow["ci_low"]) if follow else None,
            "follow_high": percent(follow["ci_high"]) if follow else None,
            "sentence": follow_up_sentence(ind), "weighted": ind["weighted"]})
    named = [places[s] for s in dict.fromkeys(s for a in activities for s in a.places) if s in places]
    history = promise_history(promise, activities, entries)
    return {"org": org, "promise": promise, "parties": parties, "rollup": rollup(activities),
            "indicators": indicators, "history": history, "places": named,
            "map": places_map_svg(named, _("Karta över platserna i löftet")),
            "has_progress": any(entries.values())}


def promise_page(request: HttpRequest, org: str, year: int) -> HttpResponse:
    promise = published_promise(org, year)
    return render(request, "promises/promise.html", promise_context(promise))


def promise_json(request: HttpRequest, org: str, year: int) -> JsonResponse:
    promise = published_promise(org, year)
    return JsonResponse(cached_promise_data(promise), json_dumps_params={"ensure_ascii": False})


def evidence_file(request: HttpRequest, org: str, year: int, entry: int) -> HttpResponse:
    promise = published_promise(org, year)
    found = ProgressEntry.objects.filter(pk=entry, activity__promise=promise).exclude(file_data=None).first()
    if found is None or not found.file_data:
        raise Http404(entry)
    response = HttpResponse(bytes(found.file_data), content_type="application/octet-stream")
    name = found.file_name.replace('"', "").replace("\n", "") or f"underlag-{found.pk}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class ProgressFeed(Feed):  # type: ignore[type-arg]
    """An Atom feed of the promise's progress entries, newest first."""

    from django.utils.feedgenerator import Atom1Feed as feed_type

    def get_object(self, request: HttpRequest, org: str, year: int) -> Promise:
        return published_promise(org, year)

    def title(self, obj: Promise) -> str:
        return _("Medborgarlöftet %(year)s: %(org)s") % {"year": obj.year, "org": obj.organisation.name}

    def link(self, obj: Promise) -> str:
        return reverse("promise", args=[obj.organisation.slug, obj.year])

    def subtitle(self, obj: Promise) -> str:
        return _("Uppföljning av aktiviteterna i löftet")

    def items(self, obj: Promise) -> list[ProgressEntry]:
        return list(ProgressEntry.objects.filter(activity__promise=obj).select_related("activity")
                    .defer("file_data").order_by("-date", "-id")[:100])

    def item_title(self, item: ProgressEntry) -> str:
        return _("Aktivitet %(number)s: %(text)s") % {"number": item.activity.number, "text": item.activity.text}

    def item_description(self, item: ProgressEntry) -> str:
        parts = [item.note, entry_figure(item), status_label(item.status) if item.status else ""]
        return " – ".join(p for p in parts if p)

    def item_link(self, item: ProgressEntry) -> str:
        promise = item.activity.promise
        return reverse("promise", args=[promise.organisation.slug, promise.year]) + f"#aktivitet-{item.activity.number}"

    def item_pubdate(self, item: ProgressEntry) -> Any:
        return item.created_at

    def item_guid(self, item: ProgressEntry) -> str:
        return f"trygg-progress-{item.pk}"


def _count(n: int | None) -> str:
    """A number of respondents as the reader's language writes it ("1 555"); "–" where it is not published."""
    return "–" if n is None else integer(n)
