"""Staff review of the automatic place coding: who may review, the review queue, the writers, public quotes.

A reviewed answer counts with its reviewed slugs wherever mentions are counted (``trygg.surveys.mentions``); the
free text itself is shown verbatim only on the review pages, and quoted elsewhere only redacted and reviewed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from trygg.accounts.actions import audit
from trygg.accounts.changes import changes
from trygg.areas.models import Place
from trygg.errors import InputError
from trygg.surveys.coder import organisation_coder
from trygg.surveys.mentions import ensure_coded
from trygg.surveys.models import MentionReview, Response, Survey
from trygg.text import Coding, Gazetteer, GazetteerEntry, code_mentions, detect_language, redact
from trygg.text.agreement import Agreement, coding_agreement
from trygg.text.normalise import tokenise
from trygg.text.stopwords import STOPWORDS

TEXT_QUESTION = "unsafe_places_text"
ALIAS_MAX_LENGTH = 100
FLAG_CHUNK = 2000

def free_text(response: Response) -> str:
    """The answer's free text about unsafe places, or '' when it has none."""
    text = response.answers.get(TEXT_QUESTION)
    return text.strip() if isinstance(text, str) else ""


@dataclass(frozen=True, slots=True)
class QueueEntry:
    """One answer with free text on a page of the queue: its automatic coding now (for the highlighted words),
    and its reviewed slugs (None until reviewed)."""

    response_id: int
    text: str
    coding: Coding
    reviewed: frozenset[str] | None

    @property
    def slugs(self) -> frozenset[str]:
        """The slugs the answer counts with: the review's once there is one."""
        return self.automatic if self.reviewed is None else self.reviewed

    @property
    def automatic(self) -> frozenset[str]:
        return self.coding.slugs


def text_responses(survey: Survey) -> QuerySet[Response]:
    """The survey's answers that have free text, oldest first, with their review.

    Chosen by the stored ``has_text`` column (indexed with the survey), so counting them reads no answer's JSON.
    """
    return (Response.objects.filter(survey=survey, has_text=True).select_related("mention_review")
            .order_by("id"))


def review_queue(survey: Survey, gazetteer: Gazetteer, fingerprint: str, *, unreviewed: bool = False,
                 flagged: bool = False, slug: str = "") -> Sequence[int] | QuerySet[Response, int]:
    """The ids of the answers to list for review, oldest first, chosen from the codes stored with each answer.

    ``unreviewed`` keeps answers nobody has reviewed, ``flagged`` those the coder says a person must read (another
    language), ``slug`` those counted with that slug (reviewed slugs once reviewed, else the stored automatic
    codes). Answers coded against another gazetteer (``fingerprint``) are coded again first; nothing else is
    coded here: the flag is stored with the codes (answers stored before there was a flag get it from the language
    guess alone the first time the flagged view is asked for), and the page codes just the answers it shows
    (``queue_entries``). The ids stay a lazy query, so a paginator counts them and reads one page in the database
    instead of every id.
    """
    ensure_coded(survey, gazetteer, fingerprint)
    responses = text_responses(survey)
    if unreviewed:
        responses = responses.filter(mention_review__isnull=True)
    if slug:
        # Slugs are letters, digits, "-" and "_", so the quoted slug inside the stored JSON list is exactly one
        # of its elements; the database answers without decoding any list.
        element = f'"{slug}"'
        responses = responses.filter(Q(mention_review__isnull=True, coded__icontains=element)
                                     | Q(mention_review__slugs__icontains=element))
    if flagged:
        _ensure_flagged(survey)
        responses = responses.filter(flagged=True)
    return responses.values_list("id", flat=True)


def _ensure_flagged(survey: Survey) -> None:
    """Store the flag of every answer with free text that has none yet (derived data, like the codes)."""
    rows = text_responses(survey).filter(flagged__isnull=True).values_list("id", f"answers__{TEXT_QUESTION}")
    flags: dict[bool, list[int]] = {True: [], False: []}
    for response_id, text in rows.iterator(chunk_size=FLAG_CHUNK):
        flags[isinstance(text, str) and _needs_review(text)].append(response_id)
    for flag, ids in flags.items():
        for start in range(0, len(ids), FLAG_CHUNK):
            Response.objects.filter(pk__in=ids[start : start + FLAG_CHUNK]).update(flagged=flag)


def _needs_review(text: str) -> bool:
    """What ``code_mentions(text, …).needs_review`` says, from the language guess alone (no gazetteer)."""
    return bool(text.strip()) and detect_language(text, [w for _, _, w in tokenise(text)]) == "other"


def queue_entries(survey: Survey, ids: Sequence[int], gazetteer: Gazetteer) -> list[QueueEntry]:
    """The answers with these ids (one page of the queue), in the order given, coded for their highlighting.

    Reads only the free text and the review's slugs of each, not the whole answer.
    """
    rows = (Response.objects.filter(survey=survey, has_text=True, pk__in=list(ids))
            .values_list("id", f"answers__{TEXT_QUESTION}", "mention_review__id", "mention_review__slugs"))
    by_id = {row[0]: row[1:] for row in rows}
    entries = []
    for response_id in ids:
        text, review_id, slugs = by_id.get(response_id, ("", None, None))
        text = text.strip() if isinstance(text, str) else ""
        if not text:
            continue
        entries.append(QueueEntry(response_id, text, code_mentions(text, gazetteer),
                                  frozenset(slugs or ()) if review_id is not None else None))
    return entries


def survey_agreement(survey: Survey) -> Agreement:
    """Agreement between the automatic coding (as it was at review time) and the review, over reviewed answers."""
    pairs = MentionReview.objects.filter(response__survey=survey).values_list("automatic_slugs", "slugs")
    return coding_agreement((set(automatic), set(reviewed)) for automatic, reviewed in pairs)


@transaction.atomic
def do_review_mentions(response: Response, slugs: Iterable[str], reviewer: User) -> MentionReview:
    """Record the slugs a person reads in one answer's free text; they replace the automatic coding in counts.

    The automatic slugs are kept from the first review, so an alias learnt from this very answer does not erase
    the coder's miss from the agreement figures. Reviewing again with the same slugs changes nothing and writes
    no audit event, so a double submit is harmless. InputError when the answer has no free text or a slug is not
    in the organisation's gazetteer (its areas, named places and themes).
    """
    text = free_text(response)
    if not text:
        raise InputError(gettext("svar %(answer)s har ingen fritext att granska") % {"answer": response.pk})
    org = response.survey.organisation
    gazetteer, _ = organisation_coder(org)
    chosen = sorted(set(slugs))
    known = {entry.slug for entry in gazetteer.entries}
    unknown = [s for s in chosen if s not in known]
    if unknown:
        raise InputError(gettext("finns inte bland platserna för %(org)s: %(slugs)s")
                         % {"org": org.slug, "slugs": ", ".join(unknown)})
    earlier = MentionReview.objects.select_for_update().filter(response=response).first()
    if earlier is not None and earlier.slugs == chosen:
        return earlier
    automatic = earlier.automatic_slugs if earlier else sorted(code_mentions(text, gazetteer).slugs)
    review, _ = MentionReview.objects.update_or_create(
        response=response,
        defaults={"slugs": chosen, "reviewer": reviewer, "reviewed_at": timezone.now()},
        create_defaults={"slugs": chosen, "reviewer": reviewer, "reviewed_at": timezone.now(),
                         "automatic_slugs": automatic},
    )
    # The slugs, not the text: the audit log is read more widely than the review pages.
    audit("mentions_reviewed", organisation=org, actor=reviewer, survey=response.survey.slug, response=response.pk,
          slugs=chosen, automatic=automatic, previous=earlier.slugs if earlier else None,
          **changes({"slugs": earlier.slugs if earlier else automatic}, {"slugs": chosen}))
    return review


@transaction.atomic
def do_add_alias(place: Place, alias: str, actor: User | None = None) -> Place:
    """Add the resident's words for a named place, so the next coding finds them.

    Spacing is tidied; words the place already answers to (its name or an alias, ignoring case) change nothing and
    write no audit event. InputError when the words are empty, longer than ALIAS_MAX_LENGTH characters, contain
    control characters, are nothing but everyday words ("och", "hela stan"), or would still not code to this place
    (words of another entry).
    """
    words = " ".join(alias.split())
    if not words or len(words) > ALIAS_MAX_LENGTH or not words.isprintable():
        raise InputError(gettext("ett alias ska vara 1 till %(max)s skrivbara tecken") % {"max": ALIAS_MAX_LENGTH})
    # An everyday word as an alias would code half the answers to this place.
    if all(token in STOPWORDS for _, _, token in tokenise(words)):
        raise InputError(gettext("%(words)r har bara vardagliga ord; ange namnet invånarna använder för platsen")
                         % {"words": words})
    locked = Place.objects.select_for_update().select_related("organisation").get(pk=place.pk)
    if words.casefold() in {a.casefold() for a in (locked.name, *locked.aliases)}:
        return locked
    entry = GazetteerEntry(locked.slug, locked.name, "theme" if locked.kind == Place.Kind.THEME else "place",
                           (*locked.aliases, words))
    trial = Gazetteer([e if e.slug != locked.slug else entry for e in organisation_coder(locked.organisation)[0]
                       .entries], include_builtin_themes=False)
    if locked.slug not in code_mentions(words, trial).slugs:
        raise InputError(gettext("med %(words)r som alias skulle kodningen ändå inte hitta %(place)s (orden kan vara "
                                 "vanliga eller höra till en annan plats)") % {"words": words, "place": locked.name})
    before = list(locked.aliases)
    locked.aliases = [*locked.aliases, words]
    locked.save(update_fields=["aliases"])
    audit("place_alias_added", organisation=locked.organisation, actor=actor, place=locked.slug, alias=words,
          **changes({"aliases": before}, {"aliases": locked.aliases}))
    return locked


def public_quote(response: Response) -> str | None:
    """The answer's free text for quoting outside the review pages: redacted, and only once a person reviewed it.

    None when nobody has reviewed the answer or it has no free text. Redaction misses names it does not know,
    which is why a person's reading comes first.
    """
    text = free_text(response)
    if not text or not MentionReview.objects.filter(response=response).exists():
        return None
    return redact(text)
