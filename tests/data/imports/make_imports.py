"""Realistic exports from Netigate, Microsoft Forms (XLSX) and Esmaker (CSV) for the import tests, made from the
shipped mappings.

Each file has the tool's own bookkeeping columns, the Swedish question texts as headers, the Swedish answer labels
and the area's name, as staff would download them. `bad` replaces cells by (data row, header) to make broken files.
"""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

from openpyxl import Workbook

MAPPINGS = Path(__file__).parents[3] / "src" / "trygg" / "surveys" / "mappings"
AREA_NAMES = ("Andersberg", "Vallås", "Centrum öst", "Söndrum")


def _labels(tool: str) -> tuple[dict[str, str], dict[str, list[str]], dict[str, str]]:
    raw = json.loads((MAPPINGS / f"{tool}.json").read_text(encoding="utf-8"))
    by_question = {q: list(labels) for q, labels in raw["values"].items()}
    return raw["columns"], by_question, {"separator": raw["separator"]}


def rows_for(tool: str, n: int, seed: int = 12) -> tuple[list[str], list[list[str]]]:
    columns, labels, extra = _labels(tool)
    rng = random.Random(seed)
    bookkeeping = {"netigate": ["Respondent-ID", "Startdatum", "Status"], "esmaker": ["Id", "Påbörjad"],
                   "msforms": ["ID", "Starttid", "E-post"]}[tool]
    header = [*bookkeeping, *columns]
    rows = []
    for i in range(n):
        row = [str(1000 + i), f"2026-10-{1 + i % 20:02d} 18:{i % 60:02d}",
               "anonymous" if tool == "msforms" else "Slutförd"][:len(bookkeeping)]
        for qid in columns.values():
            if qid == "submitted_at":
                row.append(f"2026-10-{1 + i % 20:02d} 18:{i % 60:02d}:30")
            elif qid == "area":
                row.append(AREA_NAMES[i % len(AREA_NAMES)])
            elif qid in labels:
                options = labels[qid]
                if qid == "unsafe_time":
                    chosen = extra["separator"].join(rng.sample(options, 2))
                    row.append(chosen + ";" if tool == "msforms" else chosen)
                else:
                    row.append(rng.choice(options))
            else:
                row.append("Vid stationen på kvällen" if i % 3 == 0 else "")
        rows.append(row)
    return header, rows


def write(tool: str, path: Path, n: int = 30, bad: dict[tuple[int, str], str] | None = None) -> Path:
    header, rows = rows_for(tool, n)
    for (row, column), value in (bad or {}).items():
        rows[row - 1][header.index(column)] = value
    if path.suffix == ".xlsx":
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(header)
        for r in rows:
            sheet.append(r)
        book.save(path)
    else:
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, delimiter=";")
            writer.writerow(header)
            writer.writerows(rows)
    return path
