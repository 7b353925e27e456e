"""The writers of promises: every change of a promise goes through one `do_*` here, which writes its audit event.

The rules live here, so the command line, the staff pages and the admin cannot differ:
- a draft changes freely, but any change withdraws the approvals it had (the parties approved other words);
- publishing needs the approval of both parties: an administrator of the organisation who works for the
  municipality and one who works for the police (`accounts.Membership.party`);
- a published promise is frozen: a change to it is an amendment with a stated reason, kept in its history;
- progress (what was delivered, status) is logged on a published promise without amending it: that is follow-up,
  and every status change shows in the public history too.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import date
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from trygg.accounts.actions import audit
from trygg.accounts.changes import changes
from trygg.accounts.models import Membership
from trygg.areas.models import Organisation
from trygg.errors import InputError
from trygg.promises.models import (
    APPROVING_PARTIES,
    Activity,
    Amendment,
    Approval,
    Commitment,
    Indicator,
    ProgressEntry,
    Promise,
)
from trygg.surveys.bank import Bank
from trygg.surveys.models import Survey

EDITABLE_FIELDS = ("text", "places", "quantity", "unit", "start", "end", "responsible")
MAX_FILE_BYTES = 2 * 1024 * 1024


def find_promise(slug: str) -> Promise:
    """The promise `ORG-YEAR`; InputError when there is none."""
    org_slug, _, year = slug.rpartition("-")
    promise = (Promise.objects.select_related("organisation")
               .filter(organisation__slug=org_slug, year=int(year) if year.isdigit() else -1).first())
    if promise is None:
        raise InputError(gettext("det finns inget löfte %(slug)r (skapa ett med `trygg promise import`)")
                         % {"slug": slug})
    return promise


def find_org_survey(org: Organisation, slug: str) -> Survey | None:
    """The organisation's survey `ORG-YEAR`, or None."""
    org_slug, _, year = slug.strip().rpartition("-")
    if org_slug != org.slug or not year.isdigit():
        return None
    return Survey.objects.filter(organisation=org, year=int(year)).first()


def one_of(values: list[str] | tuple[str, ...]) -> str:
    """Allowed values for a message, as they are typed: "gemensamt, kommunen, polisen"."""
    return ", ".join(values)


def unknown_party(party: str) -> str:
    """The message for a party that is none of the three, listing them (the writer's and the CSV import's)."""
    return gettext("okänd part %(party)r; använd en av %(parties)s") % {
        "party": party, "parties": one_of(Commitment.Party.values)}


def unknown_status(status: str) -> str:
    """The message for an unknown activity status, listing the statuses as they are typed."""
    return gettext("okänd status %(status)r; använd en av %(statuses)s") % {
        "status": status, "statuses": one_of(Activity.Status.values)}


def unknown_indicator(indicator: str, bank: Bank) -> str:
    """The message for an indicator the bank lacks, listing the bank's indicators."""
    return gettext("okänd indikator %(indicator)r i frågebanken %(bank)s; dess indikatorer: %(indicators)s") % {
        "indicator": indicator, "bank": bank.id, "indicators": one_of([i.id for i in bank.indicators])}


def unknown_area(area: str, codes: list[str] | set[str]) -> str:
    """The message for an area the organisation lacks, listing its area codes."""
    return gettext("okänt område %(area)r; organisationens områden: %(areas)s") % {
        "area": area, "areas": one_of(sorted(codes)) or gettext("inga")}


def _token(token: str | None) -> str | None:
    return hashlib.sha256(token.encode()).hexdigest() if token else None


def _withdraw_approvals(promise: Promise, actor: User | None) -> None:
    if promise.approvals.exists():
        promise.approvals.all().delete()
        audit("promise_approvals_withdrawn", organisation=promise.organisation, actor=actor, promise=promise.slug)


def _require_reason(promise: Promise, reason: str) -> str:
    reason = reason.strip()
    if promise.frozen and not reason:
        raise InputError(gettext("%(promise)s är publicerat: en ändring behöver ett skäl, som sparas i löftets "
                                 "historik") % {"promise": promise.slug})
    return reason


def _amend(promise: Promise, actor: User | None, reason: str, changes: dict[str, Any],
           activity: Activity | None = None) -> None:
    """Record a change: an amendment with its reason when published; a draft change withdraws the approvals."""
    if promise.frozen:
        Amendment.objects.create(promise=promise, actor=actor, reason=reason, changes=changes,
                                 activity_number=activity.number if activity is not None else None)
    else:
        _withdraw_approvals(promise, actor)


@transaction.atomic
def do_create_draft(org: Organisation, year: int, actor: User | None = None, *, period_start: date | None = None,
                    period_end: date | None = None) -> Promise:
    """A new, empty draft promise for the year; InputError when the year already has one."""
    if Promise.objects.filter(organisation=org, year=year).exists():
        raise InputError(gettext("organisationen %(org)s har redan ett löfte för %(year)s")
                         % {"org": org.slug, "year": year})
    if period_start and period_end and period_end < period_start:
        raise InputError(gettext("perioden slutar innan den börjar"))
    promise = Promise.objects.create(organisation=org, year=year, period_start=period_start, period_end=period_end)
    audit("promise_created", organisation=org, actor=actor, promise=promise.slug)
    return promise


@transaction.atomic
def do_edit_promise(promise: Promise, actor: User | None = None, *, period_start: date | None,
                    period_end: date | None, reason: str = "") -> Promise:
    """Change the promise's period (an amendment once published)."""
    reason = _require_reason(promise, reason)
    if period_start and period_end and period_end < period_start:
        raise InputError(gettext("perioden slutar innan den börjar"))
    changes = {k: [str(getattr(promise, k) or ""), str(v or "")] for k, v in
               (("period_start", period_start), ("period_end", period_end)) if getattr(promise, k) != v}
    if not changes:
        return promise
    promise.period_start, promise.period_end = period_start, period_end
    promise.save(update_fields=["period_start", "period_end"])
    _amend(promise, actor, reason, changes)
    audit("promise_edited", organisation=promise.organisation, actor=actor, promise=promise.slug, changes=changes,
          reason=reason)
    return promise


@transaction.atomic
def do_add_commitment(promise: Promise, party: str, text: str, actor: User | None = None,
                      reason: str = "") -> Commitment:
    """A commitment of `party` (gemensamt, kommunen, polisen); the same party and text again is the same one."""
    if party not in Commitment.Party.values:
        raise InputError(unknown_party(party))
    text = text.strip()
    if not text:
        raise InputError(gettext("ett åtagande behöver sin text"))
    found = promise.commitments.filter(party=party, text=text).first()
    if found is not None:
        return found
    reason = _require_reason(promise, reason)
    commitment = Commitment.objects.create(promise=promise, party=party, text=text,
                                           position=promise.commitments.count())
    _amend(promise, actor, reason, {"commitment": ["", f"{party}: {text}"]})
    audit("promise_commitment_added", organisation=promise.organisation, actor=actor, promise=promise.slug,
          party=party, reason=reason)
    return commitment


def _check_activity(fields: Mapping[str, Any]) -> None:
    if not str(fields.get("text", "")).strip():
        raise InputError(gettext("en aktivitet behöver sin text"))
    quantity = fields.get("quantity")
    if quantity is not None and quantity <= 0:
        raise InputError(gettext("antalet måste vara större än 0, inte %(quantity)s") % {"quantity": f"{quantity:g}"})
    start, end = fields.get("start"), fields.get("end")
    if start and end and end < start:
        raise InputError(gettext("aktiviteten slutar innan den börjar"))


@transaction.atomic
def do_add_activity(commitment: Commitment, fields: Mapping[str, Any], actor: User | None = None,
                    reason: str = "", token: str | None = None, number: int | None = None) -> Activity:
    """An activity under the commitment; `fields` among text, places (slugs), quantity, unit, start, end,
    responsible. The next free number unless `number` is given. A repeated `token` (double submit) adds nothing."""
    promise = commitment.promise
    hashed = _token(token)
    if hashed:
        existing = Activity.objects.filter(form_token=hashed).first()
        if existing is not None:
            return existing
    _check_activity(fields)
    reason = _require_reason(promise, reason)
    if number is None:
        number = max(promise.activities.values_list("number", flat=True), default=0) + 1
    values = {k: fields[k] for k in EDITABLE_FIELDS if k in fields}
    values["text"] = str(values["text"]).strip()
    activity = Activity.objects.create(promise=promise, commitment=commitment, number=number, form_token=hashed,
                                       **values)
    _amend(promise, actor, reason, {"activity": ["", activity.text]}, activity)
    audit("promise_activity_added", organisation=promise.organisation, actor=actor, promise=promise.slug,
          activity=number, reason=reason)
    return activity


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


@transaction.atomic
def do_edit_activity(activity: Activity, changes: Mapping[str, Any], actor: User | None = None,
                     reason: str = "") -> Activity:
    """Change an activity's fields (EDITABLE_FIELDS); an amendment with a reason once the promise is published.
    The same values again change nothing (no amendment, no audit event)."""
    promise = activity.promise
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"cannot edit {', '.join(sorted(unknown))} of an activity")
    diff = {k: [_jsonable(getattr(activity, k)), _jsonable(v)] for k, v in changes.items() if getattr(activity, k) != v}
    if not diff:
        return activity
    _check_activity({f: changes.get(f, getattr(activity, f)) for f in EDITABLE_FIELDS})
    reason = _require_reason(promise, reason)
    for key, value in changes.items():
        setattr(activity, key, value)
    if "quantity" in diff:
        activity.percent = _percent(activity.delivered, activity.quantity, activity.percent)
    activity.save()
    _amend(promise, actor, reason, diff, activity)
    audit("promise_activity_edited", organisation=promise.organisation, actor=actor, promise=promise.slug,
          activity=activity.number, changes=diff, reason=reason)
    return activity


@transaction.atomic
def do_add_indicator(promise: Promise, indicator: str, areas: list[str], baseline: Survey,
                     target: float | None, actor: User | None = None, reason: str = "",
                     activity: Activity | None = None) -> Indicator:
    """An indicator of the bank in a domain (area codes pooled; [] = everyone), or the existing one with that
    indicator and domain. Ties it to `activity` when given."""
    if baseline.organisation_id != promise.organisation_id:
        raise InputError(gettext("enkäten %(survey)s tillhör en annan organisation") % {"survey": baseline.slug})
    if indicator not in {i.id for i in baseline.bank.indicators}:
        raise InputError(unknown_indicator(indicator, baseline.bank))
    if target is not None and not 0.0 <= target <= 1.0:
        raise InputError(gettext("målet är en andel mellan 0 och 1, inte %(target)s") % {"target": f"{target:g}"})
    areas = sorted(set(areas))
    known = set(promise.organisation.areas.values_list("code", flat=True))
    if set(areas) - known:
        raise InputError(unknown_area(sorted(set(areas) - known)[0], known))
    found = next((i for i in promise.indicators.all() if i.indicator == indicator and sorted(i.areas) == areas), None)
    if found is None:
        reason = _require_reason(promise, reason)
        found = Indicator.objects.create(promise=promise, indicator=indicator, areas=areas, baseline_survey=baseline,
                                         target=target)
        _amend(promise, actor, reason, {"indicator": ["", f"{indicator} {found.domain_text}".strip()]})
        audit("promise_indicator_added", organisation=promise.organisation, actor=actor, promise=promise.slug,
              indicator=indicator, areas=areas, reason=reason)
    if activity is not None and activity.indicator_id != found.pk:
        activity.indicator = found
        activity.save(update_fields=["indicator"])
    return found


def _percent(delivered: float | None, quantity: float | None, percent: float | None) -> float | None:
    """Percent done: delivered ÷ quantity for an activity with a quantity (may pass 100), else as logged."""
    if quantity:
        return None if delivered is None else 100.0 * delivered / quantity
    return percent


@transaction.atomic
def do_log_progress(activity: Activity, actor: User | None = None, *, on: date | None = None, note: str = "",
                    link: str = "", delivered: float | None = None, percent: float | None = None,
                    status: str | None = None, cancel_reason: str = "", file_name: str = "", file_type: str = "",
                    file_data: bytes | None = None, token: str | None = None) -> ProgressEntry:
    """A dated progress entry: `delivered` (in the activity's unit, total so far) for an activity with a quantity,
    `percent` (0–100) for one without; a new status (cancelled needs `cancel_reason`). A repeated `token` (a double
    submit) adds nothing and returns the first entry."""
    hashed = _token(token)
    if hashed:
        existing = ProgressEntry.objects.filter(form_token=hashed).first()
        if existing is not None:
            return existing
    if delivered is not None and percent is not None:
        raise InputError(gettext("ange antingen vad som har levererats eller hur många procent som är klart, "
                                 "inte båda"))
    if delivered is not None and not activity.quantity:
        raise InputError(gettext("aktivitet %(number)s har inget antal: ange hur många procent som är klart i "
                                 "stället för vad som har levererats") % {"number": activity.number})
    if percent is not None and activity.quantity:
        raise InputError(gettext("aktivitet %(number)s har ett antal (%(quantity)s): ange vad som har levererats, "
                                 "procenten räknas fram")
                         % {"number": activity.number, "quantity": f"{activity.quantity:g} {activity.unit}".strip()})
    if delivered is not None and delivered < 0:
        raise InputError(gettext("det levererade kan inte vara mindre än 0"))
    if percent is not None and not 0 <= percent <= 100:
        raise InputError(gettext("procenten ligger mellan 0 och 100, inte %(percent)s") % {"percent": f"{percent:g}"})
    if status is not None and status not in Activity.Status.values:
        raise InputError(unknown_status(status))
    cancel_reason = cancel_reason.strip()
    if status == Activity.Status.CANCELLED and not cancel_reason:
        raise InputError(gettext("en inställd aktivitet behöver skälet till att den ställdes in"))
    if file_data is not None and len(file_data) > MAX_FILE_BYTES:
        raise InputError(gettext("filen är större än %(mb)s MB") % {"mb": MAX_FILE_BYTES // (1024 * 1024)})
    if not (note.strip() or link or file_data or delivered is not None or percent is not None or status):
        raise InputError(gettext("en uppföljning behöver en anteckning, ett underlag, en siffra eller en status"))
    on = on or timezone.localdate()
    before = activity.status
    was = {"delivered": activity.delivered, "percent": activity.percent, "status": activity.status}
    if status == Activity.Status.DONE and percent is None and delivered is None and not activity.quantity:
        percent = 100.0
    if delivered is not None:
        activity.delivered = delivered
    activity.percent = _percent(activity.delivered, activity.quantity, percent if percent is not None
                                else activity.percent)
    if status:
        activity.status = status
        activity.cancel_reason = cancel_reason if status == Activity.Status.CANCELLED else ""
    elif activity.status == Activity.Status.PLANNED and (delivered or percent):
        activity.status = Activity.Status.ONGOING
    activity.save()
    try:
        with transaction.atomic():
            entry = ProgressEntry.objects.create(
                activity=activity, date=on, note=note.strip(), link=link.strip(), delivered=delivered,
                percent=percent, status_before=before if activity.status != before else "",
                status=activity.status if activity.status != before else "", actor=actor, form_token=hashed,
                file_name=file_name[:200], file_type=file_type[:100], file_data=file_data)
    except IntegrityError:
        raise InputError(gettext("uppföljningen är redan sparad")) from None
    audit("promise_progress_logged", organisation=activity.promise.organisation, actor=actor,
          promise=activity.promise.slug, activity=activity.number, delivered=delivered, percent=percent,
          status=activity.status, date=on.isoformat(),
          **changes(was, {"delivered": activity.delivered, "percent": activity.percent, "status": activity.status}))
    return entry


def approving_party(user: User, promise: Promise) -> str | None:
    """The party the user may approve the promise for: an administrator of its organisation with a party."""
    membership = Membership.objects.filter(user=user, organisation=promise.organisation,
                                           role=Membership.Role.ADMIN).first()
    return membership.party if membership is not None and membership.party in APPROVING_PARTIES else None


@transaction.atomic
def do_approve(promise: Promise, user: User) -> Approval:
    """Record that the user approves the draft for their party; again by the same party changes nothing."""
    if promise.frozen:
        raise InputError(gettext("%(promise)s är redan publicerat") % {"promise": promise.slug})
    party = approving_party(user, promise)
    if party is None:
        raise InputError(gettext("användaren %(user)s kan inte godkänna: det kräver rollen administratör i %(org)s "
                                 "och en part (en av %(parties)s)")
                         % {"user": user.get_username(), "org": promise.organisation.slug,
                            "parties": one_of(APPROVING_PARTIES)})
    found = promise.approvals.filter(party=party).first()
    if found is not None:
        return found
    approval = Approval.objects.create(promise=promise, party=party, user=user, username=user.get_username())
    audit("promise_approved", organisation=promise.organisation, actor=user, promise=promise.slug, party=party)
    return approval


def missing_approvals(promise: Promise) -> list[str]:
    have = set(promise.approvals.values_list("party", flat=True))
    return [p for p in APPROVING_PARTIES if p not in have]


@transaction.atomic
def do_publish(promise: Promise, actor: User | None = None) -> Promise:
    """Publish the draft at /ORG/lofte/YEAR/ once both parties have approved it; published again changes nothing."""
    promise = Promise.objects.select_for_update().get(pk=promise.pk)
    if promise.frozen:
        return promise
    missing = missing_approvals(promise)
    if missing:
        raise InputError(gettext("%(promise)s kan inte publiceras förrän båda parterna har godkänt det; "
                                 "godkännande saknas från: %(missing)s")
                         % {"promise": promise.slug, "missing": one_of(missing)})
    if not promise.activities.exists():
        raise InputError(gettext("%(promise)s har inga aktiviteter att publicera") % {"promise": promise.slug})
    was = {"promise_status": promise.status, "published_at": promise.published_at}
    promise.status = Promise.Status.PUBLISHED
    promise.published_at = timezone.now()
    promise.save(update_fields=["status", "published_at"])
    audit("promise_published", organisation=promise.organisation, actor=actor, promise=promise.slug,
          approved_by=list(promise.approvals.values_list("username", flat=True)),
          **changes(was, {"promise_status": promise.status, "published_at": promise.published_at}))
    return promise


@transaction.atomic
def do_follow_up(promise: Promise, survey: Survey, actor: User | None = None) -> Promise:
    """Take the indicators' follow-up values from a later, closed survey of the organisation."""
    if not promise.frozen:
        raise InputError(gettext("%(promise)s är ett utkast: publicera det innan det följs upp")
                         % {"promise": promise.slug})
    if survey.organisation_id != promise.organisation_id:
        raise InputError(gettext("enkäten %(survey)s tillhör en annan organisation") % {"survey": survey.slug})
    if survey.status != Survey.Status.CLOSED:
        raise InputError(gettext("enkäten %(survey)s är inte stängd: dess siffror är inte slutliga")
                         % {"survey": survey.slug})
    indicators = list(promise.indicators.select_related("baseline_survey"))
    for ind in indicators:
        if survey.year <= ind.baseline_survey.year:
            raise InputError(gettext("uppföljningsenkäten %(survey)s måste vara senare än utgångsläget %(baseline)s")
                             % {"survey": survey.slug, "baseline": ind.baseline_survey.slug})
    was = {"promise_status": promise.status, "followed_up_at": promise.followed_up_at}
    promise.indicators.update(follow_up_survey=survey)
    promise.status = Promise.Status.FOLLOWED_UP
    promise.followed_up_at = timezone.now()
    promise.save(update_fields=["status", "followed_up_at"])
    audit("promise_followed_up", organisation=promise.organisation, actor=actor, promise=promise.slug,
          survey=survey.slug,
          **changes(was, {"promise_status": promise.status, "followed_up_at": promise.followed_up_at}))
    return promise


@transaction.atomic
def do_renew(promise: Promise, actor: User | None = None) -> Promise:
    """Next year's draft with the activities not yet done or cancelled (their progress starts afresh), the same
    commitments and indicators. When next year already has a promise, it is returned unchanged."""
    existing = Promise.objects.filter(organisation=promise.organisation, year=promise.year + 1).first()
    if existing is not None:
        return existing
    new = Promise.objects.create(organisation=promise.organisation, year=promise.year + 1)
    commitments: dict[int, Commitment] = {}
    indicators: dict[int, Indicator] = {}
    number = 0
    unfinished = promise.activities.exclude(status__in=[Activity.Status.DONE, Activity.Status.CANCELLED])
    for activity in unfinished.select_related("commitment", "indicator"):
        old = activity.commitment
        if old.pk not in commitments:
            commitments[old.pk] = Commitment.objects.create(promise=new, party=old.party, text=old.text,
                                                            position=old.position)
        new_indicator = None
        if activity.indicator is not None:
            ind = activity.indicator
            if ind.pk not in indicators:
                indicators[ind.pk] = Indicator.objects.create(
                    promise=new, indicator=ind.indicator, areas=ind.areas, target=ind.target,
                    baseline_survey=ind.follow_up_survey or ind.baseline_survey)
            new_indicator = indicators[ind.pk]
        number += 1
        Activity.objects.create(promise=new, commitment=commitments[old.pk], number=number, text=activity.text,
                                places=activity.places, quantity=activity.quantity, unit=activity.unit,
                                responsible=activity.responsible, indicator=new_indicator)
    audit("promise_renewed", organisation=promise.organisation, actor=actor, promise=promise.slug,
          new_promise=new.slug, activities=number)
    return new
