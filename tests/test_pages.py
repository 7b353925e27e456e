"""Public pages: the addresses of the contract, the form's defences, and no 500 for a resident."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from trygg.surveys.actions import do_close_survey, do_publish_results
from trygg.surveys.models import Response


def form_token(client: Client, url: str) -> str:
    page = client.get(url).content.decode()
    return re.search(r'name="token" value="([^"]+)"', page).group(1)


def test_home_lists_organisations(client: Client, halmstad) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert "Halmstads kommun" in page.content.decode()
    assert '<html lang="sv">' in page.content.decode()


def test_english_is_honoured_from_the_browser(client: Client, halmstad) -> None:
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="en">' in page.content.decode()


def test_organisation_page_links_open_survey(client: Client, open_survey) -> None:
    page = client.get("/halmstad/").content.decode()
    assert 'href="/halmstad/enkat/2026/"' in page
    assert "/resultat/" not in page


def test_form_stores_an_answer(client: Client, open_survey) -> None:
    url = "/halmstad/enkat/2026/"
    token = form_token(client, url)
    response = client.post(url, {"token": token, "area": "vallas", "gender": "kvinna", "safe_area": "ganska_trygg",
                                 "unsafe_time": ["dag", "20-23"], "unsafe_places_text": "Stora torg sent"})
    assert response.status_code == 200
    assert "Tack för ditt svar" in response.content.decode()
    answers = Response.objects.get().answers
    assert answers == {"area": "vallas", "gender": "kvinna", "safe_area": "ganska_trygg",
                       "unsafe_time": ["dag", "20-23"], "unsafe_places_text": "Stora torg sent"}


def test_double_submit_stores_one_answer(client: Client, open_survey) -> None:
    url = "/halmstad/enkat/2026/"
    token = form_token(client, url)
    for _ in range(3):
        assert client.post(url, {"token": token, "safe_area": "mycket_trygg"}).status_code == 200
    assert Response.objects.count() == 1


def test_garbage_gets_a_page_with_errors_not_a_500(client: Client, open_survey) -> None:
    url = "/halmstad/enkat/2026/"
    token = form_token(client, url)
    response = client.post(url, {"token": token, "safe_area": "<script>alert(1)</script>", "area": "\x00\x01",
                                 "unsafe_time": ["dag", "never"], "unsafe_places_pins": "here; there"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Svaret är inte skickat än" in page
    assert "<script>alert(1)</script>" not in page
    assert Response.objects.count() == 0


def test_an_empty_answer_is_refused_with_a_message_and_not_counted(client: Client, open_survey) -> None:
    url = "/halmstad/enkat/2026/"
    token = form_token(client, url)
    response = client.post(url, {"token": token, "unsafe_places_text": "   ", "unsafe_time": []})
    assert response.status_code == 400
    assert "Du har inte svarat på någon fråga" in response.content.decode()
    assert not Response.objects.exists()
    assert client.post(url, {"token": token, "gender": "man"}).status_code == 200
    assert Response.objects.count() == 1


def test_forged_or_missing_token_is_not_stored(client: Client, open_survey) -> None:
    url = "/halmstad/enkat/2026/"
    assert client.post(url, {"token": "forged", "safe_area": "mycket_trygg"}).status_code == 400
    assert client.post(url, {"safe_area": "mycket_trygg"}).status_code == 400
    assert Response.objects.count() == 0


def test_huge_input_is_refused_without_a_500(client: Client, open_survey) -> None:
    url = "/halmstad/enkat/2026/"
    token = form_token(client, url)
    too_long = client.post(url, {"token": token, "unsafe_places_text": "å" * 5000})
    assert too_long.status_code == 400
    assert "högst 2 000 tecken" in too_long.content.decode()
    huge = client.post(url, {"token": token, "unsafe_places_text": "x" * 2_000_000})
    assert huge.status_code == 400
    assert Response.objects.count() == 0


def test_honeypot_stores_nothing(client: Client, open_survey) -> None:
    url = "/halmstad/enkat/2026/"
    token = form_token(client, url)
    response = client.post(url, {"token": token, "webbplats": "http://spam.example", "safe_area": "mycket_trygg"})
    assert response.status_code == 200
    assert Response.objects.count() == 0


def test_form_for_a_closed_or_unknown_survey_is_404(client: Client, open_survey) -> None:
    do_close_survey(open_survey)
    assert client.get("/halmstad/enkat/2026/").status_code == 404
    assert client.get("/halmstad/enkat/1999/").status_code == 404
    assert client.get("/nowhere/enkat/2026/").status_code == 404


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_other_methods_on_the_form_are_not_500(client: Client, open_survey, method: str) -> None:
    assert getattr(client, method)("/halmstad/enkat/2026/").status_code < 500


def test_results_are_hidden_until_closed_and_published(client: Client, open_survey) -> None:
    url = "/halmstad/resultat/2026/"
    assert client.get(url).status_code == 404
    do_close_survey(open_survey)
    assert client.get(url).status_code == 404
    do_publish_results(open_survey)
    assert client.get(url).status_code == 200


def test_health(client: Client, db) -> None:
    response = client.get("/halsa/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "migrations": "ok"}


def test_staff_area_needs_login(client: Client, db) -> None:
    response = client.get("/personal/")
    assert response.status_code == 302
    assert "/personal/login/" in response["Location"]


def test_pages_forbid_third_parties_and_inline_code(client: Client, open_survey) -> None:
    policy = client.get("/halmstad/enkat/2026/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy


def test_one_connection_is_limited_per_day(client: Client, open_survey, settings) -> None:
    settings.TRYGG_ANSWERS_PER_CONNECTION_PER_DAY = 2
    url = "/halmstad/enkat/2026/"
    statuses = [client.post(url, {"token": form_token(client, url), "safe_area": "mycket_trygg"},
                            REMOTE_ADDR="203.0.113.9").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert Response.objects.count() == 2
    assert client.post(url, {"token": form_token(client, url), "safe_area": "mycket_trygg"},
                       REMOTE_ADDR="203.0.113.10").status_code == 200


def test_results_page_follows_every_change(client: Client, open_survey, write_csv) -> None:
    from trygg.surveys.actions import SurveyClosedError, do_import_responses

    rows = [["andersberg", "kvinna", "ganska_trygg"]] * 40
    do_import_responses(open_survey, write_csv("a.csv", ["area", "gender", "safe_area"], rows))
    do_close_survey(open_survey)
    do_publish_results(open_survey)
    assert "40 personer svarade" in client.get("/halmstad/resultat/2026/").content.decode()
    # A closed survey takes no more answers, so the published figures stay as they are (issue 12).
    with pytest.raises(SurveyClosedError):
        do_import_responses(open_survey, write_csv("b.csv", ["area", "gender", "safe_area"], rows))
    assert "40 personer svarade" in client.get("/halmstad/resultat/2026/").content.decode()


@pytest.mark.parametrize("url", ["/halmstad/enkat/99999999999999999999/", "/halmstad/resultat/99999999999/",
                                 "/halmstad/enkat/0/", "/%00/", "/halmstad/enkat/2026/?token=%00"])
def test_odd_addresses_are_404_not_500(client: Client, open_survey, url: str) -> None:
    assert client.get(url).status_code in (200, 404)


@pytest.mark.django_db
def test_any_garbage_posted_to_the_form_gets_an_answer_below_500(open_survey) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    client = Client()
    url = "/halmstad/enkat/2026/"
    garbage = st.one_of(st.text(max_size=40), st.lists(st.text(max_size=20), max_size=6))
    # Mostly valid codes, so that many answers pass validation and reach the database, sometimes garbage.
    field = {qid: st.one_of(st.sampled_from(codes), st.sampled_from(codes), st.sampled_from(codes), garbage)
             for qid, codes in (("area", ["andersberg", "annat"]), ("gender", ["kvinna", "man"]),
                                ("safe_area", ["mycket_trygg", "vet_ej"]), ("unsafe_time", ["dag", "20-23"]),
                                ("unsafe_places_pins", ["56.6745 12.8578", ""]), ("token", ["fresh"]),
                                ("nonsense", ["1"]))}
    # Any characters, and often control characters, which some databases refuse to store.
    field["unsafe_places_text"] = st.one_of(st.text(max_size=2100),
                                            st.text(st.characters(max_codepoint=0x20), min_size=1, max_size=30))

    @settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.fixed_dictionaries({"unsafe_places_text": field["unsafe_places_text"]},
                                 optional={k: v for k, v in field.items() if k != "unsafe_places_text"}))
    def post(data: dict) -> None:
        from django.core.cache import cache

        cache.clear()  # the daily limit per connection is not what this test is about
        if data.get("token", "fresh") == "fresh":
            data["token"] = form_token(client, url)  # mostly a fresh, valid form, so valid answers are stored
        status = client.post(url, data).status_code
        assert status < 500

    post()
    assert Response.objects.exists()


def test_control_characters_in_free_text_are_stored_safely(client: Client, open_survey) -> None:
    url = "/halmstad/enkat/2026/"
    response = client.post(url, {"token": form_token(client, url), "unsafe_places_text": "Stora\x00 torg\x07 🌙\ttack"})
    assert response.status_code == 200
    assert Response.objects.get().answers["unsafe_places_text"] == "Stora torg 🌙\ttack"


def test_results_page_of_an_empty_or_unweightable_survey_is_not_500(client: Client, open_survey, write_csv) -> None:
    from trygg.areas.actions import do_import_population
    from trygg.surveys.actions import do_create_survey, do_import_responses, do_open_survey

    empty = do_open_survey(do_create_survey(open_survey.organisation, 2025))
    do_publish_results(do_close_survey(empty))
    assert client.get("/halmstad/resultat/2025/").status_code == 200
    # Margins whose categories have no respondents cannot be raked: the page falls back to unweighted figures.
    do_import_population(open_survey.organisation, write_csv("p.csv", ["variable", "category", "count"],
                                                             [["gender", "kvinna", "500"], ["gender", "man", "500"]]))
    do_import_responses(open_survey, write_csv("a.csv", ["gender", "safe_area"], [["kvinna", "ganska_trygg"]] * 40))
    do_publish_results(do_close_survey(open_survey))
    page = client.get("/halmstad/resultat/2026/")
    assert page.status_code == 200
    assert "Viktad andel" not in page.content.decode()
