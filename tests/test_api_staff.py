"""The staff API: a real token through the real address, multipart uploads of files made here.

Imports store their rows and an audit event naming the user and the token; a bad file is a 400 naming row and
column with nothing stored; a token opens only its own organisation, only with its user's current role; revoked,
missing or replaced by a session cookie, it opens nothing. The token page makes, shows once, lists and revokes.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

HEADER = ["area", "gender", "age_group", "safe_area", "unsafe_places", "unsafe_places_text", "unsafe_time"]
ROWS = [["andersberg", "kvinna", "25-44", "ganska_trygg", "ja", "Stora torg på kvällen", "20-23;23-02"],
        ["vallas", "man", "45-64", "mycket_otrygg", "nej", "", ""],
        ["sondrum", "kvinna", "65-79", "mycket_trygg", "nej", "", ""]]


def csv_file(name: str, header: list[str], rows: list[list[str]]) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    return SimpleUploadedFile(name, out.getvalue().encode(), content_type="text/csv")


def upload(name: str, data: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}", "HTTP_ACCEPT_LANGUAGE": "en"}


def person(org: Any, name: str, role: str, party: str = "kommunen") -> Any:
    from trygg.accounts.actions import do_add_staff

    return do_add_staff(org, name, role, party, password="Sommar-Tylösand-2026").user


@pytest.fixture
def analyst(halmstad: Any) -> Any:
    return person(halmstad, "analyst_halmstad", "analyst")


@pytest.fixture
def secret(analyst: Any, halmstad: Any) -> str:
    from trygg.accounts.actions import do_create_api_token

    return do_create_api_token(analyst, halmstad, "Import från Netigate", actor=analyst)[1]


def test_answers_through_the_api_are_stored_with_an_event_naming_user_and_token(
        open_survey: Any, secret: str, analyst: Any) -> None:
    from trygg.accounts.models import ApiToken, AuditEvent
    from trygg.surveys.models import Response

    response = Client().post("/api/staff/surveys/halmstad-2026/responses",
                             {"file": csv_file("svar.csv", HEADER, ROWS)}, **bearer(secret))
    assert response.status_code == 200, response.content
    assert response.json() == {"survey": "halmstad-2026", "dry_run": False, "rows": 3, "answered": None,
                               "warnings": []}
    assert Response.objects.filter(survey=open_survey, channel="import").count() == 3
    assert Response.objects.order_by("id").first().answers["unsafe_time"] == ["20-23", "23-02"]
    event = AuditEvent.objects.get(action="responses_imported")
    token = ApiToken.objects.get()
    assert event.actor == analyst and event.organisation == open_survey.organisation
    assert event.detail["api_token"] == str(token) == f"Import från Netigate ({secret[:10]}…)"
    assert event.detail["rows"] == 3 and event.detail["file"] == "svar.csv" and "os_user" not in event.detail
    assert token.last_used_at is not None
    assert ApiToken.objects.filter(key_hash__contains=secret).count() == 0 and secret not in token.key_hash


def test_a_bad_cell_is_a_400_naming_row_and_column_and_nothing_is_stored(open_survey: Any, secret: str) -> None:
    from trygg.accounts.models import AuditEvent
    from trygg.surveys.models import Response

    rows = [list(r) for r in ROWS]
    rows[1][3] = "jättetrygg"
    response = Client().post("/api/staff/surveys/halmstad-2026/responses",
                             {"file": csv_file("svar.csv", HEADER, rows)}, **bearer(secret))
    assert response.status_code == 400
    body = response.json()
    assert body["problems"][0] | {"message": ""} == {
        "file": "svar.csv", "row": 2, "column": "safe_area", "message": "",
        "sentence": body["problems"][0]["sentence"]}
    assert "jättetrygg" in body["detail"] and body["detail"].startswith("svar.csv, row 2 (line 3 of the file)")
    assert Response.objects.count() == 0 and not AuditEvent.objects.filter(action="responses_imported").exists()


def test_a_dry_run_with_a_shipped_mapping_stores_nothing(open_survey: Any, secret: str) -> None:
    from trygg.surveys.models import Response

    # Netigate's own headings and labels (trygg/surveys/mappings/netigate.json translates them).
    header = ["Kön", "Hur trygg eller otrygg känner du dig i ditt bostadsområde?"]
    rows = [["Kvinna", "Ganska trygg"], ["Man", "Mycket otrygg"]]
    response = Client().post("/api/staff/surveys/halmstad-2026/responses",
                             {"file": csv_file("netigate.csv", header, rows), "mapping": "netigate",
                              "dry_run": "true"}, **bearer(secret))
    assert response.status_code == 200, response.content
    assert response.json()["dry_run"] is True and response.json()["rows"] == 2
    assert response.json()["answered"] == {"gender": 2, "safe_area": 2}
    assert Response.objects.count() == 0
    unknown = Client().post("/api/staff/surveys/halmstad-2026/responses",
                            {"file": csv_file("x.csv", header, rows), "mapping": "../../etc/passwd"}, **bearer(secret))
    assert unknown.status_code == 400 and "no shipped mapping" in unknown.json()["detail"]


def test_the_exports_json_imports_and_a_bad_record_names_its_row(open_survey: Any, secret: str) -> None:
    from trygg.surveys.models import Response

    records = [dict(zip(HEADER, row, strict=True)) | {"submitted_at": "2026-03-01T10:00:00+01:00"} for row in ROWS]
    data = json.dumps({"survey": "halmstad-2026", "responses": records}).encode()
    response = Client().post("/api/staff/surveys/halmstad-2026/responses", {"file": upload("svar.json", data)},
                             **bearer(secret))
    assert response.status_code == 200, response.content
    assert Response.objects.count() == 3
    records[2]["gender"] = "okänt"
    bad = Client().post("/api/staff/surveys/halmstad-2026/responses",
                        {"file": upload("svar.json", json.dumps(records).encode())}, **bearer(secret))
    assert bad.status_code == 400
    assert bad.json()["problems"][0]["row"] == 3 and bad.json()["problems"][0]["column"] == "gender"
    assert "line" not in bad.json()["detail"] and bad.json()["detail"].startswith("svar.json, row 3")
    other = Client().post("/api/staff/surveys/halmstad-2026/responses",
                          {"file": upload("svar.json", json.dumps({"survey": "laholm-2026", "responses": []})
                                          .encode())}, **bearer(secret))
    assert other.status_code == 400 and other.json()["problems"][0]["column"] == "survey"
    assert Response.objects.count() == 3


def test_places_population_and_incidents_through_their_writers(halmstad: Any, secret: str) -> None:
    from trygg.accounts.actions import do_create_api_token
    from trygg.accounts.models import AuditEvent
    from trygg.areas.models import Place, PopulationMargin
    from trygg.incidents.models import OwnIncident

    client = Client()
    places = client.post("/api/staff/organisations/halmstad/places",
                         {"file": csv_file("platser.csv", ["name", "kind", "aliases"],
                                           [["Picassoparken", "place", "Picasso|Parken vid ån"]])}, **bearer(secret))
    assert places.status_code == 200 and places.json() == {"organisation": "halmstad", "places": 1}
    assert Place.objects.get(organisation=halmstad, name="Picassoparken").aliases == ["Picasso", "Parken vid ån"]
    areas = list(halmstad.areas.values_list("code", flat=True))
    margins = [["gender", "kvinna", "50000"], ["gender", "man", "50000"]] + [
        ["area", code, str(100000 / len(areas))] for code in areas]
    population_file = csv_file("befolkning.csv", ["variable", "category", "count"], margins)
    # Margins change the weighted figures already published: an analyst's token may not.
    assert client.post("/api/staff/organisations/halmstad/population", {"file": population_file},
                       **bearer(secret)).status_code == 403
    admin = person(halmstad, "admin_halmstad", "admin")
    admin_secret = do_create_api_token(admin, halmstad, "Befolkning från SCB", actor=admin)[1]
    population_file.seek(0)
    population = client.post("/api/staff/organisations/halmstad/population", {"file": population_file},
                             **bearer(admin_secret))
    assert population.status_code == 200, population.content
    assert PopulationMargin.objects.filter(organisation=halmstad).count() == len(margins)
    incidents = client.post("/api/staff/organisations/halmstad/incidents",
                            {"file": csv_file("egna.csv", ["occurred_at", "category", "lat", "lon", "area"],
                                              [["2024-05-01T22:10", "skadegörelse", "", "", areas[0]]])},
                            **bearer(secret))
    assert incidents.status_code == 200, incidents.content
    assert incidents.json()["stored"] == 1 and OwnIncident.objects.filter(organisation=halmstad).count() == 1
    for action in ("places_imported", "population_imported", "incidents_imported"):
        assert AuditEvent.objects.filter(action=action).order_by("-id")[0].detail["api_token"]
    bad = client.post("/api/staff/organisations/halmstad/places",
                      {"file": csv_file("platser.csv", ["name", "kind"], [["Tylösand", "strand"]])}, **bearer(secret))
    assert bad.status_code == 400 and bad.json()["problems"][0] | {"message": "", "sentence": ""} == {
        "file": "platser.csv", "row": 1, "column": "kind", "message": "", "sentence": ""}
    assert not Place.objects.filter(name="Tylösand").exists()
    wrong_kind = client.post("/api/staff/organisations/halmstad/population",
                             {"file": upload("befolkning.pdf", b"%PDF")}, **bearer(admin_secret))
    assert wrong_kind.status_code == 400 and ".csv" in wrong_kind.json()["detail"]


def test_a_token_opens_nothing_of_another_organisation(open_survey: Any, secret: str) -> None:
    from trygg.areas.actions import do_create_organisation
    from trygg.surveys.actions import do_create_survey, do_open_survey
    from trygg.surveys.models import Response

    laholm = do_create_organisation("laholm", "Laholms kommun", kommun_code="1381")
    do_open_survey(do_create_survey(laholm, 2026))
    client = Client()
    answers = client.post("/api/staff/surveys/laholm-2026/responses", {"file": csv_file("svar.csv", ["gender"],
                                                                                         [["kvinna"]])},
                          **bearer(secret))
    assert answers.status_code == 403 and "for halmstad, not laholm" in answers.json()["detail"]
    places = client.post("/api/staff/organisations/laholm/places",
                         {"file": csv_file("p.csv", ["name"], [["Torget"]])}, **bearer(secret))
    assert places.status_code == 403
    assert client.post("/api/staff/organisations/nowhere/places", {"file": csv_file("p.csv", ["name"], [["T"]])},
                       **bearer(secret)).status_code == 404
    assert Response.objects.count() == 0 and not laholm.places.exists()


def test_revoked_missing_expired_or_session_only_is_401_and_a_lost_role_403(
        open_survey: Any, secret: str, analyst: Any, halmstad: Any) -> None:
    from django.utils import timezone

    from trygg.accounts.actions import do_create_api_token, do_grant_role, do_revoke_api_token, do_revoke_role
    from trygg.accounts.models import ApiToken

    def post(client: Client, **headers: str) -> Any:
        return client.post("/api/staff/surveys/halmstad-2026/responses",
                           {"file": csv_file("svar.csv", HEADER, ROWS)}, **headers)

    assert Client().get("/api/staff/token", **bearer(secret)).json()["role"] == "analyst"
    assert post(Client()).status_code == 401
    assert post(Client(), HTTP_AUTHORIZATION="Bearer trygg_not-a-token").status_code == 401
    session = Client()
    session.force_login(analyst)
    assert post(session).status_code == 401  # a logged-in browser is no token, and no cross-site form gets in
    assert session.get("/api/staff/token").status_code == 401
    do_grant_role(analyst, halmstad, "viewer")
    assert post(Client(), **bearer(secret)).status_code == 403
    assert Client().get("/api/staff/token", **bearer(secret)).json()["role"] == "viewer"
    do_revoke_role(analyst, halmstad)
    assert post(Client(), **bearer(secret)).status_code == 403
    assert Client().get("/api/staff/token", **bearer(secret)).status_code == 403
    do_grant_role(analyst, halmstad, "analyst")
    assert Client().get("/api/staff/token", **bearer(secret)).status_code == 200
    do_revoke_api_token(ApiToken.objects.get(), actor=analyst)
    assert post(Client(), **bearer(secret)).status_code == 401
    old, old_secret = do_create_api_token(analyst, halmstad, "Gammal", days=30, actor=analyst)
    ApiToken.objects.filter(pk=old.pk).update(expires_at=timezone.now())
    assert Client().get("/api/staff/token", **bearer(old_secret)).status_code == 401
    live_secret = do_create_api_token(analyst, halmstad, "Ny", actor=analyst)[1]
    assert Client().get("/api/staff/token", **bearer(live_secret)).status_code == 200
    analyst.is_active = False  # an account closed by the operator
    analyst.save(update_fields=["is_active"])
    assert Client().get("/api/staff/token", **bearer(live_secret)).status_code == 401


def test_a_viewer_gets_no_token_and_cannot_import(open_survey: Any, halmstad: Any) -> None:
    from trygg.accounts.actions import do_create_api_token
    from trygg.errors import InputError

    viewer = person(halmstad, "viewer_halmstad", "viewer")
    with pytest.raises(InputError):
        do_create_api_token(viewer, halmstad, "Försök", actor=viewer)
    client = Client()
    client.force_login(viewer)
    page = client.get("/personal/api-nycklar/halmstad/")
    assert page.status_code == 200 and "Skapa nyckel" not in page.content.decode()
    assert client.post("/personal/api-nycklar/halmstad/", {"skapa": "1", "name": "Försök", "days": "90"}
                       ).status_code == 403


def test_the_token_page_shows_the_secret_once_and_revokes(halmstad: Any, analyst: Any) -> None:
    from trygg.accounts.models import ApiToken, AuditEvent
    from trygg.accounts.tokens import token_hash

    client = Client()
    client.force_login(analyst)
    made = client.post("/personal/api-nycklar/halmstad/", {"skapa": "1", "name": "Nattlig import", "days": "30"})
    assert made.status_code == 200 and made["Cache-Control"].count("no-store") == 1
    page = made.content.decode()
    token = ApiToken.objects.get()
    secret = page.split('id="secret-value" type="text" readonly value="', 1)[1].split('"', 1)[0]
    assert secret.startswith("trygg_") and token.key_hash == token_hash(secret) and token.user == analyst
    assert (token.expires_at - token.created_at).days == 30
    assert Client().get("/api/staff/token", **bearer(secret)).json() | {"expires_at": ""} == {
        "organisation": "halmstad", "user": "analyst_halmstad", "role": "analyst", "name": "Nattlig import",
        "prefix": secret[:10], "expires_at": ""}
    listed = client.get("/personal/api-nycklar/halmstad/").content.decode()
    assert "Nattlig import" in listed and secret[:10] in listed and secret not in listed
    assert AuditEvent.objects.get(action="api_token_created").actor == analyst
    # Another analyst sees only their own; the organisation's admin sees and revokes everyone's.
    other = Client()
    other.force_login(person(halmstad, "analyst_polisen", "analyst", "polisen"))
    assert "Nattlig import" not in other.get("/personal/api-nycklar/halmstad/").content.decode()
    assert other.post("/personal/api-nycklar/halmstad/", {"aterkalla": str(token.pk)}).status_code == 404
    admin = Client()
    admin.force_login(person(halmstad, "admin_halmstad", "admin", "polisen"))
    assert "Nattlig import" in admin.get("/personal/api-nycklar/halmstad/").content.decode()
    assert admin.post("/personal/api-nycklar/halmstad/", {"aterkalla": str(token.pk)}).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by is not None
    assert Client().get("/api/staff/token", **bearer(secret)).status_code == 401
    assert AuditEvent.objects.get(action="api_token_revoked").detail["user"] == "analyst_halmstad"


def test_the_openapi_document_lists_the_staff_endpoints_with_bearer_security(db: Any, client: Any) -> None:
    schema = client.get("/api/openapi.json").json()
    assert schema["components"]["securitySchemes"]["TokenAuth"] == {"type": "http", "scheme": "bearer"}
    operation = schema["paths"]["/api/staff/surveys/{survey}/responses"]["post"]
    assert operation["security"] == [{"TokenAuth": []}]
    assert "multipart/form-data" in operation["requestBody"]["content"]
    assert "security" not in schema["paths"]["/api/organisations"]["get"]


@pytest.mark.parametrize("content", [b"", b"\x00\xff\xfe garbage {[", b"[{}]", b'{"type": "FeatureCollection"}',
                                     b"PK\x03\x04 not a zip", "namn;sort\nÅ;ö\n".encode("cp1252")])
def test_any_file_is_an_answer_or_a_400_never_a_500(open_survey: Any, halmstad: Any, content: bytes) -> None:
    from trygg.accounts.actions import do_create_api_token

    admin = person(halmstad, "admin_halmstad", "admin")
    secret = do_create_api_token(admin, halmstad, "Fuzz", actor=admin)[1]
    targets = {"/api/staff/surveys/halmstad-2026/responses": (".csv", ".xlsx", ".json"),
               "/api/staff/organisations/halmstad/places": (".csv", ".xlsx", ".geojson", ".json"),
               "/api/staff/organisations/halmstad/population": (".csv", ".xlsx"),
               "/api/staff/organisations/halmstad/incidents": (".json", ".parquet", ".csv", ".txt", ".xlsx")}
    client = Client(raise_request_exception=False)
    for url, suffixes in targets.items():
        for suffix in suffixes:
            response = client.post(url, {"file": upload("fil" + suffix, content)}, **bearer(secret))
            assert response.status_code in (200, 400), (url, suffix, response.status_code, response.content[:300])
            assert response["Content-Type"] == "application/json; charset=utf-8"


def test_token_requests_are_rate_limited_per_client_like_the_read_api(
        secret: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRYGG_API_RATE", "2/m")
    client = Client()
    statuses = [client.get("/api/staff/token", REMOTE_ADDR="192.0.2.7", **bearer(secret)).status_code
                for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert client.get("/api/staff/token", REMOTE_ADDR="192.0.2.8", **bearer(secret)).status_code == 200
