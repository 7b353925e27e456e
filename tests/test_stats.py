"""Unit tests of trygg.stats: closed forms, the fast variance against the literal R algorithm, errors, edge cases."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.typing import NDArray
from scipy import stats as sps

from trygg.stats import (
    Design,
    RakingError,
    compare_domains,
    compare_surveys,
    cross_codes,
    is_statistically_certain,
    mean_by_domain,
    rake_weights,
    share_by_domain,
    shares_table,
    unweighted_design,
)
from trygg.stats.calibration import Calibration
from trygg.stats.estimates import domain_means
from trygg.stats.intervals import korn_graubard_interval, logit_interval
from trygg.stats.variance import influence_covariance


def survey(seed: int, n: int = 600, municipalities: int = 1) -> tuple[Design, dict[str, NDArray[np.intp]], NDArray]:
    """A raked survey: per municipality 4 areas, 2 genders, 3 age groups; y with missing answers."""
    rng = np.random.default_rng(seed)
    muni = rng.integers(0, municipalities, n)
    area = rng.choice(4, n, p=[0.4, 0.3, 0.2, 0.1])
    gender = rng.integers(0, 2, n)
    age = rng.choice(3, n, p=[0.2, 0.3, 0.5])
    y = (rng.random(n) < 0.2 + 0.1 * gender + 0.05 * age).astype(float)
    y[rng.random(n) < 0.1] = np.nan
    pops = [np.tile(np.array(share) * 10_000, municipalities) for share in ([0.25] * 4, [0.5, 0.5], [0.3, 0.4, 0.3])]
    codes = [muni * 4 + area, muni * 2 + gender, muni * 3 + age]
    design = rake_weights(codes, pops).design
    return design, {"muni": muni, "area": area, "gender": gender, "age": age}, y


def dense_variances(design: Design, y: NDArray, domain: NDArray[np.intp], n_domains: int) -> NDArray:
    est = domain_means(design, y, domain, n_domains)
    x = np.zeros((design.n, n_domains))
    rows = np.flatnonzero(est.column >= 0)
    x[rows, est.column[rows]] = est.influence[rows]
    return np.diag(influence_covariance(design, x))


def test_unweighted_share_is_the_textbook_domain_formula() -> None:
    y = np.array([1, 0, 0, 1, 1, np.nan, 0, 1, 1, 1] * 5, dtype=float)
    est = share_by_domain(unweighted_design(y.size), y)[0]
    n, rows = 45, 50
    p = 30 / 45
    assert est.n == n and est.n_eff == n and est.df == n - 1
    assert est.share == pytest.approx(p)
    # the non-answers stay in the sample as a domain outside: R's subset() keeps the design's n for the variance
    assert est.se == pytest.approx(np.sqrt(rows / (rows - 1) * p * (1 - p) / n))
    t = sps.t.ppf(0.975, n - 1)
    half = t * est.se / (p * (1 - p))
    logit = np.log(p / (1 - p))
    assert est.ci_low == pytest.approx(1 / (1 + np.exp(-(logit - half))))
    assert est.ci_high == pytest.approx(1 / (1 + np.exp(-(logit + half))))
    assert est.method == "logit"


@pytest.mark.parametrize("municipalities", [1, 3])
def test_fast_domain_variance_equals_the_literal_r_sweep(municipalities: int) -> None:
    design, codes, y = survey(7, n=900, municipalities=municipalities)
    for domain, k in ((None, 1), (codes["area"], 4), (codes["muni"] * 2 + codes["gender"], municipalities * 2)):
        est = domain_means(design, y, domain, k)
        dense = dense_variances(design, y, est.column if domain is None else domain, k)
        np.testing.assert_allclose(est.variance, dense, rtol=1e-10)


def test_raking_reaches_the_margins_and_reports_diagnostics() -> None:
    design, codes, _ = survey(3)
    w = design.weights
    np.testing.assert_allclose(np.bincount(codes["area"], weights=w), [2500.0] * 4)
    np.testing.assert_allclose(np.bincount(codes["gender"], weights=w), [5000.0] * 2)
    result = rake_weights([codes["area"], codes["gender"]], [np.full(4, 2500.0), np.full(2, 5000.0)])
    assert result.converged and result.iterations >= 1
    assert result.design_effect == pytest.approx(
        design.n * 0 + result.design.n * (result.design.weights**2).sum() / result.design.weights.sum() ** 2
    )
    assert result.n_eff == pytest.approx(result.design.n / result.design_effect)
    assert result.weight_min <= result.weight_max


def test_raking_does_not_change_its_inputs() -> None:
    area = np.array([0, 1, 1, 0, 1])
    pop = np.array([10.0, 20.0])
    rake_weights([area], [pop])
    assert area.tolist() == [0, 1, 1, 0, 1] and pop.tolist() == [10.0, 20.0]


@pytest.mark.parametrize(
    ("codes", "pops", "message"),
    [
        ([np.array([0, 0, 1])], [np.array([5.0, 5.0, 5.0])], "no respondents"),
        ([np.array([0, 1, 2])], [np.array([5.0, 5.0, 0.0])], "no population count"),
        ([np.array([0, 1]), np.array([0, 1])], [np.array([5.0, 5.0]), np.array([5.0, 6.0])], "disagree"),
        ([np.array([0, 1])], [np.array([5.0])], "population counts"),
        ([np.array([0, -1])], [np.array([5.0, 5.0])], "negative"),
        ([np.array([], dtype=np.intp)], [np.array([5.0, 5.0])], "There are no respondents to weight"),
    ],
)
def test_raking_errors_say_what_is_wrong(codes: list[NDArray[np.intp]], pops: list[NDArray], message: str) -> None:
    with pytest.raises(RakingError, match=message):
        rake_weights(codes, pops)


def test_margins_may_disagree_only_across_separate_municipalities() -> None:
    muni = np.array([0, 0, 0, 1, 1, 1])
    gender = np.array([0, 1, 0, 0, 1, 1])
    age = np.array([0, 0, 1, 1, 0, 1])
    ok = rake_weights([muni * 2 + gender, muni * 2 + age], [np.array([5, 5, 50, 50.0]), np.array([4, 6, 70, 30.0])])
    assert ok.converged
    with pytest.raises(RakingError, match="disagree"):
        rake_weights([muni * 2 + gender, muni * 2 + age], [np.array([5, 5, 50, 50.0]), np.array([4, 7, 70, 29.0])])


def test_share_zero_and_small_domains_get_korn_graubard_never_zero_width() -> None:
    design, codes, y = survey(11)
    y = y.copy()
    y[codes["area"] == 3] = np.where(np.isnan(y[codes["area"] == 3]), np.nan, 0.0)
    small = np.where(codes["area"] == 2, np.arange(design.n) % 25, -1)
    small = np.where(small == 0, 0, -1)  # a domain of a handful of rows
    zero = share_by_domain(design, y, codes["area"], 4)[3]
    assert zero.share == 0.0 and zero.method == "beta"
    assert zero.ci_low == 0.0 and 0.0 < zero.ci_high < 0.2
    tiny = share_by_domain(design, y, small, 1)[0]
    assert tiny.n < 30 and tiny.method == "beta" and tiny.ci_low < tiny.share < tiny.ci_high


def test_empty_domain_is_nan_not_an_error() -> None:
    design, codes, y = survey(2)
    est = share_by_domain(design, y, codes["area"], 5)[4]
    assert est.n == 0 and est.method == "none" and np.isnan(est.share) and np.isnan(est.ci_low)


def test_single_respondent_domain_still_has_an_interval() -> None:
    est = share_by_domain(unweighted_design(1), np.array([1.0]))[0]
    assert est.share == 1.0 and est.method == "beta" and est.ci_high == 1.0 and 0.0 < est.ci_low < 1.0


def test_korn_graubard_is_clopper_pearson_at_the_effective_n() -> None:
    low, high = korn_graubard_interval(np.array([0.3, 0.0, 1.0]), np.array([50.0, 40.0, 40.0]))
    cp_low, cp_high = sps.beta.ppf(0.025, 15, 36), sps.beta.ppf(0.975, 16, 35)
    np.testing.assert_allclose([low[0], high[0]], [cp_low, cp_high])
    assert low[1] == 0.0 and high[1] == pytest.approx(1 - 0.025 ** (1 / 40))
    assert high[2] == 1.0 and low[2] == pytest.approx(0.025 ** (1 / 40))


def test_logit_interval_is_undefined_at_the_edges() -> None:
    low, high = logit_interval(np.array([0.0, 1.0, 0.5]), np.array([0.0, 0.0, 0.05]), np.array([10.0, 10.0, 0.0]))
    assert np.isnan(low).all() and np.isnan(high).all()


def test_cross_codes_combine_and_propagate_missing() -> None:
    codes, n = cross_codes((np.array([0, 1, -1, 1]), 2), (np.array([2, 0, 1, -1]), 3))
    assert n == 6 and codes.tolist() == [2, 3, -1, -1]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: share_by_domain(unweighted_design(3), np.array([0.0, 2.0, 1.0])), "0, 1 or NaN"),
        (lambda: share_by_domain(unweighted_design(3), np.array([0.0, 1.0])), "one value per row"),
        (lambda: share_by_domain(unweighted_design(2), np.ones(2), np.array([0, 2]), 2), "domain codes"),
        (lambda: share_by_domain(unweighted_design(2), np.ones(2), None, 2), "exactly one domain"),
        (lambda: Design(weights=np.array([1.0, -1.0])), "non-negative"),
        (lambda: Design(weights=np.ones(2), margins=(np.array([0]),)), "rows"),
        (lambda: share_by_domain(unweighted_design(3), np.ones(3), level=95), "level"),
    ],
)
def test_bad_input_raises_value_error_with_a_sentence(call: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()  # type: ignore[operator]


def test_weighted_mean_and_its_se_without_raking() -> None:
    w = np.array([1.0, 2.0, 3.0, 4.0])
    y = np.array([10.0, 20.0, np.nan, 40.0])
    est = mean_by_domain(Design(weights=w), y)[0]
    mean = (10 + 40 + 160) / 7
    x = np.array([1 * (10 - mean), 2 * (20 - mean), 0.0, 4 * (40 - mean)]) / 7
    assert est.mean == pytest.approx(mean)
    assert est.se == pytest.approx(np.sqrt(4 / 3 * ((x - x.mean()) ** 2).sum()))
    assert est.n == 3 and est.n_eff == pytest.approx(49 / 21)


def test_comparison_of_two_domains_uses_their_covariance() -> None:
    design, codes, y = survey(5, n=1500)
    comp = compare_domains(design, y, codes["gender"], 2, 1, 0)
    est = domain_means(design, y, codes["gender"], 2)
    x = np.zeros((design.n, 2))
    for d in (0, 1):
        x[est.column == d, d] = est.influence[est.column == d]
    cov = influence_covariance(design, x)
    assert comp.difference == pytest.approx(est.mean[1] - est.mean[0])
    assert comp.se == pytest.approx(np.sqrt(cov[0, 0] + cov[1, 1] - 2 * cov[0, 1]))
    assert comp.ci_low < comp.difference < comp.ci_high
    assert comp.p_value == pytest.approx(2 * sps.norm.sf(abs(comp.difference) / comp.se))
    assert is_statistically_certain(comp) == (comp.p_value < 0.05)
    with pytest.raises(ValueError, match="two different"):
        compare_domains(design, y, codes["gender"], 2, 1, 1)


def test_comparison_between_years_adds_variances() -> None:
    a = share_by_domain(unweighted_design(400), (np.arange(400) % 2).astype(float))[0]
    b = share_by_domain(unweighted_design(400), (np.arange(400) % 3 == 0).astype(float))[0]
    comp = compare_surveys(a, b)
    assert comp.difference == pytest.approx(a.share - b.share)
    assert comp.se == pytest.approx(np.hypot(a.se, b.se))
    assert is_statistically_certain(comp)
    same = compare_surveys(a, a)
    assert same.p_value == pytest.approx(1.0) and not is_statistically_certain(same)


def test_comparison_without_variance_says_nothing() -> None:
    zero = share_by_domain(unweighted_design(40), np.zeros(40))[0]
    comp = compare_surveys(zero, zero)
    assert np.isnan(comp.p_value) and not is_statistically_certain(comp)


@pytest.mark.parametrize("across_cells", [False, True])
def test_share_variances_equal_the_literal_r_sweep(across_cells: bool) -> None:
    design, codes, y = survey(13, n=1200, municipalities=2)
    rng = np.random.default_rng(0)
    # a breakdown the raking cells do not determine (say, a question on housing) takes the per-row route
    domain = rng.integers(-1, 3, design.n) if across_cells else codes["area"]
    k = 3 if across_cells else 4
    shares = share_by_domain(design, y, domain, k)
    np.testing.assert_allclose([s.se**2 for s in shares], dense_variances(design, y, domain, k), rtol=1e-10)


def test_arbitrary_margin_weights_fall_back_to_one_cell_per_row() -> None:
    design, codes, y = survey(17, n=400)
    rng = np.random.default_rng(1)
    odd = Design(
        weights=design.weights,
        margins=design.margins,
        margin_weights=tuple(w * rng.uniform(0.9, 1.1, design.n) for w in design.margin_weights),
    )
    assert odd.calibration.n_cells == odd.n
    shares = share_by_domain(odd, y, codes["area"], 4)
    np.testing.assert_allclose([s.se**2 for s in shares], dense_variances(odd, y, codes["area"], 4), rtol=1e-10)


def test_shares_table_of_many_indicators_equals_each_indicator_alone() -> None:
    design, codes, y = survey(21, n=2000, municipalities=3)
    rng = np.random.default_rng(4)
    never = np.where(rng.random(design.n) < 0.2, np.nan, 0.0)  # share 0: Korn–Graubard
    ys = np.column_stack([y, (rng.random(design.n) < 0.3).astype(float), never])
    cut = np.where(rng.random(design.n) < 0.8, rng.integers(0, 3, design.n), -1)  # across the raking cells
    by = {
        "muni": (codes["muni"], 3),
        "area": (codes["muni"] * 4 + codes["area"], 12),
        "cut": (cut, 4),
        "all": (None, 1),
    }
    pops = [np.bincount(m, weights=design.weights) for m in design.margins]
    unequal_base = rake_weights(design.margins, pops, base=Design(weights=rng.uniform(0.5, 2.0, design.n))).design
    designs = [
        design,
        unequal_base,  # weights vary within a raking cell
        Design(weights=design.weights),
        Design(weights=design.weights, cluster=np.arange(design.n) // 2),
    ]
    for d in designs:
        tables = shares_table(d, ys, by)
        for name, (domain, k) in by.items():
            table = tables[name]
            assert table.share.shape == table.method.shape == (k, 3)
            for j in range(3):
                alone, together = share_by_domain(d, ys[:, j], domain, k), table.estimates(j)
                assert [e.method for e in alone] == [e.method for e in together]
                assert [e.n for e in alone] == [e.n for e in together]
                fields = ("share", "se", "ci_low", "ci_high", "n_eff", "df")
                got = [[getattr(e, f) for f in fields] for e in together]
                np.testing.assert_allclose(got, [[getattr(e, f) for f in fields] for e in alone], rtol=1e-12)
    area = shares_table(design, ys, by)["area"]
    dense = dense_variances(design, ys[:, 1], codes["muni"] * 4 + codes["area"], 12)
    np.testing.assert_allclose(area.se[:, 1] ** 2, dense, rtol=1e-9)


def test_shares_table_of_one_indicator_has_one_dimensional_arrays() -> None:
    design, codes, y = survey(22)
    table = shares_table(design, y, {"area": (codes["area"], 4)})["area"]
    assert table.share.shape == table.n.shape == (4,)
    assert table.estimates() == share_by_domain(design, y, codes["area"], 4)
    with pytest.raises(ValueError, match="column"):
        table.estimates(0)
    with pytest.raises(ValueError, match="column"):
        shares_table(design, np.column_stack([y, y]), {"": (None, 1)})[""].estimates()
    with pytest.raises(ValueError, match="0, 1 or NaN"):
        shares_table(unweighted_design(3), np.array([[0.0, 1.0], [2.0, 0.0], [1.0, 1.0]]), {"": (None, 1)})


def test_raking_hands_over_the_calibration_the_design_would_build() -> None:
    design, _, _ = survey(23, n=900, municipalities=2)
    built = Calibration.build(design.weights, design.margins, design.margin_weights)
    handed = design.calibration
    assert np.array_equal(built.row_cell, handed.row_cell)
    assert np.array_equal(built.cell_first_row, handed.cell_first_row)
    for a, b in ((built.sweep, handed.sweep), (built.quad, handed.quad), (built.total, handed.total)):
        np.testing.assert_allclose(a, b, rtol=1e-12)
