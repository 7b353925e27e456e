"""Trimming raked weights (`trim_weights`, `rake_weights(bounds=...)`) against live R's `trimWeights()`, and its errors.

A seeded survey of 400 respondents (4 areas, 2 genders, 3 age groups; an indicator with missing answers) is raked in
R and in trygg, trimmed at both ends, and every weight (within 1e-9 relative) and every share, SE and interval bound,
overall and per area and gender (within 1e-6), is compared: with equal base weights (strict and single pass) and
with unequal base weights (where trimming breaks the raking cells, so the variance runs row by row).
"""

from __future__ import annotations

import csv
import math
from pathlib import Path
from typing import Literal

import numpy as np
import pytest
from numpy.typing import NDArray

from r_helpers import read_rows, run_r
from trygg.stats import (
    Design,
    RakeResult,
    ShareEstimate,
    mean_by_domain,
    rake_weights,
    share_by_domain,
    trim_weights,
    unweighted_design,
)
from trygg.stats.calibration import Calibration

AREAS = ["a", "b", "c", "d"]
GENDERS = ["kvinna", "man"]
AGES = ["16-34", "35-64", "65+"]
MARGINS = ("area", "gender", "age_group")
POP = {"area": [3000.0, 2500.0, 2500.0, 2000.0], "gender": [5100.0, 4900.0], "age_group": [3500.0, 3500.0, 3000.0]}
LOWER, UPPER = 9.0, 45.0
N = 400


def make_survey(seed: int = 5) -> dict[str, NDArray]:
    """Area a, women and the old answer far more than their population share: raked weights 5.6 to 207."""
    rng = np.random.default_rng(seed)
    area = rng.choice(4, N, p=[0.5, 0.25, 0.15, 0.1])
    gender = rng.choice(2, N, p=[0.65, 0.35])
    age = rng.choice(3, N, p=[0.15, 0.35, 0.5])
    safe = (rng.random(N) < 0.45 + 0.15 * gender - 0.1 * (age == 2)).astype(float)
    safe[rng.random(N) < 0.12] = np.nan
    base = rng.uniform(0.5, 2.0, N)
    return {"area": area, "gender": gender, "age_group": age, "safe": safe, "base": base}


def designs(data: dict[str, NDArray]) -> dict[str, Design]:
    codes = [data[m] for m in MARGINS]
    pops = [np.array(POP[m]) for m in MARGINS]
    raked = rake_weights(codes, pops)
    return {
        "strict": rake_weights(codes, pops, bounds=(LOWER, UPPER)).design,
        "once": trim_weights(raked, LOWER, UPPER, strict=False).design,
        "base": rake_weights(codes, pops, base=Design(weights=data["base"]), bounds=(LOWER, UPPER)).design,
    }


R_TRIM = """
chr <- c(area = "character", gender = "character", age_group = "character")
d <- read.csv("survey.csv", colClasses = chr)
pops <- lapply(c("area", "gender", "age_group"), function(v) read.csv(paste0("pop_", v, ".csv"), colClasses = chr[v]))
ctl <- list(maxit = 100, epsilon = 1e-10)
r <- rake(svydesign(ids = ~1, data = d), list(~area, ~gender, ~age_group), pops, control = ctl)
rb <- rake(svydesign(ids = ~1, weights = ~base, data = d), list(~area, ~gender, ~age_group), pops, control = ctl)
designs <- list(
  strict = trimWeights(r, lower = LOWER, upper = UPPER, strict = TRUE),
  once = trimWeights(r, lower = LOWER, upper = UPPER),
  base = trimWeights(rb, lower = LOWER, upper = UPPER, strict = TRUE)
)
write.csv(data.frame(raked = weights(r), raked_base = weights(rb), strict = weights(designs$strict),
                     once = weights(designs$once), base = weights(designs$base)), "weights.csv", row.names = FALSE)
res <- list()
keep <- function(...) res[[length(res) + 1]] <<- data.frame(...)
for (dn in names(designs)) for (method in c("logit", "beta")) {
  s <- subset(designs[[dn]], !is.na(safe))
  ci <- suppressWarnings(svyciprop(~safe, s, method = method, na.rm = TRUE))
  keep(design = dn, breakdown = "overall", domain = "all", method = method,
       share = as.numeric(coef(ci)), se = as.numeric(SE(ci)), ci_l = attr(ci, "ci")[1], ci_u = attr(ci, "ci")[2])
  for (by in c("area", "gender")) {
    b <- suppressWarnings(svyby(~safe, as.formula(paste0("~", by)), s, svyciprop,
                                vartype = c("se", "ci"), method = method, na.rm = TRUE))
    keep(design = dn, breakdown = by, domain = rownames(b), method = method,
         share = b[[2]], se = b[[3]], ci_l = b[[4]], ci_u = b[[5]])
  }
}
write.csv(do.call(rbind, res), "shares.csv", row.names = FALSE)
m <- svyby(~base, ~area, designs$strict, svymean)
write.csv(data.frame(area = rownames(m), mean = coef(m), se = SE(m)), "means.csv", row.names = FALSE)
"""


def write_inputs(data: dict[str, NDArray], workdir: Path) -> None:
    labels = {"area": AREAS, "gender": GENDERS, "age_group": AGES}
    with open(workdir / "survey.csv", "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow([*MARGINS, "safe", "base"])
        for i in range(N):
            safe = "NA" if np.isnan(data["safe"][i]) else str(int(data["safe"][i]))
            out.writerow([*(labels[m][data[m][i]] for m in MARGINS), safe, repr(float(data["base"][i]))])
    for var in MARGINS:
        with open(workdir / f"pop_{var}.csv", "w", newline="", encoding="utf-8") as f:
            out = csv.writer(f)
            out.writerow([var, "Freq"])
            out.writerows(zip(labels[var], POP[var], strict=True))


@pytest.fixture(scope="module")
def r_trim(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, NDArray], Path]:
    workdir = tmp_path_factory.mktemp("r_trim")
    data = make_survey()
    write_inputs(data, workdir)
    run_r(R_TRIM.replace("LOWER", repr(LOWER)).replace("UPPER", repr(UPPER)), workdir)
    return data, workdir


@pytest.mark.r
def test_trimmed_weights_equal_r_trimweights(r_trim: tuple[dict[str, NDArray], Path]) -> None:
    data, workdir = r_trim
    rows = read_rows(workdir / "weights.csv")
    ours = designs(data)
    for column in ("raked", "raked_base"):
        raked = np.array([float(r[column]) for r in rows])
        # weights to trim at both ends, and none on a bound, where last-digit differences could pick another side
        assert (raked < LOWER).sum() > 20 and (raked > UPPER).sum() > 20, column
        assert np.abs(raked / LOWER - 1).min() > 1e-6 and np.abs(raked / UPPER - 1).min() > 1e-6, column
    for name, design in ours.items():
        theirs = np.array([float(r[name]) for r in rows])
        np.testing.assert_allclose(design.weights, theirs, rtol=1e-9, atol=0, err_msg=name)
        assert design.weights.sum() == pytest.approx(10_000.0, rel=1e-12)
    for name in ("strict", "base"):
        w = ours[name].weights
        assert LOWER <= w.min() and w.max() <= UPPER and (w == UPPER).sum() > 20, name
    assert ours["once"].weights.max() > UPPER  # one pass pushes some weights over the bound again


def trygg_shares(design: Design, data: dict[str, NDArray], method: Literal["logit", "beta"]) -> dict:
    out: dict[tuple[str, str], ShareEstimate] = {
        ("overall", "all"): share_by_domain(design, data["safe"], method=method)[0]
    }
    for by, labels in (("area", AREAS), ("gender", GENDERS)):
        estimates = share_by_domain(design, data["safe"], data[by], len(labels), method=method)
        out.update({(by, label): est for label, est in zip(labels, estimates, strict=True)})
    return out


@pytest.mark.r
def test_shares_of_a_trimmed_raked_design_equal_r(r_trim: tuple[dict[str, NDArray], Path]) -> None:
    data, workdir = r_trim
    ours = designs(data)
    cache: dict[tuple[str, str], dict] = {}
    compared = 0
    for row in read_rows(workdir / "shares.csv"):
        method: Literal["logit", "beta"] = "logit" if row["method"] == "logit" else "beta"
        key = (row["design"], method)
        if key not in cache:
            cache[key] = trygg_shares(ours[row["design"]], data, method)
        est = cache[key][row["breakdown"], row["domain"]]
        where = f"{key} {row['breakdown']}={row['domain']}"
        for field, theirs in (("share", "share"), ("se", "se"), ("ci_low", "ci_l"), ("ci_high", "ci_u")):
            assert getattr(est, field) == pytest.approx(float(row[theirs]), abs=1e-6), f"{where} {field}"
        compared += 1
    assert compared == 3 * 2 * (1 + len(AREAS) + len(GENDERS))
    for row in read_rows(workdir / "means.csv"):
        est = mean_by_domain(ours["strict"], data["base"], data["area"], 4)[AREAS.index(row["area"])]
        assert est.mean == pytest.approx(float(row["mean"]), abs=1e-9)
        assert est.se == pytest.approx(float(row["se"]), abs=1e-9)


@pytest.mark.r
def test_trimming_changes_the_variance_only_through_the_weights(r_trim: tuple[dict[str, NDArray], Path]) -> None:
    """R keeps the raking in postStrata: the SE differs from both the untrimmed raked and the unraked design."""
    data, workdir = r_trim
    codes = [data[m] for m in MARGINS]
    pops = [np.array(POP[m]) for m in MARGINS]
    raked = rake_weights(codes, pops).design
    trimmed = designs(data)["strict"]
    plain = Design(weights=trimmed.weights)
    se = {name: share_by_domain(d, data["safe"])[0].se for name, d in (("r", raked), ("t", trimmed), ("p", plain))}
    assert len({round(v, 9) for v in se.values()}) == 3
    r_se = next(
        float(r["se"])
        for r in read_rows(workdir / "shares.csv")
        if (r["design"], r["breakdown"], r["method"]) == ("strict", "overall", "logit")
    )
    assert se["t"] == pytest.approx(r_se, abs=1e-9)


def raked(seed: int = 5) -> tuple[RakeResult, dict[str, NDArray]]:
    data = make_survey(seed)
    return rake_weights([data[m] for m in MARGINS], [np.array(POP[m]) for m in MARGINS]), data


def test_rake_bounds_equal_trim_weights_of_the_raked_design() -> None:
    result, data = raked()
    bounded = rake_weights([data[m] for m in MARGINS], [np.array(POP[m]) for m in MARGINS], bounds=(LOWER, UPPER))
    trimmed = trim_weights(result, LOWER, UPPER)
    # the same passes, on the raking cells or on the distinct weights: equal up to the order of summation
    np.testing.assert_allclose(bounded.design.weights, trimmed.design.weights, rtol=1e-13)
    assert bounded.n_trimmed == trimmed.n_trimmed > 0 and bounded.trim_passes == trimmed.passes > 1
    assert bounded.weight_min == pytest.approx(trimmed.weight_min, rel=1e-13) and bounded.weight_min >= LOWER
    assert bounded.weight_max == trimmed.weight_max == UPPER
    assert bounded.design_effect == pytest.approx(trimmed.design_effect, rel=1e-12)
    assert bounded.design_effect < result.design_effect
    assert bounded.n_eff == pytest.approx(N / bounded.design_effect)
    assert bounded.iterations == result.iterations and bounded.converged
    # the raking's step weights stay as they were: R keeps postStrata
    for a, b in zip(bounded.design.margin_weights, result.design.margin_weights, strict=True):
        assert np.array_equal(a, b)
    # rows cut in some pass: at least those on a bound now
    w = bounded.design.weights
    assert bounded.n_trimmed >= int(((w == LOWER) | (w == UPPER)).sum())
    assert result.n_trimmed == 0 and result.trim_passes == 0


def test_trimmed_design_hands_over_the_calibration_it_would_build() -> None:
    result, data = raked()
    for design in (
        rake_weights([data[m] for m in MARGINS], [np.array(POP[m]) for m in MARGINS], bounds=(LOWER, UPPER)).design,
        trim_weights(result, LOWER, UPPER).design,
    ):
        handed = design.calibration
        built = Calibration.build(design.weights, design.margins, design.margin_weights)
        assert handed.n_cells == built.n_cells < design.n
        assert np.array_equal(handed.row_cell, built.row_cell)
        for a, b in zip(handed.cell_ratio, built.cell_ratio, strict=True):
            np.testing.assert_allclose(a, b, rtol=1e-12)
        np.testing.assert_allclose(handed.sweep, built.sweep, rtol=1e-12)


def test_trimming_within_bounds_changes_nothing() -> None:
    result, _ = raked()
    same = trim_weights(result, result.weight_min / 2, result.weight_max * 2)
    assert same.design is result.design and same.n_trimmed == 0 and same.passes == 0
    assert same.design_effect == pytest.approx(result.design_effect)
    upper_only = trim_weights(result.design, 1e-9, math.inf)
    assert upper_only.passes == 0


def test_single_pass_keeps_the_total_and_counts_the_cut_rows() -> None:
    w = np.array([1.0, 2.0, 3.0, 4.0, 10.0, 10.0])
    once = trim_weights(Design(weights=w), 2.0, 6.0, strict=False)
    # 1 -> 2 (-1), 10 -> 6 twice (+8): +7 over the three inside (2 is on the bound, so inside, as in R)
    np.testing.assert_allclose(once.design.weights, [2.0, 2.0 + 7 / 3, 3.0 + 7 / 3, 4.0 + 7 / 3, 6.0, 6.0])
    assert once.n_trimmed == 3 and once.passes == 1
    strict = trim_weights(Design(weights=np.array([1.0, 3.0, 5.5, 10.0, 10.0])), 2.0, 6.0)
    assert strict.design.weights.sum() == pytest.approx(29.5)
    assert strict.passes > 1 and strict.weight_max <= 6.0 and strict.weight_min >= 2.0


@pytest.mark.parametrize(
    ("lower", "upper", "message"),
    [
        (5.0, 5.0, "must be below the upper bound"),
        (6.0, 2.0, "must be below the upper bound"),
        (0.0, 10.0, "must be positive"),
        (-1.0, 10.0, "must be positive"),
        (float("nan"), 10.0, "must be numbers"),
        (1.0, float("nan"), "must be numbers"),
        (-math.inf, 10.0, "must be numbers"),
    ],
)
def test_bad_bounds_are_refused(lower: float, upper: float, message: str) -> None:
    result, data = raked()
    with pytest.raises(ValueError, match=message):
        trim_weights(result, lower, upper)
    with pytest.raises(ValueError, match=message):
        rake_weights([data[m] for m in MARGINS], [np.array(POP[m]) for m in MARGINS], bounds=(lower, upper))


def test_bounds_that_cannot_hold_the_total_are_refused() -> None:
    result, data = raked()  # 400 respondents for 10,000 persons: 25 each on average
    for lower, upper in ((30.0, 100.0), (1.0, 20.0)):
        with pytest.raises(ValueError, match="cannot hold the total weight.*25 each on average"):
            trim_weights(result, lower, upper)
        with pytest.raises(ValueError, match="cannot hold the total weight"):
            rake_weights([data[m] for m in MARGINS], [np.array(POP[m]) for m in MARGINS], bounds=(lower, upper))
    with pytest.raises(ValueError, match="two numbers"):
        rake_weights([data["area"]], [np.array(POP["area"])], bounds=(1.0,))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="Every weight lies outside"):
        trim_weights(Design(weights=np.array([1.0, 1.0, 9.0, 9.0])), 2.0, 8.0)
    with pytest.raises(ValueError, match="strict=True"):
        # ten weights raised from 0.01 to 1 take 9.9 from the two inside: 1.0 - 4.95 < 0
        trim_weights(Design(weights=np.array([0.01] * 10 + [1.0, 50.0])), 1.0, 100.0, strict=False)
    assert trim_weights(Design(weights=np.array([0.01] * 10 + [1.0, 50.0])), 1.0, 100.0).weight_min == 1.0


def test_trimming_an_empty_or_unweighted_design() -> None:
    empty = trim_weights(unweighted_design(0), 0.5, 2.0)
    assert empty.n_trimmed == 0 and math.isnan(empty.weight_min)
    flat = trim_weights(unweighted_design(10), 0.5, 2.0)
    assert flat.passes == 0 and flat.design_effect == pytest.approx(1.0)
