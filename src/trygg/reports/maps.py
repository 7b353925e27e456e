"""A server-rendered SVG map: the organisation's areas and the hotspots of residents' pins.

No tiles, no JavaScript: it prints, works offline and in a screen reader (with a table beside it). Drawn in
SWEREF 99 TM so distances look right. Only clusters are drawn, never single pins.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from trygg.geo import Hotspot, to_sweref

WIDTH = 640


def _polygons(geometry: dict[str, Any]) -> list[list[list[list[float]]]]:
    """The polygons (each a list of rings: outer first, then holes) of a Polygon or MultiPolygon."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["coordinates"])
    return []


def area_map_svg(areas: Sequence[tuple[str, dict[str, Any]]], hotspots: Sequence[Hotspot], title: str,
                 description: str, focus: tuple[float, float, float, float] | None = None,
                 area_classes: Mapping[str, str] | None = None) -> SafeString:
    """SVG of named area polygons with hotspot circles (radius in metres, to scale), fitted to `focus`.

    `focus` is (min_lat, min_lon, max_lat, max_lon); default: every area. `area_classes` maps an area's name to a
    CSS class (defined in style.css: the Content-Security-Policy allows no style attributes) that colours it, as
    for a choropleth; areas not in it stay plain. Returns '' when there is nothing to draw.
    """
    projected: list[tuple[str, list[list[tuple[float, float]]]]] = []
    for name, geometry in areas:
        for polygon in _polygons(geometry):
            rings = []
            for lon_lat in polygon:
                east, north = to_sweref([p[1] for p in lon_lat], [p[0] for p in lon_lat])
                rings.append(list(zip(east.tolist(), north.tolist(), strict=True)))
            projected.append((name, rings))
    if not projected:
        return mark_safe("")  # noqa: S308 - an empty string
    if focus:
        e, n = to_sweref([focus[0], focus[2]], [focus[1], focus[3]])
        x0, x1, y0, y1 = float(min(e)), float(max(e)), float(min(n)), float(max(n))
    else:
        xs = [x for _, rings in projected for x, _ in rings[0]]
        ys = [y for _, rings in projected for _, y in rings[0]]
        x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    scale = WIDTH / max(x1 - x0, 1.0)
    height = max(1.0, (y1 - y0) * scale)

    def pt(x: float, y: float) -> str:
        return f"{(x - x0) * scale:.1f},{(y1 - y) * scale:.1f}"

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}" role="img" '
             f'aria-labelledby="map-title map-desc" class="map"><title id="map-title">{escape(title)}</title>'
             f'<desc id="map-desc">{escape(description)}</desc>']
    labels = []
    for name, rings in projected:
        # Holes are drawn as holes (even-odd), so an area around the city does not paint over the city.
        d = " ".join("M" + " L".join(pt(x, y) for x, y in ring) + " Z" for ring in rings)
        extra = f" {escape(area_classes[name])}" if area_classes and name in area_classes else ""
        parts.append(f'<path d="{d}" fill-rule="evenodd" class="area{extra}"><title>{escape(name)}</title></path>')
        outer = rings[0]
        cx = sum(x for x, _ in outer) / len(outer)
        cy = sum(y for _, y in outer) / len(outer)
        if x0 < cx < x1 and y0 < cy < y1 and len(rings) == 1:
            labels.append(f'<text x="{(cx - x0) * scale:.1f}" y="{(y1 - cy) * scale:.1f}" class="label">'
                          f"{escape(name)}</text>")
    if hotspots:
        east, north = to_sweref([h.lat for h in hotspots], [h.lon for h in hotspots])
        for h, x, y in zip(hotspots, east.tolist(), north.tolist(), strict=True):
            r = max(9.0, h.radius_m * scale)
            cx, cy = (x - x0) * scale, (y1 - y) * scale
            parts.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{r:.1f}" class="hotspot"><title>{h.count}</title>'
                         f'</circle><text x="{cx:.1f}" y="{cy + 4:.1f}" class="count">{h.count}</text>')
    parts.extend(labels)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - numbers we computed and names escaped above
