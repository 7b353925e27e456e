"""The authorisation matrix: every address of the URL configuration, requested by every kind of visitor.

The addresses come from the URL configuration itself (public pages, staff pages, exports, the API, downloads and
every page of the admin), so a new address fails this test until it has a row in RULES (or, for the admin's pages,
its model a row in ADMIN_MODELS). Each is requested with GET, and with POST — empty and with garbage — against
POST_RULES: an address that answers a POST without a row there fails too. Visitors: anonymous; viewer, analyst and
admin of Halmstad for the municipality and for the police; an admin of another organisation (Laholm); an operator
(superuser). Admins have given their second factor; the demo's data is loaded, and Laholm makes the database a
real one, so the second factor is on.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

PERSONAS = ("anonymous", "viewer_kommunen", "analyst_kommunen", "admin_kommunen", "viewer_polisen",
            "analyst_polisen", "admin_polisen", "admin_laholm", "operator")
RANK = {"viewer": 0, "analyst": 1, "admin": 2}
LOGIN = 302  # to the login page
Rule = Callable[[str], int]


def public(persona: str) -> int:
    return 200


def role_at_least(role: str, *, anonymous: int = LOGIN, other: int = 403, below: int = 403, ok: int = 200) -> Rule:
    """`ok` (200) for Halmstad's staff with `role` or more and the operator; `below` for lesser roles, `other` for
    Laholm's admin, `anonymous` (the login redirect) for anonymous visitors."""

    def rule(persona: str) -> int:
        if persona == "anonymous":
            return anonymous
        if persona == "operator":
            return ok
        if persona == "admin_laholm":
            return other
        return ok if RANK[persona.split("_")[0]] >= RANK[role] else below

    return rule


def everyone_logged_in(status: int) -> Rule:
    return lambda persona: LOGIN if persona == "anonymous" else status


def fixed(status: int) -> Rule:
    return lambda persona: status


# Every address outside the admin's model pages, by its route in the URL configuration.
RULES: dict[str, Rule] = {
    "": public,
    "halsa/": public,
    "i18n/setlang/": fixed(302),  # a GET sends the visitor back; only a POST changes the language
    "<slug:org>/": public,
    "<slug:org>/enkat/<int:year>/": public,
    "<slug:org>/resultat/<int:year>/": public,
    "<slug:org>/resultat/<int:year>/rapport.html": public,
    "<slug:org>/resultat/<int:year>/rapport.pdf": public,
    "<slug:org>/resultat/<int:year>/oppna-data.zip": public,
    "<slug:org>/lofte/<int:year>/": public,
    "<slug:org>/lofte/<int:year>/atom.xml": public,
    "<slug:org>/lofte/<int:year>/lofte.json": public,
    "<slug:org>/lofte/<int:year>/underlag/<int:entry>/": fixed(404),  # the demo's progress has no uploaded file
    "api/": fixed(404),
    "api/openapi.json": public,
    "api/organisations": public,
    "api/surveys/<survey>/results": public,
    "api/surveys/<survey>/comparisons": public,
    "api/surveys/<survey>/mentions": public,
    "api/surveys/<survey>/picture": public,
    "api/surveys/<survey>/opendata": public,
    "api/promises/<promise>": public,
    # The staff API: a token only, never a session (tests/test_api_staff.py); its imports are POSTs.
    "api/staff/token": fixed(401),
    "api/staff/surveys/<survey>/responses": fixed(405),
    "api/staff/organisations/<org>/places": fixed(405),
    "api/staff/organisations/<org>/population": fixed(405),
    "api/staff/organisations/<org>/incidents": fixed(405),
    # Staff pages of one organisation.
    "personal/kodning/<str:survey>/": role_at_least("analyst"),
    "personal/kodning/<str:survey>/<int:response_id>/": role_at_least("analyst"),
    "personal/skurar/<str:survey>/": role_at_least("viewer"),  # viewers see the bursts; deciding needs analyst
    "personal/lagesbild/<str:survey>/": role_at_least("viewer"),
    "personal/lagesbild/<str:survey>/lagesbild.csv": role_at_least("viewer"),
    "personal/lofte/<slug:org>/": role_at_least("viewer"),
    # The form shows to a viewer; saving it takes an analyst (tests/test_promise_pages.py posts it).
    "personal/lofte/<slug:org>/nytt/": role_at_least("viewer"),
    "personal/lofte/<slug:org>/<int:year>/": role_at_least("viewer"),
    "personal/lofte/<slug:org>/<int:year>/aktivitet/<int:number>/": role_at_least("viewer"),
    "personal/rapport/<str:survey>/pressmeddelande.html": role_at_least("viewer"),
    "personal/handelser/<slug:org>/": role_at_least("viewer"),
    # Fieldwork pages: viewers see them; their forms post only for analysts, and survey steps only for admins.
    "personal/enkater/<slug:org>/": role_at_least("viewer"),
    "personal/enkater/<slug:org>/<int:year>/<slug:step>/": role_at_least("viewer"),
    "personal/import/<str:survey>/": role_at_least("viewer"),
    "personal/insamling/<str:survey>/": role_at_least("viewer"),
    "personal/dialog/<str:survey>/": role_at_least("viewer"),
    "personal/monitor/<str:survey>/": role_at_least("viewer"),
    "personal/anstallda/<slug:org>/": role_at_least("admin"),
    "personal/logg/<slug:org>/": role_at_least("admin"),
    "personal/logg/<slug:org>/logg.csv": role_at_least("admin"),
    "personal/api-nycklar/<slug:org>/": role_at_least("viewer"),  # making a token takes an analyst
    # The login and the admin's own pages.
    "personal/tvastegs/": everyone_logged_in(302),  # given already: back to where the visitor was going
    "personal/": everyone_logged_in(200),
    "personal/login/": lambda p: 200 if p == "anonymous" else 302,
    "personal/logout/": everyone_logged_in(405),  # logging out is a POST
    "personal/password_change/": everyone_logged_in(200),
    "personal/password_change/done/": everyone_logged_in(200),
    "personal/autocomplete/": everyone_logged_in(403),
    "personal/auth/user/<id>/password/": everyone_logged_in(403),  # passwords change on the command line
    "personal/jsi18n/": everyone_logged_in(200),
    "personal/r/<path:content_type_id>/<path:object_id>/": everyone_logged_in(404),
    "personal/(?P<url>.*)$": everyone_logged_in(404),
}

# The admin's model pages: who may read each model (Halmstad's object for the object pages). Nobody adds, changes
# or deletes through the admin, except that an organisation's admin adds a survey (through do_create_survey).
ADMIN_MODELS: dict[str, str] = {
    "accounts.membership": "admin", "accounts.auditevent": "admin",
    "areas.organisation": "viewer", "areas.place": "viewer", "areas.populationmargin": "viewer",
    "surveys.survey": "viewer", "surveys.response": "analyst",
    "incidents.policeevent": "analyst", "incidents.ownincident": "analyst", "incidents.incidentimport": "analyst",
    "incidents.policeapicall": "admin",
    "surveys.dialoguenote": "viewer",
    "promises.promise": "viewer", "promises.progressentry": "viewer", "promises.amendment": "viewer",
    "auth.user": "operator", "axes.accessattempt": "operator", "axes.accesslog": "operator",
    "axes.accessfailurelog": "operator",
}
ADDABLE = {"surveys.survey": "admin"}


def admin_rule(model: str, page: str) -> Rule:
    """Expected status of an admin page of `model`; `page` is changelist, add, object, change, history or delete."""
    need = ADMIN_MODELS[model]

    def rule(persona: str) -> int:
        if persona == "anonymous":
            return LOGIN
        if need == "operator":
            return 200 if persona == "operator" and page in ("changelist", "change", "history") else \
                302 if page == "object" else 403
        if page == "object":
            return 302  # the admin's old address of an object: a redirect to its change page (or, unseen, home)
        role = "admin" if persona == "operator" else persona.split("_")[0]
        sees_model = RANK[role] >= RANK[need]
        if page in ("delete",):
            return 403
        if page == "add":
            return 200 if model in ADDABLE and RANK[role] >= RANK[ADDABLE[model]] else 403
        if page == "changelist":
            return 200 if sees_model else 403
        # The change (read-only view) and history pages of Halmstad's object. The history page of an object the
        # visitor cannot see says it does not exist and goes home, as the change page does for another organisation.
        if persona == "admin_laholm":
            return 302 if sees_model else 403
        if not sees_model:
            return 302 if page == "history" else 403
        return 200

    return rule


def routes() -> Iterator[tuple[str, str | None]]:
    def walk(patterns: list[Any], prefix: str) -> Iterator[tuple[str, str | None]]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern), pattern.name

    yield from walk(get_resolver().url_patterns, "")


_ADMIN_MODEL_PAGE = re.compile(r"^personal/(?P<app>\w+)/(?P<model>\w+)/(?:(?P<add>add/)|(?P<object><path:object_id>/)"
                               r"(?P<action>change/|history/|delete/)?)?$")


_APP_INDEX = re.compile(r"^personal/\^\(\?P<app_label>[\w|]+\)/\$$")


def rule_for(route: str) -> Rule | None:
    if route in RULES:
        return RULES[route]
    if _APP_INDEX.match(route):
        return everyone_logged_in(200)  # the index of one app (here: surveys) lists the models the visitor may read
    match = _ADMIN_MODEL_PAGE.match(route)
    if match and f"{match['app']}.{match['model']}" in ADMIN_MODELS:
        page = ("add" if match["add"] else "changelist" if not match["object"]
                else (match["action"] or "object").rstrip("/"))
        return admin_rule(f"{match['app']}.{match['model']}", page)
    return None


@pytest.fixture
def world(db: Any, django_user_model: Any) -> dict[str, Any]:
    """The Halmstad demo, Laholm, the personas, and a value for every part of an address."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from trygg.accounts.actions import do_add_staff
    from trygg.areas.actions import do_create_organisation
    from trygg.demo.load import load_demo
    from trygg.promises.models import Activity
    from trygg.surveys.models import Response

    load_demo()
    from trygg.promises.actions import do_edit_activity

    # An amendment of the published promise, so the admin has one to show.
    first = Activity.objects.filter(promise__organisation__slug="halmstad", promise__year=2023).order_by("number")[0]
    do_edit_activity(first, {"responsible": "Trygghetssamordnaren"}, reason="Ny ansvarig efter omorganisation")
    from datetime import date

    from trygg.surveys.dialogue import do_add_dialogue_note
    from trygg.surveys.models import DialogueNote, Survey

    do_add_dialogue_note(Survey.objects.get(organisation__slug="halmstad", year=2022), date(2022, 10, 4),
                         "Stadsbiblioteket", DialogueNote.Theme.values[0], "Mörkt på gångvägen mot stationen.")
    laholm = do_create_organisation("laholm", "Laholms kommun", kommun_code="1381")
    from trygg.areas.models import Organisation

    halmstad = Organisation.objects.get(slug="halmstad")
    password = "Sommar-Tylösand-2026"
    users = {}
    for party in ("kommunen", "polisen"):
        for role in ("viewer", "analyst", "admin"):
            users[f"{role}_{party}"] = do_add_staff(halmstad, f"{role}_{party}", role, party, password=password).user
    users["admin_laholm"] = do_add_staff(laholm, "admin_laholm", "admin", "kommunen", password=password).user
    users["operator"] = django_user_model.objects.create_superuser("operator", password=password)
    clients: dict[str, Client] = {"anonymous": Client()}
    for name, user in users.items():
        client = Client()
        client.force_login(user)
        device = TOTPDevice.objects.create(user=user, name="trygg", confirmed=True)
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
        clients[name] = client
    text_answer = Response.objects.filter(survey__organisation=halmstad, survey__year=2022,
                                          answers__has_key="unsafe_places_text").order_by("id").first()
    assert text_answer is not None
    objects = _admin_objects(halmstad, users["admin_kommunen"])
    return {
        "clients": clients, "users": users, "halmstad": halmstad, "objects": objects,
        "values": {"org": "halmstad", "survey": "halmstad-2022", "promise": "halmstad-2023",
                   "response_id": str(text_answer.pk), "number": str(Activity.objects.filter(
                       promise__organisation=halmstad).order_by("number").values_list("number", flat=True)[0]),
                   "entry": "1", "step": "publicera",
                   "content_type_id": str(ContentType.objects.get_for_model(Organisation).pk),
                   "id": str(users["operator"].pk), "current_year": str(timezone.localdate().year)},
    }


def _admin_objects(halmstad: Any, user: Any) -> dict[str, int]:
    """One object of Halmstad (or belonging to its staff) for each model in the admin."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.apps import apps
    from django.contrib import admin
    from django.utils import timezone

    AccessAttempt.objects.create(username="admin_kommunen", ip_address="192.0.2.1", user_agent="test",
                                 failures_since_start=1, get_data="", post_data="", http_accept="", path_info="")
    AccessLog.objects.create(username="admin_kommunen", ip_address="192.0.2.1", user_agent="test",
                             http_accept="", path_info="")
    AccessFailureLog.objects.create(username="admin_kommunen", ip_address="192.0.2.1", user_agent="test",
                                    http_accept="", path_info="")
    objects = {"auth.user": user.pk}
    for label in ADMIN_MODELS:
        if label in objects:
            continue
        model = apps.get_model(label)
        queryset = model.objects.all()
        path = getattr(admin.site._registry[model], "organisation_path", None)
        if path is not None:
            queryset = queryset.filter(**{path: halmstad.pk})
        first = queryset.order_by("pk").first()
        if first is None and label == "incidents.policeapicall":
            first = model.objects.create(organisation=halmstad, url="https://polisen.se/api/events", status=200,
                                         at=timezone.now())
        assert first is not None, f"the demo has no {label} of Halmstad"
        objects[label] = first.pk
    return objects


def address(route: str, world: dict[str, Any]) -> str:
    values = dict(world["values"])
    if "/enkat/" in route:
        values["year"] = values["current_year"]
    elif "lofte" in route:
        values["year"] = "2023"
    else:
        values["year"] = "2022"
    match = _ADMIN_MODEL_PAGE.match(route)
    if match and match["object"]:
        values["object_id"] = str(world["objects"][f"{match['app']}.{match['model']}"])
    elif "<path:object_id>" in route:
        values["object_id"] = str(world["halmstad"].pk)
    path = re.sub(r"\^\(\?P<app_label>[\w|]+\)/\$", "surveys/", route)
    path = path.replace("(?P<url>.*)$", "nowhere/")
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], path)
    assert "<" not in path and "(" not in path, path
    return "/" + path


def test_every_address_has_a_row() -> None:
    missing = [route for route, _name in routes() if rule_for(route) is None]
    assert not missing, f"addresses without a row in the authorisation matrix: {missing}"


def test_the_authorisation_matrix(world: dict[str, Any], settings: Any) -> None:
    settings.TRYGG_REQUIRE_SECOND_FACTOR = True
    wrong = []
    for route, _name in routes():
        rule = rule_for(route)
        assert rule is not None, route
        url = address(route, world)
        for persona in PERSONAS:
            status = world["clients"][persona].get(url).status_code
            if status != rule(persona):
                wrong.append(f"{persona:17} GET {url} → {status}, expected {rule(persona)}")
    assert not wrong, "\n" + "\n".join(wrong)


def test_staff_without_the_second_factor_get_nothing(world: dict[str, Any], settings: Any) -> None:
    settings.TRYGG_REQUIRE_SECOND_FACTOR = True
    client = Client()
    from django.contrib.auth.models import User

    client.force_login(User.objects.get(username="admin_kommunen"))
    for url in ("/personal/", "/personal/logg/halmstad/", "/personal/lagesbild/halmstad-2022/",
                "/personal/surveys/response/", "/personal/anstallda/halmstad/"):
        assert client.get(url).status_code in (302, 403), url


# POSTs: every address that accepts one (forms, lifecycle steps, imports, the admin's pages, logout), by its route.
# An address without a row must refuse a POST (405, or the login redirect first); one that answers it needs a row.
# With an empty body: anonymous visitors go to the login page, other organisations and lesser roles get 403, and the
# right role gets the form again with what is missing (400, or 200 for forms that say so on the page) or, where the
# address itself names the change (a survey step, a burst decision), its redirect. Never a 500.
POST_RULES: dict[str, Rule] = {
    # Read pages that answer a POST as a GET: nothing in the request is read, nothing is stored.
    "": public,
    "halsa/": public,
    "<slug:org>/": public,
    "<slug:org>/resultat/<int:year>/": public,
    "<slug:org>/lofte/<int:year>/": public,
    "<slug:org>/lofte/<int:year>/atom.xml": public,
    "<slug:org>/lofte/<int:year>/lofte.json": public,
    "<slug:org>/lofte/<int:year>/underlag/<int:entry>/": fixed(404),
    "api/": fixed(404),
    "api/openapi.json": public,
    "i18n/setlang/": fixed(302),  # the language is the session's: back to where the visitor was
    "<slug:org>/enkat/<int:year>/": fixed(400),  # the form again, saying what is missing (test below: garbage)
    # The staff API takes a token, never a session: 401 whoever is logged in (tests/test_api_staff.py).
    "api/staff/surveys/<survey>/responses": fixed(401),
    "api/staff/organisations/<org>/places": fixed(401),
    "api/staff/organisations/<org>/population": fixed(401),
    "api/staff/organisations/<org>/incidents": fixed(401),
    # Staff forms: the page again with what is missing.
    "personal/import/<str:survey>/": role_at_least("analyst", ok=400),
    "personal/insamling/<str:survey>/": role_at_least("analyst", ok=400),
    "personal/dialog/<str:survey>/": role_at_least("analyst", ok=400),
    "personal/handelser/<slug:org>/": role_at_least("analyst", ok=400),
    "personal/lofte/<slug:org>/nytt/": role_at_least("analyst", ok=400),
    "personal/lofte/<slug:org>/<int:year>/": role_at_least("analyst", ok=400),
    "personal/lofte/<slug:org>/<int:year>/aktivitet/<int:number>/": role_at_least("analyst", ok=400),
    "personal/enkater/<slug:org>/": role_at_least("admin", ok=400),
    "personal/anstallda/<slug:org>/": role_at_least("admin"),
    "personal/api-nycklar/<slug:org>/": role_at_least("analyst"),
    "personal/kodning/<str:survey>/<int:response_id>/": role_at_least("analyst", ok=400),  # neither button
    # The change is named by the address: the step is done (here publishing what is published, a no-op), and the
    # burst page goes back to itself (no group chosen: nothing decided).
    "personal/enkater/<slug:org>/<int:year>/<slug:step>/": role_at_least("admin", ok=302),
    "personal/skurar/<str:survey>/": role_at_least("analyst", ok=302),
    # The login and the admin's own pages.
    "personal/login/": fixed(200),  # the form again
    "personal/tvastegs/": fixed(302),
    "personal/": everyone_logged_in(200),
    "personal/password_change/": everyone_logged_in(200),  # the form again: no password is changed
    "personal/auth/user/<id>/password/": everyone_logged_in(403),
    "personal/r/<path:content_type_id>/<path:object_id>/": everyone_logged_in(404),
    "personal/(?P<url>.*)$": everyone_logged_in(404),
}
# Logging out is a POST; it is requested with a fresh session of each persona (test below).
LOGOUT = "personal/logout/"


def admin_post_rule(model: str, page: str) -> Rule:
    """A POST to an admin page answers as a GET does, except that a change page (read-only) refuses it."""
    get = admin_rule(model, page)
    if page != "change":
        return get
    return lambda persona: LOGIN if persona == "anonymous" else 403


def post_rule_for(route: str) -> Rule | None:
    if route in POST_RULES:
        return POST_RULES[route]
    if _APP_INDEX.match(route):
        return everyone_logged_in(200)
    match = _ADMIN_MODEL_PAGE.match(route)
    if match and f"{match['app']}.{match['model']}" in ADMIN_MODELS:
        page = ("add" if match["add"] else "changelist" if not match["object"]
                else (match["action"] or "object").rstrip("/"))
        return admin_post_rule(f"{match['app']}.{match['model']}", page)
    return None


# What a careless or hostile client sends: every field the forms read, with values no form accepts.
GARBAGE = {
    "ar": "x" * 300, "bank": "../../etc/passwd", "username": "a\u0000b", "password": "1", "role": "kung",
    "party": "alla", "action": "\u0000", "alias": "x" * 5000, "alias_place": "nowhere", "grupp": "'; DROP TABLE--",
    "beslut": "?", "name": "", "days": "-1", "aterkalla": "not-a-number", "skapa": "1", "next": "http://evil.example/",
    "language": "xx", "datum": "2022-13-45", "plats": "\u202e\uffff", "mappning": "../../x", "biljett": "garbage",
    "sida": "-5", "steg": "99", "index": "x", "_selected_action": "999999999", "action_checkbox": "x",
    "year": "9999999999999999999999", "period_start": "igår", "quantity": "NaN", "percent": "1e999",
}


def _expected_garbage(expected: int, persona: str, response: Any, url: str) -> bool:
    """Garbage gets what an empty body gets; where that was a success, a 4xx refusing it will do as well, or a
    redirect back to the page (an admin list refusing an unknown action); a refusal may be 403 or 404 (a viewer
    revoking a token that does not exist)."""
    status = response.status_code
    if status == expected or {status, expected} <= {403, 404}:
        return True
    if expected == 200 and status == 302 and response["Location"] == url:
        return True
    return expected < 400 and expected != LOGIN and 400 <= status < 500 or (
        expected == LOGIN and persona != "anonymous" and 400 <= status < 500)


def test_every_post_to_every_address(world: dict[str, Any], settings: Any) -> None:
    """Empty and garbage POSTs to every address, by every persona, against POST_RULES; never a 500."""
    settings.TRYGG_REQUIRE_SECOND_FACTOR = True
    wrong = []
    for route, _name in routes():
        if route == LOGOUT:
            continue
        rule = post_rule_for(route)
        url = address(route, world)
        for persona in PERSONAS:
            client = world["clients"][persona]
            status = client.post(url, {}).status_code
            if rule is None:
                if status != 405 and not (persona == "anonymous" and status == LOGIN):
                    wrong.append(f"{persona:17} POST {url} → {status}: it answers a POST, so it needs a row "
                                 "in POST_RULES")
                continue
            if status != rule(persona):
                wrong.append(f"{persona:17} POST {url} → {status}, expected {rule(persona)}")
            garbage = client.post(url, GARBAGE)
            if garbage.status_code >= 500 or not _expected_garbage(rule(persona), persona, garbage, url):
                wrong.append(f"{persona:17} POST {url} (garbage) → {garbage.status_code}, expected {rule(persona)} "
                             "or a 4xx")
    assert not wrong, "\n" + "\n".join(wrong)


def _signed_in(user: Any) -> Client:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = TOTPDevice.objects.get(user=user).persistent_id
    session.save()
    return client


def test_logging_out_is_a_post_for_everyone(world: dict[str, Any], settings: Any) -> None:
    settings.TRYGG_REQUIRE_SECOND_FACTOR = True
    url = address(LOGOUT, world)
    assert Client().post(url).status_code == LOGIN
    for persona, user in world["users"].items():
        for body in ({}, GARBAGE):  # garbage has an unsafe `next`: never followed
            client = _signed_in(user)
            assert client.get("/personal/").status_code == 200, persona
            assert client.post(url, body).status_code == 200, persona  # the logged-out page
            assert client.get("/personal/").status_code == LOGIN, persona


def test_garbage_to_the_survey_form_stores_nothing(world: dict[str, Any]) -> None:
    """The public form answers garbage with itself or a 4xx, never a 500, and stores no answer."""
    from trygg.surveys.models import Response

    url = address("<slug:org>/enkat/<int:year>/", world)
    before = Response.objects.count()
    client = Client()
    page = client.get(url)
    assert page.status_code == 200
    bodies: list[dict[str, Any]] = [
        {}, GARBAGE, {"steg": "1"}, {"steg": "6", "utkast": "garbage"}, {"token": "\u0000" * 10},
        {"safe_area": "mycket_trygg", "steg": "-1"}, {"safe_area": ["a", "b"] * 50, "pow": "x"},
        {"unsafe_places_pins": "[[999, 999]]", "unsafe_places_text": "x" * 100_000},
        {"age_group": "\u202e\uffff", "gender": "kvinna", "ar": "2022", "website": "http://spam.example/"},
    ]
    for body in bodies:
        status = client.post(url, body).status_code
        assert status == 200 or 400 <= status < 500, (body, status)
    assert Response.objects.count() == before
