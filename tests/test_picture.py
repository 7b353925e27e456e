"""The situation picture: exact figures on small hand-made data, rates per 1,000, suppression, the quadrant, the
CSV against the page, `trygg picture --format json` and who may see the dashboard."""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from incident_files import event, write_events
from trygg.incidents.actions import do_import_incidents
from trygg.reports.picture import Filters, PictureError, _as_estimate, situation_picture
from trygg.reports.results import survey_results
from trygg.stats import compare_surveys
from trygg.surveys.actions import find_survey

pytestmark = pytest.mark.django_db

STORA_TORG = (56.67445, 12.85760)
# area → (answers, of whom not safe); vallas has too few answers to publish, and rotorp, the next smallest, is
# hidden with it so that vallas cannot be worked out from the total.
AREAS = {"andersberg": (40, 20), "sondrum": (60, 6), "vallas": (10, 5), "rotorp": (31, 3)}
POPULATION = {"andersberg": 5000, "sondrum": 10000, "vallas": 2000, "rotorp": 3000}
OWN = """occurred_at,category,lat,lon,area
2026-01-10 12:00,skadegörelse,,,andersberg
2026-01-11 12:00,skadegörelse,,,andersberg
2026-02-01 00:30,skadegörelse,,,andersberg
2026-02-02 12:00,skadegörelse,,,andersberg
2026-02-03 12:00,skadegörelse,,,andersberg
2026-03-01 12:00,skadegörelse,,,andersberg
2026-03-02 12:00,skadegörelse,,,andersberg
2026-03-03 12:00,skadegörelse,,,andersberg
2026-03-04 12:00,skadegörelse,,,andersberg
2026-03-05 12:00,skadegörelse,,,andersberg
2026-04-01 12:00,klotter,,,andersberg
2026-04-02 12:00,klotter,,,andersberg
2026-04-03 12:00,klotter,,,andersberg
2026-04-04 12:00,klotter,,,andersberg
2026-04-05 12:00,klotter,,,andersberg
2026-01-20 12:00,skadegörelse,,,sondrum
2026-01-21 12:00,skadegörelse,,,sondrum
2026-05-20 12:00,skadegörelse,,,sondrum
2026-12-31 23:59,skadegörelse,,,sondrum
2025-12-31 23:59,skadegörelse,,,sondrum
"""
EVENTS = [
    event(14, "2026-04-02 9:00:00 +02:00", "02 april 08.00, Stöld, Halmstad", "Stöld", "Halmstad"),
    event(13, "2026-03-06 7:00:00 +01:00", "06 mars 06.00, Sammanfattning natt, Halmstad", "Sammanfattning natt",
          "Halmstad"),
    event(12, "2026-03-05 23:00:00 +01:00", "05 mars 22.10, Misshandel, Halmstad", "Misshandel", "Hallands län"),
    event(11, "2026-03-05 10:00:00 +01:00", "05 mars 09.00, Misshandel, Halmstad", "Misshandel", "Halmstad"),
    event(10, "2026-01-01 0:40:00 +01:00", "31 december 23.50, Misshandel, Halmstad", "Misshandel", "Halmstad"),
]


def answers() -> list[list[str]]:
    rows = []
    for area, (n, unsafe) in AREAS.items():
        for i in range(n):
            safe = "ganska_otrygg" if i < unsafe else "ganska_trygg"
            gender = "kvinna" if i % 2 else "man"
            text = "Stora torg på kvällen" if area == "sondrum" and i < 35 else ""
            pins = f"{STORA_TORG[0] + 0.0001 * (i % 4)} {STORA_TORG[1] + 0.0001 * (i % 3)}" if i < 12 else ""
            rows.append([area, gender, "25-44", safe, text, pins])
    return rows


@pytest.fixture
def picture_survey(open_survey: Any, run_cli: Callable[..., Any], write_csv: Callable[..., Path],
                   tmp_path: Path) -> Any:
    header = ["area", "gender", "age_group", "safe_area", "unsafe_places_text", "unsafe_places_pins"]
    assert run_cli("responses", "import", "halmstad-2026", str(write_csv("a.csv", header, answers())))[0] == 0
    do_import_incidents(open_survey.organisation, write_events(tmp_path / "events.json", EVENTS))
    (tmp_path / "own.csv").write_text(OWN, encoding="utf-8")
    do_import_incidents(open_survey.organisation, tmp_path / "own.csv")
    return open_survey


@pytest.fixture
def with_population(picture_survey: Any, run_cli: Callable[..., Any], write_csv: Callable[..., Path]) -> Any:
    rows = [["area", code, str(n)] for code, n in POPULATION.items()]
    assert run_cli("population", "import", "halmstad", str(write_csv("p.csv", ["variable", "category", "count"],
                                                                      rows)))[0] == 0
    return picture_survey


def by_area(picture: Any) -> dict[str, Any]:
    return {a.area: a for a in picture.areas}


def test_figures_per_area_are_exact(with_population: Any) -> None:
    picture = situation_picture(with_population, weighted=False)
    areas = by_area(picture)
    assert not picture.weighted and picture.weighting_note == "unweighted"
    results = {e["domain"].get("area"): e for e in survey_results(with_population, ["area"])["estimates"]
               if e["indicator"] == "safe_in_area"}
    for code in ("andersberg", "sondrum"):
        fear, safe = areas[code].fear, results[code]
        n, unsafe = AREAS[code]
        assert fear["n"] == n and fear["share"] == pytest.approx(unsafe / n)
        assert (fear["ci_low"], fear["ci_high"]) == pytest.approx((1 - safe["ci_high"], 1 - safe["ci_low"]))
        assert areas[code].indicator == safe
    assert picture.municipality["fear"]["share"] == pytest.approx(34 / 141)
    # Ten answers: hidden, and so is everything drawn from them; rotorp too (complementary suppression).
    for code in ("vallas", "rotorp"):
        assert areas[code].fear["suppressed"] and areas[code].fear["share"] is None
        assert areas[code].indicator["share"] is None
        assert areas[code].quadrant == {"fear": None, "incidents": "low", "kind": None, "measure": None}


def test_rates_per_thousand_residents_and_the_quadrant(with_population: Any) -> None:
    picture = situation_picture(with_population, weighted=False)
    areas = by_area(picture)
    assert areas["andersberg"].incidents == [
        {"category": "skadegörelse", "count": 10, "rate_per_1000": pytest.approx(2.0)},
        {"category": "klotter", "count": 5, "rate_per_1000": pytest.approx(1.0)}]
    assert areas["andersberg"].rate_per_1000 == pytest.approx(3.0)
    # The incident of 31 December 2025 is outside the survey's year; 23:59 on 31 December 2026 is inside.
    assert areas["sondrum"].incidents_total == 4 and areas["sondrum"].rate_per_1000 == pytest.approx(0.4)
    assert areas["vallas"].incidents_total == 0 and areas["vallas"].rate_per_1000 == 0
    # Areas without a population count (the rest of Halmstad) are left out of the yardstick.
    assert picture.municipality["rate_per_1000"] == pytest.approx(1000 * 19 / 20000)
    assert areas["andersberg"].quadrant["kind"] == "both"  # 50 % not safe (35–65) against 24 %; 3.0 against 0.95
    assert areas["sondrum"].quadrant["kind"] == "neither"
    assert picture.priority_areas() == ["andersberg"]
    assert [a.area for a in picture.areas if a.quadrant["kind"]] == ["andersberg", "sondrum"]
    assert areas["rotorp"].rate_per_1000 == 0


def test_police_events_by_type_and_month_never_in_an_area(with_population: Any) -> None:
    picture = situation_picture(with_population, weighted=False)
    # The summary is stored, not counted; the event of New Year's Eve published on 1 January is a 2025 incident.
    assert picture.police == [{"type": "Misshandel", "month": "2026-03", "count": 2},
                              {"type": "Stöld", "month": "2026-04", "count": 1}]
    monthly = {(r["source"], r["month"]): r["count"] for r in picture.monthly}
    assert monthly[("police", "2026-03")] == 2 and monthly[("own", "2026-03")] == 5
    assert monthly[("own", "2026-12")] == 1
    assert sum(a.incidents_total for a in picture.areas) == 19


def test_places_and_hotspots_lie_in_their_areas(with_population: Any) -> None:
    picture = situation_picture(with_population, weighted=False)
    [place] = [p for p in picture.places if p["slug"] == "stora-torg"]
    # 35 wrote it in words; the pins on it name it for 12 + 10 + 12 more (pins of the 12 writers count once).
    assert place["respondents"] == 35 + 12 + 10 + 12
    holder = by_area(picture)[place["area"]]
    assert place in holder.places
    # 46 pins near Stora torg (12 in three areas, 10 in vallas): one cluster, never single pins.
    [hotspot] = picture.hotspots
    assert hotspot["count"] == 46 and hotspot["near"] == "Stora torg"
    assert hotspot in by_area(picture)[hotspot["area"]].hotspots
    assert picture.top_places() == ["stora-torg"]


def test_without_population_counts_only(picture_survey: Any) -> None:
    picture = situation_picture(picture_survey)
    assert not picture.has_population and picture.weighting_note == "no_margins" and not picture.weighted
    areas = by_area(picture)
    assert areas["andersberg"].incidents_total == 15 and areas["andersberg"].rate_per_1000 is None
    assert all(i["rate_per_1000"] is None for i in areas["andersberg"].incidents)
    assert picture.municipality["rate_per_1000"] is None
    assert areas["andersberg"].quadrant == {"fear": "high", "incidents": None, "kind": None, "measure": None}


def test_weighted_where_margins_exist(with_population: Any) -> None:
    picture = situation_picture(with_population)
    assert picture.weighted and picture.weighting_note == "raked"
    weighted = {e["domain"].get("area"): e for e in survey_results(with_population, ["area"], weighted=True)
                ["estimates"] if e["indicator"] == "safe_in_area"}
    assert picture.municipality["indicator"] == weighted[None]


def test_filters(with_population: Any) -> None:
    women = situation_picture(with_population, weighted=False, filters=Filters(gender="kvinna"))
    assert by_area(women)["sondrum"].fear["n"] == 30
    assert by_area(women)["sondrum"].fear["share"] == pytest.approx(3 / 30)
    assert by_area(women)["andersberg"].fear["suppressed"]  # 20 women
    assert women.municipality["fear"]["n"] == 70
    one = situation_picture(with_population, weighted=False, filters=Filters(area="sondrum"))
    assert [a.area for a in one.areas] == ["sondrum"]
    assert one.municipality["rate_per_1000"] == pytest.approx(1000 * 19 / 20000)
    police = situation_picture(with_population, weighted=False, filters=Filters(source="police"))
    assert all(a.rate_per_1000 is None and a.incidents_total == 0 for a in police.areas)
    assert {r["source"] for r in police.monthly} == {"police"}
    klotter = situation_picture(with_population, weighted=False, filters=Filters(category="klotter"))
    assert by_area(klotter)["andersberg"].incidents_total == 5 and klotter.police == []
    march = situation_picture(with_population, weighted=False, filters=Filters(
        date_from=datetime.date(2026, 3, 1), date_to=datetime.date(2026, 3, 31)))
    assert by_area(march)["andersberg"].incidents_total == 5
    assert sum(r["count"] for r in march.police) == 2
    for bad in (Filters(area="atlantis"), Filters(gender="x"), Filters(indicator="nope"), Filters(source="press"),
                Filters(category="rån med hund"),
                Filters(date_from=datetime.date(2026, 5, 1), date_to=datetime.date(2026, 4, 1))):
        with pytest.raises(PictureError):
            situation_picture(with_population, filters=bad)


def test_change_since_the_last_published_year(with_population: Any, run_cli: Callable[..., Any],
                                              write_csv: Callable[..., Path]) -> None:
    run_cli("survey", "create", "halmstad", "2025")
    run_cli("survey", "open", "halmstad-2025")
    rows = [["andersberg", "25-44", "ganska_otrygg" if i < 10 else "ganska_trygg"] for i in range(40)]
    run_cli("responses", "import", "halmstad-2025", str(write_csv("b.csv", ["area", "age_group", "safe_area"], rows)))
    run_cli("survey", "close", "halmstad-2025")
    assert situation_picture(with_population, weighted=False).earlier_year is None  # closed, not published
    run_cli("survey", "publish", "halmstad-2025")
    picture = situation_picture(with_population, weighted=False)
    assert picture.earlier_year == 2025
    now = {e["domain"].get("area"): e for e in survey_results(with_population, ["area"])["estimates"]
           if e["indicator"] == "safe_in_area"}["andersberg"]
    before = {e["domain"].get("area"): e for e in survey_results(find_survey("halmstad-2025"), ["area"])["estimates"]
              if e["indicator"] == "safe_in_area"}["andersberg"]
    change = by_area(picture)["andersberg"].change
    assert change["difference"] == pytest.approx(0.5 - 0.75)
    expected = compare_surveys(_as_estimate(now), _as_estimate(before))
    assert (change["ci_low"], change["ci_high"]) == pytest.approx((expected.ci_low, expected.ci_high))
    assert by_area(picture)["sondrum"].change is None  # no answers there in 2025
    assert {c["indicator"] for c in picture.changes} == {"safe_in_area"}
    assert [y["year"] for y in picture.years] == [2025, 2026]


def test_other_organisations_show_only_published_figures(with_population: Any, run_cli: Callable[..., Any],
                                                        write_csv: Callable[..., Path]) -> None:
    areas = write_csv("l.csv", ["code", "name"], [["mellby", "Mellby"]])
    run_cli("org", "create", "laholm", "--name", "Laholm", "--areas", str(areas))
    run_cli("survey", "create", "laholm", "2026")
    run_cli("survey", "open", "laholm-2026")
    run_cli("responses", "import", "laholm-2026", str(write_csv("m.csv", ["area", "safe_area"],
                                                                 [["mellby", "ganska_trygg"]] * 12)))
    assert [o["organisation"] for o in situation_picture(with_population).organisations] == ["halmstad"]
    run_cli("survey", "close", "laholm-2026")
    run_cli("survey", "publish", "laholm-2026")
    orgs = {o["organisation"]: o for o in situation_picture(with_population).organisations}
    assert orgs["laholm"]["suppressed"] and orgs["laholm"]["share"] is None  # 12 answers
    assert not orgs["halmstad"]["suppressed"]


def test_cli_json_shape_and_csv(with_population: Any, run_cli: Callable[..., Any],
                                monkeypatch: pytest.MonkeyPatch) -> None:
    status, out, _ = run_cli("picture", "halmstad-2026", "--format", "json")
    assert status == 0
    data = json.loads(out)
    assert {"survey", "weighted", "min_n", "filters", "municipality", "areas", "places", "hotspots", "police",
            "monthly", "changes", "years", "organisations"} <= set(data)
    assert data["survey"] == "halmstad-2026" and data["weighted"] is False
    andersberg = next(a for a in data["areas"] if a["area"] == "andersberg")
    assert set(andersberg) == {"area", "name", "population", "indicator", "fear", "change", "places", "hotspots",
                               "incidents", "incidents_total", "rate_per_1000", "quadrant"}
    assert andersberg["quadrant"]["kind"] == "both" and "gemensamma insatser" in andersberg["quadrant"]["measure"]
    assert run_cli("picture", "halmstad-2026", "--weighted", "--format", "json")[0] == 0
    status, out, _ = run_cli("picture", "halmstad-2026", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    [rate] = [r for r in rows if r["section"] == "incidents" and r["area"] == "andersberg" and r["item"] == "own"]
    assert float(rate["rate_per_1000"]) == pytest.approx(3.0) and rate["count"] == "15"
    status, out, _ = run_cli("picture", "halmstad-2026")
    assert status == 0 and "Andersberg" in out and "both" in out
    assert out.startswith("halmstad-2026: situation picture per area, unweighted shares")
    assert "whole municipality" in out
    monkeypatch.setenv("LANG", "sv_SE.UTF-8")
    out = run_cli("picture", "halmstad-2026")[1]
    assert out.startswith("halmstad-2026: lägesbild per område, oviktade andelar") and "hela kommunen" in out
    assert run_cli("picture", "halmstad-1999")[0] == 1


def test_csv_download_equals_the_page(with_population: Any, analyst_halmstad: Any, client: Client) -> None:
    client.force_login(analyst_halmstad)
    query = "?kon=&viktat=nej&karta=brott"
    page = client.get(f"/personal/lagesbild/halmstad-2026/{query}")
    assert page.status_code == 200
    html = page.content.decode()
    download = client.get(f"/personal/lagesbild/halmstad-2026/lagesbild.csv{query}")
    assert download["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(download.content.decode())))
    for code in AREAS:
        cells = re.search(rf'<tr data-area="{code}">(.*?)</tr>', html, re.S)
        assert cells is not None
        shown = re.findall(r'<td class="num">([^<]*)</td>', cells.group(1))
        [fear] = [r for r in rows if r["section"] == "fear" and r["area"] == code]
        [own] = [r for r in rows if r["section"] == "incidents" and r["area"] == code and r["item"] == "own"]
        if fear["suppressed"] == "True":
            assert fear["share"] == "" and "dold" in cells.group(1)
        else:
            assert f"{100 * float(fear['share']):.0f} %" in shown
        assert shown[-2:] == [own["count"], f"{float(own['rate_per_1000']):.1f}".replace(".", ",")]


def test_who_may_see_the_dashboard(picture_survey: Any, client: Client, django_user_model: Any) -> None:
    from trygg.accounts.actions import do_grant_role
    from trygg.areas.actions import do_create_organisation

    url = "/personal/lagesbild/halmstad-2026/"
    assert client.get(url)["Location"].startswith("/personal/login/")
    laholm = do_create_organisation("laholm", "Laholms kommun och LPO Laholm", kommun_code="1381")
    other = django_user_model.objects.create_user("viewer_laholm", password="läs-lösenord-2")
    do_grant_role(other, laholm, "viewer")
    client.force_login(other)
    assert client.get(url).status_code == 403
    assert client.get(url + "lagesbild.csv").status_code == 403
    viewer = django_user_model.objects.create_user("viewer_halmstad", password="läs-lösenord-1")
    do_grant_role(viewer, picture_survey.organisation, "viewer")
    client.force_login(viewer)
    page = client.get(url).content.decode()
    # The kinds of incident to choose from: counted ones only (never the summary), the police's first.
    kinds = re.findall(r'<option value="([^"]+)">[^<]+ \((?:polisen|egen)\)</option>', page)
    assert kinds == ["Misshandel", "Stöld", "klotter", "skadegörelse"]
    assert client.get(url + "?omrade=atlantis").status_code == 400
    assert client.get(url + "?fran=2026-13-01").status_code == 400
    assert client.get(url + "?viktat=ja").status_code == 400  # no population margins to weight to
    assert client.get(url + "lagesbild.csv?viktat=ja").status_code == 400
    assert client.get("/personal/lagesbild/halmstad-1999/").status_code == 404
    home = client.get("/personal/").content.decode()
    assert url in home


def test_a_survey_without_answers_draws_an_empty_picture(open_survey: Any, analyst_halmstad: Any,
                                                       client: Client) -> None:
    picture = situation_picture(open_survey)
    assert picture.municipality["fear"]["suppressed"] and picture.years == [] and picture.places == []
    assert all(a.quadrant["kind"] is None for a in picture.areas)
    client.force_login(analyst_halmstad)
    page = client.get("/personal/lagesbild/halmstad-2026/")
    assert page.status_code == 200 and "Inga händelser i urvalet." in page.content.decode()


def test_year_filter_goes_to_that_years_picture(picture_survey: Any, analyst_halmstad: Any, client: Client,
                                                run_cli: Callable[..., Any]) -> None:
    run_cli("survey", "create", "halmstad", "2025")
    client.force_login(analyst_halmstad)
    response = client.get("/personal/lagesbild/halmstad-2026/?ar=2025&kon=kvinna")
    assert response.status_code == 302 and response["Location"] == "/personal/lagesbild/halmstad-2025/?kon=kvinna"


def test_map_colours_areas_by_class_only(with_population: Any, analyst_halmstad: Any, client: Client) -> None:
    client.force_login(analyst_halmstad)
    html = client.get("/personal/lagesbild/halmstad-2026/?karta=kvadrant&viktat=nej").content.decode()
    start = html.index("<svg xmlns")
    svg = html[start:html.index("</svg>", start)]
    assert 'class="area pic-q-both"><title>Andersberg</title>' in svg
    assert 'class="area pic-q-neither"><title>Söndrum</title>' in svg
    assert 'class="area pic-none"><title>Vallås</title>' in svg
    assert "style=" not in html
    link = re.search(r'href="(/personal/lofte/halmstad/nytt/\?[^"]*)"', html)
    assert link is not None and link.group(1).replace("&amp;", "&") == (
        "/personal/lofte/halmstad/nytt/?year=2026&areas=andersberg&places=stora-torg")


def test_the_dashboard_lists_areas_in_swedish_order_with_swedish_numbers(with_population: Any, analyst_halmstad: Any,
                                                                         client: Client) -> None:
    client.force_login(analyst_halmstad)
    page = client.get("/personal/lagesbild/halmstad-2026/").content.decode()
    table = page.split('class="figures picture-areas"', 1)[1].split("</table>", 1)[0]
    names = re.findall(r'<tr data-area="[^"]+"><th scope="row">([^<]+)</th>', table)
    from trygg.formatting import sorted_swedish

    assert len(names) > 3 and names == sorted_swedish(names)
    assert names.index("Rotorp") < names.index("Östra stranden")  # Ö after R, not beside O
    assert not re.search(r'<td class="num">\d{4,}</td>', table)  # thousands never run together
