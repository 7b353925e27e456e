"""Free-text codes stored with each answer: coded on arrival (form, import), recoded when the gazetteer changes,
and the review list choosing its answers from the stored codes."""

from __future__ import annotations

import itertools
from typing import Any

from django.test import Client

from trygg.areas.models import Place
from trygg.surveys.actions import do_import_responses, do_submit_response
from trygg.surveys.coder import organisation_coder
from trygg.surveys.mentions import ensure_coded
from trygg.surveys.models import Response
from trygg.surveys.review import do_add_alias, do_review_mentions, review_queue

LIST = "/personal/kodning/halmstad-2026/"
_tokens = itertools.count()


def submit(survey: Any, text: str) -> Response:
    response, _ = do_submit_response(survey, {"unsafe_places_text": text}, f"stored-{next(_tokens)}")
    response.refresh_from_db()
    return response


def test_a_web_answer_is_coded_when_it_arrives(open_survey: Any) -> None:
    response = submit(open_survey, "Stora torg och Andersberg på kvällen")
    _, fingerprint = organisation_coder(open_survey.organisation)
    assert response.coded == ["andersberg", "morka_platser", "stora-torg"]
    assert response.coded_with == fingerprint
    assert ensure_coded(open_survey, *organisation_coder(open_survey.organisation)) == 0, "nothing left to code"
    empty, _ = do_submit_response(open_survey, {"area": "andersberg"}, f"stored-{next(_tokens)}")
    empty.refresh_from_db()
    assert (empty.coded, empty.coded_with) == ([], fingerprint)


def test_imported_answers_are_coded_in_the_import(open_survey: Any, write_csv: Any) -> None:
    path = write_csv("svar.csv", ["area", "unsafe_places_text"],
                     [["andersberg", "Stora torg på kvällen"], ["vallas", ""], ["sondrum", "inte i centrum"]])
    assert do_import_responses(open_survey, path) == 3
    _, fingerprint = organisation_coder(open_survey.organisation)
    stored = list(Response.objects.filter(survey=open_survey).order_by("id").values_list("coded", "coded_with"))
    assert stored == [(["morka_platser", "stora-torg"], fingerprint), ([], fingerprint), ([], fingerprint)]


def test_the_compiled_coder_is_kept_until_the_gazetteer_changes(open_survey: Any) -> None:
    org = open_survey.organisation
    first = organisation_coder(org)
    assert organisation_coder(org) is first
    response = submit(open_survey, "Kärleksstigen")
    assert response.coded == []
    place = Place.objects.get(organisation=org, slug="stora-torg")
    do_add_alias(place, "Kärleksstigen")
    second = organisation_coder(org)
    assert second[1] != first[1]
    assert ensure_coded(open_survey, *second) == 1, "the stale answer is coded again"
    response.refresh_from_db()
    assert (response.coded, response.coded_with) == (["stora-torg"], second[1])


def test_review_queue_chooses_from_stored_codes(open_survey: Any, analyst_halmstad: Any) -> None:
    torg = submit(open_survey, "Stora torg")
    submit(open_survey, "Andersberg")
    foreign = submit(open_survey, "في مركز المدينة في الليل")
    gazetteer, fingerprint = organisation_coder(open_survey.organisation)
    assert list(review_queue(open_survey, gazetteer, fingerprint, slug="stora-torg")) == [torg.pk]
    assert list(review_queue(open_survey, gazetteer, fingerprint, flagged=True)) == [foreign.pk]
    # Stored codes are what the queue reads: a stored code (same fingerprint) decides, not a fresh coding.
    Response.objects.filter(pk=torg.pk).update(coded=["andersberg"])
    assert not review_queue(open_survey, gazetteer, fingerprint, slug="stora-torg")
    assert len(review_queue(open_survey, gazetteer, fingerprint, slug="andersberg")) == 2
    # Once reviewed, the review's slugs decide.
    do_review_mentions(torg, ["nattliv"], analyst_halmstad)
    assert list(review_queue(open_survey, gazetteer, fingerprint, slug="nattliv")) == [torg.pk]
    assert len(review_queue(open_survey, gazetteer, fingerprint, slug="andersberg")) == 1


def test_review_list_pages_highlight_only_their_answers(client: Client, open_survey: Any,
                                                        analyst_halmstad: Any) -> None:
    for n in range(60):
        submit(open_survey, f"Stora torg {n}" if n % 2 else f"Andersberg {n}")
    client.force_login(analyst_halmstad)
    first = client.get(LIST).content.decode()
    assert first.count("<blockquote>") == first.count("<mark>") == 50
    second = client.get(LIST, {"sida": "2"}).content.decode()
    assert second.count("<blockquote>") == second.count("<mark>") == 10
    only = client.get(LIST, {"plats": "andersberg"}).content.decode()
    assert only.count("<blockquote>") == 30
    assert only.count("<mark>Andersberg</mark>") == 30 and "<mark>Stora torg</mark>" not in only
