"""Reading the table files users have (CSV in UTF-8, UTF-16 or Windows-1252, with , ; or tab; XLSX) into rows."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext, ngettext

from trygg import formatting
from trygg.errors import InputError

# Stockholm's whole adult population answering would be under a million; a file beyond this is a wrong file, refused
# by counting lines before anything is parsed into memory.
MAX_ROWS = 500_000
# Mac Roman's å, ä, ö (and Å, Ä, Ö) read as these in Windows-1252: Swedish text full of them is Mac Roman.
_MAC_ROMAN_SIGNS = set("\u0152\u0160\u0161\u20ac\u2026\u2020")
# OWASP's rule for CSV injection: a cell that begins with one of these is a formula to a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(text: str) -> str:
    """A cell safe to open in a spreadsheet: a ' goes before a leading formula character (undone on import).

    Text that already reads like a neutralised cell ("'=x") gets one more, so restore_cell gives back exactly it.
    """
    return "'" + text if text.lstrip("'").startswith(FORMULA_STARTS) else text


def restore_cell(text: str) -> str:
    """The inverse of neutralise_cell for a cell read back: "'=x" is the text "=x"; other text is left alone."""
    return text[1:] if text.startswith("'") and text.lstrip("'").startswith(FORMULA_STARTS) else text


@dataclass(frozen=True)
class Table:
    file: Path
    header: list[str]
    rows: list[dict[str, str]]
    first_data_line: int  # the file line (or sheet row) of data row 1
    warnings: list[str] = field(default_factory=list)  # things ignored that the user should hear about


def _decode(data: bytes, path: Path) -> str:
    """UTF-8 (with or without BOM), UTF-16 (with BOM) or Windows-1252; anything else is a clear error."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(gettext("filen säger att den är UTF-16 men är det inte"), file=path) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = ""
    if text and not (sum(c in _MAC_ROMAN_SIGNS for c in text) > sum(c in "åäöÅÄÖ" for c in text)):
        return text
    raise InputError(gettext("filen är inte text i UTF-8, UTF-16 eller Windows-1252 (den kan vara Mac Roman); "
                             "spara den som 'CSV UTF-8' och importera den igen"), file=path)


def _too_many_rows() -> str:
    return gettext("fler än %(max)s rader; dela upp filen") % {"max": formatting.integer(MAX_ROWS)}


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _check_header(header: list[str], path: Path, warnings: list[str]) -> list[str]:
    """The column names; unnamed columns stay as '' (their cells are ignored) and are reported in `warnings`."""
    if not header:
        raise InputError(gettext("filen är tom; dess första rad ska ge kolumnernas namn"), file=path)
    header = [h.strip() for h in header]
    if not any(header):
        raise InputError(gettext("första raden ska ge kolumnernas namn, men den är tom"), file=path, line=1)
    seen: set[str] = set()
    for h in header:
        if h and h in seen:
            raise InputError(gettext("kolumnen %(column)r står två gånger i rubrikraden") % {"column": h}, file=path,
                             column=h, line=1)
        seen.add(h)
    while header and not header[-1]:
        header.pop()
    unnamed = [str(i) for i, h in enumerate(header, start=1) if not h]
    if unnamed:
        warnings.append(ngettext("%(file)s: kolumn %(columns)s har inget namn i rubrikraden; dess celler hoppas över",
                                 "%(file)s: kolumnerna %(columns)s har inga namn i rubrikraden; deras celler hoppas "
                                 "över", len(unnamed)) % {"file": path.name, "columns": ", ".join(unnamed)})
    return header


def _rows_from(records: Iterator[list[str]], header: list[str], path: Path, first_line: int) -> list[dict[str, str]]:
    rows = []
    for index, record in enumerate(records, start=1):
        if not any(c.strip() for c in record):
            continue
        if len(record) > len(header) and any(c.strip() for c in record[len(header):]):
            raise InputError(ngettext("raden har %(cells)s celler men rubrikraden har bara %(n)s kolumn",
                                      "raden har %(cells)s celler men rubrikraden har bara %(n)s kolumner",
                                      len(header)) % {"cells": len(record), "n": len(header)},
                             file=path, row=index, line=first_line + index - 1)
        if index > MAX_ROWS:
            raise InputError(_too_many_rows(), file=path, row=index)
        padded = list(record[: len(header)]) + [""] * (len(header) - len(record))
        rows.append({h: c.strip() for h, c in zip(header, padded, strict=True) if h})
    return rows


def read_table(path: str | Path) -> Table:
    """Read a CSV or XLSX file with a header row. Raises InputError naming the file on anything unreadable."""
    path = Path(path)
    if not path.is_file():
        raise InputError(gettext("filen finns inte"), file=path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    text = _decode(path.read_bytes(), path)
    if text.count("\n") > MAX_ROWS + 1:
        raise InputError(_too_many_rows(), file=path)
    # The header line decides the separator: Swedish Excel writes ';', other tools ',' or tab, and free-text
    # cells further down may contain any of them.
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    warnings: list[str] = []
    try:
        header = _check_header(next(reader, []), path, warnings)
        # Cells our CSV export neutralised against spreadsheet formulas read back as the text they were.
        rows = _rows_from(([restore_cell(c) for c in record] for record in reader), header, path, first_line=2)
    except csv.Error as exc:
        raise InputError(gettext("CSV-filen går inte att läsa (%(reason)s)") % {"reason": exc}, file=path,
                         line=reader.line_num) from None
    return Table(path, header, rows, 2, warnings)


def _read_xlsx(path: Path) -> Table:
    import openpyxl  # imported here: only XLSX imports pay for it

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise InputError(gettext("filen är inte en läsbar XLSX-arbetsbok (%(reason)s)")
                         % {"reason": exc.__class__.__name__}, file=path) from None
    try:
        sheet = workbook.worksheets[0]
        if (sheet.max_row or 0) > MAX_ROWS + 1:
            raise InputError(_too_many_rows(), file=path)
        records = ([_cell(v) for v in row] for row in sheet.iter_rows(values_only=True))
        warnings: list[str] = []
        header = _check_header(next(records, []), path, warnings)
        rows = _rows_from(records, header, path, first_line=2)
    finally:
        workbook.close()
    return Table(path, header, rows, 2, warnings)
