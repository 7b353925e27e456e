"""The one formatting module: numbers, ranges, p-values, plurals and collation in Swedish and English."""

from __future__ import annotations

import pytest
from django.utils import translation

from trygg import formatting as fmt

NB = "\u00a0"
MINUS = "\u2212"


@pytest.fixture
def sv() -> object:
    with translation.override("sv"):
        yield


@pytest.fixture
def en() -> object:
    with translation.override("en"):
        yield


def test_swedish_numbers(sv: object) -> None:
    assert fmt.integer(1695) == f"1{NB}695"
    assert fmt.integer(1234567) == f"1{NB}234{NB}567"
    assert fmt.integer(-4) == f"{MINUS}4"
    assert fmt.decimal(0.05, 2) == "0,05"
    assert fmt.decimal(2.0 / 3, 1) == "0,7"
    assert fmt.decimal(-0.04, 1) == "0,0"  # rounds to zero: no sign on zero
    assert fmt.percent(0.7012) == f"70{NB}%"
    assert fmt.percent(0.7012, 1) == f"70,1{NB}%"
    assert fmt.percent(None) == "–"
    assert fmt.percent_range(0.62, 0.7) == f"62–70{NB}%"


def test_english_numbers(en: object) -> None:
    assert fmt.integer(1695) == "1,695"
    assert fmt.decimal(0.05, 2) == "0.05"
    assert fmt.percent(0.7012) == "70%"
    assert fmt.percent_range(0.62, 0.7) == "62–70%"


def test_signs_and_ranges_of_differences(sv: object) -> None:
    assert fmt.signed(5) == "+5"
    assert fmt.signed(-4.4) == f"{MINUS}4"
    assert fmt.signed(0.2) == "0"
    assert fmt.points_range(-0.04, 0.05) == f"{MINUS}4 till +5 procentenheter"
    assert fmt.points_range(0.0, 0.01) == "0 till +1 procentenhet"
    assert "-" not in fmt.points_range(-0.3, -0.1)  # a hyphen is never a minus sign


def test_plurals(sv: object) -> None:
    assert fmt.points(0.01) == "1 procentenhet"
    assert fmt.points(-0.05) == "5 procentenheter"
    assert fmt.points(0.0) == "0 procentenheter"
    assert fmt.count(1, "person", "personer") == "1 person"
    assert fmt.count(1695, "person", "personer") == f"1{NB}695 personer"
    with translation.override("en"):
        assert fmt.points(0.01) == "1 percentage point"
        assert fmt.points(0.05) == "5 percentage points"
        assert fmt.points_range(-0.04, 0.05) == f"{MINUS}4 to +5 percentage points"


def test_p_values_never_read_zero(sv: object) -> None:
    assert fmt.p_value(0.0) == "p < 0,001"
    assert fmt.p_value(0.00049) == "p < 0,001"
    assert fmt.p_value(0.001) == "p = 0,001"
    assert fmt.p_value(0.0345) == "p = 0,035" or fmt.p_value(0.0345) == "p = 0,034"
    with translation.override("en"):
        assert fmt.p_value(1e-9) == "p < 0.001"
        assert fmt.p_value(0.5) == "p = 0.500"


def test_swedish_collation_puts_a_ring_a_umlaut_o_umlaut_last() -> None:
    names = ["Östra stranden", "Rotorp", "Älvsjö", "Åby", "andersberg", "Zinkgruvan", "Érica", "Övriga kommunen",
             "Söndrum", "Centrum öst", "Centrum väst"]
    assert fmt.sorted_swedish(names) == ["andersberg", "Centrum väst", "Centrum öst", "Érica", "Rotorp", "Söndrum",
                                         "Zinkgruvan", "Åby", "Älvsjö", "Östra stranden", "Övriga kommunen"]
    pairs = [("b", "Öster"), ("a", "Ryd")]
    assert fmt.sorted_swedish(pairs, key=lambda p: p[1]) == [("a", "Ryd"), ("b", "Öster")]


def test_labels_instead_of_codes_and_joined_names(sv: object) -> None:
    assert fmt.label("dag", {"dag": "Dagtid"}) == "Dagtid"
    assert fmt.label("okänd", {"dag": "Dagtid"}) == "okänd"
    assert fmt.join_names(["A"]) == "A"
    assert fmt.join_names(["A", "B", "C"]) == "A, B och C"
    with translation.override("en"):
        assert fmt.join_names(["A", "B", "C"]) == "A, B and C"


def test_a_percent_on_a_hundred_is_written_as_a_share_is() -> None:
    from django.template import Context, Template
    from django.utils import translation

    from trygg.formatting import percent_of_hundred

    with translation.override("sv"):
        assert percent_of_hundred(40) == "40\u00a0%" and percent_of_hundred(183.4) == "183\u00a0%"
        assert percent_of_hundred(None) == "–"
        assert Template("{{ p|percent100 }}").render(Context({"p": 0})) == "0\u00a0%"
    with translation.override("en"):
        assert percent_of_hundred(40) == "40%"
