"""Mapping files translate another survey tool's columns and labels into question ids and answer codes.

JSON: {"tool": "Netigate", "columns": {"Kön": "gender", ...}, "values": {"gender": {"Kvinna": "kvinna", ...}},
"ignore": ["Respondent-ID"], "separator": ";"}
Columns not named in "columns" are dropped only when listed under "ignore"; any other unknown column is a problem.
Labels are matched without regard to case or surrounding spaces. Every problem of a file is collected
(`ImportProblems`), so staff see all unmapped labels and bad cells at once, not one per attempt.

Ready mappings for the tools municipalities use ship in ``trygg/surveys/mappings/`` (`shipped_mappings`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext, ngettext

from trygg.errors import InputError

SHIPPED = Path(__file__).parent / "mappings"
# Enough to see the pattern of a broken export without a page of thousands of lines.
MAX_PROBLEMS = 200


class ImportProblems(InputError):
    """Several problems in one file, each an InputError naming its row and column; the first `MAX_PROBLEMS` kept."""

    def __init__(self, problems: list[InputError], *, file: str | Path | None = None, total: int | None = None) -> None:
        self.problems = problems[:MAX_PROBLEMS]
        self.total = total if total is not None else len(problems)
        super().__init__(self._count(), file=file)

    def _count(self) -> str:
        return ngettext("%(n)s problem, inget sparades", "%(n)s problem, inget sparades", self.total) % {
            "n": self.total}

    def sentence(self) -> str:
        count = self._count() + ":"
        lines = [f"{self.file}: {count}" if self.file else count[:1].upper() + count[1:]]
        lines += [f"  {p.sentence()}" for p in self.problems]
        if self.total > len(self.problems):
            lines.append("  " + gettext("… och %(n)s till") % {"n": self.total - len(self.problems)})
        return "\n".join(lines)


@dataclass(frozen=True)
class Mapping:
    file: Path
    column_map: dict[str, str]
    values: dict[str, dict[str, str]]
    ignore: frozenset[str]
    separator: str
    tool: str = ""

    @classmethod
    def load(cls, path: str | Path) -> Mapping:
        path = Path(path)
        if not path.exists() and str(path) in shipped_mappings():
            path = shipped_mappings()[str(path)]
        try:
            raw = json.loads(path.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InputError(gettext("mappningsfilen går inte att läsa som JSON (%(reason)s)") % {"reason": exc},
                             file=path) from None
        if not isinstance(raw, dict) or not isinstance(raw.get("columns"), dict):
            raise InputError(gettext('mappningen behöver ett objekt "columns" från filens kolumn till en fråga i '
                                     'frågebanken'), file=path)
        values = raw.get("values") or {}
        if not isinstance(values, dict) or not all(isinstance(v, dict) for v in values.values()):
            raise InputError(gettext('"values" ska koppla en fråga till ett objekt från svarstext till svarskod'),
                             file=path)
        return cls(path, {str(k).strip(): str(v) for k, v in raw["columns"].items()},
                   {str(q): {str(k).strip().casefold(): str(v) for k, v in m.items()} for q, m in values.items()},
                   frozenset(str(c).strip() for c in raw.get("ignore", [])), str(raw.get("separator", ";")),
                   str(raw.get("tool", "")))

    def columns(self, header: list[str], data_file: Path, problems: list[InputError]) -> list[str]:
        """The question ids the file's header maps to; each unmapped column is added to `problems`."""
        out = []
        for column in header:
            name = column.strip()
            if not name or name in self.ignore:
                continue
            if name not in self.column_map:
                problems.append(InputError(gettext("kolumnen %(column)r är varken mappad eller ignorerad i %(mapping)s")
                                           % {"column": name, "mapping": self.file.name},
                                           file=data_file, column=name, line=1))
                continue
            out.append(self.column_map[name])
        return out

    def translate(self, row: dict[str, str], data_file: Path, index: int,
                  problems: list[InputError]) -> dict[str, str]:
        """The row with question ids and answer codes; each label without a code is added to `problems`."""
        out: dict[str, str] = {}
        for column, cell in row.items():
            name = column.strip()
            if not name or name in self.ignore or name not in self.column_map:
                continue
            qid = self.column_map[name]
            table = self.values.get(qid)
            if table is None or not cell:
                out[qid] = cell
                continue
            # Microsoft Forms ends a list of choices with the separator too: empty parts are no labels.
            parts = [p.strip() for p in cell.split(self.separator) if p.strip()]
            codes = []
            for part in parts:
                code = table.get(part.casefold())
                if code is None:
                    problems.append(InputError(gettext("svarstexten %(label)r har ingen svarskod i %(mapping)s")
                                               % {"label": part, "mapping": self.file.name},
                                               file=data_file, row=index, column=name))
                    continue
                codes.append(code)
            out[qid] = ";".join(codes)
        return out


def shipped_mappings() -> dict[str, Path]:
    """The ready mappings shipped with trygg, by file stem (e.g. 'netigate'), sorted."""
    return {p.stem: p for p in sorted(SHIPPED.glob("*.json"))}
