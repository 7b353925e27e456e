"""Incident counts: the query behind `trygg incidents summary` and the situation picture."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import pytest

from incident_files import event, write_events
from trygg.incidents.actions import do_import_incidents
from trygg.incidents.queries import incident_categories, incident_counts

EVENTS = [
    # Published after midnight about the last evening of April: an April incident.
    event(5, "2024-05-01 0:30:07 +02:00", "30 april 23.40, Misshandel, Halmstad", "Misshandel", "Halmstad"),
    # 00:30 on 1 May, local: a May incident (23:30 on 30 April in UTC).
    event(4, "2024-05-01 1:10:00 +02:00", "01 maj 00.30, Misshandel, Halmstad", "Misshandel", "Hallands län"),
    event(3, "2024-05-01 6:46:00 +02:00", "01 maj 06.46, Sammanfattning natt, Halmstad", "Sammanfattning natt",
          "Halmstad"),
    event(2, "2024-04-12 14:00:00 +02:00", "12 april 13.20, Stöld, Halmstad", "Stöld", "Halmstad"),
    event(1, "2024-04-12 9:00:00 +02:00", "12 april 08.00, Trafikkontroll, Halmstad", "Trafikkontroll", "Halmstad"),
]
DEMO_DATA = Path(__file__).resolve().parents[1] / "src" / "trygg" / "demo" / "data"
MANY = 1500  # per source, over 14 months; benchmarks/bench_incidents.py times 100,000
OWN = """occurred_at,category,lat,lon,area
2024-04-30 23:59,skadegörelse,,,centrum-ost
2024-05-01 00:00,skadegörelse,,,centrum-ost
2024-05-01 00:30,klotter,56.6745,12.8576,
2024-05-31 23:59,klotter,,,andersberg
2024-06-01 00:00,klotter,,,andersberg
"""


@pytest.fixture
def loaded(halmstad: Any, tmp_path: Path) -> Any:
    do_import_incidents(halmstad, write_events(tmp_path / "events.json", EVENTS))
    (tmp_path / "own.csv").write_text(OWN, encoding="utf-8")
    do_import_incidents(halmstad, tmp_path / "own.csv")
    return halmstad


def test_counts_by_source_type_and_local_month(loaded: Any) -> None:
    rows = incident_counts(loaded)
    assert rows == [
        {"source": "own", "type": "klotter", "month": "2024-05", "count": 2},
        {"source": "own", "type": "klotter", "month": "2024-06", "count": 1},
        {"source": "own", "type": "skadegörelse", "month": "2024-04", "count": 1},
        {"source": "own", "type": "skadegörelse", "month": "2024-05", "count": 1},
        {"source": "police", "type": "Misshandel", "month": "2024-04", "count": 1},
        {"source": "police", "type": "Misshandel", "month": "2024-05", "count": 1},
        {"source": "police", "type": "Stöld", "month": "2024-04", "count": 1},
    ]


def test_local_date_edges_are_inclusive(loaded: Any) -> None:
    may = incident_counts(loaded, date_from=datetime.date(2024, 5, 1), date_to=datetime.date(2024, 5, 31), by=())
    assert may == [{"count": 4}]  # police 00:30 on 1 May; own 00:00 and 00:30 on 1 May, 23:59 on 31 May
    last_april = incident_counts(loaded, date_from=datetime.date(2024, 4, 30), date_to=datetime.date(2024, 4, 30),
                                 by=("source",))
    assert last_april == [{"source": "own", "count": 1}, {"source": "police", "count": 1}]


def test_by_area_places_own_incidents_and_never_police_events(loaded: Any) -> None:
    rows = incident_counts(loaded, by=("source", "area"))
    assert rows == [{"source": "own", "area": "andersberg", "count": 2},
                    {"source": "own", "area": "centrum-ost", "count": 2},
                    {"source": "own", "area": "centrum-vast", "count": 1},
                    {"source": "police", "area": None, "count": 3}]
    assert incident_counts(loaded, by=("area",), sources=["own"], categories=["klotter"]) == [
        {"area": "andersberg", "count": 2}, {"area": "centrum-vast", "count": 1}]


def test_without_source_the_sources_are_added_together(loaded: Any) -> None:
    assert incident_counts(loaded, by=("month",)) == [{"month": "2024-04", "count": 3},
                                                      {"month": "2024-05", "count": 4},
                                                      {"month": "2024-06", "count": 1}]
    assert incident_counts(loaded, by=(), sources=["police"]) == [{"count": 3}]


def test_categories_for_filter_lists(loaded: Any) -> None:
    assert incident_categories(loaded) == [("police", "Misshandel"), ("police", "Stöld"), ("own", "klotter"),
                                           ("own", "skadegörelse")]


def test_unknown_key_is_refused(loaded: Any) -> None:
    with pytest.raises(ValueError, match="gender"):
        incident_counts(loaded, by=("gender",))


def test_summary_command_json_shape(loaded: Any, run_cli: Any) -> None:
    status, out, err = run_cli("incidents", "summary", "halmstad", "--from", "2024-05-01", "--to", "2024-05-31",
                               "--format", "json")
    assert status == 0, err
    assert json.loads(out) == {
        "organisation": "halmstad", "from": "2024-05-01", "to": "2024-05-31", "by": ["source", "type", "month"],
        "counts": [{"source": "own", "type": "klotter", "month": "2024-05", "count": 2},
                   {"source": "own", "type": "skadegörelse", "month": "2024-05", "count": 1},
                   {"source": "police", "type": "Misshandel", "month": "2024-05", "count": 1}]}


def test_summary_command_by_area_as_csv_and_table(loaded: Any, run_cli: Any) -> None:
    status, out, _ = run_cli("incidents", "summary", "halmstad", "--by", "source,area", "--format", "csv")
    assert status == 0
    assert out.splitlines() == ["source,area,count", "own,andersberg,2", "own,centrum-ost,2", "own,centrum-vast,1",
                                "police,,3"]
    status, out, _ = run_cli("incidents", "summary", "halmstad", "--to", "2024-04-30")
    assert status == 0 and "Misshandel" in out and "2024-05" not in out


@pytest.mark.parametrize("args", [("--from", "1 maj"), ("--by", "source,weather"),
                                  ("--from", "2024-06-01", "--to", "2024-05-01")])
def test_summary_command_refuses_bad_usage(loaded: Any, run_cli: Any, args: tuple[str, ...]) -> None:
    status, _, err = run_cli("incidents", "summary", "halmstad", *args)
    assert status == 2 and err.startswith("trygg: ")


RANGES = [(None, None), ("2024-01-01", None), (None, "2024-06-30"), ("2024-01-01", "2024-12-31"),
          ("2024-02-29", "2024-03-01"), ("2024-01-15", "2024-03-14"), ("2024-03-31", "2024-11-01"),
          ("2024-12-31", "2025-01-01"), ("2024-05-10", "2024-05-20"), ("2023-06-01", "2024-02-29")]


def test_whole_months_from_the_tallies_and_edge_days_from_the_incidents_agree_with_a_plain_count(
        halmstad: Any) -> None:
    from trygg.incidents.actions import refresh_tallies
    from trygg.incidents.models import IncidentImport, OwnIncident, PoliceEvent

    areas = dict(halmstad.areas.values_list("id", "code"))
    ids = list(areas)
    record = IncidentImport.objects.create(organisation=halmstad, kind="own", file_name="bulk.csv")
    start = datetime.datetime(2023, 12, 20, tzinfo=datetime.UTC)
    types = ["Misshandel", "Stöld", "Skadegörelse", "Trafikolycka", "Rattfylleri", "Sammanfattning natt"]
    police, own = [], []
    for i in range(MANY):
        local = (start + datetime.timedelta(hours=7 * i + i % 3)).astimezone(datetime.timezone(datetime.timedelta(
            hours=1)))
        police.append(PoliceEvent(organisation=halmstad, police_id=i, content_hash="x", raw={}, published_at=local,
                                  occurred_at=local, occurred_on=local.date(), month=f"{local:%Y-%m}",
                                  type=types[i % 6], municipality="Halmstad", counted=i % 6 != 5))
        own.append(OwnIncident(organisation=halmstad, source_import=record, key=str(i), occurred_at=local,
                               occurred_on=local.date(), month=f"{local:%Y-%m}", category=types[i % 5].lower(),
                               area_id=ids[i % len(ids)] if i % 7 else None))
    PoliceEvent.objects.bulk_create(police, batch_size=1000)
    OwnIncident.objects.bulk_create(own, batch_size=1000)
    refresh_tallies(halmstad, {e.month for e in police} | {o.month for o in own})
    for date_from, date_to in RANGES:
        _agrees_with_a_plain_count(halmstad, police, own, areas, date_from, date_to)


def _agrees_with_a_plain_count(halmstad: Any, police: list[Any], own: list[Any], areas: dict[int, str],
                               date_from: str | None, date_to: str | None) -> None:
    low = datetime.date.fromisoformat(date_from) if date_from else datetime.date.min
    high = datetime.date.fromisoformat(date_to) if date_to else datetime.date.max
    expected: dict[tuple[Any, ...], int] = {}
    for e in police:
        if e.counted and low <= e.occurred_on <= high:
            key = ("police", e.type, e.month, None)
            expected[key] = expected.get(key, 0) + 1
    for o in own:
        if low <= o.occurred_on <= high:
            key = ("own", o.category, o.month, areas.get(o.area_id))
            expected[key] = expected.get(key, 0) + 1
    rows = incident_counts(halmstad, by=("source", "type", "month", "area"),
                           date_from=datetime.date.fromisoformat(date_from) if date_from else None,
                           date_to=datetime.date.fromisoformat(date_to) if date_to else None)
    assert {(r["source"], r["type"], r["month"], r["area"]): r["count"] for r in rows} == expected
    assert incident_counts(halmstad, by=(), date_from=low if date_from else None,
                           date_to=high if date_to else None) == [{"count": sum(expected.values())}]


def test_an_edited_event_moves_between_months_in_the_tallies(halmstad: Any, tmp_path: Path) -> None:
    before = [event(1, "2024-05-01 0:30:07 +02:00", "30 april 23.40, Misshandel, Halmstad", "Misshandel",
                    "Halmstad")]
    after = [event(1, "2024-05-01 0:30:07 +02:00", "01 maj 00.10, Rån, Halmstad", "Rån", "Halmstad")]
    do_import_incidents(halmstad, write_events(tmp_path / "a.json", before))
    whole = {"date_from": datetime.date(2024, 4, 1), "date_to": datetime.date(2024, 5, 31)}
    assert incident_counts(halmstad, by=("type", "month"), **whole) == [
        {"type": "Misshandel", "month": "2024-04", "count": 1}]
    do_import_incidents(halmstad, write_events(tmp_path / "b.json", after))
    assert incident_counts(halmstad, by=("type", "month"), **whole) == [
        {"type": "Rån", "month": "2024-05", "count": 1}]


def test_the_demo_year_is_shaped_as_promised(halmstad: Any) -> None:
    from trygg.demo.incidents import load_incidents
    from trygg.incidents.models import PoliceEvent

    geojson = json.loads((DEMO_DATA / "halmstad_areas.geojson").read_text(encoding="utf-8"))
    areas = {f["properties"]["code"]: f["geometry"] for f in geojson["features"]}
    results = load_incidents(halmstad, areas)
    assert results[1].unchanged > 0 and results[0].skipped_other_municipalities > 0  # overlapping downloads
    stored = PoliceEvent.objects.filter(organisation=halmstad)
    summaries = stored.filter(type__startswith="Sammanfattning").count()
    everything = stored.count() + sum(r.skipped_other_municipalities for r in results[:2]) - results[1].unchanged
    assert 0.12 < summaries / everything < 0.18
    assert stored.filter(municipality="Halmstad", raw__location__name="Hallands län").exists()
    population = {"andersberg": 5500, "vallas": 7000, "nyhem-linehed": 6500, "centrum-ost": 3500,
                  "ostra-stranden": 3000, "centrum-vast": 4500, "rotorp": 3500, "sondrum": 6000,
                  "furet-frennarp": 5000, "karleken-sofieberg": 4000, "ovriga": 36500}
    rows = incident_counts(halmstad, by=("area",), sources=["own"], date_from=datetime.date(2022, 1, 1),
                           date_to=datetime.date(2022, 12, 31))
    rate = {r["area"]: 1000 * r["count"] / population[r["area"]] for r in rows}
    overall = 1000 * sum(r["count"] for r in rows) / sum(population.values())
    assert max(rate, key=rate.__getitem__) in ("centrum-ost", "centrum-vast")
    assert rate["centrum-ost"] > 4 * overall
    # Residents of Vallås and Nyhem/Linehed feel unsafe (trygg.demo.generate) but report few incidents.
    assert rate["vallas"] < overall and rate["nyhem-linehed"] < overall
    by_month = incident_counts(halmstad, by=("month",), sources=["police"])
    assert len(by_month) == 12 and by_month[6]["count"] > by_month[1]["count"]  # July above February


def test_counting_by_source_alone_is_one_query_per_source(loaded: Any, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(2):
        assert incident_counts(loaded, by=("source",)) == [{"source": "own", "count": 5},
                                                           {"source": "police", "count": 3}]
    with django_assert_num_queries(1):
        assert incident_counts(loaded, by=(), sources=["own"], categories=["våld"]) == [{"count": 0}]


@pytest.mark.parametrize(("lang", "first", "sources"), [
    ("sv_SE.UTF-8", "halmstad: 8 händelser, … – … (sammanfattningar och meddelanden räknas inte)",
     ("Egna rapporter", "Polisens händelser")),
    ("C.UTF-8", "halmstad: 8 incidents, … – … (summaries and notices not counted)", ("Own reports", "Police events")),
])
def test_summary_table_in_the_terminals_language(loaded: Any, run_cli: Any, monkeypatch: pytest.MonkeyPatch,
                                                 lang: str, first: str, sources: tuple[str, str]) -> None:
    monkeypatch.setenv("LANG", lang)
    status, out, _ = run_cli("incidents", "summary", "halmstad", "--by", "source")
    lines = out.splitlines()
    assert status == 0 and lines[0] == first
    assert [line.split("  ")[0] for line in lines[3:]] == list(sources)
