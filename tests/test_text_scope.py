"""Negation scope, safe places, "everywhere except" and contrast: which mentions are votes."""

from __future__ import annotations

import pytest

from test_text_gazetteers import halmstad_gazetteer
from trygg.text import code_mentions

GAZ = halmstad_gazetteer()


def slugs(text: str) -> set[str]:
    return set(code_mentions(text, GAZ).slugs)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("inte i centrum", set()),
        ("utom centrum", set()),
        ("Absolut inte centrum", set()),
        ("Det är inte centrum, det är Andersberg", {"andersberg"}),
        ("Inte i centrum men på Vallås", {"vallas"}),
        ("inte i centrum eller på Vallås", set()),
        ("Centrum, inte Andersberg", {"stadskarnan"}),
        ("Centrum men inte Andersberg", {"stadskarnan"}),
        ("not the city centre, but Andersberg", {"andersberg"}),
    ],
)
def test_negated_places_are_not_votes(text: str, expected: set[str]) -> None:
    assert slugs(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Vågar inte gå i centrum", {"stadskarnan"}),  # the negation is on the verb
        ("Jag går inte till Andersberg", {"andersberg"}),
        ("Helst inte i parken ensam", {"parker_gronomraden"}),
        ("Vet inte, centrum kanske", {"stadskarnan"}),
        ("vet inte centrum kanske", {"stadskarnan"}),
        ("Inte bara centrum utan hela stan", {"stadskarnan", "overallt"}),
        ("Känner mig inte trygg i centrum", {"stadskarnan"}),
        ("I don't feel safe in the city centre", {"stadskarnan"}),
        ("Centrum känns inte tryggt", {"stadskarnan"}),
    ],
)
def test_negations_that_do_not_negate_the_place(text: str, expected: set[str]) -> None:
    assert slugs(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("trygg överallt", set()),
        ("Känner mig trygg i hela stan", set()),
        ("I feel safe everywhere", set()),
        ("Jag känner mig trygg i centrum", set()),
        ("I centrum känner jag mig trygg", set()),
        ("Jag är inte rädd i stan", set()),
        ("Jag är inte otrygg på Andersberg", set()),
        ("No problems in the city centre", set()),
        ("Otrygg i centrum och trygg i Söndrum", {"stadskarnan"}),
    ],
)
def test_safe_places_are_not_votes(text: str, expected: set[str]) -> None:
    assert slugs(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Överallt utom centrum", {"overallt"}),
        ("Otryggt överallt, utom i Söndrum", {"overallt"}),
        ("Trygg överallt utom Andersberg", {"andersberg"}),
        ("Känner mig trygg överallt, förutom Andersberg", {"andersberg"}),
        ("I feel safe everywhere except the city centre", {"stadskarnan"}),
        ("Inga förutom centrum", {"stadskarnan"}),
        ("Inga problem förutom centrum", {"stadskarnan"}),
    ],
)
def test_except(text: str, expected: set[str]) -> None:
    assert slugs(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Trygg i centrum men inte på Andersberg", {"andersberg"}),
        ("Jag känner mig säker i stan men otrygg på Vallås", {"vallas"}),
        ("Trygg i stan på dagen men inte på kvällen", {"stadskarnan", "morka_platser"}),
        ("Tryggt i centrum dagtid, men otryggt när det är mörkt", {"stadskarnan", "morka_platser"}),
        ("Centrum men det är inte så farligt", {"stadskarnan"}),
    ],
)
def test_contrast(text: str, expected: set[str]) -> None:
    assert slugs(text) == expected


@pytest.mark.parametrize(
    "text", ["nej", "Nej", "inga", "Inga", "vet ej", "Vet inte", "-", "Ingen aning", "Nej, inga särskilda", "nope"]
)
def test_no_place_answers(text: str) -> None:
    assert slugs(text) == set()
