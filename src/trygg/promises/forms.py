"""The staff pages' forms: plain HTML forms that work without JavaScript; each carries a one-time token so a double
submit changes nothing twice."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from trygg.promises.models import Activity, Commitment

MAX_UPLOAD = 2 * 1024 * 1024


def new_token() -> str:
    return uuid.uuid4().hex


class TokenForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def _choices(self, name: str, choices: list[tuple[str, str]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - a programming error, not input
        field.choices = choices


class DraftForm(TokenForm):
    year = forms.IntegerField(label=_("År"), min_value=2000, max_value=2100)
    period_start = forms.DateField(label=_("Gäller från (ÅÅÅÅ-MM-DD)"), required=False)
    period_end = forms.DateField(label=_("Gäller till (ÅÅÅÅ-MM-DD)"), required=False)
    party = forms.ChoiceField(label=_("Vem lovar den första aktiviteten?"), choices=Commitment.Party.choices,
                              required=False)
    commitment = forms.CharField(label=_("Löftet (vad parten lovar)"), required=False, max_length=1000,
                                 widget=forms.Textarea(attrs={"rows": 2}))
    activity = forms.CharField(label=_("Första aktiviteten"), required=False, max_length=1000,
                               widget=forms.Textarea(attrs={"rows": 2}))
    places = forms.MultipleChoiceField(label=_("Platser"), required=False, widget=forms.CheckboxSelectMultiple)
    indicator_areas = forms.MultipleChoiceField(
        label=_("Följ upp tryggheten i dessa områden tillsammans (indikatorn Trygga i sitt bostadsområde)"),
        required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, places: list[tuple[str, str]], areas: list[tuple[str, str]],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choices("places", places)
        self._choices("indicator_areas", areas)


class PeriodForm(TokenForm):
    period_start = forms.DateField(label=_("Gäller från (ÅÅÅÅ-MM-DD)"), required=False)
    period_end = forms.DateField(label=_("Gäller till (ÅÅÅÅ-MM-DD)"), required=False)
    reason = forms.CharField(label=_("Skäl till ändringen (krävs när löftet är publicerat)"), required=False,
                             max_length=1000)


class ActivityForm(TokenForm):
    party = forms.ChoiceField(label=_("Vem lovar"), choices=Commitment.Party.choices)
    commitment = forms.CharField(label=_("Löftet (vad parten lovar)"), max_length=1000,
                                 widget=forms.Textarea(attrs={"rows": 2}))
    text = forms.CharField(label=_("Aktivitet"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    places = forms.MultipleChoiceField(label=_("Platser"), required=False, widget=forms.CheckboxSelectMultiple)
    quantity = forms.FloatField(label=_("Hur mycket (antal)"), required=False, min_value=0.001)
    unit = forms.CharField(label=_("Enhet, till exempel timmar eller insatser"), required=False, max_length=60)
    start = forms.DateField(label=_("Start (ÅÅÅÅ-MM-DD)"), required=False)
    end = forms.DateField(label=_("Slut (ÅÅÅÅ-MM-DD)"), required=False)
    responsible = forms.CharField(label=_("Ansvarig"), required=False, max_length=200)
    reason = forms.CharField(label=_("Skäl till ändringen (krävs när löftet är publicerat)"), required=False,
                             max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, places: list[tuple[str, str]], edit: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choices("places", places)
        if edit:
            del self.fields["party"]
            del self.fields["commitment"]


class IndicatorForm(TokenForm):
    indicator = forms.ChoiceField(label=_("Indikator ur frågebanken"))
    areas = forms.MultipleChoiceField(label=_("Områden, räknade tillsammans (inga: hela kommunen)"), required=False,
                                      widget=forms.CheckboxSelectMultiple)
    baseline = forms.ChoiceField(label=_("Enkäten som ger utgångsläget"))
    target = forms.FloatField(label=_("Mål i procent (frivilligt)"), required=False, min_value=0, max_value=100)
    activity = forms.ChoiceField(label=_("Aktiviteten indikatorn följer upp (frivilligt)"), required=False)
    reason = forms.CharField(label=_("Skäl till ändringen (krävs när löftet är publicerat)"), required=False,
                             max_length=1000)

    def __init__(self, *args: Any, indicators: list[tuple[str, str]], areas: list[tuple[str, str]],
                 surveys: list[tuple[str, str]], activities: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choices("indicator", indicators)
        self._choices("areas", areas)
        self._choices("baseline", surveys)
        self._choices("activity", [("", "–"), *activities])


class ProgressForm(TokenForm):
    date = forms.DateField(label=_("Datum (ÅÅÅÅ-MM-DD)"))
    delivered = forms.FloatField(label=_("Levererat hittills, i aktivitetens enhet"), required=False, min_value=0)
    percent = forms.FloatField(label=_("Procent klart (för en aktivitet utan antal)"), required=False, min_value=0,
                               max_value=100)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Oförändrad")), *Activity.Status.choices])
    cancel_reason = forms.CharField(label=_("Skäl om aktiviteten ställs in"), required=False, max_length=1000)
    note = forms.CharField(label=_("Vad har gjorts?"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))
    link = forms.URLField(label=_("Länk till underlag"), required=False, max_length=500, assume_scheme="https")
    file = forms.FileField(label=_("Fil som underlag (högst 2 MB)"), required=False)

    def __init__(self, *args: Any, measured: bool, **kwargs: Any) -> None:
        """`measured`: the activity has a quantity, so progress is what was delivered, not a typed-in percent."""
        super().__init__(*args, **kwargs)
        del self.fields["percent" if measured else "delivered"]

    def clean_file(self) -> Any:
        f = self.cleaned_data.get("file")
        if f is not None and f.size > MAX_UPLOAD:
            raise forms.ValidationError(_("Filen är större än 2 MB."))
        return f
