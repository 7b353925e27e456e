"""Staff review of the automatic place coding: access, review and correction, aliases, agreement, public quotes."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.test import Client

from trygg.accounts.models import AuditEvent
from trygg.areas.gazetteer import organisation_gazetteer
from trygg.areas.models import Place
from trygg.surveys.actions import do_submit_response
from trygg.surveys.mentions import ensure_coded, public_mentions, survey_mentions
from trygg.surveys.models import MentionReview, Response
from trygg.surveys.review import do_add_alias, do_review_mentions, public_quote
from trygg.text import code_mentions
from trygg.text.agreement import coding_agreement

LIST = "/personal/kodning/halmstad-2026/"
_tokens = itertools.count()


def answer(survey: Any, text: str | None, **answers: Any) -> Response:
    if text is not None:
        answers["unsafe_places_text"] = text
    response, _ = do_submit_response(survey, answers, f"token-{next(_tokens)}")
    return response


def detail(response: Response) -> str:
    return f"{LIST}{response.pk}/"


def counts(survey: Any) -> dict[str, int]:
    return {m["slug"]: m["respondents"] for m in survey_mentions(survey)["mentions"]}


@pytest.fixture
def viewer_halmstad(halmstad: Any, django_user_model: Any) -> Any:
    from trygg.accounts.actions import do_grant_role

    user = django_user_model.objects.create_user("viewer_halmstad", password="läs-lösenord-1")
    do_grant_role(user, halmstad, "viewer")
    return user


@pytest.fixture
def analyst_laholm(db: Any, django_user_model: Any) -> Any:
    from trygg.accounts.actions import do_grant_role
    from trygg.areas.actions import do_create_organisation

    laholm = do_create_organisation("laholm", "Laholms kommun och LPO Laholm", kommun_code="1381")
    user = django_user_model.objects.create_user("analyst_laholm", password="analys-lösenord-2")
    do_grant_role(user, laholm, "analyst")
    return user


@pytest.fixture
def centrum(open_survey: Any) -> Response:
    return answer(open_survey, "Otryggt i centrum på kvällen")


@pytest.fixture
def analyst(client: Client, analyst_halmstad: Any) -> Client:
    client.force_login(analyst_halmstad)
    return client


# Access


def test_anonymous_visitors_are_sent_to_log_in(client: Client, centrum: Response) -> None:
    for url in (LIST, detail(centrum)):
        page = client.get(url)
        assert page.status_code == 302
        assert page["Location"].startswith("/personal/login/")
    assert client.post(detail(centrum), {"action": "accept"}).status_code == 302
    assert not MentionReview.objects.exists()


def test_staff_of_another_organisation_get_403(client: Client, centrum: Response, analyst_laholm: Any) -> None:
    client.force_login(analyst_laholm)
    assert client.get(LIST).status_code == 403
    assert client.get(detail(centrum)).status_code == 403
    assert client.post(detail(centrum), {"action": "accept"}).status_code == 403
    assert not MentionReview.objects.exists()


def test_viewers_do_not_read_free_text(client: Client, centrum: Response, viewer_halmstad: Any) -> None:
    # Issue 10's roles: a viewer reads results and the situation picture; residents' own words are for analysts.
    client.force_login(viewer_halmstad)
    assert client.get(LIST).status_code == 403
    assert client.get(detail(centrum)).status_code == 403
    assert client.post(detail(centrum), {"action": "accept"}).status_code == 403
    assert not MentionReview.objects.exists()


def test_superusers_may_review_any_survey(client: Client, centrum: Response, django_user_model: Any) -> None:
    client.force_login(django_user_model.objects.create_superuser("root", password="root-lösenord-1"))
    assert client.get(LIST).status_code == 200
    assert client.post(detail(centrum), {"action": "accept"}).status_code == 302
    assert MentionReview.objects.get().slugs == ["morka_platser", "stadskarnan"]


def test_posts_need_the_csrf_token(centrum: Response, analyst_halmstad: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(analyst_halmstad)
    assert client.post(detail(centrum), {"action": "accept"}).status_code == 403
    assert not MentionReview.objects.exists()


def test_survey_admin_links_to_the_review(client: Client, open_survey: Any, django_user_model: Any) -> None:
    client.force_login(django_user_model.objects.create_superuser("root", password="root-lösenord-1"))
    page = client.get("/personal/surveys/survey/").content.decode()
    assert f'href="{LIST}"' in page


# The list


def test_list_shows_codes_triggers_and_escapes_the_text(analyst: Client, open_survey: Any) -> None:
    answer(open_survey, "Vid stationen <script>alert(1)</script>")
    answer(open_survey, None, safe_area="ganska_trygg")
    page = analyst.get(LIST).content.decode()
    assert "Vid <mark>stationen</mark> &lt;script&gt;" in page
    assert "<script>alert" not in page
    assert "Resecentrum (”stationen”)" in page
    assert "1 svar i urvalet." in page


def test_filters_unreviewed_flagged_and_place(analyst: Client, open_survey: Any, analyst_halmstad: Any) -> None:
    reviewed = answer(open_survey, "Stora torg på natten")
    station = answer(open_survey, "Vid stationen")
    somali = answer(open_survey, "Waxaan ka baqaa centrum habeenkii markii ay dhalinyaradu joogaan")
    do_review_mentions(reviewed, ["stora-torg"], analyst_halmstad)

    def listed(query: str) -> set[int]:
        page = analyst.get(LIST + query).content.decode()
        return {r.pk for r in (reviewed, station, somali) if f'href="{detail(r)}"' in page}

    assert listed("") == {reviewed.pk, station.pk, somali.pk}
    assert listed("?visa=ej_granskade") == {station.pk, somali.pk}
    assert listed("?visa=flaggade") == {somali.pk}
    assert listed("?plats=resecentrum") == {station.pk}
    # A reviewed answer is found by its reviewed codes, not its automatic ones.
    assert listed("?plats=stora-torg") == {reviewed.pk}
    assert listed("?plats=morka_platser") == set()
    assert listed("?plats=stadskarnan") == {somali.pk}


def test_flags_are_stored_on_arrival_and_read_once_for_older_answers(analyst: Client, open_survey: Any) -> None:
    station = answer(open_survey, "Vid stationen")
    somali = answer(open_survey, "Waxaan ka baqaa centrum habeenkii markii ay dhalinyaradu joogaan")
    silent = answer(open_survey, None, safe_area="ganska_trygg")
    flags = {station.pk: False, somali.pk: True, silent.pk: False}
    assert dict(Response.objects.values_list("id", "flagged")) == flags
    # Answers stored before the flag was (None): the first flagged view reads their text once and stores it.
    Response.objects.update(flagged=None)
    assert f'href="{detail(somali)}"' in analyst.get(LIST + "?visa=flaggade").content.decode()
    assert dict(Response.objects.values_list("id", "flagged")) == {**flags, silent.pk: None}
    # Coding again (a new gazetteer) stores the coder's own flag.
    Response.objects.update(flagged=None)
    gazetteer = organisation_gazetteer(open_survey.organisation)
    assert ensure_coded(open_survey, gazetteer, "another gazetteer") == 3
    assert dict(Response.objects.values_list("id", "flagged")) == flags


def test_has_text_is_a_non_blank_string(open_survey: Any) -> None:
    stored = {text: Response.objects.create(survey=open_survey, answers={"unsafe_places_text": text},
                                            submitted_at=open_survey.opened_at, channel=Response.Channel.IMPORT)
              for text in ("Vid stationen", "", "   ", None, 5, True)}
    has_text = dict(Response.objects.values_list("id", "has_text"))
    assert {text: has_text[r.pk] for text, r in stored.items()} == {
        "Vid stationen": True, "": False, "   ": False, None: False, 5: False, True: False}
    Response.objects.filter(pk=stored[""].pk).update(answers={"unsafe_places_text": "Stora torg"})
    assert Response.objects.get(pk=stored[""].pk).has_text is True, "kept by the database when the answers change"


def test_list_is_paginated_by_50(analyst: Client, open_survey: Any) -> None:
    for k in range(51):
        answer(open_survey, f"Vid stationen {k}")
    first = analyst.get(LIST).content.decode()
    assert first.count("<mark>stationen</mark>") == 50
    assert "Sida 1 av 2" in first
    second = analyst.get(LIST + "?sida=2").content.decode()
    assert second.count("<mark>stationen</mark>") == 1
    assert analyst.get(LIST + "?sida=banan").status_code == 200


def test_garbage_filters_get_400_not_500(analyst: Client, centrum: Response) -> None:
    for query in ("?plats=finns-inte", "?visa=%00", "?plats=%3Cscript%3E"):
        page = analyst.get(LIST + query)
        assert page.status_code == 400
        assert "Urvalet gick inte att visa" in page.content.decode()
    assert analyst.get("/personal/kodning/halmstad-1999/").status_code == 404
    assert analyst.get("/personal/kodning/nonsense/").status_code == 404


# Reviewing one answer


def test_accept_stores_the_automatic_codes_with_an_audit_event(analyst: Client, centrum: Response,
                                                               analyst_halmstad: Any) -> None:
    page = analyst.post(detail(centrum), {"action": "accept"})
    assert page.status_code == 302
    review = MentionReview.objects.get(response=centrum)
    assert review.slugs == review.automatic_slugs == ["morka_platser", "stadskarnan"]
    assert review.reviewer == analyst_halmstad
    event = AuditEvent.objects.get(action="mentions_reviewed")
    assert event.actor == analyst_halmstad
    assert event.detail["slugs"] == ["morka_platser", "stadskarnan"]
    assert "centrum" not in str(event.detail).replace("stadskarnan", ""), "the audit log must not copy free text"


def test_saving_goes_on_to_the_next_unreviewed_answer(analyst: Client, centrum: Response, open_survey: Any) -> None:
    following = answer(open_survey, "Vid stationen")
    assert analyst.post(detail(centrum), {"action": "accept"})["Location"] == detail(following)
    assert analyst.post(detail(following), {"action": "accept"})["Location"] == LIST


def test_correction_changes_the_counts(analyst: Client, centrum: Response, open_survey: Any) -> None:
    assert counts(open_survey) == {"stadskarnan": 1, "morka_platser": 1}
    page = analyst.post(detail(centrum), {"action": "correct", "slug": ["resecentrum", "morka_platser"]})
    assert page.status_code == 302
    review = MentionReview.objects.get()
    assert review.slugs == ["morka_platser", "resecentrum"]
    assert review.automatic_slugs == ["morka_platser", "stadskarnan"]
    assert counts(open_survey) == {"resecentrum": 1, "morka_platser": 1}
    assert {p["slug"] for p in public_mentions(open_survey, min_n=1)["places"]} == {"resecentrum", "morka_platser"}
    # A reviewed answer with no codes counts for no place.
    analyst.post(detail(centrum), {"action": "correct"})
    assert counts(open_survey) == {}


def test_correction_page_prechecks_the_review(analyst: Client, centrum: Response, analyst_halmstad: Any) -> None:
    form = analyst.get(detail(centrum)).content.decode()
    assert 'value="stadskarnan" checked' in form
    do_review_mentions(centrum, ["resecentrum"], analyst_halmstad)
    form = analyst.get(detail(centrum)).content.decode()
    assert 'value="stadskarnan" checked' not in form
    assert 'value="resecentrum" checked' in form


def test_alias_teaches_the_next_coding(analyst: Client, open_survey: Any, analyst_halmstad: Any,
                                       halmstad: Any) -> None:
    missed = answer(open_survey, "Otryggt vid Kopparhuset")
    assert "stadskarnan" not in code_mentions("Bråk vid Kopparhuset", organisation_gazetteer(halmstad)).slugs
    page = analyst.post(detail(missed), {"action": "correct", "alias": "  Kopparhuset ", "alias_place": "stadskarnan"})
    assert page.status_code == 302
    assert "Kopparhuset" in Place.objects.get(slug="stadskarnan").aliases
    coding = code_mentions("Bråk vid Kopparhuset", organisation_gazetteer(halmstad))
    assert "stadskarnan" in coding.slugs
    review = MentionReview.objects.get(response=missed)
    assert review.slugs == ["stadskarnan"]
    assert review.automatic_slugs == [], "the coder's miss must stay visible in the agreement figures"
    event = AuditEvent.objects.get(action="place_alias_added")
    assert event.actor == analyst_halmstad
    assert {k: event.detail[k] for k in ("place", "alias")} == {"place": "stadskarnan", "alias": "Kopparhuset"}
    assert event.detail["after"]["aliases"] == [*event.detail["before"]["aliases"], "Kopparhuset"]
    assert "1 granskat svar. Den automatiska kodningen var helt rätt i 0 av dem" in analyst.get(LIST).content.decode()


def test_double_submit_changes_nothing_twice(analyst: Client, open_survey: Any) -> None:
    missed = answer(open_survey, "Otryggt vid Kopparhuset")
    form = {"action": "correct", "slug": ["morka_platser"], "alias": "Kopparhuset", "alias_place": "stadskarnan"}
    for _ in range(3):
        assert analyst.post(detail(missed), form).status_code == 302
    assert MentionReview.objects.count() == 1
    assert Place.objects.get(slug="stadskarnan").aliases.count("Kopparhuset") == 1
    assert AuditEvent.objects.filter(action="mentions_reviewed").count() == 1
    assert AuditEvent.objects.filter(action="place_alias_added").count() == 1
    do_add_alias(Place.objects.get(slug="stadskarnan"), "KOPPARHUSET")
    assert AuditEvent.objects.filter(action="place_alias_added").count() == 1


@pytest.mark.parametrize("form, message", [
    ({"slug": ["stadskarnan", "finns-inte"]}, "Okända koder: finns-inte"),
    ({"slug": ["x" * 5000]}, "Okända koder"),
    ({"alias": "Kopparhuset", "alias_place": "<script>"}, "Okänd plats för invånarens ord"),
    ({"alias": "Kopparhuset"}, "Välj vilken plats invånarens ord betyder"),
    ({"alias_place": "stadskarnan"}, "Skriv invånarens ord för platsen"),
    ({"alias": "Koppar\x00huset", "alias_place": "stadskarnan"}, "Granskningen sparades inte"),
    ({"alias": "x" * 101, "alias_place": "stadskarnan"}, "Granskningen sparades inte"),
    # A word of another place, and a stop word, would not make the coder find this one.
    ({"alias": "stationen", "alias_place": "stadskarnan"}, "Granskningen sparades inte"),
    ({"alias": "och", "alias_place": "stadskarnan"}, "Granskningen sparades inte"),
    # Neither button (a tampered or truncated form): not an empty correction.
    ({"action": "", "slug": ["stadskarnan"]}, "Inget sparades"),
    ({"action": "radera"}, "Inget sparades"),
])
def test_garbage_gets_400_and_stores_nothing(analyst: Client, centrum: Response, form: dict[str, Any],
                                             message: str) -> None:
    aliases = Place.objects.get(slug="stadskarnan").aliases
    page = analyst.post(detail(centrum), {"action": "correct", **form})
    assert page.status_code == 400
    assert message in page.content.decode()
    assert not MentionReview.objects.exists()
    assert Place.objects.get(slug="stadskarnan").aliases == aliases
    assert not AuditEvent.objects.filter(action__in=["mentions_reviewed", "place_alias_added"]).exists()


def test_answers_outside_the_survey_or_without_text_are_404(analyst: Client, open_survey: Any) -> None:
    silent = answer(open_survey, None, safe_area="ganska_trygg")
    assert analyst.get(detail(silent)).status_code == 404
    assert analyst.get(f"{LIST}999999/").status_code == 404
    assert analyst.post(f"{LIST}999999/", {"action": "accept"}).status_code == 404


def test_writer_rejects_unknown_slugs_and_answers_without_text(open_survey: Any, analyst_halmstad: Any) -> None:
    from trygg.errors import InputError

    with pytest.raises(InputError, match="finns-inte"):
        do_review_mentions(answer(open_survey, "centrum"), ["finns-inte"], analyst_halmstad)
    with pytest.raises(InputError, match="har ingen fritext att granska"):
        do_review_mentions(answer(open_survey, None, safe_area="ganska_trygg"), [], analyst_halmstad)


# Agreement


def test_agreement_on_a_hand_made_case() -> None:
    result = coding_agreement([
        ({"a"}, {"a"}),  # exact
        ({"a", "b"}, {"a"}),  # b is a false positive
        (set(), {"b"}),  # b missed
        (set(), set()),  # exact: nothing in either
    ])
    assert (result.answers, result.exact, result.exact_share) == (4, 2, 0.5)
    a, b = result.slugs
    assert (a.slug, a.both, a.automatic_only, a.reviewed_only, a.neither) == ("a", 2, 0, 0, 2)
    assert (a.precision, a.recall, a.f1, a.kappa) == (1.0, 1.0, 1.0, 1.0)
    assert (b.slug, b.both, b.automatic_only, b.reviewed_only, b.neither) == ("b", 0, 1, 1, 2)
    assert (b.precision, b.recall, b.f1) == (0.0, 0.0, 0.0)
    # Observed 2/4; chance 1/4·1/4 + 3/4·3/4 = 5/8; kappa (1/2 − 5/8) / (3/8) = −1/3.
    assert b.kappa == pytest.approx(-1 / 3)


def test_agreement_edge_cases() -> None:
    empty = coding_agreement([])
    assert (empty.answers, empty.exact, empty.exact_share, empty.slugs) == (0, 0, None, ())
    constant, extra = coding_agreement([({"c"}, {"c"}), ({"c", "d"}, {"c"})]).slugs
    assert (constant.slug, constant.precision, constant.recall, constant.f1, constant.kappa) == ("c", 1, 1, 1, None)
    assert (extra.slug, extra.precision, extra.recall, extra.f1, extra.kappa) == ("d", 0, None, 0, 0)


def test_agreement_figures_on_the_list(analyst: Client, open_survey: Any, analyst_halmstad: Any) -> None:
    assert "Inga svar är granskade än." in analyst.get(LIST).content.decode()
    do_review_mentions(answer(open_survey, "Vid stationen"), ["resecentrum"], analyst_halmstad)
    do_review_mentions(answer(open_survey, "Stora torg"), ["stora-torg", "stadskarnan"], analyst_halmstad)
    page = analyst.get(LIST).content.decode()
    assert "2 granskade svar. Den automatiska kodningen var helt rätt i 1 av dem (50 %)" in page
    # Stadskärnan: reviewed once, never coded: recall 0, precision undefined.
    assert ('<th scope="row">Stadskärnan</th><td class="num">1</td><td class="num">0</td><td class="num">0</td>'
            '<td class="num">–</td><td class="num">0,00</td>') in page


# Public quotes


def test_public_quote_is_redacted_and_only_after_review(open_survey: Any, analyst_halmstad: Any) -> None:
    response = answer(open_survey, "Vid stationen ringde Anders Svensson 070-123 45 67")
    assert public_quote(response) is None
    do_review_mentions(response, ["resecentrum"], analyst_halmstad)
    assert public_quote(response) == "Vid stationen ringde [namn] [telefon]"
    assert public_quote(answer(open_survey, None, safe_area="ganska_trygg")) is None


def test_staff_home_links_the_analysts_surveys(client, analyst_halmstad, open_survey) -> None:
    client.force_login(analyst_halmstad)
    page = client.get("/personal/").content.decode()
    assert f"/personal/kodning/{open_survey.slug}/" in page
