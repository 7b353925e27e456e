"""Audit events as people read them: a label for each action and its details with labels instead of codes."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from trygg.accounts.models import AuditEvent, Membership

ACTION_LABELS = {
    "demo_loaded": gettext_lazy("Demon laddad"),
    "demo_promise_loaded": gettext_lazy("Demons löfte laddat"),
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
}


def event_label(action: str) -> str:
    """The action's label in the current language; an action without one shows its code."""
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action


def _value(key: str, value: Any) -> str:
    if key == "role" and value in Membership.Role.values:
        return str(Membership.Role(value).label)
    if key == "party" and value in Membership.Party.values:
        return str(Membership.Party(value).label)
    if isinstance(value, dict):
        return "; ".join(f"{_key(k)}: {_value(k, v)}" for k, v in value.items()) or "–"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _key(key: str) -> str:
    label = DETAIL_LABELS.get(key)
    return str(label) if label is not None else key


def event_summary(event: AuditEvent) -> str:
    """The event's details as 'label: value' pairs, roles and parties by their names."""
    detail = event.detail if isinstance(event.detail, dict) else {}
    return "; ".join(f"{_key(k)}: {_value(k, v)}" for k, v in sorted(detail.items()))
