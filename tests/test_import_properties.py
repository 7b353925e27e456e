"""Property tests of the import parsers: whatever a file holds, the answer is a stored import or an InputError
that names the file, and a refused file stores nothing. Never another exception (a 500 on a staff page, a traceback
on the command line)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trygg.errors import InputError
from trygg.tabular import read_table

PROPERTY = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

junk = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)
numbers = st.one_of(st.integers(-10**30, 10**30).map(str), st.floats(allow_nan=True).map(repr),
                    st.sampled_from(["1e300", "-0", "NaN", "inf", "52000", "1 000", "0x10"]))


def csv_text(header: list[str], rows: list[list[str]], delimiter: str = ",") -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def table(columns: list[str], cells: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """CSV text whose header is drawn from `columns` and junk, its cells from `cells` and junk."""
    header = st.lists(st.one_of(st.sampled_from(columns), junk), min_size=1, max_size=len(columns) + 2)
    return header.flatmap(lambda h: st.tuples(
        st.just(h), st.lists(st.lists(st.one_of(cells, junk), min_size=0, max_size=len(h) + 1), max_size=6),
        st.sampled_from([",", ";", "\t"]))).map(lambda t: csv_text(*t))


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", newline="")
    return path


def stored_or_named(path: Path, run: Callable[[], Any], count: Callable[[], int]) -> None:
    """Run an import: success, or an InputError naming `path` with nothing stored."""
    before = count()
    try:
        run()
    except InputError as exc:
        assert exc.file == path.name, str(exc)
        assert path.name in str(exc)
        assert count() == before, "a refused import stored something"


@PROPERTY
@given(content=st.one_of(st.binary(max_size=300), junk.map(str.encode), table(["a", "b"], junk).map(str.encode)),
       suffix=st.sampled_from([".csv", ".txt", ".xlsx", ".tsv"]))
def test_read_table_reads_or_names_the_file(tmp_path: Path, content: bytes, suffix: str) -> None:
    path = write(tmp_path, f"fil{suffix}", content)
    try:
        result = read_table(path)
    except InputError as exc:
        assert exc.file == path.name and path.name in str(exc)
        return
    assert all(set(row) <= set(result.header) for row in result.rows)


ANSWER_COLUMNS = ["area", "gender", "age_group", "safe_area", "unsafe_places", "unsafe_places_text", "unsafe_time",
                  "submitted_at"]
ANSWER_CELLS = st.sampled_from(["vallas", "andersberg", "annat", "kvinna", "man", "25-44", "ganska_trygg",
                                "mycket_otrygg", "ja", "nej", "20-23;23-02", "", "2024-10-03T18:30", "2999-01-01",
                                "=HYPERLINK(\"x\")", "\x00", "Stora torg"])


@PROPERTY
@given(content=table(ANSWER_COLUMNS, ANSWER_CELLS))
def test_responses_import_stores_all_or_names_the_file(open_survey: Any, tmp_path: Path, content: str) -> None:
    from trygg.surveys.actions import do_import_responses
    from trygg.surveys.models import Response

    path = write(tmp_path, "svar.csv", content)
    count = Response.objects.filter(survey=open_survey).count
    before = count()
    stored_or_named(path, lambda: do_import_responses(open_survey, path), count)
    assert count() >= before


geometry_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.floats(allow_nan=True), st.integers(-1000, 1000), junk,
              st.sampled_from([12.85, 56.67, 999, -999])),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(junk, inner, max_size=3)), max_leaves=12)
geometries = st.one_of(
    geometry_values,
    st.fixed_dictionaries({"type": st.sampled_from(["Point", "Polygon", "LineString", "MultiPolygon", "Circle"]),
                           "coordinates": geometry_values}))
features = st.fixed_dictionaries({
    "type": st.just("Feature"), "geometry": geometries,
    "properties": st.fixed_dictionaries({"name": st.one_of(junk, st.sampled_from(["Stora torg", "Stationen"])),
                                         "kind": st.one_of(junk, st.sampled_from(["torg", "park", "station"])),
                                         "aliases": st.one_of(junk, st.lists(junk, max_size=2))})})
places_geojson = st.lists(features, max_size=4).map(
    lambda fs: json.dumps({"type": "FeatureCollection", "features": fs}))


@PROPERTY
@given(content=st.one_of(places_geojson.map(lambda t: ("platser.geojson", t)),
                         table(["name", "kind", "aliases", "lat", "lon"],
                               st.sampled_from(["Stora torg", "torg", "park", "a|b", "56.67", "12.85", "999"]))
                         .map(lambda t: ("platser.csv", t)),
                         junk.map(lambda t: ("platser.geojson", t))))
def test_places_import_stores_all_or_names_the_file(halmstad: Any, tmp_path: Path,
                                                    content: tuple[str, str]) -> None:
    from trygg.areas.actions import do_import_places
    from trygg.areas.models import Place

    name, text = content
    path = write(tmp_path, name, text)
    def snapshot() -> list[Any]:
        return sorted(Place.objects.filter(organisation=halmstad).values_list("slug", "name", "kind", "geometry"),
                      key=repr)

    before = snapshot()
    try:
        do_import_places(halmstad, path)
    except InputError as exc:
        assert exc.file == path.name and path.name in str(exc)
        assert snapshot() == before, "a refused import changed the places"


@PROPERTY
@given(content=table(["variable", "category", "count"],
                     st.one_of(st.sampled_from(["gender", "kvinna", "man", "area", "vallas", "age_group", "25-44"]),
                               numbers)))
def test_population_import_stores_all_or_names_the_file(halmstad: Any, tmp_path: Path, content: str) -> None:
    from trygg.areas.actions import do_import_population
    from trygg.areas.models import PopulationMargin

    path = write(tmp_path, "befolkning.csv", content)
    def snapshot() -> list[Any]:
        return sorted(PopulationMargin.objects.filter(organisation=halmstad).values_list("variable", "category",
                                                                                        "count"))

    before = snapshot()
    try:
        do_import_population(halmstad, path)
    except InputError as exc:
        assert exc.file == path.name and path.name in str(exc)
        assert snapshot() == before, "a refused import changed the margins"


@pytest.mark.parametrize("body", ["[[[[" * 5000, "{\"type\": \"FeatureCollection\", \"features\": " + "[" * 3000])
def test_deep_nesting_is_a_clear_error(halmstad: Any, tmp_path: Path, body: str) -> None:
    from trygg.areas.actions import do_import_places

    path = write(tmp_path, "djup.geojson", body)
    with pytest.raises(InputError, match="djup.geojson"):
        do_import_places(halmstad, path)
