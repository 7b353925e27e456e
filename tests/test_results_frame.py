"""A closed survey's answers stored as columns (`SurveyFrame`): equal to a fresh read of the answers, rebuilt when
what they come from changes (a review, an alias), and every figure equal with and without them."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

pytestmark = pytest.mark.django_db

KEPT = ("area", "gender", "age_group", "unsafe_time")


def _add_answers(survey: Any, count: int) -> None:
    """`count` of the demo's synthetic answers (areas, pins, free text), plus two without pins naming 'Kvarnkröken'."""
    from trygg.demo.generate import generate_answers
    from trygg.demo.load import DATA, _geometries
    from trygg.surveys.models import Response
    from trygg.text import slugify

    areas = _geometries(DATA / "halmstad_areas.geojson", lambda p: str(p["code"]))
    places = _geometries(DATA / "halmstad_places.geojson", lambda p: slugify(str(p["name"])))
    rows = random.Random(3).sample(generate_answers(areas, places), count)
    rows += [{**{k: v for k, v in rows[i].items() if k != "unsafe_places_pins"}, "unsafe_places_text": text}
             for i, text in enumerate(("Kvarnkröken på kvällen", "vid Kvarnkröken"))]
    Response.objects.bulk_create([Response(survey=survey, answers={k: v for k, v in row.items()
                                                                   if k != "submitted_at"},
                                           submitted_at=row["submitted_at"]) for row in rows])


@pytest.fixture
def closed(halmstad: Any, django_capture_on_commit_callbacks: Callable[..., Any]) -> Any:
    """Halmstad's 2026 survey with 600 answers and population margins, closed (its frame stored) and published."""
    from trygg.areas.actions import do_import_population
    from trygg.demo.load import DATA
    from trygg.surveys.actions import do_close_survey, do_create_survey, do_open_survey, do_publish_results

    do_import_population(halmstad, DATA / "halmstad_population.csv")
    survey = do_open_survey(do_create_survey(halmstad, 2026))
    _add_answers(survey, 600)
    with django_capture_on_commit_callbacks(execute=True):
        do_close_survey(survey)
    return do_publish_results(survey)


def _columns_equal(a: Any, b: Any) -> None:
    assert a.n == b.n
    assert a.slugs == b.slugs
    assert a.pins == b.pins
    assert list(a.answers) == list(b.answers)
    for q in a.answers:
        assert a.answers[q].values == b.answers[q].values, q
        assert np.array_equal(a.answers[q].codes, b.answers[q].codes), q
    for field in ("named_start", "named_slug", "pin_lat", "pin_lon", "pin_owner"):
        assert np.array_equal(getattr(a, field), getattr(b, field)), field


def _stored(survey: Any) -> Any:
    from trygg.surveys.columns import decode_columns
    from trygg.surveys.models import SurveyFrame

    return decode_columns(bytes(SurveyFrame.objects.get(survey=survey).data))


def _fresh(survey: Any) -> Any:
    from trygg.areas.gazetteer import organisation_gazetteer
    from trygg.surveys.snapshot import read_columns

    return read_columns(survey, organisation_gazetteer(survey.organisation))


def test_closing_stores_the_frame_and_it_equals_a_fresh_read_of_the_answers(closed: Any) -> None:
    from trygg.areas.gazetteer import organisation_gazetteer
    from trygg.surveys.models import SurveyFrame
    from trygg.surveys.snapshot import frame_key

    frame = SurveyFrame.objects.get(survey=closed)
    assert frame.key == frame_key(closed, organisation_gazetteer(closed.organisation))
    _columns_equal(_stored(closed), _fresh(closed))


def test_the_columns_hold_each_answer_as_it_is(closed: Any) -> None:
    """The arrays, kept answers and pins a reader gets back from the stored frame, checked answer by answer."""
    from trygg.surveys.frames import categories_of
    from trygg.surveys.mentions import code_survey
    from trygg.surveys.snapshot import survey_snapshot

    snapshot = survey_snapshot(closed)
    coded = code_survey(closed)
    rows = list(closed.responses.order_by("id").values_list("answers", "coded"))
    categories = categories_of(closed, closed.bank)
    assert snapshot.frame.n == len(rows) == 602
    for i, (answers, codes) in enumerate(rows):
        for var, cats in categories.items():
            value = answers.get(var)
            assert snapshot.frame.codes[var][i] == (cats.index(value) if value in cats else -1)
        for ind in closed.bank.indicators:
            value = answers.get(ind.question)
            expected = np.nan if value is None else float(value in ind.numerator)
            assert np.array_equal(snapshot.frame.indicators[ind.id][i], expected, equal_nan=True)
        kept = {k: answers[k] for k in KEPT if k in answers}
        if answers.get("unsafe_places_pins"):
            kept["unsafe_places_pins"] = [[float(a), float(b)] for a, b in answers["unsafe_places_pins"]]
        assert coded.answers[i] == kept
        assert set(codes or ()) <= coded.named[i]  # the pins' named places are added to the coded ones
    assert sum(coded.pins.values()) <= len(coded.pin_points) == sum(len(a.get("unsafe_places_pins") or ())
                                                                     for a, _ in rows)


def _figures(survey: Any) -> Any:
    from trygg.reports.results import gender_comparisons, survey_results
    from trygg.surveys.memo import forget
    from trygg.surveys.mentions import public_mentions, survey_mentions

    forget()
    return (survey_results(survey, ["area", "gender", "age_group,gender"]),
            survey_results(survey, ["area", "gender"], weighted=True),
            gender_comparisons(survey), gender_comparisons(survey, weighted=True),
            {k: v for k, v in public_mentions(survey, 5).items() if k != "hotspots"},
            [(h.lat, h.lon, h.count) for h in public_mentions(survey, 5)["hotspots"]],
            survey_mentions(survey))


def test_every_figure_is_equal_with_the_stored_frame_and_without_it(closed: Any) -> None:
    from trygg.surveys.models import SurveyFrame

    with_frame = _figures(closed)
    SurveyFrame.objects.filter(survey=closed).delete()
    without = _figures(closed)  # read from the answers, and the frame stored again
    assert SurveyFrame.objects.filter(survey=closed).exists()
    assert with_frame == without
    assert with_frame[4]["places"] and with_frame[3]


def _named(survey: Any, slug: str) -> int:
    from trygg.surveys.memo import forget
    from trygg.surveys.mentions import survey_mentions

    forget()
    return next((m["respondents"] for m in survey_mentions(survey)["mentions"] if m["slug"] == slug), 0)


def test_a_review_makes_the_stored_frame_stale_and_it_is_rebuilt(closed: Any, analyst_halmstad: Any) -> None:
    from trygg.surveys.models import SurveyFrame
    from trygg.surveys.review import do_review_mentions

    response = closed.responses.get(answers__unsafe_places_text="Kvarnkröken på kvällen")
    before = _named(closed, "resecentrum")
    key = SurveyFrame.objects.get(survey=closed).key
    do_review_mentions(response, ["resecentrum"], analyst_halmstad)
    assert _named(closed, "resecentrum") == before + 1
    assert SurveyFrame.objects.get(survey=closed).key != key
    _columns_equal(_stored(closed), _fresh(closed))


def test_an_alias_makes_the_stored_frame_stale_and_it_is_rebuilt(closed: Any) -> None:
    from trygg.areas.models import Place
    from trygg.surveys.review import do_add_alias

    before = _named(closed, "stora-torg")
    do_add_alias(Place.objects.get(organisation=closed.organisation, slug="stora-torg"), "Kvarnkröken")
    assert _named(closed, "stora-torg") == before + 2
    _columns_equal(_stored(closed), _fresh(closed))


def test_a_frame_under_another_key_is_never_read(closed: Any) -> None:
    from trygg.surveys.columns import encode_columns
    from trygg.surveys.models import SurveyFrame

    wrong = _fresh(closed)
    wrong.pins["stora-torg"] = 10**6
    SurveyFrame.objects.filter(survey=closed).update(key="an older version of the data", data=encode_columns(wrong))
    assert _named(closed, "stora-torg") < 10**6
    assert _stored(closed).pins.get("stora-torg", 0) < 10**6


def test_an_open_survey_is_read_from_its_answers_and_stores_no_frame(open_survey: Any) -> None:
    from trygg.surveys.models import SurveyFrame
    from trygg.surveys.snapshot import survey_snapshot

    _add_answers(open_survey, 20)
    assert survey_snapshot(open_survey).frame.n == 22
    assert not SurveyFrame.objects.exists()


def test_the_page_reads_the_survey_version_once(closed: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from trygg.reports.presentation import results_page_context
    from trygg.surveys import memo

    reads: list[int] = []
    real = memo.survey_version
    monkeypatch.setattr(memo, "survey_version", lambda survey: reads.append(survey.pk) or real(survey))
    memo.forget()
    results_page_context(closed, "sv")
    assert reads == [closed.pk]
    memo.forget()
    memo.survey_version(closed)  # outside a page: read on every call, as before
    results_page_context(closed, "sv")
    assert len(reads) == 3


def test_the_privacy_treatment_makes_the_stored_frame_stale(closed: Any) -> None:
    """The one writer that rewrites answers in place (pins to squares) keeps their count and ids: its event is in the
    key, so the pins are read again."""
    from datetime import timedelta

    from django.utils import timezone

    from trygg.surveys.memo import forget
    from trygg.surveys.mentions import code_survey
    from trygg.surveys.privacy import PrivacyRule, do_apply_privacy

    before = code_survey(closed).pin_points
    assert before
    do_apply_privacy(PrivacyRule(days=0, mode="redact", metres=500.0), now=timezone.now() + timedelta(days=1))
    forget()
    after = code_survey(closed).pin_points
    assert len(after) == len(before) and after != before
    _columns_equal(_stored(closed), _fresh(closed))
