"""Time the statistics engine on a national-scale survey, and samplics on the same data.

1,000,000 responses from 290 municipalities with 10 areas each; weights raked per municipality (all municipalities
in one vectorised call) to area, gender and age margins; then every standard indicator (21) by municipality, area,
gender and age group (within municipality), each share with its SE, effective n and 95% interval, the variance
accounting for the raking; all indicators go through one `shares_table` call (arrays), and the per-indicator list API
is timed once for comparison. trygg's time is the median of several runs. samplics (rake + TaylorEstimator) runs the
same work on a subset of municipalities spread over the size range, timed as the median of a few runs, and is
extrapolated linearly to all 290 (by responses and by municipalities; the lower is used); note that its variance
ignores the raking, so it does less work.

Run ``python benchmarks/bench_stats.py``; figures are printed, never asserted (they depend on the machine).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
import warnings
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from trygg.stats import Design, rake_weights, shares_by_breakdown, shares_table

INDICATORS = (
    ["safe_in_area", "unsafe_out_late", "unsafe_places_exist"]
    + [
        f"worried_{c}"
        for c in ("sexualbrott", "misshandel", "ran", "inbrott", "fordonsbrott", "bedrageri", "hot_trakasserier")
    ]
    + [
        f"problem_{p}"
        for p in (
            "nedskrapning",
            "morka_platser",
            "skadegorelse",
            "klotter",
            "fortkorning",
            "buskorning",
            "storande_ungdomar",
            "berusade",
            "narkotika",
            "otrygg_kollektivtrafik",
        )
    ]
    + ["police_cares"]
)
AREAS, GENDERS, AGES = 10, 2, 5


@dataclass(frozen=True)
class Survey:
    """Responses (codes 0..k-1 per row), 0/1/NaN indicators, and the population margins per municipality."""

    municipality: NDArray[np.intp]
    area: NDArray[np.intp]
    gender: NDArray[np.intp]
    age: NDArray[np.intp]
    y: NDArray[np.float64]  # n x 21
    pop_area: NDArray[np.float64]  # municipalities x 10
    pop_gender: NDArray[np.float64]
    pop_age: NDArray[np.float64]


def make_survey(n: int, municipalities: int, seed: int = 1) -> Survey:
    """An opt-in survey: women, older people and some areas answer more than their population share."""
    rng = np.random.default_rng(seed)
    size = rng.lognormal(0.0, 0.8, municipalities)
    total = 20_000 + 400_000 * size / size.max()
    pop_area = total[:, None] * rng.dirichlet(np.full(AREAS, 3.0), municipalities)
    pop_gender = total[:, None] * np.array([0.505, 0.495])
    pop_age = total[:, None] * rng.dirichlet([4.0, 10.0, 10.0, 7.0, 3.0], municipalities)
    muni = rng.choice(municipalities, n, p=total / total.sum()).astype(np.intp)
    area_p = pop_area * rng.uniform(0.5, 1.5, pop_area.shape)
    area_p /= area_p.sum(axis=1, keepdims=True)
    area = (rng.random(n)[:, None] > np.cumsum(area_p, axis=1)[muni]).sum(axis=1).astype(np.intp)
    gender = (rng.random(n) < 0.42).astype(np.intp)
    age = rng.choice(AGES, n, p=[0.08, 0.22, 0.33, 0.27, 0.10]).astype(np.intp)
    base = rng.uniform(0.05, 0.7, len(INDICATORS))
    lift = 0.08 * (gender == 0) - 0.02 * age + rng.normal(0.0, 0.05, municipalities * AREAS)[muni * AREAS + area]
    y = (rng.random((n, len(INDICATORS))) < np.clip(base[None, :] + lift[:, None], 0.01, 0.99)).astype(np.float64)
    y[rng.random(y.shape) < rng.uniform(0.02, 0.15, len(INDICATORS))] = np.nan
    return Survey(muni, area, gender, age, y, pop_area, pop_gender, pop_age)


def rake(s: Survey) -> Design:
    codes = [s.municipality * AREAS + s.area, s.municipality * GENDERS + s.gender, s.municipality * AGES + s.age]
    result = rake_weights(codes, [s.pop_area.ravel(), s.pop_gender.ravel(), s.pop_age.ravel()])
    return result.design


def breakdowns(s: Survey) -> dict[str, tuple[NDArray[np.intp], int]]:
    m = int(s.pop_area.shape[0])
    return {
        "municipality": (s.municipality, m),
        "area": (s.municipality * AREAS + s.area, m * AREAS),
        "gender": (s.municipality * GENDERS + s.gender, m * GENDERS),
        "age_group": (s.municipality * AGES + s.age, m * AGES),
    }


def run_trygg(s: Survey) -> tuple[float, float, int]:
    """Rake, then all indicators (the columns of s.y) by every breakdown in one `shares_table` call."""
    start = time.perf_counter()
    design = rake(s)
    raked = time.perf_counter()
    tables = shares_table(design, s.y, breakdowns(s))
    figures = sum(t.share.size for t in tables.values())
    return raked - start, time.perf_counter() - raked, figures


def run_trygg_lists(s: Survey) -> float:
    """The same figures through the per-indicator list API (`shares_by_breakdown`), as the reports call it."""
    start = time.perf_counter()
    design = rake(s)
    by = breakdowns(s)
    for j in range(s.y.shape[1]):
        shares_by_breakdown(design, s.y[:, j], by)
    return time.perf_counter() - start


def samplics_subset(s: Survey, count: int) -> NDArray[np.intp]:
    """`count` municipalities spread evenly over the size ranks, so that they hold about their share of responses
    as well as of municipalities: samplics' time grows with both (a fixed cost per call, and one per row)."""
    sizes = np.bincount(s.municipality, minlength=s.pop_area.shape[0])
    by_size = np.argsort(sizes, kind="stable")
    ranks = np.unique(np.linspace(0, by_size.shape[0] - 1, min(count, by_size.shape[0])).round().astype(np.intp))
    return np.sort(by_size[ranks])


def run_samplics(s: Survey, municipalities: NDArray[np.intp]) -> float:
    """rake + TaylorEstimator('proportion') per municipality, as a samplics user would, on the given municipalities."""
    from samplics.estimation import TaylorEstimator
    from samplics.utils.types import PopParam
    from samplics.weighting import SampleWeight

    start = time.perf_counter()
    for m in municipalities:
        rows = np.flatnonzero(s.municipality == m)
        margins = {"area": s.area[rows], "gender": s.gender[rows], "age": s.age[rows]}
        control = {
            "area": dict(enumerate(s.pop_area[m])),
            "gender": dict(enumerate(s.pop_gender[m])),
            "age": dict(enumerate(s.pop_age[m])),
        }
        w = SampleWeight().rake(np.ones(rows.size), margins, control=control, tol=1e-10, max_iter=100)
        for codes in (None, s.area[rows], s.gender[rows], s.age[rows]):
            for j in range(s.y.shape[1]):
                estimator = TaylorEstimator(PopParam.prop)
                estimator.estimate(s.y[rows, j], samp_weight=w, domain=codes, remove_nan=True)
    return time.perf_counter() - start


def peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def spread(times: list[float]) -> str:
    return f"(median of {len(times)}; min {min(times):.3f}, max {max(times):.3f})" if len(times) > 1 else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--municipalities", type=int, default=290)
    parser.add_argument("--repeats", type=int, default=5, help="trygg runs; the median is reported")
    parser.add_argument("--samplics-municipalities", type=int, default=100, help="subset timed for samplics (0: skip)")
    parser.add_argument("--samplics-repeats", type=int, default=3, help="samplics runs; the median is reported")
    args = parser.parse_args()

    s = make_survey(args.responses, args.municipalities)
    before = peak_memory_mb()
    runs = [run_trygg(s) for _ in range(max(1, args.repeats))]
    rake_s = statistics.median(r[0] for r in runs)
    estimate_s = statistics.median(r[1] for r in runs)
    totals = [r[0] + r[1] for r in runs]
    trygg_s = statistics.median(totals)
    figures = runs[0][2]
    print(f"responses {args.responses:,}, municipalities {args.municipalities}, indicators {len(INDICATORS)}")
    print(f"trygg   rake (vectorised over municipalities)  {rake_s:8.3f} s")
    print(f"trygg   {figures:,} shares with SE and interval  {estimate_s:8.3f} s")
    print(f"trygg   total                                  {trygg_s:8.3f} s {spread(totals)}")
    print(f"peak memory (max RSS) {peak_memory_mb():,.0f} MB (data generated: {before:,.0f} MB)")
    print(f"trygg   the same as lists of ShareEstimate, one call per indicator {run_trygg_lists(s):8.3f} s (once)")
    if args.samplics_municipalities > 0:
        subset = samplics_subset(s, args.samplics_municipalities)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            parts = [run_samplics(s, subset) for _ in range(max(1, args.samplics_repeats))]
        part = statistics.median(parts)
        by_rows = float(np.isin(s.municipality, subset).mean())
        by_count = subset.shape[0] / args.municipalities
        # the lower of the two extrapolations, so the ratio errs against trygg
        full = min(part / by_rows, part / by_count)
        print(
            f"samplics {subset.shape[0]} municipalities ({by_rows:.2%} of responses) {part:8.3f} s {spread(parts)};"
            f" extrapolated to all {full:8.1f} s (by responses {part / by_rows:.1f} s, by municipalities"
            f" {part / by_count:.1f} s; the lower is used)"
        )
        print(f"trygg is {full / trygg_s:,.0f}x faster than samplics (extrapolated, same run)")


if __name__ == "__main__":
    main()
