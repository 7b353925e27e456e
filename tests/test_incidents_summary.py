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
MANY = 3000  # per source; benchmarks/bench_incidents.py times 100,000
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


def test_many_incidents_count_exactly(halmstad: Any) -> None:
    from trygg.incidents.models import IncidentImport, OwnIncident, PoliceEvent

    areas = list(halmstad.areas.values_list("id", flat=True))
    record = IncidentImport.objects.create(organisation=halmstad, kind="own", file_name="bulk.csv")
    start = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
    types = ["Misshandel", "Stöld", "Skadegörelse", "Trafikolycka", "Rattfylleri", "Sammanfattning natt"]
    police, own = [], []
    for i in range(MANY):
        moment = start + datetime.timedelta(minutes=10 * i)
        local = moment.astimezone(datetime.timezone(datetime.timedelta(hours=1)))
        police.append(PoliceEvent(organisation=halmstad, police_id=i, content_hash="x", raw={}, published_at=moment,
                                  occurred_at=moment, occurred_on=local.date(), month=f"{local:%Y-%m}",
                                  type=types[i % 6], municipality="Halmstad", counted=i % 6 != 5))
        own.append(OwnIncident(organisation=halmstad, source_import=record, key=str(i), occurred_at=moment,
                               occurred_on=local.date(), month=f"{local:%Y-%m}", category=types[i % 5].lower(),
                               area_id=areas[i % len(areas)]))
    PoliceEvent.objects.bulk_create(police, batch_size=1000)
    OwnIncident.objects.bulk_create(own, batch_size=1000)
    for by in (("source", "type", "month"), ("source", "area"), ("month",)):
        rows = incident_counts(halmstad, by=by, date_from=datetime.date(2024, 1, 1))
        assert sum(r["count"] for r in rows) == MANY - MANY // 6 + MANY


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
