"""Hand-made files in the police events API's exact shape, for the incident tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

LOCATIONS = {"Halmstad": "56.674375,12.857788", "Hallands län": "56.895780,12.820290",
             "Laholm": "56.512073,13.044000", "Falkenberg": "56.905003,12.491109", "Borås": "57.721035,12.939819",
             "Västra Götalands län": "58.252793,13.059643"}


def event(police_id: int, published: str, name: str, event_type: str, location: str, *,
          summary: str = "Polisen rapporterar.") -> dict[str, Any]:
    """One event as polisen.se/api/events serves it; ``published`` like '2024-05-01 0:30:07 +02:00'."""
    stamp = published.split(" ")[0].replace("-", "")
    return {"id": police_id, "datetime": published, "name": name, "summary": summary,
            "url": f"/aktuellt/handelser/{stamp[:4]}/{event_type.lower().replace(' ', '-')}-{police_id}/",
            "type": event_type, "location": {"name": location, "gps": LOCATIONS.get(location, "56.67,12.86")}}


def write_events(path: Path, events: list[dict[str, Any]]) -> Path:
    """Newest first and indented as the API does not, which must not matter."""
    path.write_text(json.dumps(events, ensure_ascii=False, indent=1), encoding="utf-8")
    return path
