"""Mapping files translate another survey tool's columns and labels into question ids and answer codes.

JSON: {"columns": {"Kön": "gender", ...}, "values": {"gender": {"Kvinna": "kvinna", ...}}, "separator": ";"}
Columns not named in "columns" are dropped only when listed under "ignore"; any other unknown column is an error.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from trygg.errors import InputError


@dataclass(frozen=True)
class Mapping:
    file: Path
    column_map: dict[str, str]
    values: dict[str, dict[str, str]]
    ignore: frozenset[str]
    separator: str

    @classmethod
    def load(cls, path: str | Path) -> Mapping:
        path = Path(path)
        try:
            raw = json.loads(path.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InputError(f"the mapping file cannot be read as JSON ({exc})", file=path) from None
        if not isinstance(raw, dict) or not isinstance(raw.get("columns"), dict):
            raise InputError('the mapping needs an object "columns" from the file\'s column to a question id',
                             file=path)
        values = raw.get("values") or {}
        if not isinstance(values, dict) or not all(isinstance(v, dict) for v in values.values()):
            raise InputError('"values" must map a question id to an object from label to answer code', file=path)
        return cls(path, {str(k): str(v) for k, v in raw["columns"].items()},
                   {str(q): {str(k).strip().casefold(): str(v) for k, v in m.items()} for q, m in values.items()},
                   frozenset(str(c) for c in raw.get("ignore", [])), str(raw.get("separator", ";")))

    def columns(self, header: list[str], data_file: Path) -> list[str]:
        """The question ids the file's header maps to."""
        out = []
        for column in header:
            if not column or column in self.ignore:
                continue
            if column not in self.column_map:
                raise InputError(f"the column {column!r} is neither mapped nor ignored in {self.file.name}",
                                 file=data_file, column=column, line=1)
            out.append(self.column_map[column])
        return out

    def translate(self, row: dict[str, str], data_file: Path, index: int) -> dict[str, str]:
        out: dict[str, str] = {}
        for column, cell in row.items():
            if column in self.ignore:
                continue
            qid = self.column_map[column]
            table = self.values.get(qid)
            if table is None or not cell:
                out[qid] = cell
                continue
            parts = [p.strip() for p in cell.split(self.separator)] if self.separator in cell else [cell.strip()]
            codes = []
            for part in parts:
                code = table.get(part.casefold())
                if code is None:
                    raise InputError(f"the label {part!r} has no answer code in {self.file.name}",
                                     file=data_file, row=index, column=column)
                codes.append(code)
            out[qid] = ";".join(codes)
        return out
