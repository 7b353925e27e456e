"""The load benchmark's peer: a bare form pair served by the same server, for benchmarks/bench_load.py only.

GET renders a minimal form with a CSRF token and a form token; POST checks nothing of the answers and inserts them
into surveys_response, as the resident's form does in the end. Same middleware, same database, same connection
handling: what the resident's form costs beyond it is trygg's own work (its survey lookup, checks, counts, coding,
templates). Loaded only through bench_load_settings, which serves these addresses before trygg's own.
"""

from __future__ import annotations

import hashlib
import secrets

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.urls import path
from django.utils import timezone
from django.utils.html import escape

from trygg.surveys.models import Response
from trygg.urls import urlpatterns as trygg_urlpatterns

FORM = '<!DOCTYPE html><html lang="sv"><title>Enkät</title><form method="post">' \
       '<input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">' \
       '<input type="hidden" name="token" value="{token}"><button>Skicka</button></form></html>'


def bare_form(request: HttpRequest, survey: int) -> HttpResponse:
    if request.method == "POST":
        token = request.POST.get("token", "")
        answers = {k: v for k, v in request.POST.items() if k not in ("csrfmiddlewaretoken", "token")}
        Response.objects.create(survey_id=survey, answers=answers, submitted_at=timezone.now(),
                                channel=Response.Channel.WEB, form_token=hashlib.sha256(token.encode()).hexdigest())
        return HttpResponse("<!DOCTYPE html><title>Tack</title><p>Tack för ditt svar.</p>")
    return HttpResponse(FORM.format(csrf=escape(get_token(request)), token=secrets.token_urlsafe(16)))


urlpatterns = [path("bench/form/<int:survey>/", bare_form), *trygg_urlpatterns]
