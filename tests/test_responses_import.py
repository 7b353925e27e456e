"""Answers in from CSV and XLSX, all rows or none, with the file, row and column of the first problem named."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from trygg.errors import InputError
from trygg.surveys.actions import do_import_responses
from trygg.surveys.exports import export_responses
from trygg.surveys.models import Response

HEADER = ["area", "gender", "age_group", "safe_area", "unsafe_places", "unsafe_places_text", "unsafe_time"]


def good_rows(n: int) -> list[list[str]]:
    areas = ["andersberg", "vallas", "sondrum", "annat", ""]
    return [[areas[i % 5], ["kvinna", "man"][i % 2], "25-44", ["ganska_trygg", "mycket_otrygg"][i % 2],
             ["ja", "nej"][i % 2], "Stora torg på kvällen" if i % 2 == 0 else "", "20-23;23-02"] for i in range(n)]


def test_csv_import_stores_every_row(open_survey, write_csv) -> None:
    path = write_csv("svar.csv", HEADER, good_rows(10))
    assert do_import_responses(open_survey, path) == 10
    first = Response.objects.filter(survey=open_survey).order_by("id").first()
    assert first.answers == {"area": "andersberg", "gender": "kvinna", "age_group": "25-44",
                             "safe_area": "ganska_trygg", "unsafe_places": "ja",
                             "unsafe_places_text": "Stora torg på kvällen", "unsafe_time": ["20-23", "23-02"]}
    assert first.channel == "import"


def test_bad_code_in_row_7_names_row_and_column_and_stores_nothing(open_survey, write_csv) -> None:
    rows = good_rows(12)
    rows[6][3] = "jättetrygg"
    path = write_csv("svar.csv", HEADER, rows)
    with pytest.raises(InputError) as err:
        do_import_responses(open_survey, path)
    assert err.value.row == 7
    assert err.value.column == "safe_area"
    assert str(err.value) == ("svar.csv, rad 7 (rad 8 i filen), kolumn safe_area: 'jättetrygg' är ingen svarskod för "
                              "safe_area (tillåtna: mycket_trygg, ganska_trygg, ganska_otrygg, mycket_otrygg, vet_ej).")
    assert Response.objects.count() == 0


def test_excel_style_csv_with_semicolons_in_windows_1252(open_survey, write_csv) -> None:
    rows = good_rows(4)
    rows[0][5] = "Köpmansgatan, mörkt"
    path = write_csv("excel.csv", HEADER, rows, delimiter=";", encoding="cp1252")
    assert do_import_responses(open_survey, path) == 4
    assert Response.objects.order_by("id").first().answers["unsafe_places_text"] == "Köpmansgatan, mörkt"


def test_unknown_column_is_named(open_survey, write_csv) -> None:
    path = write_csv("svar.csv", [*HEADER, "favourite_colour"], [r + ["blå"] for r in good_rows(3)])
    with pytest.raises(InputError, match="kolumn favourite_colour: 'favourite_colour' är ingen fråga"):
        do_import_responses(open_survey, path)
    assert Response.objects.count() == 0


def test_unknown_area_is_refused(open_survey, write_csv) -> None:
    rows = good_rows(3)
    rows[2][0] = "gotham"
    with pytest.raises(InputError) as err:
        do_import_responses(open_survey, write_csv("svar.csv", HEADER, rows))
    assert (err.value.row, err.value.column) == (3, "area")


def test_row_with_too_many_cells(open_survey, write_csv) -> None:
    rows = good_rows(3)
    rows[1].append("extra")
    with pytest.raises(InputError, match="rad 2 .* raden har 8 celler men rubrikraden har bara 7 kolumner"):
        do_import_responses(open_survey, write_csv("svar.csv", HEADER, rows))


def test_xlsx_import_and_bad_cell(open_survey, tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in good_rows(8):
        sheet.append(row)
    sheet.cell(row=6, column=2, value="hen")  # data row 5
    path = tmp_path / "svar.xlsx"
    workbook.save(path)
    with pytest.raises(InputError) as err:
        do_import_responses(open_survey, path)
    assert (err.value.row, err.value.column, err.value.file) == (5, "gender", "svar.xlsx")
    sheet.cell(row=6, column=2, value="annat")
    workbook.save(path)
    assert do_import_responses(open_survey, path) == 8


def test_not_a_workbook(open_survey, tmp_path: Path) -> None:
    path = tmp_path / "trasig.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(InputError, match="trasig.xlsx"):
        do_import_responses(open_survey, path)


def test_mapping_translates_another_tools_columns_and_labels(open_survey, write_csv, tmp_path: Path) -> None:
    path = write_csv("export-from-other-tool.csv", ["Respondent", "Kön", "Trygghet i området"],
                     [["1", "Kvinna", "Ganska trygg"], ["2", "Man", "Mycket otrygg"], ["3", "", ""]])
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({
        "columns": {"Kön": "gender", "Trygghet i området": "safe_area"}, "ignore": ["Respondent"],
        "values": {"gender": {"Kvinna": "kvinna", "Man": "man"},
                   "safe_area": {"Ganska trygg": "ganska_trygg", "Mycket otrygg": "mycket_otrygg"}}}),
        encoding="utf-8")
    assert do_import_responses(open_survey, path, mapping) == 3
    assert [r.answers for r in Response.objects.order_by("id")] == [
        {"gender": "kvinna", "safe_area": "ganska_trygg"}, {"gender": "man", "safe_area": "mycket_otrygg"}, {}]
    bad = write_csv("bad.csv", ["Respondent", "Kön", "Trygghet i området"], [["1", "Kvinna", "Superbra"]])
    with pytest.raises(InputError) as err:
        do_import_responses(open_survey, bad, mapping)
    assert (err.value.row, err.value.column) == (1, "Trygghet i området")


def test_export_round_trips_through_import(open_survey, write_csv, tmp_path: Path) -> None:
    rows = good_rows(6)
    rows[0].append("56.6745 12.8578;56.675 12.86")
    header = [*HEADER, "unsafe_places_pins"]
    rows = [r if len(r) == len(header) else r + [""] for r in rows]
    do_import_responses(open_survey, write_csv("svar.csv", header, rows))
    for fmt in ("csv", "xlsx"):
        out = tmp_path / f"export.{fmt}"
        export_responses(open_survey, fmt, out)
        before = [r.answers for r in Response.objects.order_by("id")]
        Response.objects.all().delete()
        do_import_responses(open_survey, out)
        assert [r.answers for r in Response.objects.order_by("id")] == before


@pytest.mark.parametrize("when", ["2999-01-01T10:00", "1970-01-01T00:00"])
def test_an_implausible_answer_time_is_refused(open_survey, write_csv, when: str) -> None:
    path = write_csv("svar.csv", ["gender", "submitted_at"], [["kvinna", "2024-10-03T18:30"], ["man", when]])
    with pytest.raises(InputError, match="svar.csv, rad 2, kolumn submitted_at: .* är ingen rimlig tidpunkt"):
        do_import_responses(open_survey, path)
    assert not Response.objects.exists()


def test_a_population_of_1e300_is_refused(halmstad, write_csv) -> None:
    from trygg.areas.actions import do_import_population

    path = write_csv("folk.csv", ["variable", "category", "count"], [["gender", "kvinna", "1e300"]])
    with pytest.raises(InputError, match="folk.csv, rad 1, kolumn count: antalet ska vara ett positivt antal"):
        do_import_population(halmstad, path)


def test_nul_or_odd_characters_in_a_staff_address_are_404_not_500(client, analyst_halmstad) -> None:
    client.force_login(analyst_halmstad)
    for slug in ["halmstad-2026%00", "%00", "x" * 500 + "-2026", "halmstad-20x6"]:
        assert client.get(f"/personal/kodning/{slug}/").status_code == 404
