"""A small server-rendered SVG map of the places a promise names: no tiles, no script, a list beside it.

Drawn in SWEREF 99 TM (metres, so shapes look right), fitted to the promise's places with a margin. Areas and
place polygons are outlined, points are dots; each carries its name as a label and a <title>.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from trygg.geo import to_sweref
from trygg.promises.places import PromisePlace

WIDTH = 640
MARGIN_M = 250.0


def _rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return list(geometry["coordinates"])
    if geometry["type"] == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    return []


def _project(points: Sequence[Sequence[float]]) -> list[tuple[float, float]]:
    east, north = to_sweref([p[1] for p in points], [p[0] for p in points])
    return list(zip(east.tolist(), north.tolist(), strict=True))


def _marker(number: int, x: float, y: float, name: str) -> str:
    return (f'<g class="marker"><title>{number}. {escape(name)}</title><circle cx="{x:.1f}" cy="{y:.1f}" r="11"/>'
            f'<text x="{x:.1f}" y="{y + 4.5:.1f}">{number}</text></g>')


def places_map_svg(places: Sequence[PromisePlace], title: str) -> SafeString:
    """SVG of the places with geometry, each marked with its number in `places` (1, 2, …), so a numbered list
    beside the map names them without labels crowding the drawing; '' when no place has a geometry."""
    shapes: list[tuple[int, PromisePlace, list[list[tuple[float, float]]], tuple[float, float] | None]] = []
    for number, place in enumerate(places, start=1):
        if not place.geometry:
            continue
        if place.geometry["type"] == "Point":
            [spot] = _project([place.geometry["coordinates"]])
            shapes.append((number, place, [], spot))
        else:
            rings = [_project(ring) for ring in _rings(place.geometry)]
            if rings:
                shapes.append((number, place, rings, None))
    if not shapes:
        return mark_safe("")  # noqa: S308 - an empty string
    xs = [x for _, _, rings, pt in shapes for x, _ in ([pt] if pt else rings[0])]
    ys = [y for _, _, rings, pt in shapes for _, y in ([pt] if pt else rings[0])]
    x0, x1 = min(xs) - MARGIN_M, max(xs) + MARGIN_M
    y0, y1 = min(ys) - MARGIN_M, max(ys) + MARGIN_M
    scale = WIDTH / max(x1 - x0, 1.0)
    height = max(120.0, (y1 - y0) * scale)

    def xy(x: float, y: float) -> tuple[float, float]:
        return (x - x0) * scale, (y1 - y) * scale

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}" role="img" '
             f'aria-label="{escape(title)}" class="map promise-map">']
    markers = []
    # Larger shapes first, so smaller ones and points stay on top.
    for number, place, rings, point in sorted(shapes, key=lambda s: -len(s[2][0]) if s[2] else 0):
        if point is not None:
            markers.append(_marker(number, *xy(*point), place.name))
            continue
        d = " ".join("M" + " L".join("{:.1f},{:.1f}".format(*xy(x, y)) for x, y in ring) + " Z" for ring in rings)
        parts.append(f'<path d="{d}" fill-rule="evenodd" class="area promise-area"><title>{escape(place.name)}'
                     "</title></path>")
        # The marker of an area sits inside its north-west corner, clear of the points in the middle.
        left, top = min(x for x, _ in rings[0]), max(y for _, y in rings[0])
        mx, my = xy(left, top)
        markers.append(_marker(number, mx + 16, my + 16, place.name))
    parts.extend(markers)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - numbers we computed and names escaped above
