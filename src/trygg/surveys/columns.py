"""A survey's answers as compact columns: what every figure reads of them, small enough to store in one row.

Reading 300,000 answers means decoding 300,000 JSON documents; the columns keep only what the figures use — each
question the estimates and breakdowns need as one small integer per respondent into the list of its distinct
answers, each respondent's named places (from the stored coding, a person's review and the pins) and the pins —
so a closed survey's columns are stored once (`trygg.surveys.snapshot`) and a cold page reads one blob. The free
text is never in them.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import orjson
from numpy.typing import NDArray

# Raise when the columns' layout or meaning changes, so stored columns of an older layout are rebuilt.
COLUMNS_FORMAT = "1"


def _key(value: Any) -> Any:
    """A hashable stand-in for a JSON value that keeps apart what JSON keeps apart (1, 1.0, True, "1")."""
    if type(value) is str or value is None:
        return value
    if isinstance(value, list):
        return ("list", tuple(_key(v) for v in value))
    if isinstance(value, dict):
        return ("dict", tuple(sorted((k, _key(v)) for k, v in value.items())))
    return (type(value).__name__, value)


@dataclass(frozen=True, eq=False)
class Column:
    """One question: its distinct answers (JSON values, in order of first appearance) and, per respondent, the
    position of theirs in that list, -1 where the answer does not hold the question."""

    values: list[Any]
    codes: NDArray[np.int32]

    def table(self, of_value: Iterable[Any], absent: Any) -> NDArray[Any]:
        """`of_value` (one item per distinct answer, then `absent`) per respondent: a lookup, not a pass in Python."""
        return np.asarray([*of_value, absent])[self.codes]


@dataclass(frozen=True, eq=False)
class SurveyColumns:
    """Everything the figures read of a survey's `n` answers, in respondent (answer id) order.

    `named_start`/`named_slug`: respondent i named `slugs[named_slug[named_start[i]:named_start[i + 1]]]` (sorted,
    each once) — the stored coding or a person's review of it, and the named places their pins fell on. Pin j lies
    at (`pin_lat[j]`, `pin_lon[j]`) and was placed by respondent `pin_owner[j]`; `pins` counts the pins per named
    place or, for a pin elsewhere, per area.
    """

    n: int
    answers: dict[str, Column]
    slugs: list[str]
    named_start: NDArray[np.int64]
    named_slug: NDArray[np.int32]
    pin_lat: NDArray[np.float64]
    pin_lon: NDArray[np.float64]
    pin_owner: NDArray[np.int32]
    pins: dict[str, int]

    def named_sets(self) -> list[set[str]]:
        """The places each respondent named, as one set per respondent."""
        slugs = np.asarray(self.slugs, dtype=object)[self.named_slug].tolist() if self.slugs else []
        start = self.named_start.tolist()
        return [set(slugs[start[i]:start[i + 1]]) for i in range(self.n)]

    def named_by(self, slug: str) -> NDArray[np.bool_]:
        """Per respondent: whether they named `slug`."""
        said = np.zeros(self.n, dtype=bool)
        if slug in self.slugs:
            entries = np.flatnonzero(self.named_slug == self.slugs.index(slug))
            said[np.searchsorted(self.named_start, entries, side="right") - 1] = True
        return said

    def named_counts(self) -> list[tuple[str, int]]:
        """(slug, respondents who named it), most named first; ties in order of the first respondent naming them."""
        if not self.slugs:
            return []
        counts = np.bincount(self.named_slug, minlength=len(self.slugs))
        first = np.full(len(self.slugs), self.named_slug.shape[0], dtype=np.int64)
        np.minimum.at(first, self.named_slug, np.arange(self.named_slug.shape[0], dtype=np.int64))
        order = np.lexsort((first, -counts))
        return [(self.slugs[i], int(counts[i])) for i in order if counts[i] > 0]

    def answer_dicts(self, questions: Iterable[str]) -> list[dict[str, Any]]:
        """One dict per respondent with their answers to `questions` (those they hold) and their pins."""
        wanted = [(q, self.answers[q]) for q in questions if q in self.answers]
        rows: list[dict[str, Any]] = [{} for _ in range(self.n)]
        for question, column in wanted:
            values = column.values
            for row, code in enumerate(column.codes.tolist()):
                if code >= 0:
                    rows[row][question] = values[code]
        for owner, lat, lon in zip(self.pin_owner.tolist(), self.pin_lat.tolist(), self.pin_lon.tolist(),
                                   strict=True):
            rows[owner].setdefault("unsafe_places_pins", []).append([lat, lon])
        return rows

    def pin_counter(self) -> Counter[str]:
        return Counter(self.pins)


class ColumnsBuilder:
    """Collects answers one respondent at a time, in answer id order, into `SurveyColumns`."""

    def __init__(self, questions: Iterable[str]) -> None:
        self._questions = list(questions)
        self._index: dict[str, dict[Any, int]] = {q: {} for q in self._questions}
        self._values: dict[str, list[Any]] = {q: [] for q in self._questions}
        self._codes: dict[str, list[int]] = {q: [] for q in self._questions}
        self.named: list[set[str]] = []
        self.pin_points: list[tuple[float, float]] = []
        self.pin_owners: list[int] = []

    def add(self, answers: dict[str, Any], named: set[str]) -> None:
        row = len(self.named)
        for question in self._questions:
            codes = self._codes[question]
            if question not in answers:
                codes.append(-1)
                continue
            value = answers[question]
            index = self._index[question]
            key = _key(value)
            code = index.get(key)
            if code is None:
                code = index[key] = len(index)
                self._values[question].append(value)
            codes.append(code)
        self.named.append(named)
        for point in answers.get("unsafe_places_pins") or ():
            self.pin_points.append((float(point[0]), float(point[1])))
            self.pin_owners.append(row)

    def finish(self, pins: Counter[str]) -> SurveyColumns:
        """The columns, once the pins' named places have been added to `named` and counted in `pins`."""
        n = len(self.named)
        slugs = sorted({s for named in self.named for s in named})
        position = {s: i for i, s in enumerate(slugs)}
        sizes = np.fromiter((len(named) for named in self.named), dtype=np.int64, count=n)
        start = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
        flat = np.fromiter((position[s] for named in self.named for s in sorted(named)), dtype=np.int32,
                           count=int(start[-1]))
        points = np.asarray(self.pin_points, dtype=np.float64).reshape(-1, 2)
        return SurveyColumns(
            n, {q: Column(self._values[q], np.asarray(self._codes[q], dtype=np.int32)) for q in self._questions},
            slugs, start, flat, points[:, 0].copy(), points[:, 1].copy(),
            np.asarray(self.pin_owners, dtype=np.int32), dict(sorted(pins.items())))


def _small(codes: NDArray[np.int32], count: int) -> NDArray[Any]:
    """The codes in the smallest integer type that holds them (most questions have a handful of answers)."""
    for dtype in (np.int8, np.int16):
        if count <= np.iinfo(dtype).max:
            return codes.astype(dtype)
    return codes


def encode_columns(columns: SurveyColumns) -> bytes:
    """The columns as one compressed file (numpy's .npz, no pickled objects): a few megabytes for 300,000."""
    header = {"format": COLUMNS_FORMAT, "n": columns.n, "slugs": columns.slugs, "pins": columns.pins,
              "questions": {q: c.values for q, c in columns.answers.items()}}
    arrays: dict[str, NDArray[Any]] = {
        "header": np.frombuffer(orjson.dumps(header), dtype=np.uint8),
        "named_start": columns.named_start, "named_slug": _small(columns.named_slug, len(columns.slugs)),
        "pin_lat": columns.pin_lat, "pin_lon": columns.pin_lon, "pin_owner": columns.pin_owner}
    # The header lists the questions in this order (JSON objects keep their order through orjson).
    for i, column in enumerate(columns.answers.values()):
        arrays[f"q{i}"] = _small(column.codes, len(column.values))
    out = io.BytesIO()
    np.savez_compressed(out, allow_pickle=False, **arrays)
    return out.getvalue()


def decode_columns(data: bytes) -> SurveyColumns | None:
    """The columns `encode_columns` wrote; None when they were written in another format (to be rebuilt)."""
    with np.load(io.BytesIO(data), allow_pickle=False) as stored:
        header = orjson.loads(stored["header"].tobytes())
        if header.get("format") != COLUMNS_FORMAT:
            return None
        answers = {q: Column(values, stored[f"q{i}"].astype(np.int32))
                   for i, (q, values) in enumerate(header["questions"].items())}
        return SurveyColumns(header["n"], answers, header["slugs"], stored["named_start"].astype(np.int64),
                             stored["named_slug"].astype(np.int32), stored["pin_lat"], stored["pin_lon"],
                             stored["pin_owner"].astype(np.int32), header["pins"])
