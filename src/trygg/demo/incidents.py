"""Synthetic incidents for the Halmstad demo, 2022: police events in the events API's exact shape and own reports.

Made up with a fixed seed, shaped like a real year: the police's mix of types, more events in summer and on weekend
nights, about 15 % night summaries, some notices, two events of five placed at the county (``Hallands län``) with
the municipality last in the name, and events of Hallands län's other municipalities that the import skips. The
events come as two overlapping downloads, as a scheduled fetch leaves them. Own reports come from the housing
company (with coordinates) and the municipality's units (with an area code). The city core is high on own incidents
per resident; Vallås and Nyhem/Linehed, where residents feel unsafe (trygg.demo.generate's group A), have few.
Everything here is synthetic and the files say so in their names.
"""

from __future__ import annotations

import csv
import json
import random
import tempfile
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from trygg.areas.models import Organisation
from trygg.geo import random_point_in_area
from trygg.incidents.actions import ImportResult, do_import_incidents
from trygg.incidents.police import MONTHS, STOCKHOLM, format_published

SEED = 2022
YEAR = 2022
MUNICIPALITY = "Halmstad"
COUNTY = "Hallands län"
OTHERS = {"Laholm": 0.25, "Falkenberg": 0.25, "Varberg": 0.3, "Hylte": 0.08, "Kungsbacka": 0.12}
GPS = {"Halmstad": "56.674375,12.857788", "Hallands län": "56.895780,12.820290", "Laholm": "56.512073,13.044000",
       "Falkenberg": "56.905003,12.491109", "Varberg": "57.107118,12.252091", "Hylte": "56.993210,13.238720",
       "Kungsbacka": "57.487330,12.076108"}
# The police's mix of types for a town of Halmstad's size, per 1,000 incidents.
POLICE_TYPES = {
    "Trafikolycka": 70, "Trafikolycka, singel": 40, "Trafikolycka, personskada": 45, "Trafikolycka, vilt": 25,
    "Trafikolycka, smitning från": 20, "Brand": 70, "Misshandel": 70, "Misshandel, grov": 12, "Stöld": 65,
    "Stöld/inbrott": 45, "Inbrott": 35, "Skadegörelse": 50, "Rattfylleri": 55, "Narkotikabrott": 45,
    "Olaga hot": 35, "Bråk": 35, "Trafikbrott": 30, "Ofredande/förargelse": 25, "Fylleri/LOB": 30,
    "Kontroll person/fordon": 30, "Polisinsats/kommendering": 20, "Försvunnen person": 20, "Larm inbrott": 15,
    "Rån": 10, "Sedlighetsbrott": 8, "Farligt föremål, misstänkt": 6, "Djur": 10, "Räddningsinsats": 10,
    "Arbetsplatsolycka": 4, "Våld/hot mot tjänsteman": 8, "Vapenlagen": 7,
}
NOTICE_TYPES = {"Trafikkontroll": 0.45, "Övrigt": 0.25, "Information": 0.15, "Uppdatering": 0.1,
                "Tillfälligt obemannat": 0.05}
# More in summer and at Christmas, fewest in February (share of the year per month).
MONTH_WEIGHTS = (0.074, 0.066, 0.077, 0.08, 0.088, 0.095, 0.101, 0.094, 0.084, 0.08, 0.076, 0.085)
HOUR_WEIGHTS = (6, 5, 4, 3, 2, 2, 2, 3, 4, 4, 4, 4, 5, 5, 5, 5, 6, 6, 7, 7, 8, 8, 8, 7)
POLICE_INCIDENTS = 1500
OTHER_MUNICIPALITY_EVENTS = 500
NOTICES = 90
COUNTY_SHARE = 0.4
# Own incidents per area for the year: the city core high per resident, Vallås and Nyhem/Linehed low although
# residents there feel unsafe, Rotorp high while its residents feel safe (population: demo/data margins).
OWN_COUNTS = {"centrum-ost": 430, "centrum-vast": 440, "andersberg": 190, "ostra-stranden": 95, "rotorp": 110,
              "vallas": 45, "nyhem-linehed": 50, "sondrum": 40, "furet-frennarp": 45, "karleken-sofieberg": 50,
              "ovriga": 190}
CENTRE = ("centrum-ost", "centrum-vast")
OWN_CATEGORIES_CENTRE = {"otrygg plats": 0.18, "folksamling": 0.17, "våld": 0.14, "skadegörelse": 0.2,
                         "klotter": 0.21, "inbrott": 0.05, "buskörning": 0.05}
OWN_CATEGORIES_HOMES = {"skadegörelse": 0.3, "klotter": 0.2, "inbrott": 0.14, "buskörning": 0.14,
                        "otrygg plats": 0.1, "folksamling": 0.06, "våld": 0.06}
AREA_REPORT_SHARE = 0.35  # reports from the municipality's units give an area code, not a point


def _moment(rng: random.Random, *, night_weighted: bool = True) -> datetime:
    month = rng.choices(range(1, 13), MONTH_WEIGHTS)[0]
    days = (date(YEAR + (month == 12), month % 12 + 1, 1) - date(YEAR, month, 1)).days
    day = date(YEAR, month, rng.randint(1, days))
    weekend = day.weekday() >= 4
    if not weekend and rng.random() < 0.25:  # weekend days get about twice the events of weekdays
        day = day + timedelta(days=(5 - day.weekday()) % 7)
        if day.year != YEAR:
            day = day - timedelta(days=7)
    hour = rng.choices(range(24), HOUR_WEIGHTS)[0] if night_weighted else rng.randint(7, 21)
    return datetime(day.year, day.month, day.day, hour, rng.randint(0, 59), tzinfo=STOCKHOLM)


def _month_name(number: int) -> str:
    return next(name for name, n in MONTHS.items() if n == number)


def _name(moment: datetime, event_type: str, place: str) -> str:
    return f"{moment.day:02d} {_month_name(moment.month)} {moment:%H.%M}, {event_type}, {place}"


def _event(rng: random.Random, occurred: datetime, event_type: str, municipality: str, *,
           at_county: bool, delay: timedelta) -> dict[str, Any]:
    location = COUNTY if at_county else municipality
    published = occurred + delay
    name = _name(occurred, event_type, municipality)
    slug = name.lower().replace(",", "").replace("/", "-").replace(".", "").replace(" ", "-")
    return {"id": 0, "datetime": format_published(published), "name": name,
            "summary": rng.choice(("Polisen rapporterar.", "Polis på plats.", "Ingen gripen i nuläget.",
                                   "Ärendet utreds.", "En person har förts till sjukhus.", "Anmälan upprättas.")),
            "url": f"/aktuellt/handelser/{published:%Y}/{_month_name(published.month)}/{published.day}/{slug}/",
            "type": event_type, "location": {"name": location, "gps": GPS[location]},
            "_published": published}


def police_events(seed: int = SEED) -> list[dict[str, Any]]:
    """A year of synthetic events in the API's shape, newest first, ids rising with publication time."""
    rng = random.Random(seed)
    types, weights = list(POLICE_TYPES), list(POLICE_TYPES.values())
    events = []
    for _ in range(POLICE_INCIDENTS):
        occurred = _moment(rng)
        events.append(_event(rng, occurred, rng.choices(types, weights)[0], MUNICIPALITY,
                             at_county=rng.random() < COUNTY_SHARE,
                             delay=timedelta(minutes=rng.randint(8, 240))))
    for _ in range(OTHER_MUNICIPALITY_EVENTS):
        place = rng.choices(list(OTHERS), list(OTHERS.values()))[0]
        events.append(_event(rng, _moment(rng), rng.choices(types, weights)[0], place,
                             at_county=rng.random() < COUNTY_SHARE, delay=timedelta(minutes=rng.randint(8, 240))))
    for _ in range(NOTICES):
        notice = rng.choices(list(NOTICE_TYPES), list(NOTICE_TYPES.values()))[0]
        events.append(_event(rng, _moment(rng, night_weighted=False), notice, MUNICIPALITY,
                             at_county=rng.random() < COUNTY_SHARE, delay=timedelta(minutes=rng.randint(0, 60))))
    # Night summaries each morning the night was busy: about 15 % of all events.
    summaries = round(0.15 * len(events) / 0.85)
    mornings = sorted(rng.sample(range(365), summaries // 2 + 1))
    for index in range(summaries):
        day = date(YEAR, 1, 1) + timedelta(days=mornings[index % len(mornings)])
        kind = "Sammanfattning natt" if index % 2 == 0 else rng.choice(("Sammanfattning kväll och natt",
                                                                        "Sammanfattning helg"))
        occurred = datetime(day.year, day.month, day.day, 6, rng.randint(20, 59), tzinfo=STOCKHOLM)
        events.append(_event(rng, occurred, kind, MUNICIPALITY if index % 2 else COUNTY, at_county=True,
                             delay=timedelta(minutes=rng.randint(0, 20))))
    events.sort(key=lambda e: e["_published"])
    for number, e in enumerate(events):
        e["id"] = 380_000 + number * 3 + rng.randint(0, 2)
    return [{k: v for k, v in e.items() if k != "_published"} for e in reversed(events)]


def own_reports(areas: dict[str, dict[str, Any]], seed: int = SEED) -> tuple[list[list[str]], list[list[str]]]:
    """Rows ``occurred_at,category,lat,lon,area``: the housing company's (with points) and the municipal
    units' (with area codes)."""
    rng = random.Random(seed + 1)
    np_rng = np.random.default_rng(seed + 1)
    housing: list[list[str]] = []
    municipal: list[list[str]] = []
    for code, count in OWN_COUNTS.items():
        mix = OWN_CATEGORIES_CENTRE if code in CENTRE else OWN_CATEGORIES_HOMES
        for _ in range(count):
            occurred = _moment(rng)
            category = rng.choices(list(mix), list(mix.values()))[0]
            when = f"{occurred:%Y-%m-%d %H:%M}"
            if rng.random() < AREA_REPORT_SHARE or code not in areas:
                municipal.append([when, category, "", "", code])
            else:
                lat, lon = random_point_in_area(np_rng, areas[code])
                housing.append([when, category, f"{lat:.6f}", f"{lon:.6f}", ""])
    return sorted(housing), sorted(municipal)


def _write_csv(path: Path, rows: Sequence[Sequence[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["occurred_at", "category", "lat", "lon", "area"])
        writer.writerows(rows)
    return path


def write_incident_files(folder: Path, areas: dict[str, dict[str, Any]]) -> list[Path]:
    """The demo's incident files in ``folder``, in the order to import them: two overlapping police downloads
    (January–July and June–December, as a scheduled fetch leaves them) and the two own-report files."""
    events = police_events()
    first_half = [e for e in events if e["datetime"] < f"{YEAR}-08"]
    second_half = [e for e in events if e["datetime"] >= f"{YEAR}-06"]
    paths = []
    for name, part in (("syntetiska-polishandelser-1.json", first_half),
                       ("syntetiska-polishandelser-2.json", second_half)):
        path = folder / name
        path.write_text(json.dumps(part, ensure_ascii=False), encoding="utf-8")
        paths.append(path)
    housing, municipal = own_reports(areas)
    paths.append(_write_csv(folder / "syntetiska-rapporter-bostadsbolaget.csv", housing))
    paths.append(_write_csv(folder / "syntetiska-rapporter-kommunen.csv", municipal))
    return paths


def load_incidents(org: Organisation, areas: dict[str, dict[str, Any]]) -> list[ImportResult]:
    """Write the demo's incident files to a temporary folder and import them through the one writer."""
    with tempfile.TemporaryDirectory(prefix="trygg-demo-") as folder:
        return [do_import_incidents(org, path) for path in write_incident_files(Path(folder), areas)]
