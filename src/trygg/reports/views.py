"""Public pages: the organisations, an organisation's page, published results; and the operators' health check."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language

from trygg.accounts.models import AuditEvent
from trygg.areas.models import Organisation
from trygg.reports.presentation import results_page_context
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


def results(request: HttpRequest, org: str, year: int) -> HttpResponse:
    survey = get_object_or_404(Survey.objects.select_related("organisation"), organisation__slug=org, year=year)
    if not survey.results_public:
        return render(request, "reports/not_published.html", {"survey": survey, "org": survey.organisation},
                      status=404)
    # Every change that can move a published figure (answers, margins, places, reviews) writes an audit event,
    # so the newest event of the organisation versions the computed page.
    version = (AuditEvent.objects.filter(organisation=survey.organisation).order_by("-id")
               .values_list("id", flat=True).first())
    key = f"trygg:results:{survey.pk}:{_lang()}:{version}"
    context: dict[str, Any] | None = cache.get(key)
    if context is None:
        context = results_page_context(survey, _lang())
        cache.set(key, context, timeout=24 * 3600)
    return render(request, "reports/results.html", context)


def health(request: HttpRequest) -> JsonResponse:
    status: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        status["database"] = "ok"
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        status["migrations"] = "ok" if not pending else f"{len(pending)} not applied"
    except Exception as exc:  # the health check reports any failure instead of raising it
        status.setdefault("database", f"error: {exc.__class__.__name__}")
    healthy = status.get("database") == "ok" and status.get("migrations") == "ok"
    return JsonResponse({"status": "ok" if healthy else "error", **status}, status=200 if healthy else 503)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)
