"""Staff pages for reviewing the automatic place coding of free-text answers.

The only pages that show residents' free text verbatim, so they are never cached and need a role in the
survey's organisation. Plain forms: they work without JavaScript and a double submit changes nothing twice.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from trygg.accounts.access import Access, free_text_access
from trygg.areas.models import Place
from trygg.errors import InputError
from trygg.surveys.actions import find_survey
from trygg.surveys.coder import organisation_coder
from trygg.surveys.models import Survey
from trygg.surveys.review import (
    QueueEntry,
    do_add_alias,
    do_review_mentions,
    free_text,
    queue_entries,
    review_queue,
    survey_agreement,
    text_responses,
)
from trygg.text import Coding, Gazetteer, GazetteerEntry, code_mentions

PAGE_SIZE = 50
SHOW_CHOICES = ("alla", "ej_granskade", "flaggade")


def _survey_and_access(request: HttpRequest, slug: str) -> tuple[Survey, Access]:
    try:
        survey = find_survey(slug)
    except InputError:
        raise Http404(slug) from None
    # Residents' own words are for analysts and admins; a viewer reads results and the picture only.
    access = free_text_access(request.user, survey.organisation)
    if access is None:
        raise PermissionDenied
    return survey, access


def highlighted(text: str, coding: Coding) -> SafeString:
    """The text, escaped, with each trigger inside <mark>."""
    pieces: list[str] = []
    at = 0
    for mention in sorted(coding.mentions, key=lambda m: m.start):
        # The coder never returns overlapping spans, but a <mark> cannot nest, so a later overlap stays plain.
        if mention.start < at:
            continue
        pieces += [escape(text[at:mention.start]), "<mark>", escape(text[mention.start:mention.end]), "</mark>"]
        at = mention.end
    pieces.append(escape(text[at:]))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece of the text escaped above


def _codes(coding: Coding, names: dict[str, GazetteerEntry]) -> list[dict[str, Any]]:
    """Each automatic slug once, with its name and the words that triggered it."""
    triggers: dict[str, list[str]] = {}
    for mention in coding.mentions:
        triggers.setdefault(mention.slug, [])
        if mention.trigger not in triggers[mention.slug]:
            triggers[mention.slug].append(mention.trigger)
    return [{"slug": slug, "name": names[slug].name, "kind": names[slug].kind, "triggers": words}
            for slug, words in triggers.items()]


def _item(entry: QueueEntry, names: dict[str, GazetteerEntry], list_url: str) -> dict[str, Any]:
    # The answer's page is the list's address and its id (the address contract), so no reverse() per answer.
    return {"id": entry.response_id, "url": f"{list_url}{entry.response_id}/",
            "text": highlighted(entry.text, entry.coding),
            "codes": _codes(entry.coding, names), "flagged": entry.coding.needs_review,
            "reviewed": None if entry.reviewed is None else [names[s].name if s in names else s
                                                              for s in sorted(entry.reviewed)]}


@never_cache
@login_required
@require_safe
def review_list(request: HttpRequest, survey: str) -> HttpResponse:
    found, access = _survey_and_access(request, survey)
    gazetteer, fingerprint = organisation_coder(found.organisation)
    names = {e.slug: e for e in gazetteer.entries}
    show = request.GET.get("visa", "alla")
    slug = request.GET.get("plats", "")
    errors: list[str] = []
    if show not in SHOW_CHOICES:
        errors.append(_("Okänt urval: välj alla, ej granskade eller flaggade."))
    if slug and slug not in names:
        errors.append(_("Okänd plats: välj en plats ur listan."))
    # Chosen from the stored codes; only the page's answers are coded again, for their highlighted words.
    ids = [] if errors else review_queue(found, gazetteer, fingerprint, unreviewed=show == "ej_granskade",
                                         flagged=show == "flaggade", slug=slug)
    page = Paginator(ids, PAGE_SIZE).get_page(request.GET.get("sida"))
    list_url = reverse("review_list", args=[found.slug])
    items = [_item(e, names, list_url) for e in queue_entries(found, list(page.object_list), gazetteer)]
    agreement = survey_agreement(found)
    context = {
        "survey": found, "org": found.organisation, "can_change": access == "change", "errors": errors,
        "show": show, "slug": slug, "page": page, "items": items,
        "groups": _entries_by_kind(gazetteer),
        "agreement": agreement,
        "agreement_rows": [{"name": names[r.slug].name if r.slug in names else r.slug, "row": r}
                           for r in agreement.slugs],
    }
    return render(request, "surveys/review_list.html", context, status=400 if errors else 200)


def _entries_by_kind(gazetteer: Gazetteer) -> list[tuple[str, list[GazetteerEntry]]]:
    titles = {"area": _("Områden"), "place": _("Platser"), "theme": _("Teman")}
    return [(titles[kind], sorted((e for e in gazetteer.entries if e.kind == kind), key=lambda e: e.name))
            for kind in ("area", "place", "theme")]


def _read_correction(post: QueryDict, names: dict[str, GazetteerEntry],
                     places: dict[str, Place]) -> tuple[set[str], Place | None, str, list[str]]:
    """(slugs, place to learn an alias for, the alias, errors) from the correction form."""
    errors = []
    slugs = set(post.getlist("slug"))
    unknown = sorted(s for s in slugs if s not in names)
    if unknown:
        errors.append(_("Okända koder: %(slugs)s. Välj bland kryssrutorna.") % {"slugs": ", ".join(unknown)[:200]})
    alias = post.get("alias", "").strip()
    place_slug = post.get("alias_place", "")
    place = places.get(place_slug)
    if place_slug and place is None:
        errors.append(_("Okänd plats för invånarens ord: välj en plats ur listan."))
    elif alias and place is None:
        errors.append(_("Välj vilken plats invånarens ord betyder."))
    elif place is not None and not alias:
        errors.append(_("Skriv invånarens ord för platsen, eller välj ingen plats."))
    if place is not None:
        # Words for a place in this answer mean the answer names that place.
        slugs.add(place.slug)
    return slugs, place, alias, errors


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def review_detail(request: HttpRequest, survey: str, response_id: int) -> HttpResponse:
    found, access = _survey_and_access(request, survey)
    response = text_responses(found).filter(pk=response_id).first()
    text = free_text(response) if response is not None else ""
    if response is None or not text:
        raise Http404(response_id)
    org = found.organisation
    gazetteer = organisation_coder(org)[0]
    names = {e.slug: e for e in gazetteer.entries}
    places = {p.slug: p for p in org.places.filter(kind=Place.Kind.PLACE)}
    coding = code_mentions(text, gazetteer)
    review = getattr(response, "mention_review", None)
    errors: list[str] = []
    checked = set(review.slugs) if review is not None else set(coding.slugs)
    alias, alias_place = "", ""
    if request.method == "POST":
        user = request.user
        if access != "change" or not isinstance(user, User):
            raise PermissionDenied
        action = request.POST.get("action")
        if action == "accept":
            slugs, place, alias = set(coding.slugs), None, ""
        elif action == "correct":
            slugs, place, alias, errors = _read_correction(request.POST, names, places)
            checked = {s for s in slugs if s in names}
            alias_place = place.slug if place is not None else ""
        else:  # neither button: a tampered or truncated form stores nothing
            errors.append(_("Inget sparades: godkänn den automatiska kodningen eller spara en rättelse."))
        if not errors:
            try:
                # One transaction: a rejected alias must not leave the review half saved. The review comes first,
                # so the automatic slugs it keeps are the coder's before it learns the alias.
                with transaction.atomic():
                    do_review_mentions(response, slugs, user)
                    if place is not None:
                        do_add_alias(place, alias, user)
            except InputError as exc:
                errors.append(_("Granskningen sparades inte: %(reason)s") % {"reason": exc.message})
        if not errors:
            messages.success(request, _("Svar %(id)s är granskat.") % {"id": response.pk})
            following = text_responses(found).filter(mention_review__isnull=True, pk__gt=response.pk).first()
            url = (reverse("review_detail", args=[found.slug, following.pk]) if following is not None
                   else reverse("review_list", args=[found.slug]))
            return HttpResponseRedirect(url)
    context = {
        "survey": found, "org": org, "response": response, "can_change": access == "change", "errors": errors,
        "text": highlighted(text, coding), "codes": _codes(coding, names), "flagged": coding.needs_review,
        "language": coding.language, "review": review,
        "reviewed_names": [names[s].name if s in names else s for s in review.slugs] if review is not None else [],
        "groups": [(title, [{"slug": e.slug, "name": e.name, "checked": e.slug in checked,
                             "automatic": e.slug in coding.slugs} for e in group])
                   for title, group in _entries_by_kind(gazetteer)],
        "places": sorted(places.values(), key=lambda p: p.name), "alias": alias, "alias_place": alias_place,
    }
    return render(request, "surveys/review_detail.html", context, status=400 if errors else 200)
