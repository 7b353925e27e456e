"""The staff API at /api/staff/: imports for scripts, each request with a token of one user in one organisation.

A token (`Authorization: Bearer trygg_…`, made and revoked on /personal/api-nycklar/ORG/) acts with its user's
role there at the moment of the request: answers, places and incidents need an analyst or admin, as the staff
pages' imports do; population margins an admin, since they change the weighted figures already published (as
publishing itself is an admin's). A session cookie opens nothing here, so no cross-site form can post to it and
CSRF does not apply. Each endpoint calls the writer the command line and the staff pages call, so validation,
all-or-nothing and the audit event are theirs; the event also names the token. A bad file is a 400 whose
`problems` name file, row and column; nothing is stored then. Uploads are limited as on the staff pages.
"""

from __future__ import annotations

import csv
import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

from django.contrib.auth.models import User
from django.http import HttpRequest
from ninja import Router, Schema, Status, UploadedFile
from ninja.errors import HttpError
from ninja.params.functions import File as FileParam
from ninja.params.functions import Form as FormParam
from ninja.params.functions import Path as PathParam
from ninja.security import HttpBearer

from trygg.accounts.actions import audit_context
from trygg.accounts.models import ApiToken, Membership
from trygg.accounts.tokens import find_token, token_role
from trygg.areas.actions import do_import_places, do_import_population
from trygg.areas.models import Organisation
from trygg.errors import InputError
from trygg.incidents.actions import do_import_incidents
from trygg.incidents.views import MAX_UPLOAD_BYTES as INCIDENT_MAX_BYTES
from trygg.incidents.views import SUFFIXES as INCIDENT_SUFFIXES
from trygg.surveys.actions import (
    SurveyClosedError,
    do_import_responses,
    find_survey,
    read_responses,
    refuse_if_closed,
)
from trygg.surveys.mapping import ImportProblems, shipped_mappings
from trygg.surveys.staff_views import MAX_UPLOAD_BYTES as RESPONSES_MAX_BYTES
from trygg.tabular import neutralise_cell

CHANGERS = (Membership.Role.ANALYST, Membership.Role.ADMIN)
ADMINS = (Membership.Role.ADMIN,)
# The staff pages take 50 MB for answers and incidents; places and margins are small tables, given the same room.
MAX_BYTES = RESPONSES_MAX_BYTES


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        return find_token(token)


router = Router(auth=TokenAuth(), tags=["staff"])


class Error(Schema):
    detail: str


class Problem(Schema):
    file: str | None
    row: int | None
    column: str | None
    message: str
    sentence: str


class Refusal(Schema):
    detail: str
    problems: list[Problem] = []  # empty when the request, not a row of the file, is wrong


class TokenOut(Schema):
    organisation: str
    user: str
    role: str
    name: str
    prefix: str
    expires_at: str


class ResponsesOut(Schema):
    survey: str
    dry_run: bool
    rows: int
    answered: dict[str, int] | None
    warnings: list[str]


class PlacesOut(Schema):
    organisation: str
    places: int


class PopulationOut(Schema):
    organisation: str
    margins: int


class IncidentsOut(Schema):
    organisation: str
    file: str
    kind: str
    rows: int
    stored: int
    unchanged: int
    replaced: int
    repeated_in_file: int
    skipped_other_municipalities: int
    not_counted: int
    unplaced: int


SurveySlug = PathParam(..., description="The survey, ORG-YEAR", example="halmstad-2022", max_length=80)
OrgSlug = PathParam(..., description="The organisation", example="halmstad", max_length=80)
# Optional to the schema so a request without it hears which field is missing in a 400 like any other refusal.
Upload = FileParam(None, description="The file, under its own name (the name's ending tells its kind)")
MappingName = FormParam("", description="A shipped mapping: " + ", ".join(shipped_mappings()), max_length=80)
MappingUpload = FileParam(None, description="Your own mapping file (JSON), instead of a shipped one")
DryRun = FormParam(False, description="Check every row and say what would be stored, storing nothing")
DENIED: dict[int, Any] = {401: Error, 403: Error, 404: Error, 429: Error}
IMPORTED: dict[int, Any] = {**DENIED, 400: Refusal, 413: Error}


def _acting(request: HttpRequest, org: Organisation, roles: tuple[str, ...]) -> tuple[ApiToken, User]:
    """The token and its user, if the token is this organisation's and its user has one of `roles` there now."""
    token = cast(ApiToken, request.auth)  # type: ignore[attr-defined]
    if token.organisation_id != org.pk:
        raise HttpError(403, f"this token is for {token.organisation.slug}, not {org.slug}")
    role = token_role(token)
    if role not in roles:
        raise HttpError(403, f"{token.user.get_username()} is {role or 'no staff'} in {org.slug}; this needs "
                             f"{' or '.join(roles)}")
    return token, token.user


def _organisation(slug: str) -> Organisation:
    org = Organisation.objects.filter(slug=slug).first()
    if org is None:
        raise HttpError(404, f"no organisation {slug}")
    return org


def _refused(exc: InputError, *, lines: bool = True) -> Status[dict[str, Any]]:
    """A 400 (409 for a closed survey) whose `problems` name each file, row and column; `lines=False` leaves out
    the line of the file, which a JSON file converted for the reader does not have."""
    problems = exc.problems if isinstance(exc, ImportProblems) else [exc]
    if not lines:
        for problem in (exc, *problems):
            problem.line = None
    return Status(409 if isinstance(exc, SurveyClosedError) else 400, {
        "detail": exc.sentence(),
        "problems": [{"file": p.file, "row": p.row, "column": p.column, "message": p.message,
                      "sentence": p.sentence()} for p in problems]})


@contextmanager
def _saved(upload: UploadedFile | None, suffixes: tuple[str, ...], max_bytes: int) -> Iterator[Path]:
    """The upload in a private temporary folder under its own name (errors name the file the user sent)."""
    if upload is None:
        raise HttpError(400, "send the file as the multipart field 'file' (an empty file is no file)")
    name = Path(upload.name or "").name
    if Path(name).suffix.lower() not in suffixes:
        raise HttpError(400, f"the file must be {', '.join(suffixes)}, not {name!r}")
    if upload.size is None or upload.size > max_bytes:
        raise HttpError(413, f"the file is larger than {max_bytes // (1024 * 1024)} MB; split it")
    with tempfile.TemporaryDirectory(prefix="trygg-api-") as folder:
        path = Path(folder) / name
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        yield path


@contextmanager
def _saved_mapping(upload: UploadedFile | None) -> Iterator[Path | None]:
    """An uploaded mapping file saved like the data, or None without one."""
    if upload is None:
        yield None
        return
    with _saved(upload, (".json",), MAX_BYTES) as path:
        yield path


def _answers_table(path: Path, survey_slug: str) -> Path:
    """The JSON of `trygg responses export --format json` (or its list of answers alone) as the CSV the answers'
    reader takes, under the same file name, so errors and the audit log name the file the user sent.

    A record's keys are the columns, in the order they first appear; its row is its place in the list.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise InputError(f"the file is not JSON ({exc.__class__.__name__})", file=path) from None
    if isinstance(data, dict):
        named = data.get("survey", survey_slug)
        if named != survey_slug:
            raise InputError(f"the file holds answers to {str(named)[:80]!r}, not {survey_slug}", file=path,
                             column="survey")
        data = data.get("responses")
    if not isinstance(data, list):
        raise InputError('the JSON must be a list of answers or {"survey": …, "responses": [...]}, as '
                         "trygg responses export --format json writes it", file=path)
    header: dict[str, None] = {}
    for row, record in enumerate(data, start=1):
        if not isinstance(record, dict):
            raise InputError("an answer must be an object of question ids and cells", file=path, row=row)
        for key, value in record.items():
            if not isinstance(value, str | int | float | bool) and value is not None:
                raise InputError("a cell must be text, a number or null, as the export writes it", file=path,
                                 row=row, column=str(key)[:80])
            header.setdefault(str(key), None)
    converted = path.parent / "csv" / path.name
    converted.parent.mkdir()
    with converted.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(header)
        for record in data:
            writer.writerow([neutralise_cell("" if record.get(k) is None else str(record[k])) for k in header])
    return converted


@router.get("/token", response={200: TokenOut, **DENIED}, summary="The token sent: its organisation, user and role")
def token_info(request: HttpRequest) -> Any:
    token = cast(ApiToken, request.auth)  # type: ignore[attr-defined]
    role = token_role(token)
    if role is None:
        raise HttpError(403, f"{token.user.get_username()} has no role in {token.organisation.slug}")
    return {"organisation": token.organisation.slug, "user": token.user.get_username(), "role": role,
            "name": token.name, "prefix": token.prefix, "expires_at": token.expires_at.isoformat()}




@router.post("/surveys/{survey}/responses", response={200: ResponsesOut, 409: Refusal, **IMPORTED},
             summary="Import answers (CSV, XLSX or the export's JSON): all rows or none; dry_run stores nothing")
def import_responses(request: HttpRequest, survey: str = SurveySlug, file: UploadedFile | None = Upload,
                     mapping: str = MappingName, mapping_file: UploadedFile | None = MappingUpload,
                     dry_run: bool = DryRun) -> Any:
    try:
        found = find_survey(survey)
    except InputError:
        raise HttpError(404, f"no survey {survey[:80]}") from None
    token, user = _acting(request, found.organisation, CHANGERS)
    if mapping and mapping not in shipped_mappings():
        raise HttpError(400, f"no shipped mapping {mapping[:80]!r}; choose {', '.join(shipped_mappings())} or "
                             "send your own as mapping_file")
    warnings: list[str] = []
    with _saved(file, (".csv", ".xlsx", ".json"), RESPONSES_MAX_BYTES) as data, _saved_mapping(
            mapping_file) as own_mapping:
        is_json = data.suffix.lower() == ".json"
        try:
            table = _answers_table(data, found.slug) if is_json else data
            chosen: Path | str | None = own_mapping or mapping or None
            if dry_run:
                refuse_if_closed(found)
                preview = read_responses(found, table, chosen, warn=warnings.append)
                return {"survey": found.slug, "dry_run": True, "rows": preview.n, "answered": preview.answered,
                        "warnings": warnings}
            with audit_context(api_token=str(token)):
                count = do_import_responses(found, table, chosen, actor=user, warn=warnings.append)
        except InputError as exc:
            return _refused(exc, lines=not is_json)
    return {"survey": found.slug, "dry_run": False, "rows": count, "answered": None, "warnings": warnings}


@router.post("/organisations/{org}/places", response={200: PlacesOut, **IMPORTED},
             summary="Add or replace named places (CSV name,kind,aliases or GeoJSON): all rows or none")
def import_places(request: HttpRequest, org: str = OrgSlug, file: UploadedFile | None = Upload) -> Any:
    organisation = _organisation(org)
    token, user = _acting(request, organisation, CHANGERS)
    with _saved(file, (".csv", ".xlsx", ".geojson", ".json"), MAX_BYTES) as path:
        try:
            with audit_context(api_token=str(token)):
                count = do_import_places(organisation, path, actor=user)
        except InputError as exc:
            return _refused(exc)
    return {"organisation": organisation.slug, "places": count}


@router.post("/organisations/{org}/population", response={200: PopulationOut, **IMPORTED},
             summary="Replace the population margins (CSV variable,category,count): all rows or none; admins only")
def import_population(request: HttpRequest, org: str = OrgSlug, file: UploadedFile | None = Upload) -> Any:
    organisation = _organisation(org)
    token, user = _acting(request, organisation, ADMINS)
    with _saved(file, (".csv", ".xlsx"), MAX_BYTES) as path:
        try:
            with audit_context(api_token=str(token)):
                count = do_import_population(organisation, path, actor=user)
        except InputError as exc:
            return _refused(exc)
    return {"organisation": organisation.slug, "margins": count}


@router.post("/organisations/{org}/incidents", response={200: IncidentsOut, **IMPORTED},
             summary="Import incidents: the police's events JSON, a Parquet archive or own reports CSV/XLSX")
def import_incidents(request: HttpRequest, org: str = OrgSlug, file: UploadedFile | None = Upload) -> Any:
    organisation = _organisation(org)
    token, user = _acting(request, organisation, CHANGERS)
    with _saved(file, INCIDENT_SUFFIXES, INCIDENT_MAX_BYTES) as path:
        try:
            with audit_context(api_token=str(token)):
                result = do_import_incidents(organisation, path, actor=user)
        except InputError as exc:
            return _refused(exc)
    return {"organisation": organisation.slug, **result.as_dict()}
