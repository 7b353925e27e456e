"""The published report: the PDF read back with pdftotext, every sentence of its summary checked against the
figures of the same survey (numbers, direction, significance); bookmarks, embedded fonts, tags; the downloads."""

from __future__ import annotations

import random
import re
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.utils import translation

pytestmark = pytest.mark.django_db

SUMMARY_START = "Sammanställningen visar bland annat att:"
SUMMARY_END = "Om undersökningen"
WORRIES = ("worried_sexualbrott", "worried_misshandel", "worried_ran", "worried_inbrott", "worried_fordonsbrott",
           "worried_bedrageri", "worried_hot_trakasserier")


def _run(*cmd: str) -> str:
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


def _number(text: str) -> int:
    return int(re.sub(r"\s", "", text))


def _pct(share: float) -> int:
    return round(100 * share)


def _names(text: str) -> list[str]:
    return re.split(r", | och ", text)


def _summary(pdf: Path) -> list[str]:
    """The summary's sentences, from the PDF's text."""
    text = _run("pdftotext", "-enc", "UTF-8", str(pdf), "-")
    part = text.split(SUMMARY_START, 1)[1].split(SUMMARY_END, 1)[0]
    flat = re.sub(r"\s+", " ", part.replace("\u00a0", " ").replace("\u202f", " ")).strip()
    return re.split(r"(?<=\.) (?=[A-ZÅÄÖ0-9])", flat)


def _estimate(results: dict[str, Any], indicator: str, **domain: str) -> dict[str, Any] | None:
    return next((e for e in results["estimates"] if e["indicator"] == indicator and e["domain"] == domain), None)


def check_summary(survey: Any, sentences: list[str]) -> set[str]:
    """Check each sentence against the query layer; fail on a sentence no rule knows. Returns the kinds seen."""
    from trygg.reports.results import gender_comparisons, survey_results, year_comparisons
    from trygg.stats import share_by_domain
    from trygg.stats.comparisons import compare_domains, is_statistically_certain
    from trygg.surveys.frames import survey_design
    from trygg.surveys.mentions import public_mentions
    from trygg.surveys.models import Survey

    weighted = survey.organisation.margins.exists()
    results = survey_results(survey, ["area", "gender"], weighted=weighted)
    genders = {c["indicator"]: c for c in gender_comparisons(survey, weighted=weighted)}
    names = dict(survey.organisation.areas.values_list("name", "code"))
    earlier = (Survey.objects.filter(organisation=survey.organisation, year__lt=survey.year, status="closed",
                                     results_published=True).order_by("-year").first())
    years = {c["indicator"]: c for c in year_comparisons(survey, earlier, weighted=weighted)} if earlier else {}
    labels = {ind.label["sv"]: ind.id for ind in survey.bank.indicators}
    kinds: set[str] = set()
    groups: dict[str, Any] = {}
    for s in sentences:
        if m := re.fullmatch(r"Enkäten besvarades av ([\d ]+) personer\.", s):
            assert _number(m[1]) == results["respondents"], s
            kinds.add("respondents")
        elif re.fullmatch(r"Andelarna är viktade efter befolkningens fördelning på .+\.", s):
            assert weighted, s
            kinds.add("weighting")
        elif s == "Andelarna är oviktade: de beskriver dem som svarade.":
            assert not weighted, s
            kinds.add("weighting")
        elif m := re.fullmatch(r"(\d+) procent uppger att de är trygga i sitt bostadsområde\.", s):
            assert int(m[1]) == _pct(_estimate(results, "safe_in_area")["share"]), s
            kinds.add("safe")
        elif s == "Det skiljer mellan områdena.":
            groups["said_differs"] = True
        elif m := re.fullmatch(r"I (?:områdena )?(.+) uppger (?:sammantaget )?(\d+) procent att de känner sig trygga "
                               r"i sitt bostadsområde, i (?:områdena )?(.+?) (?:sammantaget )?(\d+) procent\.", s):
            low, high = [names[n] for n in _names(m[1])], [names[n] for n in _names(m[3])]
            published = {c: e["share"] for c in names.values()
                         if (e := _estimate(results, "safe_in_area", area=c)) and not e["suppressed"]}
            assert set(low) | set(high) <= set(published), "a suppressed area is named"
            assert max(published[c] for c in low) <= min(published[c] for c in high), s
            frame, design, rows, _ = survey_design(survey, weighted)
            codes = frame.codes["area"][rows]
            domain = np.full(len(rows), -1, dtype=np.intp)
            for g, members in enumerate((low, high)):
                for c in members:
                    domain[codes == frame.categories["area"].index(c)] = g
            y = frame.indicators["safe_in_area"][rows]
            pooled = share_by_domain(design, y, domain, 2)
            assert (int(m[2]), int(m[4])) == (_pct(pooled[0].share), _pct(pooled[1].share)), s
            groups["certain"] = is_statistically_certain(compare_domains(design, y, domain, 2, 1, 0))
            kinds.add("groups")
        elif s in ("Skillnaden mellan områdena är statistiskt säkerställd.",
                   "Skillnaden mellan områdena kan bero på slumpen."):
            groups["verdict"] = "säkerställd" in s
        elif m := re.fullmatch(r"(\d+) procent av kvinnorna och (\d+) procent av männen upplever att det finns "
                               r"otrygga platser i kommunen\.", s):
            c = genders["unsafe_places_exist"]
            assert (int(m[1]), int(m[2])) == (_pct(c["first_share"]), _pct(c["second_share"])), s
            kinds.add("unsafe_places")
        elif s in ("Skillnaden mellan kvinnor och män är statistiskt säkerställd.",
                   "Skillnaden mellan kvinnor och män kan bero på slumpen."):
            assert ("säkerställd" in s) == genders["unsafe_places_exist"]["certain"], s
            kinds.add("unsafe_places_verdict")
        elif m := re.fullmatch(r"(Kvinnor|Män) är mer oroliga än (?:män|kvinnor) för (\d+) av de (\d+) brott enkäten "
                               r"frågar om, statistiskt säkerställt\.", s):
            worry = [genders[w] for w in WORRIES if w in genders]
            sign = 1 if m[1] == "Kvinnor" else -1
            assert int(m[2]) == sum(c["certain"] and sign * c["difference"] > 0 for c in worry), s
            assert int(m[3]) == len(worry), s
            kinds.add("worry")
        elif m := re.fullmatch(r"Störst skillnad är oron för (.+): (\d+) procent av kvinnorna och (\d+) procent av "
                               r"männen uppger oro\.", s):
            largest = max((genders[w] for w in WORRIES if w in genders and genders[w]["certain"]),
                          key=lambda c: abs(c["difference"]))
            assert labels[f"Oroliga för {m[1]}"] == largest["indicator"], s
            assert (int(m[2]), int(m[3])) == (_pct(largest["first_share"]), _pct(largest["second_share"])), s
            kinds.add("worry")
        elif s == "Ingen skillnad i oro för brott mellan kvinnor och män är statistiskt säkerställd.":
            assert not any(genders[w]["certain"] for w in WORRIES if w in genders), s
            kinds.add("worry")
        elif m := re.fullmatch(r"De platser som flest nämner som otrygga är (.+)\.", s):
            top = public_mentions(survey, results["min_n"])["places"][:3]
            said = [re.fullmatch(r"(.+) \(([\d ]+)(?: personer)?\)", part).groups() for part in _names(m[1])]
            assert [(n, _number(c)) for n, c in said] == [(p["name"], p["respondents"]) for p in top], s
            assert all(p["respondents"] >= results["min_n"] for p in top)
            kinds.add("places")
        elif s == "Det finns ingen tidigare publicerad enkät att jämföra med.":
            assert earlier is None, s
            kinds.add("change")
        elif m := re.fullmatch(r"Andelen som är trygga i sitt bostadsområde har (ökat|minskat) från (\d+) procent "
                               r"(\d{4}) till (\d+) procent (\d{4}), en statistiskt säkerställd förändring\.", s):
            c = years["safe_in_area"]
            assert c["certain"] and (c["difference"] > 0) == (m[1] == "ökat"), s
            assert (int(m[2]), int(m[3]), int(m[4]), int(m[5])) == (
                _pct(c["second_share"]), earlier.year, _pct(c["first_share"]), survey.year), s
            kinds.add("change")
        elif m := re.fullmatch(r"Andelen som är trygga i sitt bostadsområde var (\d+) procent (\d{4}) och är (\d+) "
                               r"procent (\d{4}); förändringen kan bero på slumpen\.", s):
            c = years["safe_in_area"]
            assert not c["certain"], s
            assert (int(m[1]), int(m[2]), int(m[3]), int(m[4])) == (
                _pct(c["second_share"]), earlier.year, _pct(c["first_share"]), survey.year), s
            kinds.add("change")
        elif m := re.fullmatch(r"(.+): (ökat|minskat) från (\d+) till (\d+) procent sedan (\d{4}), statistiskt "
                               r"säkerställt\.", s):
            c = years[labels[m[1]]]
            assert c["certain"] and (c["difference"] > 0) == (m[2] == "ökat"), s
            assert (int(m[3]), int(m[4]), int(m[5])) == (_pct(c["second_share"]), _pct(c["first_share"]),
                                                         earlier.year), s
        else:
            pytest.fail(f"a sentence of the summary that no rule checks: {s!r}")
    if "groups" in kinds:
        assert groups["verdict"] == groups["certain"], "the verdict on the areas contradicts the test"
        assert groups.get("said_differs", False) == groups["certain"], "'Det skiljer' without a certain difference"
    return kinds


def _pdf_checks(pdf: Path) -> None:
    info = _run("pdfinfo", str(pdf))
    assert re.search(r"Page size:.*\(A4\)", info), info
    assert re.search(r"Tagged:\s+yes", info), info
    fonts = _run("pdffonts", str(pdf)).splitlines()[2:]
    assert fonts and all("DejaVu" in f for f in fonts), fonts
    assert all(f.split()[-5] == "yes" for f in fonts), fonts  # the "emb" column
    outline = _run("pdftohtml", "-xml", "-stdout", "-i", "-q", str(pdf))
    bookmarks = re.findall(r'<item page="\d+">([^<]+)</item>', outline)
    assert "Sammanfattning" in bookmarks and "Om undersökningen" in bookmarks, bookmarks
    text = _run("pdftotext", "-enc", "UTF-8", str(pdf), "-")
    assert "Trygghetsenkäten" in text and "områdena" in text
    assert re.search(r"\n1 ?/ ?\d+\n", text), "page numbers"


@pytest.fixture
def demo(run_cli: Any) -> Any:
    from trygg.surveys.models import Survey

    assert run_cli("demo", "--no-serve")[0] == 0
    return Survey.objects.get(organisation__slug="halmstad", year=2022)


def test_demo_pdf_summary_is_true_to_the_figures(demo: Any, run_cli: Any, tmp_path: Path) -> None:
    pdf = tmp_path / "rapport.pdf"
    status, out, err = run_cli("report", "halmstad-2022", "--out", str(pdf))
    assert status == 0, err
    _pdf_checks(pdf)
    kinds = check_summary(demo, _summary(pdf))
    assert {"respondents", "weighting", "safe", "groups", "unsafe_places", "unsafe_places_verdict", "worry",
            "places", "change"} <= kinds
    assert "Andelarna är viktade" in " ".join(_summary(pdf))
    # The same report in English, from the same templates.
    html = tmp_path / "report.html"
    assert run_cli("report", "halmstad-2022", "--out", str(html), "--lang", "en")[0] == 0
    text = html.read_text(encoding="utf-8")
    assert '<html lang="en">' in text
    assert "The survey was answered by 1,695 people." in text
    assert "say they feel safe in their residential area" in text
    assert "Stadskärnan (838 people)" in text
    assert "Sammanställningen" not in text and "procent" not in text


def _areas_csv(path: Path) -> Path:
    path.write_text("code,name\nnorr,Norr\nsoder,Söder\noster,Öster\nvaster,Väster\nlillby,Lillby\n",
                    encoding="utf-8")
    return path


# (area, respondents, share safe) per year: Söder gets safer between the two years, Lillby is too small to show.
AREAS = {2023: [("norr", 260, 0.86), ("soder", 240, 0.45), ("oster", 200, 0.70), ("vaster", 180, 0.78),
                ("lillby", 14, 0.5)],
         2024: [("norr", 250, 0.87), ("soder", 250, 0.62), ("oster", 210, 0.72), ("vaster", 170, 0.80),
                ("lillby", 12, 0.5)]}
HEADER = ["area", "gender", "age_group", "safe_area", "unsafe_places", "unsafe_places_text", "worry_sexualbrott",
          "worry_misshandel", "worry_ran", "worry_inbrott"]


def _rows(year: int) -> list[list[str]]:
    rng = random.Random(year)
    rows = []
    for area, count, safe in AREAS[year]:
        for i in range(count):
            gender = "kvinna" if i % 2 == 0 else "man"
            woman = gender == "kvinna"
            # Sexual crime: women far more worried; the others nearly alike.
            worry = [rng.random() < p for p in ((0.5, 0.3, 0.2, 0.4) if woman else (0.02, 0.28, 0.2, 0.38))]
            unsafe = rng.random() < (0.75 if woman else 0.5)
            text = rng.choice(["Torget på kvällen", "Stationen", "mörkt vid Stationen", "Parken", ""]) if unsafe \
                else ""
            rows.append([area, gender, rng.choice(["25-44", "45-64", "65-79"]),
                         "ganska_trygg" if rng.random() < safe else "ganska_otrygg", "ja" if unsafe else "nej",
                         text, *["ganska_orolig" if w else "inte_alls_orolig" for w in worry]])
    return rows


@pytest.fixture
def vaxby(tmp_path: Path, write_csv: Any, django_user_model: Any) -> Any:
    """A second municipality: five areas (one too small to publish), two published years, a published promise."""
    from trygg.accounts.actions import do_grant_role
    from trygg.areas.actions import do_create_organisation, do_import_places
    from trygg.promises.actions import (
        do_add_activity,
        do_add_commitment,
        do_approve,
        do_create_draft,
        do_log_progress,
        do_publish,
    )
    from trygg.surveys.actions import (
        do_close_survey,
        do_create_survey,
        do_import_responses,
        do_open_survey,
        do_publish_results,
    )

    org = do_create_organisation("vaxby", "Växby kommun och LPO Växby", areas_file=_areas_csv(tmp_path / "a.csv"))
    do_import_places(org, write_csv("places.csv", ["name", "kind", "aliases"],
                                    [["Torget", "place", ""], ["Stationen", "place", "resecentrum"],
                                     ["Parken", "place", ""]]))
    surveys = []
    for year in (2023, 2024):
        survey = do_open_survey(do_create_survey(org, year))
        do_import_responses(survey, write_csv(f"svar{year}.csv", HEADER, _rows(year)))
        do_publish_results(do_close_survey(survey))
        surveys.append(survey)
    promise = do_create_draft(org, 2025)
    commitment = do_add_commitment(promise, "kommunen", "Göra Söder tryggare")
    activity = do_add_activity(commitment, {"text": "Belysning i Söderparken", "places": ["soder"],
                                            "quantity": 20, "unit": "lampor"})
    for party in ("kommunen", "polisen"):
        user = django_user_model.objects.create_user(f"chef_{party}", password="lösenord-för-test-1")
        do_grant_role(user, org, "admin", party=party)
        do_approve(promise, user)
    do_publish(promise)
    do_log_progress(activity, delivered=5)
    return surveys[-1]


def test_second_municipality_pdf(vaxby: Any, run_cli: Any, tmp_path: Path) -> None:
    pdf = tmp_path / "vaxby.pdf"
    status, _, err = run_cli("report", "vaxby-2024", "--out", str(pdf))
    assert status == 0, err
    _pdf_checks(pdf)
    sentences = _summary(pdf)
    kinds = check_summary(vaxby, sentences)
    assert {"respondents", "weighting", "safe", "groups", "unsafe_places", "worry", "places", "change"} <= kinds
    summary = " ".join(sentences)
    assert "Andelarna är oviktade" in summary
    assert "Lillby" not in summary  # 12 answers: suppressed, so never a figure or a group member
    assert "Söder" in summary
    text = _run("pdftotext", "-enc", "UTF-8", str(pdf), "-")
    assert re.search(r"Lillby\s+dold", text), "the suppressed area is shown as hidden in the table"
    assert "Medborgarlöftet 2025" in text and "Belysning i Söderparken" in text
    assert re.search(r"25 %\s*\(5 av 20 lampor\)", text)


def test_number_style() -> None:
    from trygg.reports.report_text import format_decimal, format_int, format_percent, join_names

    with translation.override("sv"):
        assert format_int(1695) == "1\u00a0695"
        assert format_decimal(0.7) == "0,7"
        assert format_percent(0.7012) == "70"
        assert format_percent(0.005) == "0" and format_percent(0.015) == "2"
        assert join_names(["A", "B", "C"]) == "A, B och C"
        assert join_names(["A"]) == "A"
    with translation.override("en"):
        assert format_int(1695) == "1,695"
        assert format_decimal(0.7) == "0.7"
        assert join_names(["A", "B"]) == "A and B"


def test_downloads_on_the_results_page(vaxby: Any, client: Any, django_user_model: Any) -> None:
    from trygg.accounts.actions import do_grant_role
    from trygg.surveys.actions import do_create_survey, do_open_survey

    page = client.get("/vaxby/resultat/2024/").content.decode()
    for link in ("rapport.pdf", "rapport.html", "oppna-data.zip"):
        assert link in page
    html = client.get("/vaxby/resultat/2024/rapport.html")
    assert html.status_code == 200 and b"Sammanfattning" in html.content
    assert b"<style" not in html.content  # the page's CSP forbids inline styles: the stylesheet is linked
    pdf = client.get("/vaxby/resultat/2024/rapport.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content[:5] == b"%PDF-"
    english = client.get("/vaxby/resultat/2024/rapport.html", HTTP_ACCEPT_LANGUAGE="en")
    assert b"Summary" in english.content
    do_open_survey(do_create_survey(vaxby.organisation, 2026))
    for url in ("rapport.html", "rapport.pdf", "oppna-data.zip"):
        assert client.get(f"/vaxby/resultat/2026/{url}").status_code == 404
        assert client.get(f"/vaxby/resultat/1999/{url}").status_code == 404
    press = "/personal/rapport/vaxby-2024/pressmeddelande.html"
    assert client.get(press).status_code == 302  # to the login
    outsider = django_user_model.objects.create_user("viewer_laholm", password="lösenord-för-test-2")
    client.force_login(outsider)
    assert client.get(press).status_code == 403
    do_grant_role(outsider, vaxby.organisation, "viewer")
    draft = client.get(press).content.decode()
    assert "UTKAST" in draft and "CITAT" in draft and "Sammanställningen visar bland annat att:" in draft
    assert "Belysning i Söderparken" in draft


def test_press_release_from_the_command_line(vaxby: Any, run_cli: Any, tmp_path: Path) -> None:
    out = tmp_path / "press.html"
    assert run_cli("report", "vaxby-2024", "--out", str(out), "--press")[0] == 0
    text = out.read_text(encoding="utf-8")
    assert "Medborgarlöfte 2025 för ökad trygghet" in text
    assert text.count('class="placeholder"') >= 3
    status, _, err = run_cli("report", "vaxby-2024", "--out", str(tmp_path / "x.pdf"), "--press")
    assert status == 2 and "FILE.html" in err
    status, _, err = run_cli("report", "vaxby-2024", "--out", str(tmp_path / "x.docx"))
    assert status == 2
    status, _, err = run_cli("report", "vaxby-1999", "--out", str(tmp_path / "x.pdf"))
    assert status == 1


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_report_page_is_accessible(page: Any, live_server: Any, vaxby: Any) -> None:
    from browser_helpers import assert_accessible

    page.goto(f"{live_server.url}/vaxby/resultat/2024/rapport.html")
    assert page.get_by_role("heading", level=1).inner_text() == "Trygghetsenkäten 2024: rapport"
    assert page.get_by_role("img", name=re.compile("Stapeldiagram: andelen trygga")).is_visible()
    assert_accessible(page)


def test_an_empty_published_survey_still_has_a_report(db: Any, client: Any, tmp_path: Path) -> None:
    """No answers, areas without geometry: the report, its PDF, the open data and the API answer, never a 500."""
    from trygg.areas.actions import do_create_organisation
    from trygg.surveys.actions import do_close_survey, do_create_survey, do_open_survey, do_publish_results

    org = do_create_organisation("tomby", "Tomby kommun", areas_file=_areas_csv(tmp_path / "a.csv"))
    do_publish_results(do_close_survey(do_open_survey(do_create_survey(org, 2024))))
    for url in ("/tomby/resultat/2024/rapport.html", "/tomby/resultat/2024/rapport.pdf",
                "/tomby/resultat/2024/oppna-data.zip", "/api/surveys/tomby-2024/results",
                "/api/surveys/tomby-2024/comparisons", "/api/surveys/tomby-2024/mentions",
                "/api/surveys/tomby-2024/picture", "/api/surveys/tomby-2024/opendata"):
        assert client.get(url).status_code == 200, url
    text = client.get("/tomby/resultat/2024/rapport.html").content.decode()
    assert "Enkäten besvarades av 0 personer." in text
