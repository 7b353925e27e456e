"""Audit events as people read them: a label for each action and its details with labels instead of codes."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.utils.translation import gettext, gettext_lazy

from trygg.accounts.models import AuditEvent

ACTION_LABELS = {
    "api_token_created": gettext_lazy("API-nyckel skapad"),
    "api_token_revoked": gettext_lazy("API-nyckel återkallad"),
    "burst_flagged": gettext_lazy("Svar flaggat som del av en skur"),
    "burst_kept": gettext_lazy("Flaggat svar behålls"),
    "burst_removed": gettext_lazy("Flaggat svar borttaget"),
    "demo_loaded": gettext_lazy("Demon laddad"),
    "demo_promise_loaded": gettext_lazy("Demons löfte laddat"),
    "dialogue_note_added": gettext_lazy("Anteckning från dialog tillagd"),
    "incidents_imported": gettext_lazy("Händelser importerade"),
    "mentions_reviewed": gettext_lazy("Platskodning granskad"),
    "organisation_created": gettext_lazy("Organisation skapad"),
    "place_alias_added": gettext_lazy("Nytt namn på en plats"),
    "places_imported": gettext_lazy("Platser importerade"),
    "population_imported": gettext_lazy("Befolkningstal importerade"),
    "privacy_applied": gettext_lazy("Fritext och kartnålar avidentifierade"),
    "promise_activity_added": gettext_lazy("Aktivitet tillagd i löftet"),
    "promise_activity_edited": gettext_lazy("Aktivitet i löftet ändrad"),
    "promise_approvals_withdrawn": gettext_lazy("Godkännanden av löftet återkallade"),
    "promise_approved": gettext_lazy("Löftet godkänt"),
    "promise_commitment_added": gettext_lazy("Åtagande tillagt i löftet"),
    "promise_created": gettext_lazy("Löfte skapat"),
    "promise_edited": gettext_lazy("Löftet ändrat"),
    "promise_followed_up": gettext_lazy("Löftet följt upp"),
    "promise_imported": gettext_lazy("Löfte importerat"),
    "promise_indicator_added": gettext_lazy("Indikator tillagd i löftet"),
    "promise_progress_logged": gettext_lazy("Framsteg i löftet noterat"),
    "promise_published": gettext_lazy("Löftet publicerat"),
    "promise_renewed": gettext_lazy("Löftet förnyat"),
    "response_entered": gettext_lazy("Svar inmatat för hand"),
    "responses_imported": gettext_lazy("Svar importerade"),
    "results_published": gettext_lazy("Resultat publicerade"),
    "role_granted": gettext_lazy("Roll given"),
    "role_revoked": gettext_lazy("Roll borttagen"),
    "second_factor_enrolled": gettext_lazy("Tvåstegsverifiering införd"),
    "second_factor_reset": gettext_lazy("Tvåstegsverifiering nollställd"),
    "survey_closed": gettext_lazy("Enkäten stängd"),
    "survey_created": gettext_lazy("Enkät skapad"),
    "survey_opened": gettext_lazy("Enkäten öppnad"),
    "user_created": gettext_lazy("Användare skapad"),
}

DETAIL_LABELS = {
    "os_user": gettext_lazy("datoranvändare (kommandoraden)"),
    "user": gettext_lazy("användare"),
    "role": gettext_lazy("roll"),
    "party": gettext_lazy("part"),
    "before": gettext_lazy("före"),
    "survey": gettext_lazy("enkät"),
    "file": gettext_lazy("fil"),
    "rows": gettext_lazy("rader"),
    "token": gettext_lazy("nyckel"),
    "expires": gettext_lazy("gäller till"),
    "api_token": gettext_lazy("via API-nyckel"),
    "status": gettext_lazy("status"),
    "opened_at": gettext_lazy("öppnad"),
    "closed_at": gettext_lazy("stängd"),
    "results_published": gettext_lazy("resultaten publicerade"),
    "bank": gettext_lazy("frågebank"),
    "responses": gettext_lazy("svar"),
    "fingerprint": gettext_lazy("fingeravtryck"),
    "places": gettext_lazy("platser"),
    "aliases": gettext_lazy("andra namn"),
    "added": gettext_lazy("nya"),
    "changed": gettext_lazy("ändrade"),
    "margins": gettext_lazy("befolkningstal"),
    "population": gettext_lazy("befolkning"),
    "decision": gettext_lazy("beslut"),
    "slugs": gettext_lazy("platskoder"),
    "held_on": gettext_lazy("dag"),
    "area": gettext_lazy("område"),
    "people": gettext_lazy("deltagare"),
    "name": gettext_lazy("namn"),
    "areas": gettext_lazy("områden"),
    "channel": gettext_lazy("kanal"),
    "theme": gettext_lazy("tema"),
    "place": gettext_lazy("plats"),
    "alias": gettext_lazy("nytt namn"),
    "answers_changed": gettext_lazy("ändrade svar"),
    "police_events": gettext_lazy("polisens händelser"),
    "own_incidents": gettext_lazy("egna händelser"),
    "promise_status": gettext_lazy("löftets status"),
    "published_at": gettext_lazy("publicerat"),
    "followed_up_at": gettext_lazy("uppföljt"),
    # Promises and incidents (their English is in those apps' catalogues).
    "promise": gettext_lazy("löfte"),
    "new_promise": gettext_lazy("nytt löfte"),
    "activity": gettext_lazy("aktivitet"),
    "activities": gettext_lazy("aktiviteter"),
    "reason": gettext_lazy("skäl"),
    "indicator": gettext_lazy("indikator"),
    "delivered": gettext_lazy("levererat"),
    "percent": gettext_lazy("procent"),
    "date": gettext_lazy("datum"),
    "approved_by": gettext_lazy("godkänt av"),
    "commitment": gettext_lazy("åtagande"),
    "text": gettext_lazy("text"),
    "quantity": gettext_lazy("antal"),
    "unit": gettext_lazy("enhet"),
    "start": gettext_lazy("start"),
    "end": gettext_lazy("slut"),
    "responsible": gettext_lazy("ansvarig"),
    "period_start": gettext_lazy("gäller från"),
    "period_end": gettext_lazy("gäller till"),
    "kind": gettext_lazy("slag"),
    "stored": gettext_lazy("nya"),
    "unchanged": gettext_lazy("fanns redan"),
    "replaced": gettext_lazy("ändrade av polisen"),
    "repeated_in_file": gettext_lazy("upprepade i filen"),
    "skipped_other_municipalities": gettext_lazy("andra kommuners (hoppades över)"),
    "not_counted": gettext_lazy("sparade men inte räknade"),
    "unplaced": gettext_lazy("utanför alla områden"),
}

# Details whose values are a model field's codes, shown by the field's labels (looked up when shown, so this low
# app imports none of the apps above it). A promise's `status` is its activity's.
_CHOICES = {"role": "accounts.Membership.role", "party": "accounts.Membership.party",
            "status": "surveys.Survey.status", "decision": "surveys.BurstFlag.decision",
            "channel": "surveys.Response.channel", "theme": "surveys.DialogueNote.theme",
            "kind": "incidents.IncidentImport.kind"}
_PROMISE_CHOICES = {"status": "promises.Activity.status", "promise_status": "promises.Promise.status"}


def event_label(action: str) -> str:
    """The action's label in the current language; an action without one shows its code."""
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action


def _choice(action: str, key: str, value: Any) -> str | None:
    field_path = (_PROMISE_CHOICES if action.startswith("promise_") else {}).get(key) or _CHOICES.get(key)
    if field_path is None or not isinstance(value, str):
        return None
    app_label, model, field = field_path.split(".")
    choices = dict(apps.get_model(app_label, model)._meta.get_field(field).flatchoices)
    return str(choices[value]) if value in choices else None


def _value(key: str, value: Any, action: str = "") -> str:
    label = _choice(action, key, value)
    if label is not None:
        return label
    if value is None:
        return "–"
    if isinstance(value, bool):
        return gettext("ja") if value else gettext("nej")
    if isinstance(value, dict):
        return "; ".join(f"{_key(k)}: {_value(k, v, action)}" for k, v in value.items()) or "–"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "–"
    return str(value)


def _key(key: str) -> str:
    label = DETAIL_LABELS.get(key)
    return str(label) if label is not None else key


# The details that say what changed (`before` and `after`, or a promise's `changes`), shown by event_change.
_CHANGE_KEYS = ("before", "after", "changes")


def event_summary(event: AuditEvent) -> str:
    """The event's details but what changed as 'label: value' pairs, codes by their names."""
    detail = event.detail if isinstance(event.detail, dict) else {}
    return "; ".join(f"{_key(k)}: {_value(k, v, event.action)}" for k, v in sorted(detail.items())
                     if k not in _CHANGE_KEYS)


def event_change(event: AuditEvent) -> str:
    """What the event changed, 'label: before → after' for each field, codes by their names; '' when it says not.

    Writers record `before` and `after` (the changed fields only); a promise's edits record `changes`, each field
    as [before, after]. With a `before` alone the value after is the detail of that name (none: nothing is left).
    """
    detail = event.detail if isinstance(event.detail, dict) else {}
    found_before, after = detail.get("before"), detail.get("after")
    before: dict[str, Any] = found_before if isinstance(found_before, dict) else {}
    pairs: dict[str, tuple[Any, Any]] = {}
    if isinstance(after, dict):
        pairs.update({k: (before.get(k), after.get(k)) for k in (*before, *(k for k in after if k not in before))})
    else:  # the value after, if any, is the detail of the same name (a role given: `role`)
        pairs.update({k: (v, detail.get(k)) for k, v in before.items()})
    promise = detail.get("changes")
    if isinstance(promise, dict):
        pairs.update({k: (v[0], v[1]) for k, v in promise.items() if isinstance(v, list) and len(v) == 2})
    return "; ".join(f"{_key(k)}: {_value(k, old, event.action)} → {_value(k, new, event.action)}"
                     for k, (old, new) in pairs.items())
