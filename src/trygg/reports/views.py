"""Public pages: the organisations, an organisation's page, published results; and the operators' health check."""

from __future__ import annotations

import threading
import time

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from trygg.areas.models import Organisation
from trygg.reports.presentation import results_page_context
from trygg.reports.store import computed_once
from trygg.reports.versions import results_version
from trygg.surveys.models import Survey


def _lang() -> str:
    return "en" if (get_language() or "sv").startswith("en") else "sv"


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "reports/home.html", {"organisations": Organisation.objects.all()})


def organisation(request: HttpRequest, org: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=org)
    surveys = list(organisation.surveys.all())
    return render(request, "reports/organisation.html", {
        "org": organisation,
        "open_surveys": [s for s in surveys if s.status == Survey.Status.OPEN],
        "published": [s for s in surveys if s.results_public],
        "promises": list(organisation.promises.exclude(status="draft").order_by("-year")),
    })


def results_fingerprint(survey: Survey) -> str:
    """A digest of everything the published page is computed from, so no change leaves a cached page stale.

    The data itself versions it (`trygg.reports.versions.results_version`): the survey and the earlier ones it is
    compared with — answers, reviews of the place coding — and the organisation's margins, areas and places, so a
    change made around the writers (a database console, a restored backup) moves the key as a writer's does, and
    an audit event that changes no data (a login) keeps it. A handful of small queries.
    """
    return results_version(survey)


def results(request: HttpRequest, org: str, year: int) -> HttpResponse:
    survey = get_object_or_404(Survey.objects.select_related("organisation"), organisation__slug=org, year=year)
    if not survey.results_public:
        return render(request, "reports/not_published.html", {"survey": survey, "org": survey.organisation},
                      status=404)
    key = f"trygg:results:{survey.pk}:{_lang()}:{results_fingerprint(survey)}"
    # The page's body is stored rendered (rendering is most of a warm request); the layout around it carries this
    # visitor's CSRF token for the language switch, so it is rendered per request.
    body = computed_once(key, lambda: mark_safe(  # noqa: S308 - our own template's output, escaped as it rendered
        render_to_string("reports/_results_body.html", results_page_context(survey, _lang()))))
    return render(request, "reports/results.html", {"survey": survey, "org": survey.organisation, "body": body})


# (monotonic time, answer) of the last migration check in this process: a load balancer polls every second or two,
# and loading the migration graph costs milliseconds of CPU each time while the answer changes only with a deploy.
_MIGRATIONS_CHECKED: list[tuple[float, str]] = []
MIGRATIONS_CHECK_SECONDS = 10.0
# One thread of the process checks; the others wait for its answer instead of each loading the graph at once.
_MIGRATIONS_LOCK = threading.Lock()


def _migrations_status() -> str:
    with _MIGRATIONS_LOCK:
        now = time.monotonic()
        if _MIGRATIONS_CHECKED and now - _MIGRATIONS_CHECKED[0][0] < MIGRATIONS_CHECK_SECONDS:
            return _MIGRATIONS_CHECKED[0][1]
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        answer = "ok" if not pending else f"{len(pending)} not applied"
        _MIGRATIONS_CHECKED[:] = [(now, answer)]
        return answer


def health(request: HttpRequest) -> JsonResponse:
    """The database answers (every call) and no migration is pending (checked at most every 10 s per process)."""
    status: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        status["database"] = "ok"
        status["migrations"] = _migrations_status()
    except Exception as exc:  # the health check reports any failure instead of raising it
        status.setdefault("database", f"error: {exc.__class__.__name__}")
    healthy = status.get("database") == "ok" and status.get("migrations") == "ok"
    return JsonResponse({"status": "ok" if healthy else "error", **status}, status=200 if healthy else 503)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)
