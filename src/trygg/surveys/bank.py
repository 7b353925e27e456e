"""Question banks: versioned data files, validated on load, and the rules for what an answer may be.

Plain data and rules (no models, no database), so imports, the web form, the demo generator and the benchmarks
share one definition; its refusals speak the active language through Django's gettext.
An answer set is a dict from question id to a value: a code (single choice and area), a list of codes (multi),
a string (text) or a list of [lat, lon] pairs (pins). Missing questions are simply absent.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext

from trygg import formatting
from trygg.geo import PinError, format_pins, parse_pins

BANK_DIR = Path(__file__).resolve().parent / "banks"
QUESTION_TYPES = ("area", "single", "multi", "text", "pins")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
LANGS = ("sv", "en")  # every bank carries these two; others are declared under "languages"
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")


class BankError(ValueError):
    """A bank file breaks the contract (unknown ids, unknown codes, missing texts)."""


class AnswerError(ValueError):
    """One answer is not allowed; `column` names the question id."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


def _pin_problem(exc: PinError) -> str:
    """The geo engine's refusal of a pin answer in the active language; the coordinates stay as typed."""
    # Sweden's bounds in the language's style (55–69,5); the pin's own numbers as typed, with their decimal point.
    values = {k: number_format(Decimal(str(v)), use_l10n=True) if k.startswith(("min_", "max_")) else v
              for k, v in exc.values.items()}
    example = "'56.6745 12.8578'"
    texts = {
        "comma": gettext("kartnål %(pin)s ('%(text)s') innehåller ett kommatecken; skriv latitud och longitud i "
                         "decimala grader med decimalpunkt och ett mellanslag emellan, till exempel %(example)s"),
        "not_two": gettext("kartnål %(pin)s ('%(text)s') ska vara en latitud och en longitud med ett mellanslag "
                           "emellan, till exempel %(example)s"),
        "not_numbers": gettext("kartnål %(pin)s ('%(text)s') är inte två tal i decimala grader, till exempel "
                               "%(example)s"),
        "latitude": gettext("kartnål %(pin)s har latituden %(lat)s, men latitud ska ligga mellan -90 och 90 grader"),
        "longitude": gettext("kartnål %(pin)s har longituden %(lon)s, men longitud ska ligga mellan -180 och 180 "
                             "grader"),
        "swapped": gettext("kartnål %(pin)s (%(lat)s %(lon)s) ligger utanför Sverige men skulle ligga inom landet "
                           "med latitud och longitud omkastade; skriv latituden först, till exempel %(example)s"),
        "outside_sweden": gettext("kartnål %(pin)s (%(lat)s %(lon)s) ligger utanför Sverige; en kartnål ska ligga "
                                  "inom latitud %(min_lat)s–%(max_lat)s och longitud %(min_lon)s–%(max_lon)s"),
    }
    if exc.problem == "too_many":
        n = int(str(exc.values["n"]))
        return ngettext("svaret har %(n)s kartnål, men högst %(max)s är tillåtna",
                        "svaret har %(n)s kartnålar, men högst %(max)s är tillåtna", n) % values
    return texts[exc.problem] % {**values, "example": example}


@dataclass(frozen=True)
class Option:
    code: str
    text: dict[str, str]


@dataclass(frozen=True)
class Question:
    id: str
    section: str
    type: str
    text: dict[str, str]
    options: tuple[Option, ...] = ()
    max_length: int = 2000
    max_pins: int = 5

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(o.code for o in self.options)


@dataclass(frozen=True)
class Indicator:
    id: str
    question: str
    numerator: frozenset[str]
    label: dict[str, str]


@dataclass(frozen=True)
class Bank:
    id: str
    title: dict[str, str]
    sections: tuple[tuple[str, dict[str, str]], ...]
    questions: tuple[Question, ...]
    indicators: tuple[Indicator, ...]
    languages: tuple[str, ...] = LANGS
    unchecked: frozenset[str] = frozenset()  # languages not yet checked by a native speaker
    by_id: dict[str, Question] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_id", {q.id: q for q in self.questions})

    def text_language(self, lang: str) -> str:
        """The language the bank's texts are shown in for an interface language: itself when the bank has it,
        otherwise Swedish (a language added to the interface before the bank's texts are translated)."""
        return lang if lang in self.languages else "sv"

    def question(self, qid: str) -> Question:
        try:
            return self.by_id[qid]
        except KeyError:
            raise AnswerError(qid, gettext("%(column)r är ingen fråga i frågebanken %(bank)s")
                              % {"column": qid, "bank": self.id}) from None

    def area_codes(self, org_area_codes: Iterable[str]) -> tuple[str, ...]:
        """The codes `area` accepts for an organisation: its areas plus those of the bank (`annat`)."""
        return (*org_area_codes, *self.by_id["area"].codes)

    def clean_answer(self, qid: str, value: str, area_codes: Iterable[str]) -> Any:
        """Turn one cell (the CSV form) into the stored value; '' means missing and returns None.

        Raises AnswerError naming the question and listing what is allowed.
        """
        question = self.question(qid)
        value = value.strip()
        if value == "":
            return None
        if question.type in ("single", "area"):
            allowed = tuple(area_codes) if question.type == "area" else question.codes
            if value not in allowed:
                raise AnswerError(qid, gettext("%(value)r är ingen svarskod för %(question)s (tillåtna: %(allowed)s)")
                                  % {"value": value, "question": qid, "allowed": ", ".join(allowed)})
            return value
        if question.type == "multi":
            codes = [c.strip() for c in value.split(";") if c.strip()]
            unknown = [c for c in codes if c not in question.codes]
            if unknown:
                raise AnswerError(qid, gettext("%(value)r är ingen svarskod för %(question)s (tillåtna: %(allowed)s, "
                                               "åtskilda med ';')")
                                  % {"value": unknown[0], "question": qid, "allowed": ", ".join(question.codes)})
            return sorted(set(codes), key=question.codes.index)
        if question.type == "text":
            # Control characters carry no meaning in an answer, and PostgreSQL cannot store NUL in JSON text.
            value = CONTROL_CHARACTERS.sub("", value).strip()
            if not value:
                return None
            if len(value) > question.max_length:
                raise AnswerError(qid, gettext("texten i %(question)s har %(n)s tecken; högst %(max)s är tillåtna")
                                  % {"question": qid, "n": formatting.integer(len(value)),
                                     "max": formatting.integer(question.max_length)})
            return value
        try:
            return [list(p) for p in parse_pins(value, max_pins=question.max_pins)]
        except PinError as exc:
            raise AnswerError(qid, f"{qid}: {_pin_problem(exc)}") from None

    def to_cell(self, qid: str, value: Any) -> str:
        """The CSV form of a stored value (the inverse of clean_answer)."""
        if value is None:
            return ""
        question = self.question(qid)
        if question.type == "multi":
            return ";".join(value)
        if question.type == "pins":
            return format_pins([(float(lat), float(lon)) for lat, lon in value])
        return str(value)

    def clean_row(self, row: Mapping[str, str], area_codes: Iterable[str]) -> dict[str, Any]:
        """Clean a whole answer set; unknown columns are errors. Missing answers are left out."""
        codes = tuple(area_codes)
        cleaned: dict[str, Any] = {}
        for qid, cell in row.items():
            value = self.clean_answer(qid, cell or "", codes)
            if value is not None:
                cleaned[qid] = value
        return cleaned


def _texts_in(raw: Mapping[str, Any], where: str, langs: tuple[str, ...] = LANGS) -> dict[str, str]:
    missing = [lang for lang in langs if not isinstance(raw.get(lang), str) or not raw[lang]]
    if missing:
        raise BankError(f"{where} has no {'/'.join(missing)} text.")
    return {lang: str(raw[lang]) for lang in langs}


def _languages(raw: Mapping[str, Any]) -> tuple[tuple[str, ...], frozenset[str]]:
    """(every language of the bank, those not yet checked) from the optional "languages" entry.

    "languages": {"ar": {"checked": false}} declares Arabic texts throughout; a declared language must then be on
    every text. Swedish and English are always there and always checked.
    """
    declared = raw.get("languages", {})
    if not isinstance(declared, Mapping):
        raise BankError('"languages" must map language codes to {"checked": true/false}.')
    extra: list[str] = []
    unchecked: set[str] = set()
    for code, entry in declared.items():
        if code in LANGS or not LANGUAGE_CODE.match(str(code)):
            raise BankError(f"{code!r} is not an extra language code (two or three lowercase letters, not sv/en).")
        if not isinstance(entry, Mapping) or not isinstance(entry.get("checked"), bool):
            raise BankError(f'language {code} needs "checked": true or false (checked by a native speaker).')
        extra.append(str(code))
        if not entry["checked"]:
            unchecked.add(str(code))
    return (*LANGS, *extra), frozenset(unchecked)


def parse_bank(raw: Mapping[str, Any]) -> Bank:
    """Build and validate a bank from its JSON form."""
    langs, unchecked = _languages(raw)

    def _texts(entry: Mapping[str, Any], where: str) -> dict[str, str]:
        return _texts_in(entry, where, langs)

    sections = tuple((str(s["id"]), _texts(s, f"section {s.get('id')}")) for s in raw["sections"])
    section_ids = {s for s, _ in sections}
    questions = []
    for q in raw["questions"]:
        qid = str(q["id"])
        if q["type"] not in QUESTION_TYPES:
            raise BankError(f"question {qid} has unknown type {q['type']!r}.")
        if q["section"] not in section_ids:
            raise BankError(f"question {qid} is in unknown section {q['section']!r}.")
        options = tuple(Option(str(o["code"]), _texts(o, f"option {o.get('code')} of {qid}"))
                        for o in q.get("options", []))
        if any(o.code != o.code.lower() or not o.code.isascii() for o in options):
            raise BankError(f"question {qid} has an answer code that is not lowercase ASCII.")
        questions.append(Question(qid, q["section"], q["type"], _texts(q["text"], f"question {qid}"), options,
                                  int(q.get("max_length", 2000)), int(q.get("max_pins", 5))))
    by_id = {q.id: q for q in questions}
    if len(by_id) != len(questions):
        raise BankError("two questions share an id.")
    indicators = []
    for ind in raw["indicators"]:
        question = by_id.get(ind["question"])
        if question is None:
            raise BankError(f"indicator {ind['id']} refers to unknown question {ind['question']!r}.")
        unknown = set(ind["numerator"]) - set(question.codes)
        if unknown:
            raise BankError(f"indicator {ind['id']} counts unknown codes {sorted(unknown)} of {question.id}.")
        indicators.append(Indicator(str(ind["id"]), question.id, frozenset(ind["numerator"]),
                                    _texts(ind["label"], f"indicator {ind['id']}")))
    return Bank(str(raw["id"]), _texts(raw["title"], "the bank"), sections, tuple(questions), tuple(indicators),
                langs, unchecked)


@cache
def load_bank(bank_id: str) -> Bank:
    """The bank with this id from surveys/banks/, validated. Unknown ids raise BankError."""
    path = BANK_DIR / f"{bank_id}.json"
    if "/" in bank_id or not path.is_file():
        known = sorted(p.stem for p in BANK_DIR.glob("*.json"))
        raise BankError(gettext("det finns ingen frågebank %(bank)r (tillgängliga: %(known)s)")
                        % {"bank": bank_id, "known": ", ".join(known)})
    bank = parse_bank(json.loads(path.read_text(encoding="utf-8")))
    if bank.id != bank_id:
        raise BankError(f"{path.name} declares id {bank.id!r}.")
    return bank
