"""Reading the table files users have (CSV in UTF-8 or Excel's Windows-1252, with , ; or tab; XLSX) into rows."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from trygg.errors import InputError

MAX_ROWS = 1_000_000


@dataclass(frozen=True)
class Table:
    file: Path
    header: list[str]
    rows: list[dict[str, str]]
    first_data_line: int  # the file line (or sheet row) of data row 1


def _decode(data: bytes, path: Path) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError("the file is neither UTF-8 nor Windows-1252 text", file=path)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _check_header(header: list[str], path: Path) -> list[str]:
    header = [h.strip() for h in header]
    if not any(header):
        raise InputError("the first row must name the columns", file=path, row=0, line=1)
    seen: set[str] = set()
    for h in header:
        if h in seen:
            raise InputError(f"the column {h!r} appears twice in the header", file=path, column=h, line=1)
        seen.add(h)
    return header


def _rows_from(records: Iterator[list[str]], header: list[str], path: Path, first_line: int) -> list[dict[str, str]]:
    rows = []
    for index, record in enumerate(records, start=1):
        if not any(c.strip() for c in record):
            continue
        if len(record) > len(header):
            raise InputError(f"it has {len(record)} cells but the header names {len(header)} columns",
                             file=path, row=index, line=first_line + index - 1)
        if index > MAX_ROWS:
            raise InputError(f"more than {MAX_ROWS:,} rows; split the file", file=path, row=index)
        padded = list(record) + [""] * (len(header) - len(record))
        rows.append({h: c.strip() for h, c in zip(header, padded, strict=True) if h})
    return rows


def read_table(path: str | Path) -> Table:
    """Read a CSV or XLSX file with a header row. Raises InputError naming the file on anything unreadable."""
    path = Path(path)
    if not path.is_file():
        raise InputError("no such file", file=path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    text = _decode(path.read_bytes(), path)
    # The header line decides the separator: Swedish Excel writes ';', other tools ',' or tab, and free-text
    # cells further down may contain any of them.
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = _check_header(next(reader, []), path)
        rows = _rows_from(reader, header, path, first_line=2)
    except csv.Error as exc:
        raise InputError(f"the CSV cannot be read ({exc})", file=path, line=reader.line_num) from None
    return Table(path, header, rows, 2)


def _read_xlsx(path: Path) -> Table:
    import openpyxl  # imported here: only XLSX imports pay for it

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise InputError(f"the file is not a readable XLSX workbook ({exc.__class__.__name__})", file=path) from None
    try:
        sheet = workbook.worksheets[0]
        records = ([_cell(v) for v in row] for row in sheet.iter_rows(values_only=True))
        header = _check_header(next(records, []), path)
        while header and not header[-1]:
            header.pop()
        trimmed = (r[: len(header)] if not any(r[len(header):]) else r for r in records)
        rows = _rows_from(trimmed, header, path, first_line=2)
    finally:
        workbook.close()
    return Table(path, header, rows, 2)
