"""Open data: every published aggregate as CSV and JSON, areas as GeoJSON, a dictionary of every column; never a
share or count for fewer respondents than the threshold (tested with a threshold high enough to hide real cells)."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.django_db

MIN_N = 100  # well above the default, so areas and the small gender groups of the demo are suppressed


@pytest.fixture
def demo(run_cli: Any, settings: Any) -> Any:
    from trygg.surveys.models import Survey

    settings.TRYGG_SUPPRESSION_MIN_N = MIN_N
    assert run_cli("demo", "--no-serve")[0] == 0
    return Survey.objects.get(organisation__slug="halmstad", year=2022)


def _csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def test_open_data_from_the_command_line(demo: Any, run_cli: Any, tmp_path: Path, client: Any) -> None:
    from trygg.reports.results import survey_results

    out = tmp_path / "od"
    status, stdout, err = run_cli("opendata", "halmstad-2022", "--out", str(out))
    assert status == 0, err
    names = sorted(p.name for p in out.iterdir())
    for table in ("estimates", "gender_comparisons", "mentions", "mention_breakdowns", "hotspots", "picture_areas",
                  "dictionary"):
        assert f"{table}.csv" in names and f"{table}.json" in names
    assert {"metadata.json", "areas.geojson"} <= set(names)

    # No share, count or cluster for fewer respondents than the threshold, anywhere.
    _, estimates = _csv(out / "estimates.csv")
    shown = [r for r in estimates if r["share"]]
    hidden = [r for r in estimates if r["suppressed"] == "true"]
    assert shown and hidden
    assert all(r["n"] and int(r["n"]) >= MIN_N for r in shown)
    assert all(r["share"] == r["se"] == r["ci_low"] == r["ci_high"] == r["n_eff"] == "" for r in hidden)
    assert {r["domain_value"] for r in hidden} >= {"annat", "vill_ej_ange"}
    _, mentions = _csv(out / "mentions.csv")
    assert mentions and all(int(r["respondents"]) >= MIN_N for r in mentions)
    _, breakdowns = _csv(out / "mention_breakdowns.csv")
    assert any(r["respondents"] == "" for r in breakdowns)
    # A zero is shown (it points out nobody), as the suppression engine decides for the results page too.
    assert all(r["respondents"] in ("", "0") or int(r["respondents"]) >= MIN_N for r in breakdowns)
    _, picture = _csv(out / "picture_areas.csv")
    area_n = {r["domain_value"]: int(r["n"] or 0) for r in estimates
              if r["indicator"] == "safe_in_area" and r["domain_variable"] == "area" and r["weighted"] == "true"}
    assert any(r["not_safe_share"] == "" for r in picture) and any(r["not_safe_share"] for r in picture)
    assert all(area_n[r["area"]] >= MIN_N for r in picture if r["not_safe_share"])
    _, hotspots = _csv(out / "hotspots.csv")
    assert all(int(r["count"]) >= 10 and len(r["lat"].split(".")[1]) <= 3 for r in hotspots)

    # The same figures as the results page's query layer.
    results = survey_results(demo, ["area", "gender"], min_n=MIN_N)
    overall = next(e for e in results["estimates"] if e["indicator"] == "safe_in_area" and not e["domain"])
    row = next(r for r in estimates if r["indicator"] == "safe_in_area" and not r["domain_variable"]
               and r["weighted"] == "false")
    assert float(row["share"]) == pytest.approx(overall["share"]) and int(row["n"]) == overall["n"]
    assert {r["weighted"] for r in estimates} == {"true", "false"}

    # Each CSV's JSON twin has the same rows and keys.
    for path in out.glob("*.csv"):
        header, rows = _csv(path)
        data = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        assert len(data) == len(rows)
        assert all(list(item) == header for item in data)

    # The zip on the results page holds the same files.
    response = client.get("/halmstad/resultat/2022/oppna-data.zip")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(n.split("/", 1)[1] for n in archive.namelist()) == names
    assert archive.read("halmstad-2022/estimates.csv") == (out / "estimates.csv").read_bytes()


def test_dictionary_covers_every_column(demo: Any, tmp_path: Path) -> None:
    from trygg.reports.opendata import write_opendata

    out = tmp_path / "od"
    write_opendata(demo, out)
    _, dictionary = _csv(out / "dictionary.csv")
    explained = {(r["file"], r["column"]) for r in dictionary if r["description_sv"] and r["description_en"]}
    assert len(explained) == len(dictionary)
    for path in out.glob("*.csv"):
        header, _ = _csv(path)
        missing = [c for c in header if (path.stem, c) not in explained]
        assert not missing, (path.name, missing)
    metadata = json.loads((out / "metadata.json").read_text(encoding="utf-8"))
    assert metadata["min_n"] == MIN_N and metadata["open_to_all"] is True
    assert all(("metadata", key) in explained for key in metadata)
    areas = json.loads((out / "areas.geojson").read_text(encoding="utf-8"))
    assert areas["type"] == "FeatureCollection" and len(areas["features"]) == demo.organisation.areas.count()
    for feature in areas["features"]:
        assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")
        assert all(("areas.geojson", key) in explained for key in feature["properties"])
