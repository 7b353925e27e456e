"""Answers out, in the import format: one column per question id (cells as in an import), then submitted_at."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

from trygg.surveys.models import Survey
from trygg.tabular import neutralise_cell

FORMATS = ("csv", "xlsx", "json")


def export_rows(survey: Survey) -> tuple[list[str], Iterator[list[str]]]:
    bank = survey.bank
    qids = [q.id for q in bank.questions]
    header = [*qids, "submitted_at"]

    def rows() -> Iterator[list[str]]:
        for response in survey.responses.order_by("id").iterator(chunk_size=2000):
            answers = response.answers
            yield [bank.to_cell(q, answers.get(q)) for q in qids] + [response.submitted_at.isoformat()]

    return header, rows()


def export_responses(survey: Survey, fmt: str, out: Path | None) -> bytes | None:
    """Write the answers to `out`, or return the bytes when out is None."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    header, rows = export_rows(survey)
    if fmt == "xlsx":
        import openpyxl
        from openpyxl.cell import WriteOnlyCell

        workbook = openpyxl.Workbook(write_only=True)
        sheet = workbook.create_sheet(survey.slug[:31])
        sheet.append(header)
        for row in rows:
            cells = []
            for value in row:
                cell = WriteOnlyCell(sheet, value)
                # Text stays text: a resident's "=HYPERLINK(…)" must never become a live formula.
                cell.data_type = "s"
                cells.append(cell)
            sheet.append(cells)
        buffer = io.BytesIO()
        workbook.save(buffer)
        data = buffer.getvalue()
    elif fmt == "json":
        records = [dict(zip(header, row, strict=True)) for row in rows]
        data = json.dumps({"survey": survey.slug, "responses": records}, ensure_ascii=False, indent=1).encode()
    else:
        text = io.StringIO(newline="")
        # CRLF as RFC 4180 says: the csv module then also quotes a lone CR inside a resident's text.
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows([neutralise_cell(c) for c in row] for row in rows)
        data = text.getvalue().encode("utf-8")
    if out is None:
        return data
    tmp = out.with_name(out.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(out)  # nothing half-written: the file appears whole or not at all
    return None
