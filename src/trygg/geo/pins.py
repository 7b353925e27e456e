"""The CSV form of the ``unsafe_places_pins`` answer: ``"lat lon;lat lon"`` in WGS84 decimal degrees."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

import numpy as np

from trygg.geo.coordinates import SWEDEN_LAT, SWEDEN_LON

# Plain decimal notation only: exponents, "nan" and "inf" (which float() accepts) are never meant as coordinates.
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_EXAMPLE = "for example '56.6745 12.8578'"
_QUOTE_LIMIT = 40


class PinError(ValueError):
    """A pin answer that cannot be used. ``str()`` is the English sentence; ``problem`` says which check failed and
    ``values`` its details (the pin's number, its text as typed), so an application can word it in its language."""

    def __init__(self, problem: str, values: dict[str, object], text: str) -> None:
        super().__init__(text)
        self.problem = problem
        self.values = values


def parse_pins(value: str, *, max_pins: int = 5) -> list[tuple[float, float]]:
    """Parse ``"lat lon;lat lon"`` into a list of ``(lat, lon)`` pairs in decimal degrees.

    Whitespace around numbers and pins is ignored, as are empty pins (``"56.67 12.86;"``); an empty or blank
    string means no pins and gives ``[]``. Numbers use a decimal point; a decimal comma is refused with a message
    saying so, because ``"56,67"`` cannot be told apart from a comma between latitude and longitude.

    Raises ``PinError`` (a ``ValueError``) with a sentence naming the pin when a number is malformed, when latitude
    is outside -90..90 or longitude outside -180..180, when a pin lies outside Sweden (latitude 55–69.5, longitude
    10.5–24.5; swapped axes are pointed out), or when there are more than ``max_pins`` pins.
    """
    if not isinstance(value, str):
        raise TypeError(f"Pins must be given as text, not {type(value).__name__}.")
    if max_pins < 0:
        raise ValueError(f"max_pins must be zero or more, not {max_pins}.")
    parts = [part.strip() for part in value.split(";")]
    parts = [part for part in parts if part]
    if len(parts) > max_pins:
        raise PinError("too_many", {"n": len(parts), "max": max_pins},
                       f"The answer has {len(parts)} pins, but at most {max_pins} are allowed.")
    return [_parse_pin(number, part) for number, part in enumerate(parts, start=1)]


def format_pins(points: Iterable[tuple[float, float]]) -> str:
    """Write ``(lat, lon)`` pairs as ``"lat lon;lat lon"``, the inverse of :func:`parse_pins`.

    Each number is written in the shortest plain decimal form that reads back to the same float, so
    ``parse_pins(format_pins(p)) == p``. No points give ``""``. Raises ``ValueError`` for a point that
    :func:`parse_pins` would refuse (not finite, out of range, outside Sweden).
    """
    texts = []
    for number, point in enumerate(points, start=1):
        lat, lon = (float(v) for v in point)
        if not (math.isfinite(lat) and math.isfinite(lon)):
            raise ValueError(f"Pin {number} has a coordinate that is not a finite number.")
        _check_pin(number, lat, lon)
        texts.append(f"{_plain(lat)} {_plain(lon)}")
    return ";".join(texts)


def _parse_pin(number: int, text: str) -> tuple[float, float]:
    tokens = text.split()
    if len(tokens) == 2 and all(_NUMBER.fullmatch(token) for token in tokens):
        lat, lon = float(tokens[0]), float(tokens[1])
        _check_pin(number, lat, lon)
        return lat, lon
    quoted = text if len(text) <= _QUOTE_LIMIT else text[:_QUOTE_LIMIT] + "…"
    if "," in text:
        raise PinError("comma", {"pin": number, "text": quoted},
                       f"Pin {number} ('{quoted}') contains a comma; write latitude and longitude in decimal degrees "
                       f"with a decimal point and a space between them, {_EXAMPLE}.")
    if len(tokens) != 2:
        raise PinError("not_two", {"pin": number, "text": quoted}, f"Pin {number} ('{quoted}') should be a latitude "
                       f"and a longitude separated by a space, {_EXAMPLE}.")
    raise PinError("not_numbers", {"pin": number, "text": quoted},
                   f"Pin {number} ('{quoted}') is not two numbers in decimal degrees, {_EXAMPLE}.")


def _check_pin(number: int, lat: float, lon: float) -> None:
    values: dict[str, object] = {"pin": number, "lat": f"{lat:g}", "lon": f"{lon:g}"}
    if not -90.0 <= lat <= 90.0:
        raise PinError("latitude", values,
                       f"Pin {number} has latitude {lat:g}, but latitude must lie between -90 and 90 degrees.")
    if not -180.0 <= lon <= 180.0:
        raise PinError("longitude", values,
                       f"Pin {number} has longitude {lon:g}, but longitude must lie between -180 and 180 degrees.")
    if _in_sweden(lat, lon):
        return
    if _in_sweden(lon, lat):
        raise PinError("swapped", values, f"Pin {number} ({lat:g} {lon:g}) lies outside Sweden, but would lie inside "
                       f"it with latitude and longitude swapped; write the latitude first, {_EXAMPLE}.")
    box = {"min_lat": f"{SWEDEN_LAT[0]:g}", "max_lat": f"{SWEDEN_LAT[1]:g}", "min_lon": f"{SWEDEN_LON[0]:g}",
           "max_lon": f"{SWEDEN_LON[1]:g}"}
    raise PinError("outside_sweden", {**values, **box}, f"Pin {number} ({lat:g} {lon:g}) lies outside Sweden; a pin "
                   f"must lie within latitude {box['min_lat']}–{box['max_lat']} and longitude "
                   f"{box['min_lon']}–{box['max_lon']}.")


def _in_sweden(lat: float, lon: float) -> bool:
    return SWEDEN_LAT[0] <= lat <= SWEDEN_LAT[1] and SWEDEN_LON[0] <= lon <= SWEDEN_LON[1]


def _plain(value: float) -> str:
    return np.format_float_positional(value, unique=True, trim="-")
