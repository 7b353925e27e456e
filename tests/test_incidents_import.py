"""Importing incidents: the police's events exactly as the events API serves them, Parquet archives, own reports."""

from __future__ import annotations

import datetime
import html
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from incident_files import event, write_events
from trygg.accounts.models import AuditEvent
from trygg.areas.actions import do_create_organisation
from trygg.errors import InputError
from trygg.incidents.actions import do_import_incidents, export_police_archive
from trygg.incidents.models import IncidentImport, OwnIncident, PoliceEvent, PoliceEventVersion
from trygg.incidents.places import county_of, guess_municipality
from trygg.incidents.police import (
    incident_time,
    is_incident_type,
    is_notice,
    is_summary,
    municipality_of,
    parse_published,
)
from trygg.incidents.queries import incident_counts

# One download, newest first, as the API serves it.
FIRST = [
    # Late on the last day of the year, published after midnight: a December 2024 incident.
    event(110, "2025-01-01 0:20:41 +01:00", "31 december 23.50, Misshandel, Halmstad", "Misshandel", "Halmstad"),
    # A county location: the municipality is the last part of the name.
    event(109, "2024-12-31 22:05:00 +01:00", "31 december 21.30, Skadegörelse, Halmstad", "Skadegörelse",
          "Hallands län"),
    event(108, "2024-12-31 21:00:00 +01:00", "31 december 20.15, Trafikolycka, personskada, Halmstad",
          "Trafikolycka, personskada", "Hallands län"),
    # Other municipalities, at the county and at their own centre: skipped and counted.
    event(107, "2024-12-31 20:00:00 +01:00", "31 december 19.40, Stöld, Laholm", "Stöld", "Hallands län"),
    event(106, "2024-12-31 19:00:00 +01:00", "31 december 18.40, Brand, Falkenberg", "Brand", "Falkenberg"),
    event(105, "2024-12-31 18:00:00 +01:00", "31 december 17.40, Rån, Borås", "Rån", "Västra Götalands län"),
    # Summaries and notices: stored, never counted.
    event(104, "2024-12-31 7:00:00 +01:00", "31 december 06.50, Sammanfattning natt, Halmstad",
          "Sammanfattning natt", "Halmstad"),
    event(103, "2024-12-30 8:00:00 +01:00", "30 december 07.55, Sammanfattning kväll och natt, Hallands län",
          "Sammanfattning kväll och natt", "Hallands län"),
    event(102, "2024-12-30 7:00:00 +01:00", "30 december 06.30, Trafikkontroll, Halmstad", "Trafikkontroll",
          "Halmstad"),
    event(101, "2024-12-29 12:00:00 +01:00", "29 december 11.00, Övrigt, Halmstad", "Övrigt", "Hallands län"),
    # Late on the last day of a month, published after midnight, summer time: a November incident.
    event(100, "2024-12-01 0:05:00 +01:00", "30 november 23.59, Inbrott, Halmstad", "Inbrott", "Halmstad"),
    event(99, "2024-06-01 0:30:07 +02:00", "31 maj 23.40, Misshandel, Halmstad", "Misshandel", "Halmstad"),
]
# The same event twice in one file is one event.
FIRST_WITH_REPEAT = FIRST[:3] + [FIRST[2]] + FIRST[3:]


@pytest.fixture
def first(halmstad: Any, tmp_path: Path) -> Any:
    return do_import_incidents(halmstad, write_events(tmp_path / "events-1.json", FIRST_WITH_REPEAT))


def test_a_download_is_stored_once_per_event_and_only_incidents_are_counted(halmstad: Any, first: Any) -> None:
    assert (first.rows, first.stored, first.unchanged, first.replaced) == (13, 9, 0, 0)
    assert first.repeated_in_file == 1
    assert first.skipped_other_municipalities == 3
    assert first.not_counted == 4  # two summaries, a traffic check, Övrigt
    assert PoliceEvent.objects.filter(organisation=halmstad).count() == 9
    assert sorted(PoliceEvent.objects.filter(counted=True).values_list("police_id", flat=True)) == [
        99, 100, 108, 109, 110]
    assert incident_counts(halmstad, by=("type", "month")) == [
        {"type": "Inbrott", "month": "2024-11", "count": 1},
        {"type": "Misshandel", "month": "2024-05", "count": 1},
        {"type": "Misshandel", "month": "2024-12", "count": 1},
        {"type": "Skadegörelse", "month": "2024-12", "count": 1},
        {"type": "Trafikolycka, personskada", "month": "2024-12", "count": 1},
    ]
    late = PoliceEvent.objects.get(police_id=110)
    assert late.occurred_on == datetime.date(2024, 12, 31) and late.municipality == "Halmstad"
    assert PoliceEvent.objects.get(police_id=103).municipality == "Hallands län"  # county-wide, kept uncounted
    entry = AuditEvent.objects.get(action="incidents_imported")
    assert entry.organisation == halmstad and entry.detail["stored"] == 9


def test_the_same_download_again_adds_nothing(halmstad: Any, first: Any, tmp_path: Path) -> None:
    before = incident_counts(halmstad)
    again = do_import_incidents(halmstad, write_events(tmp_path / "events-1-again.json", FIRST))
    assert (again.stored, again.unchanged, again.replaced) == (0, 9, 0)
    assert PoliceEvent.objects.count() == 9 and not PoliceEventVersion.objects.exists()
    assert incident_counts(halmstad) == before


def test_an_overlapping_download_with_an_event_edited_in_place(halmstad: Any, first: Any, tmp_path: Path) -> None:
    edited = event(109, "2024-12-31 22:05:00 +01:00", "31 december 21.30, Misshandel, Halmstad", "Misshandel",
                   "Hallands län", summary="Polisen rapporterar. Uppdaterad: en person skadad.")
    second = [
        event(112, "2025-01-02 10:00:00 +01:00", "02 januari 09.15, Stöld, Halmstad", "Stöld", "Halmstad"),
        event(111, "2025-01-01 3:00:00 +01:00", "01 januari 02.10, Bråk, Halmstad", "Bråk", "Hallands län"),
        FIRST[0], edited, *FIRST[2:6],
    ]
    result = do_import_incidents(halmstad, write_events(tmp_path / "events-2.json", second))
    assert (result.stored, result.unchanged, result.replaced, result.skipped_other_municipalities) == (2, 2, 1, 3)
    current = PoliceEvent.objects.get(police_id=109)
    assert current.type == "Misshandel" and current.raw == edited
    history = PoliceEventVersion.objects.get(event=current)
    assert history.raw == FIRST[1] and history.replaced_by == IncidentImport.objects.first()
    assert PoliceEvent.objects.count() == 11
    assert incident_counts(halmstad, by=("type", "month"), date_from=datetime.date(2024, 12, 1)) == [
        {"type": "Bråk", "month": "2025-01", "count": 1},
        {"type": "Misshandel", "month": "2024-12", "count": 2},
        {"type": "Stöld", "month": "2025-01", "count": 1},
        {"type": "Trafikolycka, personskada", "month": "2024-12", "count": 1},
    ]


def test_an_event_edited_into_another_municipality_is_kept_but_no_longer_counted(
        halmstad: Any, first: Any, tmp_path: Path) -> None:
    moved = event(109, "2024-12-31 22:05:00 +01:00", "31 december 21.30, Skadegörelse, Laholm", "Skadegörelse",
                  "Hallands län")
    result = do_import_incidents(halmstad, write_events(tmp_path / "events-3.json", [moved]))
    assert (result.replaced, result.skipped_other_municipalities) == (1, 0)
    assert not PoliceEvent.objects.get(police_id=109).counted


def test_a_bad_event_stores_nothing_and_names_file_row_and_column(halmstad: Any, tmp_path: Path) -> None:
    bad = [*FIRST[:4], {**FIRST[4], "name": "Brand, Falkenberg"}, *FIRST[5:]]
    with pytest.raises(InputError) as caught:
        do_import_incidents(halmstad, write_events(tmp_path / "bad.json", bad))
    assert (caught.value.file, caught.value.row, caught.value.column) == ("bad.json", 5, "name")
    assert "bad.json, rad 5, kolumn name: namnet 'Brand, Falkenberg' börjar inte med ett datum" in str(caught.value)
    assert not PoliceEvent.objects.exists() and not IncidentImport.objects.exists()


@pytest.mark.parametrize(("record", "column"), [
    ({"datetime": "2024-12-31T25:00"}, "datetime"),
    ({"id": "abc"}, "id"),
    ({"location": None}, "location"),
    ({"location": {"name": "", "gps": ""}}, "location.name"),
    ({"type": ""}, "type"),
])
def test_each_bad_field_is_named(halmstad: Any, tmp_path: Path, record: dict[str, Any], column: str) -> None:
    with pytest.raises(InputError) as caught:
        do_import_incidents(halmstad, write_events(tmp_path / "bad.json", [FIRST[0], {**FIRST[1], **record}]))
    assert (caught.value.row, caught.value.column) == (2, column)


def test_a_json_object_is_not_the_api_shape(halmstad: Any, tmp_path: Path) -> None:
    path = tmp_path / "object.json"
    path.write_text('{"events": []}', encoding="utf-8")
    with pytest.raises(InputError, match="JSON-array"):
        do_import_incidents(halmstad, path)


def test_parquet_archive_round_trip(halmstad: Any, first: Any, tmp_path: Path) -> None:
    archive = tmp_path / "halmstad.parquet"
    assert export_police_archive(halmstad, archive) == 9
    again = do_import_incidents(halmstad, archive)
    assert (again.stored, again.unchanged, again.replaced) == (0, 9, 0)
    other = do_create_organisation("halmstad-arkiv", "Halmstads kommun", kommun_code="1380")
    loaded = do_import_incidents(other, archive)
    assert (loaded.stored, loaded.not_counted) == (9, 4)
    assert incident_counts(other) == incident_counts(halmstad)
    assert sorted(PoliceEvent.objects.filter(organisation=other).values_list("raw", flat=True),
                  key=lambda r: r["id"]) == sorted([e for e in FIRST if e["id"] not in (105, 106, 107)],
                                                   key=lambda r: r["id"])


def test_parquet_written_from_the_api_json_with_a_location_struct(halmstad: Any, tmp_path: Path) -> None:
    path = tmp_path / "polars-style.parquet"
    pq.write_table(pa.Table.from_pylist(FIRST), path)
    result = do_import_incidents(halmstad, path)
    assert (result.stored, result.skipped_other_municipalities) == (9, 3)
    again = do_import_incidents(halmstad, write_events(tmp_path / "same.json", FIRST))
    assert again.unchanged == 9  # the archive and the API's JSON hash alike


def test_a_parquet_archive_without_its_columns_is_refused(halmstad: Any, tmp_path: Path) -> None:
    path = tmp_path / "wrong.parquet"
    pq.write_table(pa.table({"id": [1], "when": ["x"]}), path)
    with pytest.raises(InputError) as caught:
        do_import_incidents(halmstad, path)
    assert caught.value.column == "datetime" and caught.value.file == "wrong.parquet"


OWN_HEADER = ["occurred_at", "category", "lat", "lon", "area"]
OWN_ROWS = [
    ["2024-05-01 00:30", "skadegörelse", "", "", "andersberg"],
    ["2024-05-02T22:10:00+02:00", "otrygg plats", "56.67445", "12.85760", ""],  # Stora torg: placed by point
    ["2024-05-03", "klotter", "56,6705", "12,8790", "vallas"],  # area wins; decimal commas accepted
    ["2024-05-04 01:00", "våld", "56.9000", "12.4900", ""],  # Falkenberg: outside every area, still counted
    ["2024-05-04 01:00", "våld", "56.9000", "12.4900", ""],  # the same report twice in the file
]


def test_own_reports_are_placed_by_area_or_point(halmstad: Any, write_csv: Any) -> None:
    result = do_import_incidents(halmstad, write_csv("egna.csv", OWN_HEADER, OWN_ROWS))
    assert (result.rows, result.stored, result.repeated_in_file, result.unplaced) == (5, 4, 1, 1)
    assert list(OwnIncident.objects.order_by("occurred_at").values_list("area__code", "month")) == [
        ("andersberg", "2024-05"), ("centrum-vast", "2024-05"), ("vallas", "2024-05"), (None, "2024-05")]
    assert incident_counts(halmstad, by=("area",)) == [
        {"area": None, "count": 1}, {"area": "andersberg", "count": 1}, {"area": "centrum-vast", "count": 1},
        {"area": "vallas", "count": 1}]


def test_own_reports_again_add_nothing(halmstad: Any, write_csv: Any) -> None:
    do_import_incidents(halmstad, write_csv("egna.csv", OWN_HEADER, OWN_ROWS))
    again = do_import_incidents(halmstad, write_csv("egna-igen.csv", OWN_HEADER, OWN_ROWS[::-1]))
    assert (again.stored, again.unchanged) == (0, 4)
    assert OwnIncident.objects.count() == 4


@pytest.mark.parametrize(("cells", "column", "message"), [
    (["2024-13-01 10:00", "klotter", "", "", "vallas"], "occurred_at", "är ingen tid"),
    (["", "klotter", "", "", "vallas"], "occurred_at", "cellen är tom"),
    (["2024-05-01 10:00", "", "", "", "vallas"], "category", "cellen är tom"),
    (["2024-05-01 10:00", "klotter", "", "", "norrby"], "area",
     "'norrby' är inget område i organisationen \\(dess områden: andersberg, centrum-ost, "),
    (["2024-05-01 10:00", "klotter", "", "", ""], "area", "områdeskod i area eller lat,lon"),
    (["2024-05-01 10:00", "klotter", "56.67", "", ""], "lon", "både lat och lon"),
    (["2024-05-01 10:00", "klotter", "12.86", "56.67", ""], "lat", "bytt plats"),
    (["2024-05-01 10:00", "klotter", "56.67", "öst", ""], "lon", "inget tal"),
])
def test_a_bad_own_report_stores_nothing(halmstad: Any, write_csv: Any, cells: list[str], column: str,
                                         message: str) -> None:
    path = write_csv("egna.csv", OWN_HEADER, [*OWN_ROWS[:2], cells, *OWN_ROWS[2:]])
    with pytest.raises(InputError, match=message) as caught:
        do_import_incidents(halmstad, path)
    assert (caught.value.file, caught.value.row, caught.value.column) == ("egna.csv", 3, column)
    assert not OwnIncident.objects.exists() and not IncidentImport.objects.exists()


def test_own_reports_need_their_columns(halmstad: Any, write_csv: Any) -> None:
    with pytest.raises(InputError, match="saknar kolumnen 'area'") as caught:
        do_import_incidents(halmstad, write_csv("egna.csv", OWN_HEADER[:4], [r[:4] for r in OWN_ROWS]))
    assert caught.value.column == "area"


def test_the_command_prints_what_it_did_and_refuses_bad_files(halmstad: Any, tmp_path: Path, run_cli: Any) -> None:
    path = write_events(tmp_path / "events.json", FIRST_WITH_REPEAT)
    status, out, err = run_cli("incidents", "import", "halmstad", str(path))
    assert status == 0, err
    assert "9 new" in out and "3 of other municipalities skipped" in out and "1 repeated" in out
    status, out, _ = run_cli("incidents", "import", "halmstad", str(path))
    assert "0 new, 9 unchanged" in out
    bad = write_events(tmp_path / "broken.json", [{**FIRST[0], "datetime": "igår"}])
    status, _, err = run_cli("incidents", "import", "halmstad", str(bad))
    assert status == 1 and err.startswith("trygg: broken.json, row 1, column datetime:")
    status, _, err = run_cli("incidents", "import", "nowhere", str(path))
    assert status == 1 and "no organisation 'nowhere'" in err


def test_the_organisation_municipality_field_decides(halmstad: Any, tmp_path: Path) -> None:
    halmstad.municipality = "Laholm"
    halmstad.save()
    result = do_import_incidents(halmstad, write_events(tmp_path / "events.json", FIRST))
    assert result.stored == 2  # Laholm's theft and the county-wide summary of Hallands län
    assert list(PoliceEvent.objects.filter(counted=True).values_list("police_id", flat=True)) == [107]


# The pure parser.
def test_publication_times_as_the_api_writes_them() -> None:
    assert parse_published("2024-05-01 0:30:07 +02:00") == datetime.datetime(
        2024, 4, 30, 22, 30, 7, tzinfo=datetime.UTC)
    assert parse_published("2024-01-05 9:03:00 +01:00").hour == 9
    assert parse_published("2024-01-05T08:03:00Z").hour == 9  # shown in Stockholm time
    for bad in ("2024-05-01", "1 maj 2024 00:30", "2024-05-01 24:30:07 +02:00"):
        with pytest.raises(ValueError):
            parse_published(bad)


@pytest.mark.parametrize(("name", "published", "expected"), [
    ("30 april 23.40, Misshandel, Borås", "2024-05-01 0:30:07 +02:00", "2024-04-30 23:40+02:00"),
    ("06 juni 18.50, Stöld, Halmstad", "2024-06-06 19:10:00 +02:00", "2024-06-06 18:50+02:00"),
    ("31 december 23.50, Misshandel, Halmstad", "2025-01-01 0:20:41 +01:00", "2024-12-31 23:50+01:00"),
    ("29 februari 22.00, Brand, Halmstad", "2025-03-01 8:00:00 +01:00", "2024-02-29 22:00+01:00"),
    ("01 maj 00.30, Misshandel, Halmstad", "2024-05-01 1:10:00 +02:00", "2024-05-01 00:30+02:00"),
    ("6 juni, Sammanfattning vecka, Hallands län", "2024-06-09 12:00:00 +02:00", "2024-06-06 00:00+02:00"),
    # Published a little early (clocks disagree): the same year, not the year before.
    ("01 januari 00.05, Brand, Halmstad", "2024-12-31 23:58:00 +01:00", "2025-01-01 00:05+01:00"),
])
def test_incident_time_and_its_year(name: str, published: str, expected: str) -> None:
    got = incident_time(name, parse_published(published))
    assert got == datetime.datetime.fromisoformat(expected)
    assert got.tzinfo is not None and str(got.tzinfo) == "Europe/Stockholm"


def test_a_name_without_a_date_is_refused() -> None:
    for name in ("Misshandel, Borås", "31 decembre 23.40, Misshandel, Borås", "30 februari 10.00, Brand, Hylte"):
        with pytest.raises(ValueError, match="datum"):
            incident_time(name, parse_published("2024-05-01 0:30:07 +02:00"))


def test_municipality_from_location_or_name() -> None:
    assert municipality_of("30 april 23.40, Misshandel, Borås", "Borås") == "Borås"
    assert municipality_of("30 april 23.40, Misshandel, Borås", "Västra Götalands län") == "Borås"
    assert municipality_of("30 april 23.40, Trafikolycka, singel, Kungsbacka", "Hallands län") == "Kungsbacka"
    assert municipality_of("01 maj 06.46, Sammanfattning natt", "Hallands län") == "Hallands län"


def test_summaries_notices_and_incidents() -> None:
    for summary in ("Sammanfattning natt", "Sammanfattning kväll och natt", "Sammanfattning dag",
                    "Sammanfattning helg", "Sammanfattning vecka"):
        assert is_summary(summary) and not is_incident_type(summary)
    for notice in ("Övrigt", "Information", "Uppdatering", "Trafikkontroll", "Tillfälligt obemannat"):
        assert is_notice(notice) and not is_incident_type(notice)
    for incident in ("Misshandel", "Trafikolycka, personskada", "Stöld/inbrott", "Rattfylleri"):
        assert is_incident_type(incident)


def test_the_organisations_municipality_and_county() -> None:
    assert guess_municipality("Halmstads kommun och lokalpolisområde Halmstad") == "Halmstad"
    assert guess_municipality("Borås stad") == "Borås"
    assert guess_municipality("Hofors kommun") == "Hofors"
    assert guess_municipality("Laholm") == "Laholm"
    assert county_of("1380") == "Hallands län" and county_of("1490") == "Västra Götalands län"
    assert county_of("") is None and county_of("9999") is None


# The staff page /personal/handelser/ORG/: the same writer, for a coordinator without the command line.
def test_staff_page_loads_a_file_and_shows_what_it_did(client: Any, analyst_halmstad: Any, tmp_path: Path) -> None:
    client.force_login(analyst_halmstad)
    url = "/personal/handelser/halmstad/"
    assert "Inga filer är inlästa än" in client.get(url).content.decode()
    path = write_events(tmp_path / "handelser.json", FIRST_WITH_REPEAT)
    with path.open("rb") as f:
        page = client.post(url, {"fil": f}).content.decode()
    assert "handelser.json är inläst" in page
    assert "<th scope=\"row\">Nya</th><td class=\"num\">9</td>" in page
    assert "<th scope=\"row\">Andra kommuners händelser (hoppades över)</th><td class=\"num\">3</td>" in page
    assert PoliceEvent.objects.count() == 9
    entry = AuditEvent.objects.get(action="incidents_imported")
    assert entry.actor == analyst_halmstad
    with path.open("rb") as f:
        again = client.post(url, {"fil": f}).content.decode()
    assert "<th scope=\"row\">Fanns redan</th><td class=\"num\">9</td>" in again
    assert PoliceEvent.objects.count() == 9


def test_staff_page_shows_the_error_and_stores_nothing(client: Any, analyst_halmstad: Any, write_csv: Any) -> None:
    client.force_login(analyst_halmstad)
    path = write_csv("egna.csv", OWN_HEADER, [*OWN_ROWS[:2], ["igår", "klotter", "", "", "vallas"]])
    with path.open("rb") as f:
        response = client.post("/personal/handelser/halmstad/", {"fil": f})
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert "egna.csv, rad 3, kolumn occurred_at: 'igår' är ingen tid som 2024-05-01 00:30." in page
    assert not OwnIncident.objects.exists()
    response = client.post("/personal/handelser/halmstad/", {})
    assert response.status_code == 400 and "Välj en fil" in response.content.decode()
    with path.open("rb") as f:
        response = client.post("/personal/handelser/halmstad/", {"fil": f}, HTTP_ACCEPT_LANGUAGE="en")
    page = html.unescape(response.content.decode())
    assert "egna.csv, row 3, column occurred_at: 'igår' is not a time like 2024-05-01 00:30." in page


def test_staff_page_access(client: Any, halmstad: Any, django_user_model: Any, tmp_path: Path) -> None:
    from trygg.accounts.actions import do_grant_role

    url = "/personal/handelser/halmstad/"
    assert client.get(url).status_code == 302  # to the login
    viewer = django_user_model.objects.create_user("viewer_halmstad", password="läsare-lösenord-1")
    do_grant_role(viewer, halmstad, "viewer")
    client.force_login(viewer)
    page = client.get(url)
    assert page.status_code == 200 and "rollen läsare" in page.content.decode()
    with write_events(tmp_path / "e.json", FIRST).open("rb") as f:
        assert client.post(url, {"fil": f}).status_code == 403
    assert not PoliceEvent.objects.exists()
    laholm = do_create_organisation("laholm", "Laholms kommun", kommun_code="1381")
    stranger = django_user_model.objects.create_user("viewer_laholm", password="läsare-lösenord-2")
    do_grant_role(stranger, laholm, "viewer")
    client.force_login(stranger)
    assert client.get(url).status_code == 403
    assert client.get("/personal/handelser/ingen-sadan/").status_code == 404


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_page_in_a_browser_is_accessible(page: Any, live_server: Any, analyst_halmstad: Any,
                                               tmp_path: Path) -> None:
    from browser_helpers import assert_accessible

    page.goto(f"{live_server.url}/personal/login/?next=/personal/handelser/halmstad/")
    page.fill("#id_username", "analyst_halmstad")
    page.fill("#id_password", "analys-lösenord-1")
    page.click("button[type=submit], input[type=submit]")
    page.wait_for_url("**/personal/handelser/halmstad/")
    assert_accessible(page)
    page.set_input_files("#fil", str(write_events(tmp_path / "handelser.json", FIRST)))
    page.click("text=Läs in filen")
    assert page.locator("#resultat").inner_text().startswith("handelser.json är inläst")
    assert_accessible(page)


def test_the_admin_names_incidents_in_swedish_and_english(client: Any, halmstad: Any, analyst_halmstad: Any,
                                                          write_csv: Any, tmp_path: Path) -> None:
    do_import_incidents(halmstad, write_csv("egna.csv", OWN_HEADER, OWN_ROWS))
    do_import_incidents(halmstad, write_events(tmp_path / "handelser.json", FIRST))
    client.force_login(analyst_halmstad)
    page = client.get("/personal/incidents/incidentimport/").content.decode()
    assert "Inläsningar av händelser" in page and "Egna rapporter" in page and "Polisens händelser (JSON)" in page
    assert ">own<" not in page and ">police<" not in page
    incident = OwnIncident.objects.first()
    assert incident is not None
    page = client.get(f"/personal/incidents/ownincident/{incident.pk}/change/").content.decode()
    assert "Visa egen rapporterad händelse" in page
    assert "<label>Kategori:</label>" in page and "<label>Inträffade:</label>" in page
    english = client.get("/personal/incidents/incidentimport/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Incident imports" in english and "Own reports" in english and "Police events (JSON)" in english
    index = client.get("/personal/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Police events" in index and "Own reported incidents" in index


def test_the_audit_event_shows_labels_not_codes(halmstad: Any, tmp_path: Path) -> None:
    from django.utils import translation

    from trygg.accounts.labels import event_summary

    do_import_incidents(halmstad, write_events(tmp_path / "handelser.json", FIRST_WITH_REPEAT))
    event = AuditEvent.objects.get(action="incidents_imported")
    summary = event_summary(event)
    assert "slag: Polisens händelser (JSON)" in summary and "nya: 9" in summary
    assert "andra kommuners (hoppades över): 3" in summary and "upprepade i filen: 1" in summary
    assert "police" not in summary and "stored" not in summary
    with translation.override("en"):
        english = event_summary(event)
    assert "kind: Police events (JSON)" in english and "new: 9" in english
    assert "other municipalities' (skipped): 3" in english
