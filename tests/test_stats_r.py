"""trygg.stats against live R (survey package): every share, SE and interval bound within 1e-6.

A seeded opt-in style survey (3 raking variables, 4 indicators with missing answers, an area where an indicator
is 0, an area with fewer than 30 respondents) goes to R as CSV and through the spec's R code; R's figures come back
and are compared with trygg's, overall and per area, gender and area x gender, unweighted and raked. Deviation on
purpose: where a share is 0 or 1 R's Korn–Graubard interval is NaN and trygg's uses Kish's n_eff (checked apart).
The spec's R code needs `na.rm = TRUE` in svyciprop: without it R's SE of a raked domain with unanswered rows is NaN.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Literal

import numpy as np
import pytest
from numpy.typing import NDArray

from r_helpers import read_rows, run_r
from trygg.stats import (
    Design,
    ShareEstimate,
    compare_domains,
    cross_codes,
    mean_by_domain,
    rake_weights,
    share_by_domain,
    unweighted_design,
)

pytestmark = pytest.mark.r

AREAS = ["a", "b", "c", "d", "e", "f"]
GENDERS = ["kvinna", "man"]
AGES = ["16-24", "25-44", "45-64", "65-79", "80+"]
POP = {
    "area": [12000.0, 9000.0, 7000.0, 5000.0, 4000.0, 1000.0],
    "gender": [19500.0, 18500.0],
    "age_group": [5000.0, 12000.0, 11000.0, 7000.0, 3000.0],
}
INDICATORS = ["safe", "worried", "rare", "police"]
BREAKDOWNS = ["area", "gender", "area+gender"]


def make_survey(seed: int = 2026, n: int = 1500) -> dict[str, NDArray]:
    """Respondents of an opt-in survey: women, the middle-aged and area a answer more than their population share."""
    rng = np.random.default_rng(seed)
    area = rng.choice(6, n, p=[0.40, 0.22, 0.17, 0.11, 0.09, 0.01])
    gender = rng.choice(2, n, p=[0.62, 0.38])
    age = rng.choice(5, n, p=[0.06, 0.30, 0.38, 0.20, 0.06])
    u = rng.random((4, n))
    logit = -0.4 + 0.5 * (gender == 1) - 0.2 * age + 0.3 * (area == 2)
    safe = (u[0] < 1 / (1 + np.exp(-logit))).astype(float)
    worried = (u[1] < 0.25 + 0.1 * (gender == 0)).astype(float)
    worried[area == 4] = 0.0  # an area where nobody is worried: share 0
    rare = (u[2] < 0.04).astype(float)
    police = (u[3] < 0.55).astype(float)
    for y, missing in ((safe, 0.08), (worried, 0.15), (rare, 0.05), (police, 0.35)):
        y[rng.random(n) < missing] = np.nan
    return {
        "area": area,
        "gender": gender,
        "age_group": age,
        "safe": safe,
        "worried": worried,
        "rare": rare,
        "police": police,
    }


def write_inputs(data: dict[str, NDArray], workdir: Path) -> None:
    labels = {"area": AREAS, "gender": GENDERS, "age_group": AGES}
    with open(workdir / "survey.csv", "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(list(labels) + INDICATORS)
        for i in range(data["area"].shape[0]):
            row = [labels[k][data[k][i]] for k in labels]
            row += ["NA" if np.isnan(data[y][i]) else str(int(data[y][i])) for y in INDICATORS]
            out.writerow(row)
    for var, counts in POP.items():
        with open(workdir / f"pop_{var}.csv", "w", newline="", encoding="utf-8") as f:
            out = csv.writer(f)
            out.writerow([var, "Freq"])
            out.writerows(zip(labels[var], counts, strict=True))


R_SHARES = """
chr <- c(area = "character", gender = "character", age_group = "character")
d <- read.csv("survey.csv", colClasses = chr)
pops <- lapply(c("area", "gender", "age_group"), function(v) read.csv(paste0("pop_", v, ".csv"), colClasses = chr[v]))
des <- svydesign(ids = ~1, data = d)
designs <- list(
  unweighted = des,
  raked = rake(des, list(~area, ~gender, ~age_group), pops, control = list(maxit = 100, epsilon = 1e-10)),
  raked_short = rake(des, list(~area, ~gender, ~age_group), pops, control = list(maxit = 2, epsilon = 1e-10))
)
res <- list()
keep <- function(...) res[[length(res) + 1]] <<- data.frame(...)
for (dn in names(designs)) for (y in c(INDICATORS)) for (method in c("logit", "beta")) {
  s <- designs[[dn]][!is.na(designs[[dn]]$variables[[y]]), ]    # = subset(r, !is.na(y))
  f <- as.formula(paste0("~", y))
  ci <- suppressWarnings(svyciprop(f, s, method = method, na.rm = TRUE))
  keep(design = dn, indicator = y, breakdown = "overall", domain = "all", method = method,
       share = as.numeric(coef(ci)), se = as.numeric(SE(ci)), ci_l = attr(ci, "ci")[1], ci_u = attr(ci, "ci")[2])
  for (by in BREAKDOWNS) {
    b <- suppressWarnings(svyby(f, as.formula(paste0("~", by)), s, svyciprop, vartype = c("se", "ci"),
                                method = method, na.rm = TRUE))
    k <- ncol(b)
    keep(design = dn, indicator = y, breakdown = by, domain = rownames(b), method = method,
         share = b[[k - 3]], se = b[[k - 2]], ci_l = b[[k - 1]], ci_u = b[[k]])
  }
}
write.csv(do.call(rbind, res), "shares.csv", row.names = FALSE)
# svyby(covmat = TRUE) fails on calibrated designs in survey 4.1.1 (its influence matrix has the full design's
# rows); it stacks the domains' svymean influences and calls svyrecvar, which is done here directly, and
# svyglm(y ~ group) gives the same contrast as a second route
infl <- function(s, var, lev) {
  inside <- s$variables[[var]] == lev
  x <- attr(svymean(~y0, s[inside, ], influence = TRUE), "influence")
  if (NROW(x) < nrow(s)) { full <- matrix(0, nrow(s), 1); full[inside, ] <- x; x <- full }
  x
}
contrast <- function(s, var, first, second) {
  v <- survey:::svyrecvar(cbind(infl(s, var, first), infl(s, var, second)), s$cluster, s$strata, s$fpc,
                          postStrata = s$postStrata)
  est <- coef(svyby(~y0, as.formula(paste0("~", var)), s, svymean))
  c(est[[first]] - est[[second]], sqrt(v[1, 1] + v[2, 2] - 2 * v[1, 2]))
}
cmp <- list()
for (dn in c("unweighted", "raked")) {
  r <- update(designs[[dn]], y0 = ifelse(is.na(safe), 0, safe))
  s <- r[!is.na(r$variables$safe), ]
  g <- contrast(s, "gender", "man", "kvinna")
  a <- contrast(s, "area", "a", "b")
  glm_g <- svyglm(y0 ~ gender, s)
  cmp[[dn]] <- data.frame(design = dn, contrast = c("man-kvinna", "a-b"), difference = c(g[1], a[1]),
                          se = c(g[2], a[2]), glm_difference = c(coef(glm_g)[[2]], NA),
                          glm_se = c(SE(glm_g)[[2]], NA))
}
write.csv(do.call(rbind, cmp), "contrasts.csv", row.names = FALSE)
"""


def trygg_designs(data: dict[str, NDArray]) -> dict[str, Design]:
    codes = [data["area"], data["gender"], data["age_group"]]
    pops = [np.array(POP[v]) for v in ("area", "gender", "age_group")]
    short = rake_weights(codes, pops, max_iter=2)
    assert not short.converged
    return {
        "unweighted": unweighted_design(data["area"].shape[0]),
        "raked": rake_weights(codes, pops, epsilon=1e-10, max_iter=100).design,
        "raked_short": short.design,
    }


def trygg_shares(
    design: Design, data: dict[str, NDArray], y: str, method: Literal["auto", "logit", "beta"] = "auto"
) -> dict[tuple[str, str], ShareEstimate]:
    """trygg's estimates for every domain R reports, keyed (breakdown, R's domain label)."""
    out = {("overall", "all"): share_by_domain(design, data[y], method=method)[0]}
    cross, n_cross = cross_codes((data["area"], 6), (data["gender"], 2))
    for by, codes, n, labels in (
        ("area", data["area"], 6, AREAS),
        ("gender", data["gender"], 2, GENDERS),
        ("area+gender", cross, n_cross, [f"{a}.{g}" for a in AREAS for g in GENDERS]),
    ):
        estimates = share_by_domain(design, data[y], codes, n, method=method)
        out.update({(by, label): est for label, est in zip(labels, estimates, strict=True)})
    return out


@pytest.fixture(scope="module")
def r_results(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, NDArray], Path]:
    workdir = tmp_path_factory.mktemp("r_shares")
    data = make_survey()
    write_inputs(data, workdir)
    code = R_SHARES.replace("c(INDICATORS)", "c(" + ", ".join(f'"{y}"' for y in INDICATORS) + ")")
    code = code.replace("in BREAKDOWNS", "in c(" + ", ".join(f'"{b}"' for b in BREAKDOWNS) + ")")
    run_r(code, workdir)
    return data, workdir


def test_the_survey_has_the_hard_cases(r_results: tuple[dict[str, NDArray], Path]) -> None:
    data, _ = r_results
    assert 0 < (data["area"] == 5).sum() < 30
    answered = ~np.isnan(data["worried"]) & (data["area"] == 4)
    assert answered.sum() > 30 and (data["worried"][answered] == 0).all()


def test_every_share_se_and_interval_equals_r(r_results: tuple[dict[str, NDArray], Path]) -> None:
    data, workdir = r_results
    designs = trygg_designs(data)
    rows = read_rows(workdir / "shares.csv")
    beta_share = {
        (r["design"], r["indicator"], r["breakdown"], r["domain"]): float(r["share"])
        for r in rows
        if r["method"] == "beta"
    }
    ours: dict[tuple[str, str, str], dict[tuple[str, str], ShareEstimate]] = {}
    compared = degenerate = r_failures = 0
    for row in rows:
        key = (row["design"], row["indicator"], row["method"])
        if key not in ours:
            method: Literal["logit", "beta"] = "logit" if row["method"] == "logit" else "beta"
            ours[key] = trygg_shares(designs[row["design"]], data, row["indicator"], method)
        est = ours[key][row["breakdown"], row["domain"]]
        where = f"{key} {row['breakdown']}={row['domain']}"
        r = {k: float(row[k]) if row[k] not in ("NA", "NaN", "") else np.nan for k in ("share", "se", "ci_l", "ci_u")}
        assert est.se == pytest.approx(r["se"], abs=1e-6), where
        svymean_share = beta_share[row["design"], row["indicator"], row["breakdown"], row["domain"]]
        assert est.share == pytest.approx(svymean_share, abs=1e-6), where
        if row["method"] == "logit" and abs(r["share"] - svymean_share) > 1e-6:
            # R's svyglm does not converge for a handful of rows in a calibrated design; trygg never uses
            # logit there (Kish's n_eff < 30)
            r_failures += 1
            assert auto_estimate(designs[row["design"]], data, row).method == "beta", where
            continue
        if est.share in (0.0, 1.0):
            # R: logit collapses to a point or NaN, beta is NaN; trygg: Korn–Graubard at Kish's n_eff, with width
            degenerate += 1
            auto = auto_estimate(designs[row["design"]], data, row)
            assert auto.method == "beta" and auto.ci_low < auto.ci_high and auto.ci_high - auto.ci_low > 0.01, where
            continue
        if row["method"] == "logit" and est.df <= 1 and np.isnan(r["ci_u"]):
            # R computes the t level as 1 - 2 * pnorm(qt(0.025, 1)), which rounds to 1 at one degree of freedom
            assert 0 < est.ci_low < est.share < est.ci_high < 1, where
            continue
        assert est.ci_low == pytest.approx(r["ci_l"], abs=1e-6), where
        assert est.ci_high == pytest.approx(r["ci_u"], abs=1e-6), where
        compared += 1
    print(f"compared {compared}, degenerate {degenerate}, R svyglm failures {r_failures}")
    assert compared > 400 and degenerate >= 4 and r_failures < 20


def auto_estimate(design: Design, data: dict[str, NDArray], row: dict[str, str]) -> ShareEstimate:
    """The default (automatic) estimate of the domain of an R row."""
    return trygg_shares(design, data, row["indicator"])[row["breakdown"], row["domain"]]


def test_automatic_method_picks_r_logit_or_beta(r_results: tuple[dict[str, NDArray], Path]) -> None:
    data, workdir = r_results
    designs = trygg_designs(data)
    rows = {
        (r["design"], r["indicator"], r["breakdown"], r["domain"], r["method"]): r
        for r in read_rows(workdir / "shares.csv")
    }
    small = 0
    for name in ("unweighted", "raked"):
        for y in INDICATORS:
            for (by, label), est in trygg_shares(designs[name], data, y).items():
                row = rows.get((name, y, by, label, est.method))
                if row is None or est.share in (0.0, 1.0):
                    continue
                small += est.n_eff < 30
                assert est.ci_low == pytest.approx(float(row["ci_l"]), abs=1e-6)
                assert est.ci_high == pytest.approx(float(row["ci_u"]), abs=1e-6)
    assert small > 0


def test_contrasts_equal_svycontrast(r_results: tuple[dict[str, NDArray], Path]) -> None:
    data, workdir = r_results
    designs = trygg_designs(data)
    for row in read_rows(workdir / "contrasts.csv"):
        design = designs[row["design"]]
        if row["contrast"] == "man-kvinna":
            comp = compare_domains(design, data["safe"], data["gender"], 2, 1, 0)
        else:
            comp = compare_domains(design, data["safe"], data["area"], 6, 0, 1)
        assert comp.difference == pytest.approx(float(row["difference"]), abs=1e-6)
        assert comp.se == pytest.approx(float(row["se"]), abs=1e-6)
        if row["contrast"] == "man-kvinna":
            assert comp.difference == pytest.approx(float(row["glm_difference"]), abs=1e-6)
            assert comp.se == pytest.approx(float(row["glm_se"]), abs=1e-6)


R_CLUSTER = """
d <- read.csv("apiclus1.csv")
d$hi <- ifelse(d$api00 > 650, 1, 0)
d$hi[seq(3, nrow(d), by = 7)] <- NA
dclus1 <- svydesign(id = ~dnum, weights = ~pw, data = d, fpc = ~fpc)
pop.types <- data.frame(stype = c("E", "H", "M"), Freq = c(4421, 755, 1018))
pop.schwide <- data.frame(sch.wide = c("No", "Yes"), Freq = c(1072, 5122))
out <- list()
for (dn in c("clustered", "raked")) {
  des <- if (dn == "raked") rake(dclus1, list(~stype, ~sch.wide), list(pop.types, pop.schwide),
                                 control = list(maxit = 100, epsilon = 1e-10)) else dclus1
  m <- svyby(~api00, ~stype, des, svymean)
  s <- des[!is.na(d$hi), ]
  b <- suppressWarnings(svyby(~hi, ~stype, s, svyciprop, vartype = c("se", "ci"), method = "logit", na.rm = TRUE))
  out[[dn]] <- data.frame(design = dn, stype = rownames(b), mean = coef(m), mean_se = SE(m),
                          share = b[[2]], se = b[[3]], ci_l = b[[4]], ci_u = b[[5]])
}
write.csv(do.call(rbind, out), "cluster.csv", row.names = FALSE)
"""


def test_clustered_and_raked_domains_equal_r(tmp_path: Path) -> None:
    source = Path(__file__).parent / "data" / "stats" / "apiclus1.csv"
    (tmp_path / "apiclus1.csv").write_bytes(source.read_bytes())
    run_r(R_CLUSTER, tmp_path)
    with open(source, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    api00 = np.array([float(r["api00"]) for r in rows])
    hi = (api00 > 650).astype(float)
    hi[2::7] = np.nan
    stype = np.unique([r["stype"] for r in rows], return_inverse=True)[1]
    schwide = np.unique([r["sch.wide"] for r in rows], return_inverse=True)[1]
    base = Design(
        weights=np.array([float(r["pw"]) for r in rows]),
        cluster=np.unique([r["dnum"] for r in rows], return_inverse=True)[1],
        fpc=np.array([float(r["fpc"]) for r in rows]),
    )
    raked = rake_weights([stype, schwide], [np.array([4421.0, 755, 1018]), np.array([1072.0, 5122])], base=base)
    designs = {"clustered": base, "raked": raked.design}
    for row in read_rows(tmp_path / "cluster.csv"):
        d = "EHM".index(row["stype"])
        mean = mean_by_domain(designs[row["design"]], api00, stype, 3)[d]
        share = share_by_domain(designs[row["design"]], hi, stype, 3, method="logit")[d]
        for ours, theirs in (
            (mean.mean, "mean"),
            (mean.se, "mean_se"),
            (share.share, "share"),
            (share.se, "se"),
            (share.ci_low, "ci_l"),
            (share.ci_high, "ci_u"),
        ):
            assert ours == pytest.approx(float(row[theirs]), abs=1e-6), (row["design"], row["stype"], theirs)
