"""Staff page for answers flagged as bursts (surveys/antiabuse.py): look at each burst, keep it or remove it.

Viewers see the list; analysts and admins decide, through do_decide_burst (an audit event per answer). A plain form:
works without JavaScript, and deciding twice changes nothing twice.
"""

from __future__ import annotations

from itertools import groupby
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from trygg.accounts.access import staff_access
from trygg.errors import InputError
from trygg.surveys.actions import find_survey
from trygg.surveys.antiabuse import do_decide_burst
from trygg.surveys.models import BurstFlag


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def burst_list(request: HttpRequest, survey: str) -> HttpResponse:
    try:
        found = find_survey(survey)
    except InputError:
        raise Http404(survey) from None
    access = staff_access(request.user, found.organisation)
    if access is None:
        raise PermissionDenied
    flags = BurstFlag.objects.filter(response__survey=found).select_related("response")
    if request.method == "POST":
        if access != "change":
            raise PermissionDenied
        group = request.POST.get("grupp", "")
        keep = request.POST.get("beslut") == "behall"
        chosen = [f for f in flags if f.group == group and not f.decision]
        actor = request.user if isinstance(request.user, User) else None
        for flag in chosen:
            do_decide_burst(flag, keep, actor)
        if chosen:
            messages.success(request, (_("%(n)d svar behålls.") if keep else _("%(n)d svar är borttagna."))
                             % {"n": len(chosen)})
        return HttpResponseRedirect(request.path)
    groups: list[dict[str, Any]] = []
    for group, members in groupby(flags.order_by("group", "response_id"), key=lambda f: f.group):
        items = list(members)
        pending = [f for f in items if not f.decision]
        groups.append({"group": group, "reason": items[0].get_reason_display(), "flags": items,
                       "pending": len(pending), "proven": sum(f.proven for f in items),
                       "first": min(f.response.submitted_at for f in items),
                       "last": max(f.response.submitted_at for f in items)})
    groups.sort(key=lambda g: (g["pending"] == 0, g["first"]))
    return render(request, "surveys/bursts.html", {"survey": found, "org": found.organisation, "groups": groups,
                                                   "can_change": access == "change"})
