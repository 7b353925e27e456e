"""The results page compares women and men on the weighted figures it shows, equal to R's svyglm on the raked design.

The survey, its margins and the R code are those of tests/test_results_weighted.py (the same Borås data set up
through the command line); here the check is that the page's context (what a resident reads) carries the weighted
difference and interval R computes, and calls the difference certain only when the test says so.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import translation
from tests.r_helpers import read_rows, run_r
from tests.test_results_weighted import R_CONTRAST, weighted_survey  # noqa: F401 - the fixture, used by name

from trygg import formatting as fmt

pytestmark = [pytest.mark.r, pytest.mark.django_db]
Z95 = 1.959963984540054


def test_page_compares_women_and_men_on_the_weighted_design_as_r_does(weighted_survey: Path) -> None:  # noqa: F811
    from trygg.reports.presentation import results_page_context
    from trygg.reports.results import gender_comparisons
    from trygg.surveys.actions import find_survey

    survey = find_survey("boras-2025")
    with translation.override("sv"):
        context = results_page_context(survey, "sv")
    assert context["has_weighted"] is True
    run_r(R_CONTRAST, weighted_survey)
    [row] = read_rows(weighted_survey / "contrast.csv")
    difference, se = float(row["difference"]), float(row["se"])
    [shown] = [d for d in context["differences"] if d["label"] == "Trygga i sitt bostadsområde"]
    with translation.override("sv"):
        assert shown["interval"] == fmt.points_range(difference - Z95 * se, difference + Z95 * se)
        expected_points = ("+" if round(100 * difference) > 0 else "") + fmt.integer(round(100 * difference))
    assert shown["difference"].split()[0] == (expected_points if round(100 * difference) else "0")
    # The unweighted comparison differs here (women answer more often), so the page shows the weighted one.
    [weighted] = [c for c in gender_comparisons(survey, weighted=True) if c["indicator"] == "safe_in_area"]
    [unweighted] = [c for c in gender_comparisons(survey) if c["indicator"] == "safe_in_area"]
    assert weighted["difference"] == pytest.approx(difference, abs=1e-6)
    assert unweighted["difference"] != pytest.approx(difference, abs=1e-6)
    with translation.override("sv"):
        assert shown["p_value"] == fmt.p_value(weighted["p_value"])
    assert shown["certain"] == weighted["certain"] == (weighted["p_value"] < 0.05)
