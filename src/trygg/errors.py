"""The one error type for bad input files: it names the file, row and column, as the CLI contract asks."""

from __future__ import annotations

from pathlib import Path


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
        return (", ".join(where) + ": " + text + ".") if where else text[:1].upper() + text[1:] + "."
