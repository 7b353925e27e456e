"""Cached reports, open data, the situation picture, the API and the promise page are keyed on the data they show.

After each kind of write — answers deleted through the writer or by raw SQL, margins replaced, an alias, an incidents
import, a promise's progress — the downloaded figures change; after an audit event that changes no data (staff
added) the cached bodies are served again without computing anything.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

REPORT = "/halmstad/resultat/2022/rapport.html"
OPENDATA = "/halmstad/resultat/2022/oppna-data.zip"
RESULTS = "/api/surveys/halmstad-2022/results"
WEIGHTED = "/api/surveys/halmstad-2022/results?weighted=true"
MENTIONS = "/api/surveys/halmstad-2022/mentions"
PICTURE_API = "/api/surveys/halmstad-2022/picture"
PICTURE = "/personal/lagesbild/halmstad-2022/"
PROMISE = "/halmstad/lofte/2023/lofte.json"
ADDRESSES = (REPORT, OPENDATA, RESULTS, WEIGHTED, MENTIONS, PICTURE_API, PICTURE, PROMISE)


@pytest.fixture
def demo(db: Any) -> Any:
    from trygg.demo.load import load_demo
    from trygg.surveys.models import Survey

    load_demo()
    return Survey.objects.get(organisation__slug="halmstad", year=2022)


@pytest.fixture
def computed(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter[str]]:
    """How often each cached computation ran (the real one runs; it is only counted)."""
    from trygg.promises import queries
    from trygg.reports import api, picture_views, report_views

    counts: Counter[str] = Counter()

    def counting(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            counts[name] += 1
            return function(*args, **kwargs)

        return run

    for module, name in ((report_views, "report_context"), (report_views, "opendata_zip"),
                         (api, "survey_results"), (api, "public_mentions"), (api, "situation_picture"),
                         (picture_views, "situation_picture"), (queries, "promise_data")):
        monkeypatch.setattr(module, name, counting(f"{module.__name__}.{name}", getattr(module, name)))
    yield counts


@pytest.fixture
def staff(demo: Any, django_user_model: Any) -> Client:
    from trygg.accounts.actions import do_grant_role

    user = django_user_model.objects.create_user("analys", password="analys-lösenord-1")
    do_grant_role(user, demo.organisation, "analyst")
    client = Client()
    client.force_login(user)
    return client


def bodies(client: Client) -> dict[str, bytes]:
    """Each address's body, without the page's CSRF token (a new one for each request)."""
    out = {}
    for url in ADDRESSES:
        response = client.get(url)
        assert response.status_code == 200, url
        out[url] = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", response.content)
    return out


def figures(body: bytes) -> Any:
    return json.loads(body)


def test_an_unrelated_event_keeps_every_cached_body(demo: Any, staff: Client, computed: Counter[str]) -> None:
    from trygg.accounts.actions import audit, do_add_staff

    first = bodies(staff)
    runs = dict(computed)
    assert all(runs.values()) and len(runs) == 7
    do_add_staff(demo.organisation, "ny_handlaggare", "viewer", "kommunen", password="Sommar-Tylösand-2026")
    audit("second_factor_reset", organisation=demo.organisation, user="ny_handlaggare", devices=0)
    assert bodies(staff) == first
    assert dict(computed) == runs, "an audit event that changes no data must not throw a cached body away"


def test_answers_deleted_through_the_writer_or_by_sql_change_every_figure(demo: Any, staff: Client,
                                                                          computed: Counter[str]) -> None:
    from django.db import connection

    from trygg.surveys.antiabuse import do_decide_burst, do_flag_burst

    first = bodies(staff)
    respondents = figures(first[RESULTS])["respondents"]
    answer = demo.responses.exclude(answers__has_key="unsafe_places_text").order_by("id").first()
    do_decide_burst(do_flag_burst(answer, "connection", "g", proven=False), False, None)
    second = bodies(staff)
    assert figures(second[RESULTS])["respondents"] == respondents - 1
    for url in (REPORT, OPENDATA, MENTIONS, PICTURE_API, PICTURE):
        assert second[url] != first[url], url
    other = (demo.responses.exclude(answers__has_key="unsafe_places_text").order_by("-id")
             .values_list("pk", flat=True)[0])
    with connection.cursor() as cursor:  # an operator's SQL, no writer and no audit event
        cursor.execute("DELETE FROM surveys_response WHERE id = %s", [other])
    third = bodies(staff)
    assert figures(third[RESULTS])["respondents"] == respondents - 2
    assert third[REPORT] != second[REPORT] and third[PICTURE_API] != second[PICTURE_API]


def test_new_margins_change_the_weighted_figures(demo: Any, staff: Client, tmp_path: Path) -> None:
    from trygg.areas.actions import do_import_population

    first = bodies(staff)
    source = Path(__file__).resolve().parents[1] / "src" / "trygg" / "demo" / "data" / "halmstad_population.csv"
    lines = source.read_text(encoding="utf-8").splitlines()
    # Twice the women and half the men, and the other margins scaled to the new total.
    rows = [line.split(",") for line in lines[1:]]
    old_total = sum(float(c) for v, _k, c in rows if v == "gender")
    gender = {k: float(c) * (2 if k == "kvinna" else 0.5 if k == "man" else 1) for v, k, c in rows if v == "gender"}
    scale = sum(gender.values()) / old_total
    changed = [lines[0]] + [f"{v},{k},{gender[k] if v == 'gender' else float(c) * scale}" for v, k, c in rows]
    path = tmp_path / "befolkning.csv"
    path.write_text("\n".join(changed) + "\n", encoding="utf-8")
    do_import_population(demo.organisation, path)
    second = bodies(staff)
    assert figures(second[WEIGHTED])["estimates"] != figures(first[WEIGHTED])["estimates"]
    assert figures(second[RESULTS]) == figures(first[RESULTS]), "the unweighted figures rest on the answers alone"
    assert second[REPORT] != first[REPORT] and second[OPENDATA] != first[OPENDATA]


def test_an_alias_changes_the_place_counts(demo: Any, staff: Client) -> None:
    from trygg.areas.models import Place
    from trygg.surveys.dialogue import do_enter_response
    from trygg.surveys.review import do_add_alias

    def counted(body: bytes) -> int:
        return sum(p["respondents"] for p in figures(body)["places"] if p["slug"] == "stadskarnan")

    # Answers naming a building the gazetteer does not know yet (entered while the survey was open).
    Survey = type(demo)
    Survey.objects.filter(pk=demo.pk).update(status=Survey.Status.OPEN)
    for day in range(1, 13):
        do_enter_response(demo, {"gender": "kvinna", "unsafe_places_text": "Otryggt vid Kopparhuset på kvällen"},
                          "paper", "Biblioteket", date(2022, 10, day))
    Survey.objects.filter(pk=demo.pk).update(status=Survey.Status.CLOSED)
    first = bodies(staff)
    do_add_alias(Place.objects.get(organisation=demo.organisation, slug="stadskarnan"), "Kopparhuset")
    second = bodies(staff)
    assert counted(second[MENTIONS]) == counted(first[MENTIONS]) + 12
    for body, mentions in ((first[REPORT], first[MENTIONS]), (second[REPORT], second[MENTIONS])):
        assert f'Stadskärnan</th><td class="num">{counted(mentions)}<'.encode() in body


def test_an_incidents_import_changes_the_picture(demo: Any, staff: Client, tmp_path: Path) -> None:
    from incident_files import event, write_events
    from trygg.incidents.actions import do_import_incidents

    first = bodies(staff)
    events = [event(990_000 + i, f"2022-06-{10 + i:02d} 22:05:00 +02:00",
                    f"{10 + i:02d} juni 21.30, Misshandel, Halmstad", "Misshandel", "Halmstad") for i in range(5)]
    do_import_incidents(demo.organisation, write_events(tmp_path / "handelser.json", events))
    second = bodies(staff)
    assert second[PICTURE_API] != first[PICTURE_API] and second[PICTURE] != first[PICTURE]
    assert second[REPORT] != first[REPORT]


def test_a_promises_progress_changes_the_report_and_the_promise(demo: Any, staff: Client) -> None:
    from trygg.promises.actions import do_log_progress
    from trygg.promises.models import Activity

    first = bodies(staff)
    activity = (Activity.objects.filter(promise__organisation=demo.organisation, promise__year=2023,
                                        quantity__isnull=True).order_by("number").first())
    assert activity is not None
    do_log_progress(activity, on=date(2023, 6, 1), percent=(activity.percent or 0) / 2 + 37, note="Halvvägs")
    second = bodies(staff)
    assert second[PROMISE] != first[PROMISE] and second[REPORT] != first[REPORT]
    assert second[RESULTS] == first[RESULTS]
