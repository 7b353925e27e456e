"""`trygg promise import` and `export`: bad rows refused with each problem named and nothing stored; the export
imports back unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db
HEADER = ["party", "commitment", "activity", "places", "quantity", "unit", "start", "end", "responsible",
          "indicator", "domain", "baseline_survey", "target"]


@pytest.fixture
def baseline(halmstad, run_cli, write_csv) -> None:
    rows = [[["andersberg", "vallas", "rotorp"][i % 3], ["ganska_trygg", "ganska_otrygg"][i % 2]] for i in range(90)]
    assert run_cli("survey", "create", "halmstad", "2022")[0] == 0
    assert run_cli("survey", "open", "halmstad-2022")[0] == 0
    answers = write_csv("a.csv", ["area", "safe_area"], rows)
    assert run_cli("responses", "import", "halmstad-2022", str(answers))[0] == 0
    assert run_cli("survey", "close", "halmstad-2022")[0] == 0


def good_rows() -> list[list[str]]:
    return [
        ["gemensamt", "Samverka för en levande och trygg stadskärna", "Trygghetsvandringar med handlare",
         "Stadskärnan", "4", "vandringar", "2023-01-01", "2023-12-31", "Trygghetssamordnaren", "safe_in_area",
         "area=Andersberg|vallas", "halmstad-2022", "0.6"],
        ["kommunen", "Beakta tryggheten i den fysiska miljön", "Ombyggnad under stadsbiblioteket",
         "stadsbiblioteket|LILLA TORG", "", "", "", "", "Samhällsbyggnadskontoret", "safe_in_area",
         "area=andersberg|Vallås", "halmstad-2022", "0.6"],
        ["polisen", "Synlig uniformerad polis i stadskärnan", "Synlig uniformerad polis", "stadskarnan", "900",
         "timmar", "2023-01-01", "2024-12-31", "LPO Halmstad", "", "", "", ""],
    ]


def test_import_makes_a_draft_with_commitments_places_and_a_pooled_indicator(baseline, run_cli,
                                                                             write_csv) -> None:
    status, out, err = run_cli("promise", "import", "halmstad", "2023", str(write_csv("p.csv", HEADER, good_rows())))
    assert status == 0, err
    assert out.strip() == "halmstad-2023"
    data = json.loads(run_cli("promise", "show", "halmstad-2023", "--format", "json")[1])
    assert data["status"] == "draft"
    assert [c["party"] for c in data["commitments"]] == ["gemensamt", "kommunen", "polisen"]
    [walks], [library], [police] = (c["activities"] for c in data["commitments"])
    assert library["places"] == ["stadsbiblioteket", "lilla-torg"]
    assert police == {"number": 3, "text": "Synlig uniformerad polis", "places": ["stadskarnan"], "quantity": 900,
                      "unit": "timmar", "delivered": None, "status": "planned", "percent": None}
    # Two rows name the same indicator and pooled domain (in other spellings): one indicator.
    [ind] = data["indicators"]
    assert ind["domain"] == {"area": ["andersberg", "vallas"]} and ind["target"] == 0.6
    assert ind["baseline"]["survey"] == "halmstad-2022" and ind["baseline"]["n"] == 60
    assert ind["baseline"]["share"] == pytest.approx(0.5)
    assert ind["follow_up"] is None and ind["difference"] is None


def test_unknown_place_unknown_party_and_target_above_one_are_named_and_nothing_is_stored(baseline, run_cli,
                                                                                         write_csv) -> None:
    from trygg.promises.models import Activity, Commitment, Indicator, Promise

    rows = good_rows()
    rows[0][3] = "Stadskärnan|Gågatan i Atlantis"
    rows[1][0] = "regionen"
    rows[2][9:13] = ["safe_in_area", "", "halmstad-2022", "1.7"]
    status, _, err = run_cli("promise", "import", "halmstad", "2023", str(write_csv("bad.csv", HEADER, rows)))
    assert status == 1
    assert "bad.csv" in err and "3 problems" in err
    assert "row 1, column places: unknown place 'Gågatan i Atlantis'" in err
    assert "row 2, column party: unknown party 'regionen'" in err
    assert "row 3, column target: the target is a share between 0 and 1 (0.6 for 60 %), not 1.7" in err
    assert not (Promise.objects.exists() or Commitment.objects.exists() or Activity.objects.exists()
                or Indicator.objects.exists())


@pytest.mark.parametrize(("lang", "head", "police", "indicator"), [
    ("sv_SE.UTF-8", "halmstad-2023 (Utkast)", ["900 timmar", "1\u00a0234,5", "Pågår", "137"],
     ["safe_in_area", "andersberg|vallas", "60,0", "50,0"]),
    ("C.UTF-8", "halmstad-2023 (Draft)", ["900 timmar", "1,234.5", "Ongoing", "137"],
     ["safe_in_area", "andersberg|vallas", "60.0", "50.0"]),
])
def test_show_writes_labels_and_numbers_in_the_terminals_language(baseline, run_cli, write_csv, monkeypatch,
                                                                   lang: str, head: str, police: list[str],
                                                                   indicator: list[str]) -> None:
    assert run_cli("promise", "import", "halmstad", "2023", str(write_csv("p.csv", HEADER, good_rows())))[0] == 0
    assert run_cli("promise", "progress", "halmstad-2023", "3", "--delivered", "1234.5")[0] == 0
    monkeypatch.setenv("LANG", lang)
    status, out, _ = run_cli("promise", "show", "halmstad-2023")
    lines = out.splitlines()
    assert status == 0 and lines[0] == head
    [row] = [line.split("  ") for line in lines if line.startswith("3 ")]
    assert [cell.strip() for cell in row if cell.strip()][-4:] == police
    [row] = [line.split("  ") for line in lines if line.startswith("safe_in_area")]
    assert [cell.strip() for cell in row if cell.strip()][:4] == indicator


@pytest.mark.parametrize(("lang", "lines"), [
    ("sv_SE.UTF-8", ["trygg: bad.csv: 2 problem, inget importerades: ",
                     "rad 1, kolumn party: okänd part 'regionen'; använd en av gemensamt, kommunen, polisen; ",
                     "rad 2, kolumn status: okänd status 'klar'; använd en av planned, ongoing, done, cancelled, "
                     "no_evidence."]),
    ("C.UTF-8", ["trygg: bad.csv: 2 problems, nothing imported: ",
                 "row 1, column party: unknown party 'regionen'; use one of gemensamt, kommunen, polisen; ",
                 "row 2, column status: unknown status 'klar'; use one of planned, ongoing, done, cancelled, "
                 "no_evidence."]),
])
def test_problems_in_the_terminals_language_list_the_allowed_values(baseline, run_cli, write_csv, monkeypatch,
                                                                     lang: str, lines: list[str]) -> None:
    monkeypatch.setenv("LANG", lang)
    rows = [row[:3] + [""] for row in good_rows()[:2]]
    rows[0][0] = "regionen"
    rows[1][3] = "klar"
    path = write_csv("bad.csv", ["party", "commitment", "activity", "status"], rows)
    status, _, err = run_cli("promise", "import", "halmstad", "2023", str(path))
    assert status == 1 and err == "".join(lines) + "\n"


@pytest.mark.parametrize(("lang", "message"), [
    ("sv_SE.UTF-8", "trygg: one.csv, rad 1, kolumn quantity: 'många' är inget tal.\n"),
    ("C.UTF-8", "trygg: one.csv, row 1, column quantity: 'många' is not a number.\n"),
])
def test_one_problem_in_the_terminals_language(baseline, run_cli, write_csv, monkeypatch, lang: str,
                                               message: str) -> None:
    monkeypatch.setenv("LANG", lang)
    rows = good_rows()
    rows[0][HEADER.index("quantity")] = "många"
    status, _, err = run_cli("promise", "import", "halmstad", "2023", str(write_csv("one.csv", HEADER, rows)))
    assert (status, err) == (1, message)


@pytest.mark.parametrize(("column", "value", "message"), [
    ("indicator", "happiness", "row 1, column indicator: unknown indicator 'happiness'"),
    ("baseline_survey", "halmstad-1999", "row 1, column baseline_survey: unknown survey 'halmstad-1999'"),
    ("domain", "area=atlantis", "row 1, column domain: unknown area 'atlantis'"),
        ("start", "2023-13-01", "row 1, column start: '2023-13-01' is not a date"),
])
def test_one_bad_cell_is_named_with_file_row_column_and_value(baseline, run_cli, write_csv, column: str, value: str,
                                                              message: str) -> None:
    rows = good_rows()
    rows[0][HEADER.index(column)] = value
    status, _, err = run_cli("promise", "import", "halmstad", "2023", str(write_csv("one.csv", HEADER, rows)))
    assert status == 1 and err.startswith("trygg: one.csv, ") and message in err


def test_export_imports_back_unchanged(baseline, run_cli, write_csv, tmp_path: Path) -> None:
    run_cli("promise", "import", "halmstad", "2023", str(write_csv("p.csv", HEADER, good_rows())))
    run_cli("promise", "progress", "halmstad-2023", "3", "--delivered", "360", "--note", "Första kvartalen")
    run_cli("promise", "progress", "halmstad-2023", "1", "--delivered", "4", "--status", "done")
    first = tmp_path / "first.csv"
    assert run_cli("promise", "export", "halmstad-2023", "--out", str(first))[0] == 0
    lines = first.read_text(encoding="utf-8").splitlines()
    assert lines[0] == ",".join(HEADER) + ",number,delivered,status"
    assert lines[3].endswith(",3,360,ongoing") and lines[1].endswith(",1,4,done")
    assert run_cli("promise", "import", "halmstad", "2024", str(first))[0] == 0
    second = tmp_path / "second.csv"
    run_cli("promise", "export", "halmstad-2024", "--out", str(second))
    assert second.read_text(encoding="utf-8") == first.read_text(encoding="utf-8")
    show = json.loads(run_cli("promise", "show", "halmstad-2024", "--format", "json")[1])
    assert show["commitments"][2]["activities"][0]["percent"] == 40


def test_a_published_promise_is_not_replaced_by_import(baseline, run_cli, write_csv, django_user_model) -> None:
    from trygg.accounts.actions import do_grant_role

    path = str(write_csv("p.csv", HEADER, good_rows()))
    run_cli("promise", "import", "halmstad", "2023", path)
    status, _, err = run_cli("promise", "publish", "halmstad-2023")
    assert status == 1 and "missing: kommunen, polisen" in err
    halmstad = __import__("trygg.areas.models", fromlist=["Organisation"]).Organisation.objects.get()
    for name, party in (("kommun_admin", "kommunen"), ("polis_admin", "polisen")):
        do_grant_role(django_user_model.objects.create_user(name), halmstad, "admin", party=party)
    status, out, err = run_cli("promise", "publish", "halmstad-2023", "--approved-by", "kommun_admin",
                               "--approved-by", "polis_admin")
    assert status == 0, err
    assert "/halmstad/lofte/2023/" in out
    status, _, err = run_cli("promise", "import", "halmstad", "2023", path)
    assert status == 1 and "is published; change it by amendments" in err
