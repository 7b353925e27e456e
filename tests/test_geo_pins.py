"""The CSV form of the unsafe_places_pins answer: parse_pins and format_pins."""

import math

import pytest

from trygg.geo import format_pins, parse_pins

STORA_TORG = (56.67445, 12.8576)


def test_parses_pins_with_any_whitespace() -> None:
    assert parse_pins(" 56.67445 12.8576 ;\t56.6693   12.8645 ") == [STORA_TORG, (56.6693, 12.8645)]


def test_blank_answer_and_empty_pins_mean_no_pins() -> None:
    assert parse_pins("") == []
    assert parse_pins("  ") == []
    assert parse_pins("56.67445 12.8576;;") == [STORA_TORG]


def test_accepts_signs_integers_and_bare_decimal_points() -> None:
    assert parse_pins("+57 13.") == [(57.0, 13.0)]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("56,67445 12,8576", "Pin 1 ('56,67445 12,8576') contains a comma"),
        ("56.67445,12.8576", "decimal point and a space between them"),
        ("56.67445", "should be a latitude and a longitude separated by a space"),
        ("56.6 12.8 3", "should be a latitude and a longitude"),
        ("56.67445 12.8576;norr om torget x", "Pin 2 ('norr om torget x') should be"),
        ("56.67445 abc", "is not two numbers in decimal degrees"),
        ("nan 12.8576", "is not two numbers"),
        ("5.6e1 12.8576", "is not two numbers"),
        ("56.67445 −12.8576", "is not two numbers"),
    ],
)
def test_garbage_is_refused_with_a_sentence_naming_the_pin(value: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_pins(value)
    assert message in str(caught.value)
    assert str(caught.value).endswith(".")


def test_long_garbage_is_shortened_in_the_message() -> None:
    with pytest.raises(ValueError) as caught:
        parse_pins("x" * 500)
    assert len(str(caught.value)) < 200


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("95 12", "Pin 1 has latitude 95, but latitude must lie between -90 and 90 degrees."),
        ("56.6 190", "Pin 1 has longitude 190, but longitude must lie between -180 and 180 degrees."),
        ("56.6 12.8;-91 12", "Pin 2 has latitude -91"),
    ],
)
def test_out_of_range_coordinates_are_refused(value: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_pins(value)
    assert message in str(caught.value)


@pytest.mark.parametrize(
    "value",
    [
        "59.3293 18.0686;52.52 13.405",  # Stockholm is fine, Berlin is not
        "48.8566 2.3522",  # Paris
        "54.9 12.0",  # just south of the box
        "69.6 20.0",  # just north of the box
    ],
)
def test_pins_outside_sweden_are_refused(value: str) -> None:
    with pytest.raises(ValueError, match="lies outside Sweden; a pin must lie within latitude 55–69.5"):
        parse_pins(value)


def test_swapped_latitude_and_longitude_are_pointed_out() -> None:
    with pytest.raises(ValueError, match="would lie inside it with latitude and longitude swapped"):
        parse_pins("12.8576 56.67445")


def test_box_edges_count_as_inside_sweden() -> None:
    assert parse_pins("55 10.5;69.5 24.5") == [(55.0, 10.5), (69.5, 24.5)]


def test_more_than_max_pins_are_refused() -> None:
    six = ";".join(["56.67 12.86"] * 6)
    assert len(parse_pins(";".join(["56.67 12.86"] * 5))) == 5
    with pytest.raises(ValueError, match="^The answer has 6 pins, but at most 5 are allowed.$"):
        parse_pins(six)
    with pytest.raises(ValueError, match="at most 2 are allowed"):
        parse_pins("56.67 12.86;56.68 12.87;56.69 12.88", max_pins=2)


def test_max_pins_must_not_be_negative() -> None:
    with pytest.raises(ValueError, match="max_pins"):
        parse_pins("", max_pins=-1)


def test_non_text_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="text"):
        parse_pins(56.67)  # type: ignore[arg-type]


def test_format_is_the_inverse_of_parse() -> None:
    points = [STORA_TORG, (57.0, 13.0), (56.1 + 1e-13, 12.9 + 1 / 3)]
    text = format_pins(points)
    assert text == f"56.67445 12.8576;57 13;{56.1 + 1e-13!r} {12.9 + 1 / 3!r}"
    assert parse_pins(text) == points
    assert format_pins([]) == ""


def test_format_refuses_what_parse_would_refuse() -> None:
    with pytest.raises(ValueError, match="outside Sweden"):
        format_pins([(48.8566, 2.3522)])
    with pytest.raises(ValueError, match="not a finite number"):
        format_pins([(math.nan, 12.0)])
