"""The one error type for bad input files: it names the file, row and column, as the CLI contract asks."""

from __future__ import annotations

import re
from pathlib import Path

_SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*-[0-9]{4}")


class InputError(ValueError):
    """Bad input. `row` counts data rows from 1 (the header is not a data row); `line` is the file's own line."""

    def __init__(self, message: str, *, file: str | Path | None = None, row: int | None = None,
                 column: str | None = None, line: int | None = None) -> None:
        self.file = Path(file).name if file is not None else None
        self.row = row
        self.column = column
        self.line = line
        self.message = message
        super().__init__(self.sentence())

    def sentence(self) -> str:
        where = []
        if self.file:
            where.append(self.file)
        if self.row is not None:
            where.append(f"row {self.row}" + (f" (line {self.line} of the file)" if self.line else ""))
        if self.column:
            where.append(f"column {self.column}")
        text = self.message.rstrip(".")
        if where:
            return ", ".join(where) + ": " + text + "."
        # A sentence starts with a capital, but a slug it starts with is shown as typed ("halmstad-2026 is closed").
        first = text.split(" ", 1)[0]
        return (text if _SLUG.fullmatch(first) else text[:1].upper() + text[1:]) + "."
