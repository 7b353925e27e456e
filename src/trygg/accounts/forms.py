"""Forms of the staff accounts pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from trygg.accounts.models import Membership


class CodeForm(forms.Form):
    code = forms.RegexField(regex=r"^\s*\d{6}\s*$", label=_("Kod (sex siffror)"),
                            error_messages={"invalid": _("Koden är sex siffror.")},
                            widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}))


class StaffForm(forms.Form):
    username = forms.CharField(label=_("Användarnamn"), max_length=150)
    role = forms.ChoiceField(label=_("Roll"), choices=Membership.Role.choices)
    party = forms.ChoiceField(label=_("Part"), choices=Membership.Party.choices, required=False)
    password = forms.CharField(
        label=_("Lösenord (bara för en ny användare)"), required=False, strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Minst tolv tecken, inte bara siffror och inte ett vanligt lösenord."))


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Namn"), max_length=100,
                           help_text=_("Vad nyckeln används till, t.ex. ”Import från enkätverktyget”."))
    days = forms.TypedChoiceField(label=_("Giltig"), coerce=int, initial=90, choices=[
        (30, _("30 dagar")), (90, _("90 dagar")), (365, _("ett år"))])
