"""The API: schemathesis against /api/openapi.json (no server error, no response outside its schema; the staff
endpoints with an admin's token), the endpoints against the query layer, nothing unpublished, and the per-client
rate limit."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(run_cli: Any) -> Any:
    from trygg.surveys.models import Survey

    assert run_cli("demo", "--no-serve")[0] == 0
    return Survey.objects.get(organisation__slug="halmstad", year=2022)


def test_schemathesis_finds_no_error(demo: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections
    from schemathesis.specs.openapi.checks import positive_data_acceptance

    from trygg.accounts.actions import do_add_staff, do_create_api_token
    from trygg.wsgi import application

    admin = do_add_staff(demo.organisation, "admin_api", "admin", "kommunen", password="Sommar-Tylösand-2026").user
    token = {"Authorization": "Bearer " + do_create_api_token(admin, demo.organisation, "schemathesis")[1]}
    monkeypatch.setenv("TRYGG_API_RATE", "100000/m")
    # As Django's own test client does: the test's database connection (and its transaction) must outlive each
    # request, which the WSGI handler would otherwise close on PostgreSQL.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
        operations = [result.ok() for result in schema.get_all_operations()]
        assert len(operations) >= 12
        for operation in operations:
            @given(case=operation.as_strategy())
            @settings(max_examples=12, deadline=None, derandomize=True, database=None,
                      phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
            def check(case: Any) -> None:
                response = case.call(headers=token)
                # An uploaded file is `binary` to the schema, so random bytes are "valid" to schemathesis; the
                # importers rightly refuse them with a 400 naming the problem, which that check counts as a failure.
                excluded = [positive_data_acceptance] if case.method.upper() == "POST" else []
                case.validate_response(response, headers=token, excluded_checks=excluded)

            check()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_endpoints_match_the_query_layer(demo: Any, client: Any) -> None:
    from trygg.reports.results import survey_results
    from trygg.surveys.models import Survey

    organisations = client.get("/api/organisations").json()
    assert [o["slug"] for o in organisations] == ["halmstad"]
    listed = organisations[0]["surveys"]
    assert "halmstad-2022" in listed
    assert listed == [s.slug for s in Survey.objects.order_by("year") if s.results_public]
    results = client.get("/api/surveys/halmstad-2022/results").json()
    expected = survey_results(demo, ["area", "gender"])
    assert results["estimates"] == [{k: pytest.approx(v) if isinstance(v, float) else v for k, v in e.items()}
                                    for e in expected["estimates"]]
    assert results["respondents"] == expected["respondents"] == 1695
    weighted = client.get("/api/surveys/halmstad-2022/results?weighted=true").json()
    assert weighted["weighted"] is True and weighted["excluded_from_weighting"] > 0
    assert all(e["share"] is None for e in results["estimates"] if e["suppressed"])
    assert all(e["n"] >= results["min_n"] for e in results["estimates"] if not e["suppressed"])
    comparisons = client.get("/api/surveys/halmstad-2022/comparisons").json()
    sexual = next(c for c in comparisons["gender"] if c["indicator"] == "worried_sexualbrott")
    assert sexual["certain"] is True and sexual["difference"] > 0.5
    mentions = client.get("/api/surveys/halmstad-2022/mentions").json()
    assert mentions["places"][0]["name"] == "Stadskärnan" and mentions["places"][0]["respondents"] == 838
    assert all(p["respondents"] >= results["min_n"] for p in mentions["places"])
    picture = client.get("/api/surveys/halmstad-2022/picture").json()
    assert {a["area"] for a in picture["areas"]} == set(demo.organisation.areas.values_list("code", flat=True))
    opendata = client.get("/api/surveys/halmstad-2022/opendata").json()
    assert opendata["metadata"]["respondents"] == 1695 and "estimates" in opendata["tables"]


def test_nothing_unpublished(demo: Any, client: Any) -> None:
    from django.utils import timezone

    year = timezone.localdate().year  # the demo's open survey of this year
    for path in ("results", "comparisons", "mentions", "picture", "opendata"):
        response = client.get(f"/api/surveys/halmstad-{year}/{path}")
        assert response.status_code == 404 and "not published" in response.json()["detail"]
        assert client.get(f"/api/surveys/nowhere-2022/{path}").status_code == 404
    assert client.get("/api/promises/halmstad-1999").status_code == 404
    assert client.get("/api/promises/halmstad-x").status_code == 404
    assert client.post("/api/organisations").status_code == 405


def test_rate_limit_per_client(db: Any, client: Any, rf: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from trygg.reports.api import ClientRateThrottle

    monkeypatch.setenv("TRYGG_API_RATE", "3/m")
    statuses = [client.get("/api/organisations", REMOTE_ADDR="192.0.2.1").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert client.get("/api/organisations", REMOTE_ADDR="192.0.2.2").status_code == 200  # another client
    # A header the client writes itself does not make it another client.
    spoofed = client.get("/api/organisations", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert spoofed.status_code == 429 and "Retry-After" in spoofed
    # The limiter's cache key holds no address, only a keyed hash of it.
    ident = ClientRateThrottle().get_ident(rf.get("/api/organisations", REMOTE_ADDR="192.0.2.1"))
    assert ident and "192.0.2" not in ident and len(ident) == 32
