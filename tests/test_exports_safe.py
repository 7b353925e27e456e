"""Exports are safe to open in a spreadsheet (OWASP's CSV-injection rule) and import back to the same text."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from trygg.surveys.actions import do_import_responses, do_submit_response
from trygg.surveys.exports import export_responses
from trygg.surveys.models import Response
from trygg.tabular import neutralise_cell, restore_cell

DANGEROUS = ["=HYPERLINK(\"http://example.invalid\",\"klicka\")", "+46 70 123", "-1+1", "@SUM(A1)",
             "\tflik", "\rretur", "vanlig text", "'citat", "'=redan skyddad"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_neutralise_and_restore_are_inverse(text: str) -> None:
    safe = neutralise_cell(text)
    assert not safe.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert restore_cell(safe) == text


@pytest.fixture
def answered(open_survey):
    for i, text in enumerate(DANGEROUS):
        do_submit_response(open_survey, {"gender": "kvinna", "unsafe_places_text": text}, f"token-{i}")
    return open_survey


def test_csv_cells_never_start_a_formula_and_round_trip(answered, tmp_path: Path) -> None:
    data = export_responses(answered, "csv", None)
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
    cells = [r["unsafe_places_text"] for r in rows]
    assert all(not c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells)
    assert cells[0] == "'=HYPERLINK(\"http://example.invalid\",\"klicka\")"
    path = tmp_path / "svar.csv"
    path.write_bytes(data)
    before = list(Response.objects.order_by("id").values_list("answers", flat=True))
    assert do_import_responses(answered, path) == len(DANGEROUS)
    after = list(Response.objects.order_by("id").values_list("answers", flat=True))[len(DANGEROUS):]
    # The importer strips surrounding whitespace from every cell, so compare the stripped texts.
    assert [a["unsafe_places_text"] for a in after] == [b["unsafe_places_text"].strip() for b in before]


def test_xlsx_holds_text_not_formulas_and_round_trips(answered, tmp_path: Path) -> None:
    path = tmp_path / "svar.xlsx"
    export_responses(answered, "xlsx", path)
    with zipfile.ZipFile(path) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet and "<f " not in sheet  # no formula element anywhere
    workbook = openpyxl.load_workbook(path)
    header = [c.value for c in next(workbook.worksheets[0].iter_rows(max_row=1))]
    column = header.index("unsafe_places_text")
    values = [row[column].value for row in workbook.worksheets[0].iter_rows(min_row=2)]
    assert values[0] == DANGEROUS[0]
    assert do_import_responses(answered, path) == len(DANGEROUS)
    texts = [a["unsafe_places_text"] for a in
             Response.objects.order_by("id").values_list("answers", flat=True)[len(DANGEROUS):]]
    assert texts == [t.strip() for t in DANGEROUS]
