"""Writers for surveys and responses. Views and the CLI call these; each writes its audit event."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext

from trygg.accounts.actions import audit
from trygg.accounts.changes import changes, file_fingerprint
from trygg.areas.models import Organisation
from trygg.bulk import insert_new, prepare_insert
from trygg.errors import InputError
from trygg.surveys.bank import AnswerError, load_bank
from trygg.surveys.coder import answer_coding, organisation_coder
from trygg.surveys.mapping import ImportProblems
from trygg.surveys.mapping import Mapping as ColumnMapping
from trygg.surveys.models import Response, Survey
from trygg.surveys.snapshot import store_frame
from trygg.tabular import read_table

_SURVEY_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,60}-[0-9]{4}")
# Answers are from this century and not from the future (a day's slack for clocks and time zones).
EARLIEST_ANSWER = datetime(2000, 1, 1, tzinfo=UTC)


def _no_survey(slug: str) -> str:
    return (gettext("det finns ingen enkät %(survey)r (enkäter heter ORG-ÅR, till exempel halmstad-2022)")
            % {"survey": slug})


def find_survey(slug: str) -> Survey:
    """The survey `ORG-YEAR`; InputError when there is none (or the name could be no survey's, e.g. has NUL)."""
    if not _SURVEY_SLUG.fullmatch(slug):
        raise InputError(_no_survey(slug[:60]))
    org_slug, _, year = slug.rpartition("-")
    survey = (Survey.objects.select_related("organisation")
              .filter(organisation__slug=org_slug, year=int(year) if year.isdigit() else -1).first())
    if survey is None:
        raise InputError(_no_survey(slug))
    return survey


@transaction.atomic
def do_create_survey(org: Organisation, year: int, bank_id: str = "standard-v1",
                     actor: User | None = None) -> Survey:
    load_bank(bank_id)
    if not 2000 <= year <= 2100:
        raise InputError(gettext("året %(year)s är inte rimligt") % {"year": year})
    if Survey.objects.filter(organisation=org, year=year).exists():
        # Not starting with the slug: a sentence's capital would change it from what was typed.
        raise InputError(gettext("det finns redan en enkät för %(year)s i %(org)s") % {"org": org.slug, "year": year})
    survey = Survey.objects.create(organisation=org, year=year, bank_id=bank_id)
    audit("survey_created", organisation=org, actor=actor, survey=survey.slug, bank=bank_id,
          **changes({}, {"status": survey.status, "bank": bank_id}))
    return survey


@transaction.atomic
def do_open_survey(survey: Survey, actor: User | None = None) -> Survey:
    if survey.status == Survey.Status.CLOSED:
        raise InputError(gettext("%(survey)s är stängd; en stängd enkät öppnas inte igen, så dess resultat står fast")
                         % {"survey": survey.slug})
    before = {"status": survey.status, "opened_at": survey.opened_at}
    survey.status = Survey.Status.OPEN
    survey.opened_at = survey.opened_at or timezone.now()
    survey.save(update_fields=["status", "opened_at"])
    audit("survey_opened", organisation=survey.organisation, actor=actor, survey=survey.slug,
          **changes(before, {"status": survey.status, "opened_at": survey.opened_at}))
    return survey


@transaction.atomic
def do_close_survey(survey: Survey, actor: User | None = None) -> Survey:
    if survey.status != Survey.Status.OPEN:
        raise InputError(gettext("%(survey)s är inte öppen (status: %(status)s)")
                         % {"survey": survey.slug, "status": survey.get_status_display().lower()})
    before = {"status": survey.status, "closed_at": survey.closed_at}
    survey.status = Survey.Status.CLOSED
    survey.closed_at = timezone.now()
    survey.save(update_fields=["status", "closed_at"])
    audit("survey_closed", organisation=survey.organisation, actor=actor, survey=survey.slug,
          **changes(before, {"status": survey.status, "closed_at": survey.closed_at}))
    # Its answers are fixed from now on: their columns are stored once the close is committed, so the first results
    # page reads one row instead of every answer (trygg.surveys.snapshot). A failure there is logged, not raised:
    # the close stands, and the first read builds the frame instead.
    transaction.on_commit(lambda: store_frame(survey), robust=True)
    return survey


@transaction.atomic
def do_publish_results(survey: Survey, actor: User | None = None) -> Survey:
    if survey.status != Survey.Status.CLOSED:
        raise InputError(gettext("%(survey)s måste vara stängd innan resultaten publiceras") % {"survey": survey.slug})
    before = {"results_published": survey.results_published}
    survey.results_published = True
    survey.save(update_fields=["results_published"])
    audit("results_published", organisation=survey.organisation, actor=actor, survey=survey.slug,
          **changes(before, {"results_published": True}))
    return survey


def area_codes(survey: Survey) -> list[str]:
    return list(survey.organisation.areas.values_list("code", flat=True))


def do_submit_response(survey: Survey, answers: Mapping[str, Any], token: str, *,
                       places_version: int | None = None) -> tuple[Response, bool]:
    """Store one resident's answers from the web form. Returns (response, created).

    The same form token twice (a double click, a resend) returns the first response instead of a second one.
    The free text is coded to the organisation's gazetteer on arrival and the codes stored with the answer;
    `places_version` is the version of the organisation's areas and places when the caller read it with the survey
    (trygg.surveys.orgcache), which spares the coder a query.
    """
    refuse_if_closed(survey, hold=True)
    token_hash = hashlib.sha256(token.encode()).hexdigest()
    # Coded on arrival, so neither the results nor the review list has to code it later.
    gazetteer, fingerprint = organisation_coder(survey.organisation, places_version)
    response = Response(survey=survey, answers=dict(answers), submitted_at=timezone.now(),
                        channel=Response.Channel.WEB, form_token=token_hash, **answer_coding(answers, gazetteer),
                        coded_with=fingerprint)
    if not insert_new(response, "form_token"):  # the token's answer is stored already (form_token is unique)
        return Response.objects.get(form_token=token_hash), False
    return response, True


def refuse_if_closed(survey: Survey, *, hold: bool = False) -> None:
    """A closed survey takes no more answers, from any channel, so its (perhaps published) results stay fixed.

    With `hold`, inside a transaction, the survey's row stays share-locked until the transaction ends: a close waits
    for the answers being stored and an answer stored after a close sees it, while answers do not wait for each
    other. (On SQLite the transaction holds the one write lock from its start, which orders them as well.)
    """
    if hold and connection.features.has_select_for_update:
        with connection.cursor() as cursor:
            # Django's ORM locks rows only FOR UPDATE, which would make every answer wait for the one before.
            cursor.execute(f"SELECT status FROM {Survey._meta.db_table} WHERE id = %s FOR SHARE",  # noqa: S608
                           [survey.pk])
            row = cursor.fetchone()
        status = row[0] if row else None
    else:
        status = Survey.objects.filter(pk=survey.pk).values_list("status", flat=True).first()
    if status == Survey.Status.CLOSED:
        raise SurveyClosedError(gettext("%(survey)s är stängd: en stängd enkät tar inte emot fler svar, så dess "
                                        "resultat förblir som de var när fältarbetet slutade")
                                % {"survey": survey.slug})


class SurveyClosedError(InputError):
    """Answers offered to a closed survey."""


@dataclass(frozen=True)
class ImportPreview:
    """What an import would store: the rows, and per question how many answered and with which codes."""

    rows: list[dict[str, Any]]
    answered: dict[str, int]
    counts: dict[str, dict[str, int]]

    @property
    def n(self) -> int:
        return len(self.rows)


def read_responses(survey: Survey, path: str | Path, mapping_file: str | Path | None = None,
                   progress: Callable[[int, int], None] | None = None,
                   warn: Callable[[str], None] | None = None) -> ImportPreview:
    """Read and validate every row of an answers file; nothing is stored here.

    Every unknown column, unmapped label and bad cell is collected and raised together as ImportProblems, each
    naming the file, data row and column. What the reader ignored (unnamed columns) is told to `warn`.
    """
    path = Path(path)
    table = read_table(path)
    for message in table.warnings:
        if warn:
            warn(message)
    mapping = ColumnMapping.load(mapping_file) if mapping_file else None
    bank = survey.bank
    codes = bank.area_codes(area_codes(survey))
    problems: list[InputError] = []
    header = mapping.columns(table.header, path, problems) if mapping else table.header
    for column in header:
        if column and column != "submitted_at" and column not in bank.by_id:
            problems.append(InputError(gettext("%(column)r är ingen fråga i frågebanken %(bank)s")
                                       % {"column": column, "bank": bank.id}, file=path, column=column, line=1))
    known = {c for c in header if c in bank.by_id}
    # Other tools export the area as the name the resident picked; an import with a mapping accepts the names.
    area_names = ({name.casefold(): code for code, name in survey.organisation.areas.values_list("code", "name")}
                  if mapping else {})
    rows: list[dict[str, Any]] = []
    answered: Counter[str] = Counter()
    counts: dict[str, Counter[str]] = {}
    for index, raw in enumerate(table.rows, start=1):
        record = mapping.translate(raw, path, index, problems) if mapping else raw
        submitted = record.pop("submitted_at", "")
        answers: dict[str, Any] = {}
        for qid, cell in record.items():
            if qid not in known:
                continue
            if qid == "area" and cell:
                cell = area_names.get(cell.strip().casefold(), cell)
            try:
                value = bank.clean_answer(qid, cell or "", codes)
            except AnswerError as exc:
                problems.append(InputError(str(exc), file=path, row=index, column=exc.column,
                                           line=table.first_data_line + index - 1))
                continue
            if value is None:
                continue
            answers[qid] = value
            answered[qid] += 1
            if isinstance(value, str):
                counts.setdefault(qid, Counter())[value] += 1
            elif isinstance(value, list) and all(isinstance(v, str) for v in value):
                counts.setdefault(qid, Counter()).update(value)
        try:
            moment = _parse_time(submitted, path, index)
        except InputError as exc:
            problems.append(exc)
            moment = None
        rows.append({"answers": answers, "submitted_at": moment})
        if progress and index % 500 == 0:
            progress(index, len(table.rows))
    if progress:
        progress(len(table.rows), len(table.rows))
    if len(problems) == 1:
        raise problems[0]  # the command line's contract: one plain sentence naming file, row and column
    if problems:
        raise ImportProblems(problems, file=path, total=len(problems))
    return ImportPreview(rows, dict(answered), {q: dict(c.most_common()) for q, c in counts.items()})


def _parse_time(value: str, path: Path, row: int) -> Any:
    if not value:
        return timezone.now()
    from django.utils.dateparse import parse_datetime

    parsed = parse_datetime(value.replace(" ", "T", 1))
    if parsed is None:
        raise InputError(gettext("%(value)r är ingen tidpunkt (skriv till exempel 2022-10-03T18:30)")
                         % {"value": value}, file=path, row=row, column="submitted_at")
    moment = parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)
    if not EARLIEST_ANSWER <= moment <= timezone.now() + timedelta(days=1):
        raise InputError(gettext("%(value)r är ingen rimlig tidpunkt för ett svar (från 2000 till i dag)")
                         % {"value": value}, file=path,
                         row=row, column="submitted_at")
    return moment


def do_import_responses(survey: Survey, path: str | Path, mapping_file: str | Path | None = None,
                        actor: User | None = None,
                        progress: Callable[[int, int], None] | None = None,
                        warn: Callable[[str], None] | None = None) -> int:
    """Import all rows or none; returns the number stored.

    Every row is read, validated and converted for the database before the one write transaction begins, so on
    SQLite (one writer at a time) residents' answers wait only for the insert itself (about a second for the largest
    file), well within the busy timeout. Each answer's free text is coded then too, and stored with it.
    """
    refuse_if_closed(survey)
    rows = read_responses(survey, path, mapping_file, progress, warn).rows
    # Coded here, before the transaction, like the rest of the conversion.
    gazetteer, fingerprint = organisation_coder(survey.organisation)
    insert = prepare_insert([Response(survey=survey, answers=r["answers"], submitted_at=r["submitted_at"],
                                      channel=Response.Channel.IMPORT, **answer_coding(r["answers"], gazetteer),
                                      coded_with=fingerprint) for r in rows])
    with transaction.atomic():
        # Checked again inside the transaction: the survey may have been closed while the file was read.
        Survey.objects.select_for_update().filter(pk=survey.pk).first()
        refuse_if_closed(survey)
        answers_before = Response.objects.filter(survey=survey).count()
        insert.run()
        audit("responses_imported", organisation=survey.organisation, actor=actor, survey=survey.slug,
              file=Path(path).name, rows=len(rows), fingerprint=file_fingerprint(path),
              **changes({"responses": answers_before}, {"responses": answers_before + len(rows)}))
    return len(rows)
