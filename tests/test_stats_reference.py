"""trygg.stats against values published with R's survey package, stored with their data in tests/data/stats.

The data sets (api, yrbs) ship with R's survey package (GPL); tests/data/stats/make_reference.R wrote them and
reference_values.csv, whose `r_code` column says how R computed each value.
"""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

from trygg.stats import Design, mean_by_domain, rake_weights, share_by_domain

DATA = Path(__file__).parent / "data" / "stats"

# values as printed in the survey package's documentation (?svymean, ?rake) and in its yrbs example
PUBLISHED = {
    ("apistrat", "mean"): (662.29, 2),
    ("apistrat", "se"): (9.4089, 4),
    ("apiclus1_raked", "mean"): (641.23, 2),
    ("apiclus1_raked", "se"): (23.704, 3),
    ("yrbs_design", "se"): (0.02008901, 8),  # SE(ci) of qn8yes = 1 - qn8no in example(yrbs)
}


def read(name: str) -> dict[str, NDArray]:
    rows = list(csv.DictReader(open(DATA / name, encoding="utf-8")))
    return {key: np.array([r[key] for r in rows]) for key in rows[0]}


def read_gz(name: str) -> dict[str, NDArray]:
    with gzip.open(DATA / name, "rt", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return {key: np.array([r[key] for r in rows]) for key in rows[0]}


def codes(values: NDArray) -> NDArray[np.intp]:
    return np.unique(values, return_inverse=True)[1].astype(np.intp)


def reference() -> dict[tuple[str, str], float]:
    with open(DATA / "reference_values.csv", encoding="utf-8") as f:
        return {(r["case"], r["statistic"]): float(r["value"]) for r in csv.DictReader(f)}


def ours() -> dict[tuple[str, str], float]:
    out: dict[tuple[str, str], float] = {}
    strat = read("apistrat.csv")
    design = Design(weights=strat["pw"].astype(float), strata=codes(strat["stype"]), fpc=strat["fpc"].astype(float))
    m = mean_by_domain(design, strat["api00"].astype(float))[0]
    out["apistrat", "mean"], out["apistrat", "se"] = m.mean, m.se

    clus = read("apiclus1.csv")
    base = Design(weights=clus["pw"].astype(float), cluster=codes(clus["dnum"]), fpc=clus["fpc"].astype(float))
    m = mean_by_domain(base, clus["api00"].astype(float))[0]
    out["apiclus1", "mean"], out["apiclus1", "se"] = m.mean, m.se
    # rake()'s defaults, as in ?rake: control = list(maxit = 10, epsilon = 1)
    raked = rake_weights(
        [codes(clus["stype"]), codes(clus["sch.wide"])],
        [np.array([4421.0, 755.0, 1018.0]), np.array([1072.0, 5122.0])],
        base=base,
        epsilon=1.0,
        max_iter=10,
    )
    m = mean_by_domain(raked.design, clus["api00"].astype(float))[0]
    out["apiclus1_raked", "mean"], out["apiclus1_raked", "se"] = m.mean, m.se

    yrbs = read_gz("yrbs.csv.gz")
    qn8 = np.array([float(v) if v else np.nan for v in yrbs["qn8"]])
    y = np.where(np.isnan(qn8), np.nan, (qn8 == 2).astype(float))
    w = yrbs["weight"].astype(float)
    for case, design in (
        ("yrbs_weighted", Design(weights=w)),
        ("yrbs_design", Design(weights=w, cluster=codes(yrbs["psu"]), strata=codes(yrbs["stratum"]))),
    ):
        s = share_by_domain(design, y)[0]
        out[case, "share"], out[case, "se"], out[case, "ci_low"], out[case, "ci_high"] = (
            s.share,
            s.se,
            s.ci_low,
            s.ci_high,
        )
    return out


@pytest.fixture(scope="module")
def computed() -> dict[tuple[str, str], float]:
    return ours()


@pytest.mark.parametrize("key", sorted(reference()))
def test_equals_r_to_1e_6(key: tuple[str, str], computed: dict[tuple[str, str], float]) -> None:
    assert computed[key] == pytest.approx(reference()[key], abs=1e-6, rel=1e-9)


@pytest.mark.parametrize("key", sorted(PUBLISHED))
def test_rounds_to_the_published_figure(key: tuple[str, str], computed: dict[tuple[str, str], float]) -> None:
    value, digits = PUBLISHED[key]
    assert round(computed[key], digits) == value
