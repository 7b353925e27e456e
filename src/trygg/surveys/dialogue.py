"""Writers for answers staff enter by hand (paper forms, answers given at a citizen dialogue) and dialogue notes."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from trygg import formatting
from trygg.accounts.actions import audit
from trygg.accounts.changes import changes
from trygg.areas.models import Area
from trygg.errors import InputError
from trygg.surveys.actions import EARLIEST_ANSWER, area_codes, refuse_if_closed
from trygg.surveys.bank import AnswerError
from trygg.surveys.coder import answer_coding, organisation_coder
from trygg.surveys.mapping import ImportProblems
from trygg.surveys.models import DialogueNote, Response, Survey

HAND_CHANNELS = (Response.Channel.PAPER, Response.Channel.DIALOGUE)


def _check_day(day: date) -> None:
    if not EARLIEST_ANSWER.date() <= day <= timezone.localdate():
        raise InputError(gettext("%(day)s är inget rimligt datum (från 2000 till i dag)") % {"day": day.isoformat()},
                         column="datum")


def do_enter_response(survey: Survey, cells: Mapping[str, str], channel: str, place: str, day: date,
                      actor: User | None = None) -> Response:
    """Store one answer from a paper form or a dialogue. `cells` are answer codes in the import's cell form.

    Every bad cell is reported at once (ImportProblems, the column naming the question); a closed survey refuses.
    The answer's time is noon of `day` (local time): the day is what staff know, not the hour.
    """
    refuse_if_closed(survey)
    if channel not in HAND_CHANNELS:
        raise InputError(gettext("%(channel)r är ingen kanal för svar som matas in för hand (välj en av %(allowed)s)")
                         % {"channel": channel, "allowed": ", ".join(HAND_CHANNELS)}, column="kanal")
    place = place.strip()
    if not place or len(place) > 200:
        raise InputError(gettext("skriv var svaret samlades in (högst 200 tecken)"), column="plats")
    _check_day(day)
    bank = survey.bank
    codes = bank.area_codes(area_codes(survey))
    problems: list[InputError] = []
    answers = {}
    for qid, cell in cells.items():
        try:
            value = bank.clean_answer(qid, cell, codes)
        except AnswerError as exc:
            problems.append(InputError(str(exc), column=exc.column))
            continue
        if value is not None:
            answers[qid] = value
    if problems:
        raise ImportProblems(problems)
    if not answers:
        raise InputError(gettext("svaret har ingen besvarad fråga"))
    gazetteer, fingerprint = organisation_coder(survey.organisation)
    moment = timezone.make_aware(datetime.combine(day, time(12)))
    with transaction.atomic():
        Survey.objects.select_for_update().filter(pk=survey.pk).first()
        refuse_if_closed(survey)
        answers_before = Response.objects.filter(survey=survey).count()
        response = Response.objects.create(survey=survey, answers=answers, submitted_at=moment, channel=channel,
                                           place=place, **answer_coding(answers, gazetteer),
                                           coded_with=fingerprint)
        audit("response_entered", organisation=survey.organisation, actor=actor, survey=survey.slug,
              response=response.pk, channel=channel, place=place,
              **changes({"responses": answers_before}, {"responses": answers_before + 1}))
    return response


@transaction.atomic
def do_add_dialogue_note(survey: Survey, held_on: date, place: str, theme: str, text: str,
                         area: Area | None = None, people: int | None = None,
                         actor: User | None = None) -> DialogueNote:
    """Keep what people raised at a dialogue. Notes may be added after fieldwork closes: they are no answers."""
    place, text = place.strip(), text.strip()
    if not place or len(place) > 200:
        raise InputError(gettext("skriv var dialogen hölls (högst 200 tecken)"), column="plats")
    if theme not in DialogueNote.Theme.values:
        raise InputError(gettext("%(theme)r är inget tema (välj en av %(allowed)s)")
                         % {"theme": theme, "allowed": ", ".join(DialogueNote.Theme.values)}, column="tema")
    if not text or len(text) > 2000:
        raise InputError(gettext("skriv vad deltagarna tog upp (högst %(max)s tecken)")
                         % {"max": formatting.integer(2000)}, column="text")
    if area is not None and area.organisation_id != survey.organisation_id:
        raise InputError(gettext("%(area)s är inget område i %(org)s")
                         % {"area": area.name, "org": survey.organisation.name}, column="omrade")
    if people is not None and not 0 < people <= 100_000:
        raise InputError(gettext("antalet deltagare ska vara mellan 1 och %(max)s")
                         % {"max": formatting.integer(100_000)}, column="deltagare")
    _check_day(held_on)
    note = DialogueNote.objects.create(survey=survey, held_on=held_on, place=place, theme=theme, text=text,
                                       area=area, people=people, written_by=actor)
    audit("dialogue_note_added", organisation=survey.organisation, actor=actor, survey=survey.slug, note=note.pk,
          theme=theme, place=place, **changes({}, {"held_on": held_on, "area": area.code if area else None,
                                                   "people": people}))
    return note
