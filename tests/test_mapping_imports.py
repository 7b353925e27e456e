"""Imports from other survey tools through the shipped mappings: all rows or none, every problem named at once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests.data.imports.make_imports import write

from trygg.surveys.mapping import ImportProblems, shipped_mappings

pytestmark = pytest.mark.django_db


def test_two_tools_ship_mappings() -> None:
    assert {"netigate", "esmaker", "msforms"} <= set(shipped_mappings())


def test_netigate_xlsx_with_swedish_labels_imports(open_survey: Any, tmp_path: Path, run_cli: Any) -> None:
    path = write("netigate", tmp_path / "netigate-export.xlsx", n=30)
    code, out, err = run_cli("responses", "import", open_survey.slug, str(path), "--mapping", "netigate")
    assert code == 0, err
    assert "30 responses imported" in out
    stored = list(open_survey.responses.all())
    assert len(stored) == 30
    assert {r.answers["area"] for r in stored} == {"andersberg", "vallas", "centrum-ost", "sondrum"}
    assert {r.answers["safe_area"] for r in stored} <= {"mycket_trygg", "ganska_trygg", "ganska_otrygg",
                                                       "mycket_otrygg", "vet_ej"}
    assert all(r.channel == "import" for r in stored)
    assert all(r.submitted_at.month == 10 for r in stored)


def test_esmaker_csv_dry_run_counts_and_stores_nothing(open_survey: Any, tmp_path: Path, run_cli: Any) -> None:
    path = write("esmaker", tmp_path / "esmaker.csv", n=12)
    code, out, err = run_cli("responses", "import", open_survey.slug, str(path), "--mapping", "esmaker", "--dry-run")
    assert code == 0, err
    assert "12 responses would be imported" in out
    gender_line = next(line for line in out.splitlines() if line.startswith("gender "))
    assert "12" in gender_line.split()
    assert open_survey.responses.count() == 0


def test_three_bad_cells_all_named_and_nothing_stored(open_survey: Any, tmp_path: Path, run_cli: Any) -> None:
    path = write("netigate", tmp_path / "bad.xlsx", n=20, bad={
        (3, "Kön"): "Kvinnlig",
        (7, "Hur trygg eller otrygg känner du dig i ditt bostadsområde?"): "Ganska orolig",
        (15, "Slutdatum"): "igår kväll",
    })
    code, _out, err = run_cli("responses", "import", open_survey.slug, str(path), "--mapping", "netigate")
    assert code == 1
    assert "3 problems" in err
    assert "row 3" in err and "'Kvinnlig'" in err and "column Kön" in err
    assert "row 7" in err and "'Ganska orolig'" in err
    assert "row 15" in err and "submitted_at" in err
    assert open_survey.responses.count() == 0


def test_problems_are_collected_as_input_errors(open_survey: Any, tmp_path: Path) -> None:
    from trygg.surveys.actions import do_import_responses

    path = write("esmaker", tmp_path / "e.csv", n=5, bad={(2, "2. Kön"): "Okänt", (4, "2. Kön"): "Okänt"})
    with pytest.raises(ImportProblems) as caught:
        do_import_responses(open_survey, path, "esmaker")
    assert [(p.row, p.column) for p in caught.value.problems] == [(2, "2. Kön"), (4, "2. Kön")]
    assert all(p.file == "e.csv" for p in caught.value.problems)


def test_unmapped_column_is_named(open_survey: Any, tmp_path: Path, run_cli: Any) -> None:
    path = write("esmaker", tmp_path / "e.csv", n=2)
    text = path.read_text(encoding="utf-8").replace("Påbörjad", "Extra fråga", 1)
    path.write_text(text, encoding="utf-8")
    code, _out, err = run_cli("responses", "import", open_survey.slug, str(path), "--mapping", "esmaker")
    assert code == 1 and "'Extra fråga' is neither mapped nor ignored" in err


def test_import_into_closed_survey_refused_in_cli(open_survey: Any, tmp_path: Path, run_cli: Any) -> None:
    from trygg.surveys.actions import do_close_survey, do_publish_results

    do_publish_results(do_close_survey(open_survey))
    path = write("netigate", tmp_path / "late.xlsx", n=3)
    for extra in ((), ("--dry-run",)):
        code, _out, err = run_cli("responses", "import", open_survey.slug, str(path), "--mapping", "netigate", *extra)
        assert code == 1 and "is closed" in err
    assert open_survey.responses.count() == 0


def test_web_answer_into_closed_survey_refused_by_writer(open_survey: Any) -> None:
    from trygg.surveys.actions import SurveyClosedError, do_close_survey, do_submit_response

    do_close_survey(open_survey)
    with pytest.raises(SurveyClosedError):
        do_submit_response(open_survey, {"gender": "man"}, "token-1")
    assert open_survey.responses.count() == 0


def test_microsoft_forms_with_trailing_separators_imports(open_survey: Any, tmp_path: Path, run_cli: Any) -> None:
    path = write("msforms", tmp_path / "Trygghetsenkät(1-10).xlsx", n=10)
    code, out, err = run_cli("responses", "import", open_survey.slug, str(path), "--mapping", "msforms")
    assert code == 0, err
    times = [r.answers["unsafe_time"] for r in open_survey.responses.all()]
    assert len(times) == 10 and all(len(t) == 2 for t in times)
