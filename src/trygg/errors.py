"""The one error type for bad input files: it names the file, row and column, as the CLI contract asks.

Messages are Swedish source strings translated by the active language at raise time (gettext); the place in the
file ("rad 3 (rad 4 i filen), kolumn gender") is worded when the error is shown, in the language active then.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.utils.translation import gettext

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

    def __str__(self) -> str:
        return self.sentence()

    def sentence(self) -> str:
        where = []
        if self.file:
            where.append(self.file)
        if self.row is not None:
            where.append(gettext("rad %(row)s (rad %(line)s i filen)") % {"row": self.row, "line": self.line}
                         if self.line else gettext("rad %(row)s") % {"row": self.row})
        if self.column:
            where.append(gettext("kolumn %(column)s") % {"column": self.column})
        text = self.message.rstrip(".")
        if where:
            return ", ".join(where) + ": " + text + "."
        # A sentence starts with a capital, but a slug it starts with is shown as typed ("halmstad-2026 är stängd").
        first = text.split(" ", 1)[0]
        return (text if _SLUG.fullmatch(first) else text[:1].upper() + text[1:]) + "."
