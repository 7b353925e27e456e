"""Property tests of the second half of the cycle's parsers and of the step-by-step form: whatever a file or a post
holds, the answer is a stored import or an InputError that names the file (nothing stored), and a form post gets a
page below 500 (nothing stored unless it was a whole, valid answer with a valid token).

The first half's parsers (answers, places, margins, any table) are in tests/test_import_properties.py."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incident_files import event
from test_import_properties import junk, numbers, table, write
from trygg.errors import InputError

PROPERTY = settings(max_examples=50, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

dates = st.one_of(st.sampled_from(["2024-05-01 0:30:07 +02:00", "2024-13-01 0:30:07 +02:00", "2999-01-01 00:00:00",
                                   "", "igår", "2024-05-01T12:00:00Z"]), junk)
event_names = st.one_of(st.sampled_from(["01 maj 00.15, Misshandel, Halmstad", "31 februari 25.99, Rån, Halmstad",
                                         "Sammanfattning natt, Hallands län", "Misshandel", ""]), junk)
event_types = st.one_of(st.sampled_from(["Misshandel", "Rån", "Sammanfattning natt", "Övrigt", ""]), junk)
locations = st.one_of(st.sampled_from(["Halmstad", "Hallands län", "Laholm", "Borås"]), junk)


@st.composite
def police_event(draw: st.DrawFn) -> Any:
    """An event in the events API's shape with any field replaced, removed or of another type now and then."""
    shaped: dict[str, Any] = event(draw(st.integers(-5, 10**12)), draw(dates), draw(event_names), draw(event_types),
                                   draw(locations))
    if draw(st.booleans()):
        key = draw(st.sampled_from(sorted(shaped)))
        mangled = draw(st.one_of(st.none(), st.integers(), st.floats(allow_nan=True), junk, st.just([]),
                                 st.just({"name": "Halmstad", "gps": "999,999"}), st.just({})))
        if draw(st.booleans()):
            shaped.pop(key)
        else:
            shaped[key] = mangled
    return draw(st.one_of(st.just(shaped), junk, st.integers(), st.none()))


police_files = st.one_of(
    st.lists(police_event(), max_size=5).map(lambda events: json.dumps(events, ensure_ascii=False)),
    st.dictionaries(junk, junk, max_size=2).map(json.dumps),
    junk.map(lambda t: "[" + t))


def incidents_snapshot(org: Any) -> tuple[list[Any], list[Any]]:
    from trygg.incidents.models import OwnIncident, PoliceEvent

    return (sorted(PoliceEvent.objects.filter(organisation=org).values_list("pk", "content_hash")),
            sorted(OwnIncident.objects.filter(organisation=org).values_list("pk", flat=True)))


@PROPERTY
@given(text=police_files)
def test_police_events_import_stores_all_or_names_the_file(halmstad: Any, tmp_path: Path, text: str) -> None:
    from trygg.incidents.actions import do_import_incidents

    path = write(tmp_path, "handelser.json", text)
    before = incidents_snapshot(halmstad)
    try:
        do_import_incidents(halmstad, path)
    except InputError as exc:
        assert exc.file == path.name and path.name in str(exc), str(exc)
        assert incidents_snapshot(halmstad) == before, "a refused import changed the incidents"


@PROPERTY
@given(text=table(["occurred_at", "category", "lat", "lon", "area"],
                  st.one_of(st.sampled_from(["2024-05-01 12:00", "2024-02-30", "Skadegörelse", "56.67", "12.85",
                                             "999", "andersberg", "okänt-område", ""]), numbers)))
def test_own_incidents_import_stores_all_or_names_the_file(halmstad: Any, tmp_path: Path, text: str) -> None:
    from trygg.incidents.actions import do_import_incidents

    path = write(tmp_path, "egna.csv", text)
    before = incidents_snapshot(halmstad)
    try:
        do_import_incidents(halmstad, path)
    except InputError as exc:
        assert exc.file == path.name and path.name in str(exc), str(exc)
        assert incidents_snapshot(halmstad) == before, "a refused import changed the incidents"


PROMISE_COLUMNS = ["party", "commitment", "activity", "places", "quantity", "unit", "start", "end", "responsible",
                   "indicator", "domain", "baseline_survey", "target"]


@PROPERTY
@given(text=table(PROMISE_COLUMNS, st.one_of(
    st.sampled_from(["gemensamt", "kommunen", "polisen", "Trygga torg", "Fler vuxna ute", "stadskarnan",
                     "stadskarnan|andersberg", "okänd plats", "900", "timmar", "2025-01-01", "2025-12-31",
                     "2025-02-30", "safe_in_area", "area=andersberg", "area=", "halmstad-2022", "0.6", "1.5"]),
    numbers)))
def test_promise_import_stores_all_or_names_the_file(halmstad: Any, tmp_path: Path, text: str) -> None:
    from trygg.promises.csvio import do_import_promise
    from trygg.promises.models import Activity, Promise

    path = write(tmp_path, "lofte.csv", text)

    def snapshot() -> tuple[list[Any], list[Any]]:
        return (sorted(Promise.objects.filter(organisation=halmstad).values_list("pk", "year", "status")),
                sorted(Activity.objects.filter(promise__organisation=halmstad).values_list("pk", "text")))

    before = snapshot()
    try:
        do_import_promise(halmstad, 2025, path)
    except InputError as exc:
        assert exc.file == path.name and path.name in str(exc), str(exc)
        assert snapshot() == before, "a refused import changed the promises"


form_values = st.one_of(junk, numbers, st.sampled_from(["kvinna", "ganska_trygg", "ja", "vet_ej", "p:stadskarnan",
                                                        "a:andersberg", "[[12.85, 56.67]]", "\x00", "x" * 3000]))
step_fields = st.dictionaries(
    st.one_of(st.sampled_from(["steg", "ga", "utkast", "token", "gender", "age_group", "area", "safe_area",
                               "unsafe_places", "unsafe_places_text", "unsafe_places_pins", "unsafe_places-plats",
                               "pow", "webbplats"]), junk),
    st.one_of(form_values, st.sampled_from(["0", "6", "-1", "99", "tillbaka", "skicka", "steg-3", "steg-x"])),
    max_size=8)


@PROPERTY
@given(fields=step_fields, keep_token=st.booleans(), keep_draft=st.booleans())
def test_any_step_post_gets_an_answer_below_500_and_stores_nothing_half(open_survey: Any, fields: dict[str, str],
                                                                      keep_token: bool, keep_draft: bool) -> None:
    """A step post carries the signed draft and the token of the page it came from; any of them forged, missing or
    garbage gives a page (the step again, the first step as expired, or the summary), never a 500, and nothing is
    stored before a valid send from the summary."""
    from trygg.surveys.models import Response

    client = Client()
    page = client.get("/halmstad/enkat/2026/").content.decode()
    token = page.split('name="token" value="', 1)[1].split('"', 1)[0]
    draft = page.split('name="utkast" value="', 1)[1].split('"', 1)[0]
    data = {**fields}
    if keep_token:
        data["token"] = token
    if keep_draft:
        data["utkast"] = draft
    data.setdefault("steg", "0")
    before = Response.objects.filter(survey=open_survey).count()
    answer = client.post("/halmstad/enkat/2026/", data)
    assert answer.status_code < 500
    stored = Response.objects.filter(survey=open_survey).count() - before
    # Only the summary's send stores, and only a whole valid answer: never from a forged draft or token.
    assert stored == 0 or (keep_token and keep_draft and data.get("ga") == "skicka")
