"""Personal data out of free text: names, phone numbers, e-mail, personnummer, street addresses."""

from __future__ import annotations

import pytest

from trygg.text import redact


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ring 070-123 45 67", "Ring [telefon]"),
        ("ring +46 70 123 45 67 om du vill", "ring [telefon] om du vill"),
        ("0701234567", "[telefon]"),
        ("+46701234567", "[telefon]"),
        ("Hemtelefon 035-12 34 56.", "Hemtelefon [telefon]."),
        ("08-123 456 78", "[telefon]"),
    ],
)
def test_phone_numbers(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mitt personnummer är 19800101-1234", "Mitt personnummer är [personnummer]"),
        ("800101-1234", "[personnummer]"),
        ("198001011234", "[personnummer]"),
        ("samordningsnummer 800161-1234", "samordningsnummer [personnummer]"),
    ],
)
def test_personnummer(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_email() -> None:
    assert redact("Mejla anna.berg+trygg@example.se tack") == "Mejla [e-post] tack"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Utanför Storgatan 12", "Utanför [adress]"),
        ("Jag bor på Vallåsvägen 3, lgh 1102 och", "Jag bor på [adress] och"),
        ("Karl XI:s väg 5 B är mörk", "[adress] är mörk"),
        ("Storgatan 12B", "[adress]"),
    ],
)
def test_street_addresses_with_numbers(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Stefan Pålsson sa att det är lugnt", "[namn] sa att det är lugnt"),
        ("grannen johan är läskig", "grannen [namn] är läskig"),
        ("Mohammed och Anna Berg-Lind brukar stå där", "[namn] och [namn] brukar stå där"),
        ("Karlsson på hörnet", "[namn] på hörnet"),
    ],
)
def test_names_of_people(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Karl XI:s väg och Klammerdamsgatan",
        "Storgatan på kvällen",
        "Andersberg, Vallås och Sofieberg",
        "Bo på Vallås är otryggt",
        "Per kväll ser man 10 poliser",
        "1 695 svar år 2023-2024",
        "Centrum efter 22:00",
        "",
        "😀",
    ],
)
def test_places_and_ordinary_text_stay(text: str) -> None:
    assert redact(text) == text
