"""The command line speaks the user's language (Swedish by the locale, English otherwise), --help and usage errors
included, with plural forms, says a port in use in one sentence, prints no address with --no-serve, and lists the
allowed values in its errors."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from trygg.cliutil import cli_language

pytestmark = pytest.mark.django_db


@pytest.fixture
def swedish(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "sv_SE.UTF-8")


@pytest.fixture
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield listener.getsockname()[1]


def test_the_locale_picks_the_language() -> None:
    assert cli_language({"LANG": "sv_SE.UTF-8"}) == "sv"
    assert cli_language({"LANG": "en_GB.UTF-8"}) == "en"
    assert cli_language({}) == "en"
    assert cli_language({"LC_ALL": "C", "LANG": "sv_SE.UTF-8"}) == "en"  # LC_ALL wins, as for every program
    assert cli_language({"LANGUAGE": "sv:en", "LANG": "C.UTF-8"}) == "sv"


def test_messages_in_swedish_with_plurals(swedish: None, run_cli, write_csv, halmstad) -> None:
    run_cli("survey", "create", "halmstad", "2026")
    assert run_cli("survey", "open", "halmstad-2026")[1].strip() == "halmstad-2026 är öppen"
    one = write_csv("one.csv", ["area", "safe_area"], [["andersberg", "ganska_trygg"]])
    status, out, _ = run_cli("responses", "import", "halmstad-2026", str(one))
    assert status == 0 and out.strip() == "1 svar importerades till halmstad-2026"
    assert run_cli("survey", "close", "halmstad-2026")[1].strip() == "halmstad-2026 är stängd"
    status, out, _ = run_cli("results", "halmstad-2026")
    assert out.splitlines()[0] == "halmstad-2026: 1 svar, oviktade andelar i procent med 95 % konfidensintervall"


def test_messages_in_english_with_plurals(english: None, run_cli, write_csv, halmstad) -> None:
    run_cli("survey", "create", "halmstad", "2026")
    assert run_cli("survey", "open", "halmstad-2026")[1].strip() == "halmstad-2026 is open"
    one = write_csv("one.csv", ["area", "safe_area"], [["andersberg", "ganska_trygg"]])
    assert run_cli("responses", "import", "halmstad-2026", str(one))[1].strip() == (
        "1 response imported into halmstad-2026")
    two = write_csv("two.csv", ["area", "safe_area"], [["andersberg", "ganska_trygg"]] * 2)
    assert run_cli("responses", "import", "halmstad-2026", str(two))[1].strip() == (
        "2 responses imported into halmstad-2026")


BAD_ROW_3 = [["andersberg", "kvinna"], ["andersberg", "man"], ["andersberg", "x"]]


def test_a_swedish_terminal_names_file_row_and_column_in_swedish(swedish: None, run_cli, write_csv,
                                                                 open_survey) -> None:
    status, _, err = run_cli("responses", "import", "halmstad-2026",
                             str(write_csv("svar.csv", ["area", "gender"], BAD_ROW_3)))
    assert status == 1
    assert err.startswith("trygg: svar.csv, rad 3 (rad 4 i filen), kolumn gender: 'x' är ingen svarskod för gender "
                          "(tillåtna: ")
    status, _, err = run_cli("survey", "open", "halmstad-1999")
    assert err == "trygg: Det finns ingen enkät 'halmstad-1999' (enkäter heter ORG-ÅR, till exempel halmstad-2022).\n"
    # The slug stays as typed: the sentence does not start with it, so its capital falls elsewhere.
    status, _, err = run_cli("survey", "create", "halmstad", "2026")
    assert err == "trygg: Det finns redan en enkät för 2026 i halmstad.\n"
    run_cli("survey", "close", "halmstad-2026")
    assert run_cli("survey", "close", "halmstad-2026")[2] == "trygg: halmstad-2026 är inte öppen (status: stängd).\n"


def test_an_english_terminal_names_file_row_and_column_in_english(english: None, run_cli, write_csv,
                                                                  open_survey) -> None:
    status, _, err = run_cli("responses", "import", "halmstad-2026",
                             str(write_csv("svar.csv", ["area", "gender"], BAD_ROW_3)))
    assert status == 1
    assert err.startswith("trygg: svar.csv, row 3 (line 4 of the file), column gender: 'x' is not an answer code for "
                          "gender (allowed: ")
    status, _, err = run_cli("survey", "open", "halmstad-1999")
    assert err == "trygg: There is no survey 'halmstad-1999' (surveys are named ORG-YEAR, e.g. halmstad-2022).\n"


@pytest.mark.parametrize("language, sentences", [
    ("sv", ["halmstad har inga befolkningsmarginaler; importera dem med `trygg population import`",
            "det går inte att dela upp efter 'kommun'; använd area, gender, age_group eller en korsning"]),
    ("en", ["halmstad has no population margins; import them with `trygg population import`",
            "cannot break down by 'kommun'; use area, gender, age_group or a cross"]),
])
def test_results_errors_in_the_terminals_language(monkeypatch: pytest.MonkeyPatch, run_cli, open_survey,
                                                  language: str, sentences: list[str]) -> None:
    monkeypatch.setenv("LANGUAGE", language)
    status, _, err = run_cli("results", "halmstad-2026", "--weighted")
    assert status == 1 and sentences[0] in err
    status, _, err = run_cli("results", "halmstad-2026", "--by", "kommun")
    assert status == 1 and sentences[1] in err


def test_results_table_numbers_in_swedish_style(swedish: None, run_cli, write_csv, halmstad) -> None:
    run_cli("survey", "create", "halmstad", "2026")
    run_cli("survey", "open", "halmstad-2026")
    rows = [["andersberg", "ganska_trygg"]] * 20 + [["andersberg", "mycket_otrygg"]] * 10  # 30: none hidden
    run_cli("responses", "import", "halmstad-2026", str(write_csv("a.csv", ["area", "safe_area"], rows)))
    status, out, _ = run_cli("results", "halmstad-2026", "--format", "table")
    assert status == 0
    [line] = [ln for ln in out.splitlines() if ln.startswith("safe_in_area")]
    assert "66,7" in line and "66.7" not in line
    # The CSV for programs keeps the contract's plain numbers whatever the locale.
    status, out, _ = run_cli("results", "halmstad-2026", "--format", "csv")
    assert "0.6666" in out


@pytest.mark.parametrize("language, words", [("sv", "används redan"), ("en", "already in use")])
def test_demo_on_a_port_in_use_is_one_sentence(monkeypatch: pytest.MonkeyPatch, run_cli, busy_port: int,
                                               language: str, words: str) -> None:
    monkeypatch.setenv("LANG", "sv_SE.UTF-8" if language == "sv" else "C.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LANGUAGE", raising=False)
    status, out, err = run_cli("demo", "--port", str(busy_port))
    assert status == 2
    assert "http://" not in out and "Traceback" not in err
    assert err.count("\n") == 1 and words in err and f"--port {busy_port + 1}" in err


def test_no_serve_prints_no_address(english: None, run_cli) -> None:
    status, out, _ = run_cli("demo", "--no-serve")
    assert status == 0
    assert "http://" not in out and "1,695 synthetic answers" in out


@pytest.mark.parametrize("language, sentence", [
    ("sv", "rad 1, kolumn kind: 'torg' är inget slag av plats; välj en av place, theme."),
    ("en", "row 1, column kind: 'torg' is not a kind of place; choose one of place, theme."),
])
def test_places_import_lists_the_allowed_kinds(monkeypatch: pytest.MonkeyPatch, run_cli, write_csv, halmstad,
                                               language: str, sentence: str) -> None:
    monkeypatch.setenv("LANGUAGE", language)
    bad = write_csv("places.csv", ["name", "kind", "aliases"], [["Stora torg", "torg", ""]])
    status, _, err = run_cli("places", "import", "halmstad", str(bad))
    assert status == 1
    assert err == f"trygg: places.csv, {sentence}\n"


def _help(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """The output of `trygg ARGS --help` (which exits with status 0), its lines joined with single spaces."""
    from trygg.cli import main

    with pytest.raises(SystemExit) as exited:
        main([*args, "--help"])
    assert exited.value.code == 0
    return " ".join(capsys.readouterr().out.split())


def test_help_in_swedish(swedish: None, capsys: pytest.CaptureFixture[str]) -> None:
    out = _help(capsys)
    assert out.startswith("användning: trygg [-h]")
    assert "demo skapa databasen, läs in Halmstadexemplet och visa det" in out
    assert "flaggor: -h, --help visa den här hjälptexten och avsluta" in out
    out = _help(capsys, "survey", "create")
    assert out.startswith("användning: trygg survey create [-h] [--bank BANK] org year "
                          "skapa en enkät ur en frågebank; skriver ut dess kortnamn ORG-ÅR argument: ")
    assert "org organisationens kortnamn" in out and "--bank BANK frågebank (standard: standard-v1)" in out


def test_help_in_english(english: None, capsys: pytest.CaptureFixture[str]) -> None:
    out = _help(capsys)
    assert out.startswith("usage: trygg [-h]")
    assert "demo create the database, load the Halmstad example and serve it" in out
    assert "options: -h, --help show this help message and exit" in out
    out = _help(capsys, "survey", "create")
    assert out.startswith("usage: trygg survey create [-h] [--bank BANK] org year "
                          "create a survey from a question bank; prints its slug ORG-YEAR positional arguments: ")
    assert "org the organisation's slug" in out and "--bank BANK question bank (default standard-v1)" in out


@pytest.mark.parametrize("language, choice, required", [
    ("sv", "trygg: argumentet --format: ogiltigt val: 'pdf' (välj bland 'csv', 'xlsx', 'json')\n",
     "trygg: följande argument krävs: org, year\n"),
    ("en", "trygg: argument --format: invalid choice: 'pdf' (choose from 'csv', 'xlsx', 'json')\n",
     "trygg: the following arguments are required: org, year\n"),
])
def test_usage_errors_in_the_terminals_language(monkeypatch: pytest.MonkeyPatch, run_cli, language: str, choice: str,
                                                required: str) -> None:
    monkeypatch.setenv("LANGUAGE", language)
    assert run_cli("responses", "export", "halmstad-2026", "--format", "pdf") == (2, "", choice)
    assert run_cli("survey", "create") == (2, "", required)
