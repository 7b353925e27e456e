"""`trygg demo`: the Halmstad example — schematic areas, named places, 1,695 synthetic answers and an open survey."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from trygg.accounts.actions import audit, do_grant_role
from trygg.areas.actions import do_create_organisation, do_import_places, do_import_population
from trygg.areas.models import Organisation
from trygg.demo.generate import RESPONDENTS, generate_answers
from trygg.demo.incidents import load_incidents
from trygg.demo.promise import load_promise
from trygg.errors import InputError
from trygg.surveys.actions import do_close_survey, do_create_survey, do_open_survey, do_publish_results
from trygg.surveys.models import Response, Survey
from trygg.text import slugify

DATA = Path(__file__).resolve().parent / "data"
ORG = "halmstad"
USERNAME = "demo"
PASSWORD = "trygg-demo"  # noqa: S105 - printed to the newcomer on purpose; the demo is never a production set-up


def _geometries(path: Path, key: Callable[[dict[str, Any]], str]) -> dict[str, dict[str, Any]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return {key(f["properties"]): f["geometry"] for f in data["features"] if f.get("geometry")}


@transaction.atomic
def load_demo(progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """Load the example once; later calls find it and change nothing.

    A database holding any real organisation is refused (InputError): the demo's login has a published password.
    """
    others = list(Organisation.objects.exclude(slug=ORG, synthetic=True).values_list("slug", flat=True)[:5])
    if others:
        raise InputError(f"this database holds organisations other than the demo's ({', '.join(others)}); "
                         "trygg demo adds synthetic data and a login with a published password, so it loads "
                         "only into an empty database or its own (set DATABASE_URL to a new one)")
    org = Organisation.objects.filter(slug=ORG).first()
    if org is None:
        org = do_create_organisation(ORG, "Halmstads kommun och lokalpolisområde Halmstad", kommun_code="1380",
                                     police_area="LPO Halmstad", areas_file=DATA / "halmstad_areas.geojson",
                                     synthetic=True)
        do_import_places(org, DATA / "halmstad_places.geojson")
        # Round, made-up margins for residents aged 16 and over, in the spirit of SCB's tables: demo only.
        do_import_population(org, DATA / "halmstad_population.csv")
        survey = do_create_survey(org, 2022)
        do_open_survey(survey)
        areas = _geometries(DATA / "halmstad_areas.geojson", lambda p: str(p["code"]))
        places = _geometries(DATA / "halmstad_places.geojson", lambda p: slugify(str(p["name"])))
        rows = generate_answers(areas, places)
        batch = []
        for i, row in enumerate(rows, start=1):
            submitted = row.pop("submitted_at")
            batch.append(Response(survey=survey, answers=row, submitted_at=submitted, channel=Response.Channel.WEB))
            if progress and i % 200 == 0:
                progress(i, RESPONDENTS)
        Response.objects.bulk_create(batch, batch_size=1000)
        if progress:
            progress(RESPONDENTS, RESPONDENTS)
        do_close_survey(survey)
        do_publish_results(survey)
        load_incidents(org, areas)
        audit("demo_loaded", organisation=org, responses=len(rows))
        load_promise(org, areas, places)
    year = timezone.localdate().year
    current = Survey.objects.filter(organisation=org, year=year).first() or do_create_survey(org, year)
    if current.status == Survey.Status.DRAFT:
        do_open_survey(current)
    user_model = get_user_model()
    user = user_model.objects.filter(username=USERNAME).first()
    if user is None:
        user = user_model.objects.create_superuser(USERNAME, email="", password=PASSWORD)
        do_grant_role(user, org, "admin")
    survey_2022 = Survey.objects.get(organisation=org, year=2022)
    return {"organisation": org.name, "survey": survey_2022.slug, "responses": survey_2022.responses.count(),
            "username": USERNAME, "password": PASSWORD}
