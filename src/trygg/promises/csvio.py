"""The promise as CSV (shared/spec/cli.md): `promise import` reads it, `promise export` writes the same format.

One row per activity; a commitment is the rows with the same `party` and `commitment`. The export adds `number`,
`delivered` and `status`, and the import reads them back, so an exported promise imports unchanged. Every row is
checked before anything is stored; all the problems found are reported together, each naming its row, column and
value, and nothing is stored while there is one.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext, ngettext

from trygg.accounts.actions import audit
from trygg.areas.models import Organisation
from trygg.errors import InputError
from trygg.promises.actions import (
    do_add_activity,
    do_add_commitment,
    do_add_indicator,
    one_of,
    unknown_area,
    unknown_indicator,
    unknown_party,
    unknown_status,
)
from trygg.promises.models import Activity, Commitment, Promise
from trygg.promises.places import area_lookup, place_lookup
from trygg.surveys.bank import load_bank
from trygg.surveys.models import Survey
from trygg.tabular import read_table

COLUMNS = ["party", "commitment", "activity", "places", "quantity", "unit", "start", "end", "responsible",
           "indicator", "domain", "baseline_survey", "target"]
EXPORT_COLUMNS = [*COLUMNS, "number", "delivered", "status"]
REQUIRED = ("party", "commitment", "activity")


@dataclass
class Row:
    party: str
    commitment: str
    fields: dict[str, Any]
    number: int | None = None
    delivered: float | None = None
    status: str = ""
    indicator: tuple[str, tuple[str, ...]] | None = None  # (indicator id, area codes)


@dataclass
class Parsed:
    rows: list[Row] = field(default_factory=list)
    indicators: dict[tuple[str, tuple[str, ...]], tuple[Survey, float | None]] = field(default_factory=dict)


class _Errors:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.found: list[tuple[int, str, str]] = []

    def add(self, row: int, column: str, message: str) -> None:
        self.found.append((row, column, message))

    def raise_any(self) -> None:
        if not self.found:
            return
        if len(self.found) == 1:
            row, column, message = self.found[0]
            raise InputError(message, file=self.path, row=row, column=column)
        where = gettext("rad %(row)s, kolumn %(column)s: %(message)s")
        listed = "; ".join(where % {"row": r, "column": c, "message": m} for r, c, m in self.found[:20])
        if len(self.found) > 20:
            listed += " " + gettext("(och %(n)s till)") % {"n": len(self.found) - 20}
        n = len(self.found)
        raise InputError(ngettext("%(n)s problem, inget importerades: %(problems)s",
                                  "%(n)s problem, inget importerades: %(problems)s", n) % {"n": n, "problems": listed},
                         file=self.path)


def _cell(cells: dict[str, str], column: str) -> str:
    return cells.get(column, "").strip()


def _number(text: str, errors: _Errors, row: int, column: str) -> float | None:
    if not text:
        return None
    try:
        value = float(text.replace(",", ".").replace("\u00a0", "").replace(" ", ""))
    except ValueError:
        errors.add(row, column, gettext("%(text)r är inget tal") % {"text": text})
        return None
    if value != value or value in (float("inf"), float("-inf")):
        errors.add(row, column, gettext("%(text)r är inget tal") % {"text": text})
        return None
    return value


def _date(text: str, errors: _Errors, row: int, column: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors.add(row, column, gettext("%(text)r är inget datum som 2025-01-31") % {"text": text})
        return None


def read_promise_csv(org: Organisation, path: str | Path) -> Parsed:
    """The checked rows of a promise CSV; InputError naming every bad cell (row, column, value)."""
    table = read_table(path)
    file = Path(path)
    missing = [c for c in REQUIRED if c not in table.header]
    if missing:
        raise InputError(gettext("rubrikraden saknar kolumnen %(column)r (kolumnerna: %(columns)s)")
                         % {"column": missing[0], "columns": one_of(COLUMNS)}, file=file, column=missing[0])
    unknown_columns = [c for c in table.header if c and c not in EXPORT_COLUMNS]
    if unknown_columns:
        raise InputError(gettext("okänd kolumn %(column)r; kolumnerna är %(columns)s")
                         % {"column": unknown_columns[0], "columns": one_of(EXPORT_COLUMNS)},
                         file=file, column=unknown_columns[0])
    if not table.rows:
        raise InputError(gettext("filen har inga aktiviteter"), file=file)
    places, areas = place_lookup(org), area_lookup(org)
    errors = _Errors(file)
    parsed = Parsed()
    numbers: set[int] = set()
    for i, cells in enumerate(table.rows, start=1):
        get = partial(_cell, cells)
        party = get("party").lower()
        if party not in Commitment.Party.values:
            errors.add(i, "party", unknown_party(get("party")))
        for column in REQUIRED[1:]:
            if not get(column):
                errors.add(i, column, gettext("cellen är tom"))
        slugs: list[str] = []
        for name in (p.strip() for p in get("places").split("|")):
            if not name:
                continue
            slug = places.get(name.casefold())
            if slug is None:
                errors.add(i, "places", gettext("okänd plats %(place)r: varken ett område eller en namngiven plats "
                                                "i %(org)s") % {"place": name, "org": org.slug})
            elif slug not in slugs:
                slugs.append(slug)
        quantity = _number(get("quantity"), errors, i, "quantity")
        if quantity is not None and quantity <= 0:
            errors.add(i, "quantity", gettext("antalet måste vara större än 0, inte %(quantity)s")
                       % {"quantity": get("quantity")})
        start, end = _date(get("start"), errors, i, "start"), _date(get("end"), errors, i, "end")
        if start and end and end < start:
            errors.add(i, "end", gettext("%(end)s är före starten %(start)s") % {"end": get("end"),
                                                                               "start": get("start")})
        row = Row(party, get("commitment"), {
            "text": get("activity"), "places": slugs, "quantity": quantity, "unit": get("unit"), "start": start,
            "end": end, "responsible": get("responsible")})
        if get("number"):
            if not get("number").isdigit() or int(get("number")) < 1:
                errors.add(i, "number", gettext("%(number)r är inget aktivitetsnummer (1, 2, …)")
                           % {"number": get("number")})
            elif int(get("number")) in numbers:
                errors.add(i, "number", gettext("numret %(number)s finns två gånger") % {"number": get("number")})
            else:
                row.number = int(get("number"))
                numbers.add(row.number)
        row.delivered = _number(get("delivered"), errors, i, "delivered")
        if row.delivered is not None and quantity is None:
            errors.add(i, "delivered", gettext("delivered behöver ett antal i quantity att mätas mot"))
        elif row.delivered is not None and row.delivered < 0:
            errors.add(i, "delivered", gettext("delivered kan inte vara mindre än 0, inte %(delivered)s")
                       % {"delivered": get("delivered")})
        row.status = get("status").lower()
        if row.status and row.status not in Activity.Status.values:
            errors.add(i, "status", unknown_status(get("status")))
        _read_indicator(org, get, i, row, parsed, areas, errors)
        parsed.rows.append(row)
    if numbers and len(numbers) != len(parsed.rows):
        errors.add(1, "number", gettext("ge varje aktivitet ett nummer, eller ingen"))
    errors.raise_any()
    return parsed


def _read_indicator(org: Organisation, get: Callable[[str], str], i: int, row: Row, parsed: Parsed,
                    areas: dict[str, str], errors: _Errors) -> None:
    indicator, domain, baseline, target_text = get("indicator"), get("domain"), get("baseline_survey"), get("target")
    if not (indicator or domain or baseline or target_text):
        return
    if not indicator:
        errors.add(i, "indicator", gettext("domain, baseline_survey och target gäller en indikator: ange den i "
                                           "indicator"))
        return
    survey = None
    if not baseline:
        errors.add(i, "baseline_survey", gettext("indikatorn %(indicator)r behöver enkäten den bygger på (ORG-ÅR)")
                   % {"indicator": indicator})
    else:
        org_slug, _, year = baseline.rpartition("-")
        if org_slug == org.slug and year.isdigit():
            survey = Survey.objects.filter(organisation=org, year=int(year)).first()
        if survey is None:
            surveys = [s.slug for s in Survey.objects.filter(organisation=org).select_related("organisation")]
            errors.add(i, "baseline_survey", gettext("okänd enkät %(survey)r i %(org)s; dess enkäter: %(surveys)s")
                       % {"survey": baseline, "org": org.slug, "surveys": one_of(surveys) or gettext("inga")})
    bank = survey.bank if survey is not None else load_bank("standard-v1")
    if indicator not in {ind.id for ind in bank.indicators}:
        errors.add(i, "indicator", unknown_indicator(indicator, bank))
    codes: list[str] = []
    if domain:
        variable, _, values = domain.partition("=")
        if variable.strip() != "area" or not values.strip():
            errors.add(i, "domain", gettext("%(domain)r är ingen domän som area=norrby eller "
                                            "area=norrby|hassleholmen") % {"domain": domain})
        for name in (v.strip() for v in values.split("|") if v.strip()):
            code = areas.get(name.casefold())
            if code is None:
                errors.add(i, "domain", unknown_area(name, set(areas.values())))
            elif code not in codes:
                codes.append(code)
    target = _number(target_text, errors, i, "target")
    if target is not None and not 0.0 <= target <= 1.0:
        errors.add(i, "target", gettext("målet är en andel mellan 0 och 1 (0.6 för 60 %%), inte %(target)s")
                   % {"target": target_text})
        target = None
    key = (indicator, tuple(sorted(codes)))
    if survey is not None:
        earlier = parsed.indicators.get(key)
        if earlier is not None and (earlier[0].pk != survey.pk or earlier[1] != target):
            errors.add(i, "target", gettext("indikatorn %(indicator)s står tidigare i filen med ett annat "
                                            "utgångsläge eller mål") % {"indicator": f"{indicator} {domain}".strip()})
        parsed.indicators[key] = (survey, target)
    row.indicator = key


@transaction.atomic
def do_import_promise(org: Organisation, year: int, path: str | Path, actor: User | None = None) -> Promise:
    """A draft promise for the year from CSV, all rows or none. A draft of that year is replaced (its approvals
    go with it); a published promise is refused (change it by amendments)."""
    parsed = read_promise_csv(org, path)
    promise = Promise.objects.filter(organisation=org, year=year).first()
    if promise is not None and promise.frozen:
        raise InputError(gettext("%(promise)s är publicerat och ändras med ändringar som har ett skäl, inte genom "
                                 "import") % {"promise": promise.slug}, file=path)
    if promise is None:
        promise = Promise.objects.create(organisation=org, year=year)
    else:
        promise.activities.all().delete()
        promise.commitments.all().delete()
        promise.indicators.all().delete()
        promise.approvals.all().delete()
    indicators = {key: do_add_indicator(promise, key[0], list(key[1]), survey, target, actor)
                  for key, (survey, target) in parsed.indicators.items()}
    for row in parsed.rows:
        commitment = do_add_commitment(promise, row.party, row.commitment, actor)
        activity = do_add_activity(commitment, row.fields, actor, number=row.number)
        if row.indicator is not None:
            activity.indicator = indicators[row.indicator]
        if row.delivered is not None and activity.quantity:
            activity.delivered = row.delivered
            activity.percent = 100.0 * row.delivered / activity.quantity
        if row.status:
            activity.status = row.status
        activity.save()
    audit("promise_imported", organisation=org, actor=actor, promise=promise.slug, file=Path(path).name,
          activities=len(parsed.rows))
    return promise


def _num(x: float | None) -> str:
    if x is None:
        return ""
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def export_rows(promise: Promise) -> list[list[str]]:
    """The promise as rows of EXPORT_COLUMNS, in activity number order."""
    names = {code: name for code, name in promise.organisation.areas.values_list("code", "name")}
    names.update(promise.organisation.places.values_list("slug", "name"))
    rows = []
    for a in promise.activities.select_related("commitment", "indicator__baseline_survey__organisation"):
        ind = a.indicator
        rows.append([
            a.commitment.party, a.commitment.text, a.text, "|".join(names.get(s, s) for s in a.places),
            _num(a.quantity), a.unit, a.start.isoformat() if a.start else "", a.end.isoformat() if a.end else "",
            a.responsible, ind.indicator if ind else "", ind.domain_text if ind else "",
            ind.baseline_survey.slug if ind else "", _num(ind.target) if ind else "", str(a.number),
            _num(a.delivered), a.status])
    return rows


def export_csv(promise: Promise) -> str:
    """The export as CSV text (UTF-8, comma, a header)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    writer.writerows(export_rows(promise))
    return out.getvalue()
