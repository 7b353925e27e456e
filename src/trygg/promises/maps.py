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


def places_map_svg(places: Sequence[PromisePlace], title: str) -> SafeString:
    """SVG of the places with geometry, or '' when none has one."""
    shapes: list[tuple[PromisePlace, list[list[tuple[float, float]]], tuple[float, float] | None]] = []
    for place in places:
        if not place.geometry:
            continue
        if place.geometry["type"] == "Point":
            [spot] = _project([place.geometry["coordinates"]])
            shapes.append((place, [], spot))
        else:
            rings = [_project(ring) for ring in _rings(place.geometry)]
            if rings:
                shapes.append((place, rings, None))
    if not shapes:
        return mark_safe("")  # noqa: S308 - an empty string
    xs = [x for _, rings, pt in shapes for x, _ in ([pt] if pt else rings[0])]
    ys = [y for _, rings, pt in shapes for _, y in ([pt] if pt else rings[0])]
    x0, x1 = min(xs) - MARGIN_M, max(xs) + MARGIN_M
    y0, y1 = min(ys) - MARGIN_M, max(ys) + MARGIN_M
    scale = WIDTH / max(x1 - x0, 1.0)
    height = max(120.0, (y1 - y0) * scale)

    def xy(x: float, y: float) -> tuple[float, float]:
        return (x - x0) * scale, (y1 - y) * scale

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}" role="img" '
             f'aria-label="{escape(title)}" class="map promise-map">']
    labels = []
    for place, rings, point in shapes:
        if point is not None:
            px, py = xy(*point)
            parts.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="6" class="place"><title>{escape(place.name)}'
                         "</title></circle>")
            labels.append(f'<text x="{px + 9:.1f}" y="{py + 4:.1f}" class="label place-label">'
                          f"{escape(place.name)}</text>")
            continue
        d = " ".join("M" + " L".join("{:.1f},{:.1f}".format(*xy(x, y)) for x, y in ring) + " Z" for ring in rings)
        parts.append(f'<path d="{d}" fill-rule="evenodd" class="area promise-area"><title>{escape(place.name)}'
                     "</title></path>")
        outer = rings[0]
        cx, cy = xy(sum(x for x, _ in outer) / len(outer), sum(y for _, y in outer) / len(outer))
        labels.append(f'<text x="{cx:.1f}" y="{cy:.1f}" class="label">{escape(place.name)}</text>')
    parts.extend(labels)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - numbers we computed and names escaped above
