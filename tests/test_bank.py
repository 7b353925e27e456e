"""The standard question bank equals the contract in shared/spec/standard-survey.md, and bad banks are refused."""

from __future__ import annotations

import copy
import json

import pytest
from django.utils import translation

from trygg.surveys.bank import BANK_DIR, AnswerError, BankError, load_bank, parse_bank

SPEC_CODES = {
    "gender": ["kvinna", "man", "annat", "vill_ej_ange"],
    "age_group": ["16-24", "25-44", "45-64", "65-79", "80+"],
    "safe_area": ["mycket_trygg", "ganska_trygg", "ganska_otrygg", "mycket_otrygg", "vet_ej"],
    "safe_out_late": ["mycket_trygg", "ganska_trygg", "ganska_otrygg", "mycket_otrygg", "avstar_av_otrygghet",
                      "gar_inte_ut_av_annat_skal", "vet_ej"],
    "unsafe_places": ["ja", "nej", "vet_ej"],
    "unsafe_time": ["dag", "17-20", "20-23", "23-02", "02-05"],
    "police_cares": ["instammer_helt", "instammer_delvis", "instammer_inte", "vet_ej"],
}
WORRY = ["sexualbrott", "misshandel", "ran", "inbrott", "fordonsbrott", "bedrageri", "hot_trakasserier"]
PROBLEMS = ["nedskrapning", "morka_platser", "skadegorelse", "klotter", "fortkorning", "buskorning",
            "storande_ungdomar", "berusade", "narkotika", "otrygg_kollektivtrafik"]


def test_standard_bank_has_exactly_the_contract_questions_and_codes() -> None:
    bank = load_bank("standard-v1")
    expected = {"area", "gender", "age_group", "safe_area", "safe_out_late", "unsafe_places", "unsafe_places_text",
                "unsafe_places_pins", "unsafe_time", "police_cares"} | {f"worry_{w}" for w in WORRY} | {
                f"problem_{p}" for p in PROBLEMS}
    assert set(bank.by_id) == expected
    for qid, codes in SPEC_CODES.items():
        assert list(bank.by_id[qid].codes) == codes, qid
    for w in WORRY:
        assert list(bank.by_id[f"worry_{w}"].codes) == ["mycket_orolig", "ganska_orolig", "inte_sarskilt_orolig",
                                                        "inte_alls_orolig", "vet_ej"]
    for p in PROBLEMS:
        assert list(bank.by_id[f"problem_{p}"].codes) == ["mycket_stort", "ganska_stort", "ganska_litet", "inget",
                                                          "ingen_uppfattning"]
    assert bank.by_id["area"].codes == ("annat",)
    assert bank.by_id["safe_area"].text["sv"] == "Hur trygg eller otrygg känner du dig i ditt bostadsområde?"
    assert all(q.text["en"] for q in bank.questions)


def test_indicators_match_the_contract() -> None:
    bank = load_bank("standard-v1")
    numerators = {i.id: (i.question, set(i.numerator)) for i in bank.indicators}
    assert numerators["safe_in_area"] == ("safe_area", {"mycket_trygg", "ganska_trygg"})
    assert numerators["unsafe_out_late"] == ("safe_out_late", {"ganska_otrygg", "mycket_otrygg",
                                                               "avstar_av_otrygghet"})
    assert numerators["unsafe_places_exist"] == ("unsafe_places", {"ja"})
    assert numerators["police_cares"] == ("police_cares", {"instammer_helt", "instammer_delvis"})
    for w in WORRY:
        assert numerators[f"worried_{w}"] == (f"worry_{w}", {"mycket_orolig", "ganska_orolig"})
    for p in PROBLEMS:
        assert numerators[f"problem_{p}"] == (f"problem_{p}", {"mycket_stort", "ganska_stort"})
    assert len(numerators) == 3 + len(WORRY) + len(PROBLEMS) + 1


@pytest.fixture
def raw_bank() -> dict:
    return json.loads((BANK_DIR / "standard-v1.json").read_text(encoding="utf-8"))


def test_an_indicator_counting_an_unknown_code_is_refused(raw_bank: dict) -> None:
    broken = copy.deepcopy(raw_bank)
    broken["indicators"][0]["numerator"].append("jattetrygg")
    with pytest.raises(BankError, match="unknown codes"):
        parse_bank(broken)


def test_an_indicator_on_an_unknown_question_is_refused(raw_bank: dict) -> None:
    broken = copy.deepcopy(raw_bank)
    broken["indicators"][0]["question"] = "safe_moon"
    with pytest.raises(BankError, match="unknown question"):
        parse_bank(broken)


def test_a_question_without_english_text_is_refused(raw_bank: dict) -> None:
    broken = copy.deepcopy(raw_bank)
    del broken["questions"][3]["text"]["en"]
    with pytest.raises(BankError, match="no en text"):
        parse_bank(broken)


@pytest.mark.parametrize("cell, swedish, english", [
    ("56,67 12,86", "unsafe_places_pins: kartnål 1 ('56,67 12,86') innehåller ett kommatecken; skriv latitud",
     "unsafe_places_pins: pin 1 ('56,67 12,86') contains a comma; write latitude"),
    ("48.85 2.35", "kartnål 1 (48.85 2.35) ligger utanför Sverige; en kartnål ska ligga inom latitud 55–69,5 och",
     "pin 1 (48.85 2.35) lies outside Sweden; a pin must lie within latitude 55–69.5 and"),
    (";".join(["56.67 12.86"] * 6), "svaret har 6 kartnålar, men högst 5 är tillåtna",
     "the answer has 6 pins, but at most 5 are allowed"),
])
def test_a_refused_pin_is_worded_in_the_active_language(cell: str, swedish: str, english: str) -> None:
    """The geo engine refuses a pin in English; the import says it in the page's or terminal's language."""
    bank = load_bank("standard-v1")
    with pytest.raises(AnswerError, match=swedish.replace("(", r"\(").replace(")", r"\)")):
        bank.clean_answer("unsafe_places_pins", cell, [])
    with translation.override("en"), pytest.raises(AnswerError) as err:
        bank.clean_answer("unsafe_places_pins", cell, [])
    assert english in str(err.value)


def test_unknown_bank_is_named() -> None:
    with pytest.raises(BankError, match="standard-v9"):
        load_bank("standard-v9")


def test_answers_are_cleaned_and_refused_with_the_column_named() -> None:
    bank = load_bank("standard-v1")
    areas = bank.area_codes(["andersberg"])
    assert bank.clean_answer("area", "andersberg", areas) == "andersberg"
    assert bank.clean_answer("area", "annat", areas) == "annat"
    assert bank.clean_answer("unsafe_time", "20-23; dag", areas) == ["dag", "20-23"]
    assert bank.clean_answer("unsafe_places_pins", "56.67 12.86;56.68 12.87", areas) == [[56.67, 12.86],
                                                                                          [56.68, 12.87]]
    assert bank.clean_answer("safe_area", "  ", areas) is None
    with pytest.raises(AnswerError) as err:
        bank.clean_answer("safe_area", "jattetrygg", areas)
    assert err.value.column == "safe_area"
    with pytest.raises(AnswerError):
        bank.clean_answer("unsafe_places_text", "x" * 2001, areas)
    with pytest.raises(AnswerError):
        bank.clean_answer("area", "vallas", areas)
    assert bank.to_cell("unsafe_time", ["dag", "20-23"]) == "dag;20-23"
