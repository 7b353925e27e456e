"""The `trygg` command line as a coordinator uses it: set up, import, export, results; errors as one sentence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def laholm(run_cli, write_csv) -> str:
    areas = write_csv("omraden.csv", ["code", "name"], [["laholm-centrum", "Laholms centrum"],
                                                        ["mellbystrand", "Mellbystrand"], ["ovriga", "Övriga"]])
    status, out, err = run_cli("org", "create", "laholm", "--name", "Laholms kommun", "--kommun", "1381",
                               "--areas", str(areas))
    assert status == 0, err
    assert "3 areas" in out
    return "laholm"


def test_set_up_a_survey_from_the_command_line(laholm, run_cli, write_csv, tmp_path: Path) -> None:
    places = write_csv("platser.csv", ["name", "kind", "aliases"],
                       [["Stortorget", "place", "torget|Stora torget"], ["Mellby strandpromenad", "place", ""]])
    assert run_cli("places", "import", "laholm", str(places))[0] == 0
    status, out, _ = run_cli("survey", "create", "laholm", "2025")
    assert (status, out.strip()) == (0, "laholm-2025")
    assert run_cli("survey", "open", "laholm-2025")[0] == 0
    answers = write_csv("svar.csv", ["area", "gender", "safe_area", "unsafe_places_text"],
                        [["mellbystrand", "kvinna", "ganska_trygg", "Stortorget på natten"],
                         ["laholm-centrum", "man", "mycket_otrygg", ""]])
    status, out, _ = run_cli("responses", "import", "laholm-2025", str(answers))
    assert status == 0 and "2 responses" in out
    status, out, _ = run_cli("responses", "export", "laholm-2025", "--format", "json")
    exported = json.loads(out)
    assert exported["survey"] == "laholm-2025"
    assert exported["responses"][0]["unsafe_places_text"] == "Stortorget på natten"
    assert exported["responses"][1]["safe_area"] == "mycket_otrygg"
    out_file = tmp_path / "svar-ut.csv"
    assert run_cli("responses", "export", "laholm-2025", "--out", str(out_file))[0] == 0
    assert out_file.read_text(encoding="utf-8").splitlines()[0].startswith("area,gender,age_group,safe_area")
    assert run_cli("survey", "close", "laholm-2025")[0] == 0
    assert run_cli("survey", "close", "laholm-2025")[0] == 1


def test_bad_import_exits_1_with_one_sentence_and_stores_nothing(laholm, run_cli, write_csv) -> None:
    run_cli("survey", "create", "laholm", "2025")
    rows = [["mellbystrand", "kvinna"]] * 6 + [["mellbystrand", "kvinnor"]]
    status, out, err = run_cli("responses", "import", "laholm-2025",
                               str(write_csv("svar.csv", ["area", "gender"], rows)))
    assert status == 1
    assert err.startswith("trygg: svar.csv, row 7 (line 8 of the file), column gender:")
    assert err.count("\n") == 1
    status, out, _ = run_cli("responses", "export", "laholm-2025", "--format", "json")
    assert json.loads(out)["responses"] == []


def test_usage_errors_exit_2(run_cli) -> None:
    assert run_cli("survey", "create", "laholm", "tjugo")[0] == 2
    assert run_cli("frobnicate")[0] == 2
    status, _, err = run_cli("results", "laholm-2025", "--format", "yaml")
    assert status == 2 and "yaml" in err


def test_unknown_things_are_named(laholm, run_cli) -> None:
    status, _, err = run_cli("survey", "open", "laholm-1999")
    assert status == 1 and "laholm-1999" in err
    status, _, err = run_cli("places", "import", "nowhere", "x.csv")
    assert status == 1 and "nowhere" in err
    status, _, err = run_cli("org", "create", "laholm", "--name", "Igen")
    assert status == 1 and "exists already" in err
    status, _, err = run_cli("org", "create", "ny", "--name", "Ny", "--areas", "finns-inte.csv")
    assert status == 1 and "finns-inte.csv" in err


def test_areas_from_geojson_and_bad_geometry(run_cli, tmp_path: Path) -> None:
    good = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": "a", "name": "A"},
         "geometry": {"type": "Polygon", "coordinates": [[[12.8, 56.6], [12.9, 56.6], [12.9, 56.7], [12.8, 56.6]]]}}]}
    path = tmp_path / "a.geojson"
    path.write_text(json.dumps(good), encoding="utf-8")
    assert run_cli("org", "create", "geo", "--name", "Geo", "--areas", str(path))[0] == 0
    good["features"][0]["properties"]["code"] = "Bad Code"
    path.write_text(json.dumps(good), encoding="utf-8")
    status, _, err = run_cli("org", "create", "geo2", "--name", "Geo", "--areas", str(path))
    assert status == 1 and "row 1, column code" in err


def test_results_json_has_the_documented_shape(laholm, run_cli, write_csv) -> None:
    run_cli("survey", "create", "laholm", "2025")
    rows = [["mellbystrand", ["kvinna", "man"][i % 2], ["ganska_trygg", "ganska_otrygg", "vet_ej"][i % 3]]
            for i in range(60)] + [["laholm-centrum", "kvinna", "mycket_trygg"]] * 5
    run_cli("responses", "import", "laholm-2025", str(write_csv("s.csv", ["area", "gender", "safe_area"], rows)))
    status, out, err = run_cli("results", "laholm-2025", "--by", "area", "--format", "json")
    assert status == 0, err
    data = json.loads(out)
    assert data["survey"] == "laholm-2025" and data["weighted"] is False
    overall = next(e for e in data["estimates"] if e["indicator"] == "safe_in_area" and e["domain"] == {})
    assert set(overall) == {"indicator", "domain", "share", "se", "ci_low", "ci_high", "n", "n_eff", "suppressed"}
    assert overall["n"] == 65 and overall["share"] == pytest.approx(25 / 65)
    assert overall["ci_low"] < overall["share"] < overall["ci_high"]
    centrum = next(e for e in data["estimates"]
                   if e["indicator"] == "safe_in_area" and e["domain"] == {"area": "laholm-centrum"})
    assert centrum["suppressed"] is True and centrum["share"] is None
    status, out, _ = run_cli("results", "laholm-2025", "--by", "area,gender", "--format", "csv")
    assert status == 0 and out.startswith("indicator,domain,share")
    status, out, _ = run_cli("results", "laholm-2025")
    assert status == 0 and "safe_in_area" in out
