"""Table files as users have them: encodings, unnamed columns, sizes; every problem named, nothing half-read."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from django.utils import translation

from trygg.errors import InputError
from trygg.tabular import MAX_ROWS, read_table

SWEDISH = "namn,plats\nÅsa,Stora torget i Ängelholm\nÖrjan,Ölands södra udde\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_swedish_text_reads_the_same_in_every_supported_encoding(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "platser.csv"
    path.write_bytes(SWEDISH.encode(encoding))
    table = read_table(path)
    assert table.rows == [{"namn": "Åsa", "plats": "Stora torget i Ängelholm"},
                          {"namn": "Örjan", "plats": "Ölands södra udde"}]


def test_mac_roman_is_refused_with_a_clear_error_not_read_as_mojibake(tmp_path: Path) -> None:
    path = tmp_path / "mac.csv"
    path.write_bytes(SWEDISH.encode("mac_roman"))
    with pytest.raises(InputError) as err:
        read_table(path)
    assert str(err.value).startswith("mac.csv: filen är inte text i UTF-8, UTF-16 eller Windows-1252")
    assert "CSV UTF-8" in str(err.value)


def test_unnamed_columns_are_ignored_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "svar.csv"
    path.write_text("gender,,,safe_area\nkvinna,x,y,ganska_trygg\n", encoding="utf-8")
    table = read_table(path)
    assert table.rows == [{"gender": "kvinna", "safe_area": "ganska_trygg"}]
    assert table.warnings == ["svar.csv: kolumnerna 2, 3 har inga namn i rubrikraden; deras celler hoppas över"]
    with translation.override("en"):
        assert read_table(path).warnings == [
            "svar.csv: columns 2, 3 have no name in the header; their cells are ignored"]


def test_a_named_column_twice_is_still_an_error_on_line_1(tmp_path: Path) -> None:
    path = tmp_path / "svar.csv"
    path.write_text("gender,gender\nkvinna,man\n", encoding="utf-8")
    with pytest.raises(InputError, match="svar.csv, kolumn gender: kolumnen 'gender' står två gånger"):
        read_table(path)


def test_too_many_rows_are_refused_before_they_are_read(tmp_path: Path) -> None:
    path = tmp_path / "stor.csv"
    path.write_text("gender\n" + "kvinna\n" * (MAX_ROWS + 1), encoding="utf-8")
    with pytest.raises(InputError, match="fler än 500\u00a0000 rader"):  # Swedish style: a no-break space
        read_table(path)
    with translation.override("en"), pytest.raises(InputError, match=f"more than {MAX_ROWS:,} rows"):
        read_table(path)


def test_xlsx_with_an_unnamed_column_and_trailing_empty_cells(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["gender", None, "safe_area"])
    sheet.append(["man", "skräp", "mycket_trygg", None, None])
    path = tmp_path / "svar.xlsx"
    workbook.save(path)
    table = read_table(path)
    assert table.rows == [{"gender": "man", "safe_area": "mycket_trygg"}]
    assert table.warnings == ["svar.xlsx: kolumn 2 har inget namn i rubrikraden; dess celler hoppas över"]


def test_the_command_prints_the_warning_and_imports(open_survey, tmp_path: Path, run_cli) -> None:
    path = tmp_path / "svar.csv"
    path.write_text("gender,,safe_area\nkvinna,x,ganska_trygg\n", encoding="utf-8")
    status, out, err = run_cli("responses", "import", "halmstad-2026", str(path))
    assert status == 0
    assert "column 2 has no name" in err
    assert out.startswith("1 ")


def test_an_empty_file_and_a_blank_header_are_named_without_a_row_0(tmp_path: Path) -> None:
    empty = tmp_path / "tom.csv"
    empty.write_bytes(b"")
    with pytest.raises(InputError) as err:
        read_table(empty)
    assert str(err.value) == "tom.csv: filen är tom; dess första rad ska ge kolumnernas namn."
    with translation.override("en"), pytest.raises(InputError) as err:
        read_table(empty)
    assert str(err.value) == "tom.csv: the file is empty; its first line must name the columns."
    blank = tmp_path / "blank.csv"
    blank.write_text(",,\nkvinna,x,y\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_table(blank)
    assert "rad 0" not in str(err.value) and "första raden ska ge kolumnernas namn" in str(err.value)


def test_a_message_that_starts_with_a_slug_keeps_it_as_typed() -> None:
    assert str(InputError("halmstad-2026 is closed")) == "halmstad-2026 is closed."
    assert str(InputError("there is no survey 'x'")) == "There is no survey 'x'."


def test_the_place_in_the_file_is_worded_in_the_language_it_is_shown_in() -> None:
    error = InputError("'x' är ingen svarskod", file="/tmp/svar.csv", row=3, column="gender", line=4)
    assert str(error) == "svar.csv, rad 3 (rad 4 i filen), kolumn gender: 'x' är ingen svarskod."
    with translation.override("en"):
        assert str(error) == "svar.csv, row 3 (line 4 of the file), column gender: 'x' är ingen svarskod."
