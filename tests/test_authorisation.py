"""The authorisation matrix: every address of the URL configuration, requested by every kind of visitor.

The addresses come from the URL configuration itself (public pages, staff pages, exports, the API, downloads and
every page of the admin), so a new address fails this test until it has a row in RULES (or, for the admin's pages,
its model a row in ADMIN_MODELS). Visitors: anonymous; viewer, analyst and admin of Halmstad for the municipality
and for the police; an admin of another organisation (Laholm); an operator (superuser). Admins have given their
second factor; the demo's data is loaded, and Laholm makes the database a real one, so the second factor is on.
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


def role_at_least(role: str, *, anonymous: int = LOGIN, other: int = 403, below: int = 403) -> Rule:
    """200 for Halmstad's staff with `role` or more and the operator; `below` for lesser roles, `other` for
    Laholm's admin, `anonymous` (the login redirect) for anonymous visitors."""

    def rule(persona: str) -> int:
        if persona == "anonymous":
            return anonymous
        if persona == "operator":
            return 200
        if persona == "admin_laholm":
            return other
        return 200 if RANK[persona.split("_")[0]] >= RANK[role] else below

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
        "clients": clients, "halmstad": halmstad, "objects": objects,
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
