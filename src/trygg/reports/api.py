"""The read-only JSON API at /api/ (django-ninja), its OpenAPI document at /api/openapi.json.

Every endpoint reads the same query objects as the pages, the CSV and the report (`survey_results`,
`gender_comparisons`, `year_comparisons`, `public_mentions`, `situation_picture`, `promise_data`, the open-data
tables) with the same suppression, and only what is public: a survey's figures once its results are published, a
promise once it is published. Answers are cached like the pages (versioned by the organisation's newest audit
event). Each client may make TRYGG_API_RATE requests per period, to these and to the staff API's imports under
/api/staff/ (api_staff.py) alike; the client is known to the limiter only as a keyed hash of its address, kept in
Django's cache, never stored.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError
from ninja.params.functions import Path as PathParam
from ninja.throttling import AnonRateThrottle

from trygg import conf
from trygg.areas.models import Organisation
from trygg.errors import InputError
from trygg.promises.models import Promise
from trygg.promises.queries import promise_data
from trygg.reports.api_staff import router as staff_router
from trygg.reports.opendata import HOTSPOT_DECIMALS, opendata_tables
from trygg.reports.picture import situation_picture
from trygg.reports.report import BREAKDOWNS, earlier_survey
from trygg.reports.report_views import cached
from trygg.reports.results import ResultsError, gender_comparisons, survey_results, year_comparisons
from trygg.surveys.actions import find_survey
from trygg.surveys.mentions import public_mentions
from trygg.surveys.models import Survey


class ClientRateThrottle(AnonRateThrottle):
    """TRYGG_API_RATE requests per client, read at each request; the client's address enters the cache only as a
    keyed hash (HMAC with SECRET_KEY), as the survey form's anti-abuse does."""

    def allow_request(self, request: HttpRequest) -> bool:
        self.rate = conf.get("TRYGG_API_RATE")
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request: HttpRequest) -> str | None:
        # Every request counts, with a staff API token too (ninja's anonymous throttle would let those through).
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def get_ident(self, request: HttpRequest) -> str | None:
        # REMOTE_ADDR only: trygg.proxy has already put the client there from a trusted proxy's X-Forwarded-For,
        # and a client could write anything into that header itself.
        address = str(request.META.get("REMOTE_ADDR", ""))
        return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()[:32]


api = NinjaAPI(
    title="trygg", version="1", urls_namespace="api", docs_url=None, throttle=[ClientRateThrottle()],
    description="Published results of the safety surveys, the places residents name, the situation picture and "
                "the citizen promises: read-only, for everyone; suppressed figures are null. Under /api/staff/, "
                "imports for staff scripts with a bearer token made on /personal/api-nycklar/ORG/. Rate-limited "
                "per client (TRYGG_API_RATE, 429 beyond it).")


api.add_router("/staff/", staff_router)


class Error(Schema):
    detail: str


class OrganisationOut(Schema):
    slug: str
    name: str
    surveys: list[str]
    promises: list[str]


class EstimateOut(Schema):
    indicator: str
    domain: dict[str, str]
    share: float | None
    se: float | None
    ci_low: float | None
    ci_high: float | None
    n: int | None
    n_eff: float | None
    suppressed: bool


class ResultsOut(Schema):
    survey: str
    weighted: bool
    respondents: int
    excluded_from_weighting: int
    min_n: int
    estimates: list[EstimateOut]


class ComparisonOut(Schema):
    indicator: str
    first: dict[str, str | int]
    second: dict[str, str | int]
    first_share: float | None
    second_share: float | None
    difference: float | None
    se: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None
    certain: bool


class ComparisonsOut(Schema):
    survey: str
    weighted: bool
    gender: list[ComparisonOut]
    years: list[ComparisonOut]


class PlaceOut(Schema):
    slug: str
    name: str
    kind: str
    respondents: int
    share: float
    by_gender: list[tuple[str, int | None]]
    by_time: list[tuple[str, int | None]]
    by_area: list[tuple[str, int | None]]


class HotspotOut(Schema):
    count: int
    radius_m: int
    near: str
    lat: float
    lon: float


class MentionsOut(Schema):
    survey: str
    respondents: int
    places: list[PlaceOut]
    hotspots: list[HotspotOut]


class EstimateFigures(Schema):
    share: float | None
    ci_low: float | None
    ci_high: float | None
    n: int | None
    suppressed: bool


class PictureAreaOut(Schema):
    area: str
    name: str
    population: float | None
    indicator: EstimateFigures
    fear: EstimateFigures
    incidents_total: int
    rate_per_1000: float | None
    quadrant: str | None


class PictureOut(Schema):
    survey: str
    weighted: bool
    min_n: int
    has_population: bool
    municipality: dict[str, Any]
    areas: list[PictureAreaOut]
    police: list[dict[str, Any]]
    changes: list[ComparisonOut]


class PromiseOut(Schema):
    promise: str
    status: str
    commitments: list[dict[str, Any]]
    indicators: list[dict[str, Any]]


class OpenDataOut(Schema):
    metadata: dict[str, Any]
    tables: dict[str, list[dict[str, Any]]]
    areas: dict[str, Any]


def finite(value: dict[str, Any]) -> dict[str, Any]:
    """JSON has no NaN or infinity: such a float (a p-value when both shares are 0) becomes null."""
    out: dict[str, Any] = _finite(value)
    return out


def _finite(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def _public(slug: str) -> Survey:
    try:
        survey: Survey = find_survey(slug)
    except InputError:
        raise HttpError(404, f"no survey {slug}") from None
    if not survey.results_public:
        raise HttpError(404, f"the results of {slug} are not published")
    return survey


SurveySlug = PathParam(..., description="The survey, ORG-YEAR", example="halmstad-2022", max_length=80)
PromiseSlug = PathParam(..., description="The promise, ORG-YEAR", example="halmstad-2023", max_length=80)


@api.get("/organisations", response={200: list[OrganisationOut], 429: Error},
         summary="Organisations with published surveys")
def organisations(request: HttpRequest) -> list[dict[str, Any]]:
    out = []
    for org in Organisation.objects.order_by("slug"):
        surveys = [s.slug for s in org.surveys.order_by("year") if s.results_public]
        promises = [p.slug for p in org.promises.exclude(status=Promise.Status.DRAFT).order_by("year")]
        out.append({"slug": org.slug, "name": org.name, "surveys": surveys, "promises": promises})
    return out


@api.get("/surveys/{survey}/results", response={200: ResultsOut, 404: Error},
         summary="Every indicator overall, by area and by gender, suppressed as on the results page")
def results(request: HttpRequest, survey: str = SurveySlug, weighted: bool = False) -> Any:
    found = _public(survey)
    try:
        return cached(found, f"api-results-{weighted}", "",
                      lambda: finite(survey_results(found, BREAKDOWNS, weighted=weighted)))
    except ResultsError as exc:
        raise HttpError(404, str(exc)) from None


@api.get("/surveys/{survey}/comparisons", response={200: ComparisonsOut, 404: Error},
         summary="Women minus men, and this year minus the last published year; `certain` when p < 0.05")
def comparisons(request: HttpRequest, survey: str = SurveySlug, weighted: bool = False) -> Any:
    found = _public(survey)

    def make() -> dict[str, Any]:
        earlier = earlier_survey(found)
        years = year_comparisons(found, earlier, weighted=weighted) if earlier else []
        return finite({"survey": found.slug, "weighted": weighted,
                       "gender": gender_comparisons(found, weighted=weighted), "years": years})

    try:
        return cached(found, f"api-comparisons-{weighted}", "", make)
    except ResultsError as exc:
        raise HttpError(404, str(exc)) from None


@api.get("/surveys/{survey}/mentions", response={200: MentionsOut, 404: Error},
         summary="The most named places (counts below the threshold hidden) and the clusters of pins")
def mentions(request: HttpRequest, survey: str = SurveySlug) -> Any:
    found = _public(survey)

    def make() -> dict[str, Any]:
        data = public_mentions(found, settings.TRYGG_SUPPRESSION_MIN_N)
        hotspots = [{"count": h.count, "radius_m": round(h.radius_m), "near": listed["near"],
                     "lat": round(h.lat, HOTSPOT_DECIMALS), "lon": round(h.lon, HOTSPOT_DECIMALS)}
                    for h, listed in zip(data["hotspots"], data["hotspot_list"], strict=True)]
        return finite({"survey": found.slug, "respondents": data["respondents"], "hotspots": hotspots,
                       "places": [{k: p[k] for k in PlaceOut.model_fields} for p in data["places"]]})

    return cached(found, "api-mentions", "", make)


@api.get("/surveys/{survey}/picture", response={200: PictureOut, 404: Error},
         summary="The situation picture's public parts: figures and incidents per area, police events, changes")
def picture(request: HttpRequest, survey: str = SurveySlug) -> Any:
    found = _public(survey)

    def make() -> dict[str, Any]:
        p = situation_picture(found)
        return finite({
            "survey": p.survey, "weighted": p.weighted, "min_n": p.min_n, "has_population": p.has_population,
            "municipality": p.municipality, "police": p.police, "changes": p.changes,
            "areas": [{"area": a.area, "name": a.name, "population": a.population, "indicator": a.indicator,
                       "fear": a.fear, "incidents_total": a.incidents_total, "rate_per_1000": a.rate_per_1000,
                       "quadrant": a.quadrant["kind"]} for a in p.areas]})

    return cached(found, "api-picture", "", make)


@api.get("/surveys/{survey}/opendata", response={200: OpenDataOut, 404: Error},
         summary="The open-data tables (as in the zip download), the areas as GeoJSON and the metadata")
def opendata(request: HttpRequest, survey: str = SurveySlug) -> Any:
    found = _public(survey)
    return cached(found, "api-opendata", "", lambda: finite(opendata_tables(found)))


@api.get("/promises/{promise}", response={200: PromiseOut, 404: Error},
         summary="A published promise: commitments, activities with progress, indicators with follow-up")
def promise(request: HttpRequest, promise: str = PromiseSlug) -> Any:
    org, _, year = promise.rpartition("-")
    found = (Promise.objects.filter(organisation__slug=org, year=int(year)).exclude(status=Promise.Status.DRAFT)
             .select_related("organisation").first() if year.isdigit() and len(year) <= 4 else None)
    if found is None:
        raise HttpError(404, f"no published promise {promise}")
    return finite(promise_data(found))
