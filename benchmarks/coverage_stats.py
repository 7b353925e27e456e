"""Coverage of trygg's 95% intervals in repeated opt-in surveys from a known population.

A population of 200,000 residents in 6 areas has known shares for three indicators (depending on area, gender and
age). Each simulated survey lets residents opt in with a probability that depends on gender and age (women and the
middle-aged answer more), rakes the respondents to the area, gender and age margins, and estimates every share
overall and per area. The table counts how often the interval covers the true population share, for estimates with a
true share of at least 5% and at least 100 respondents. Run ``python benchmarks/coverage_stats.py``; printed, never
asserted (about 30 s for 1,000 surveys).
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict

import numpy as np

from trygg.stats import rake_weights, share_by_domain

POPULATION = 200_000
AREAS = 6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--surveys", type=int, default=1000)
    parser.add_argument("--respondents", type=int, default=1500, help="expected respondents per survey")
    args = parser.parse_args()
    rng = np.random.default_rng(20260101)
    area = rng.choice(AREAS, POPULATION, p=[0.3, 0.2, 0.18, 0.14, 0.1, 0.08])
    gender = rng.integers(0, 2, POPULATION)
    age = rng.choice(5, POPULATION, p=[0.15, 0.3, 0.28, 0.19, 0.08])
    logits = {
        "safe_in_area": 1.2 - 0.5 * (gender == 0) - 0.15 * age - 0.3 * (area == 4),
        "unsafe_out_late": -1.0 + 0.7 * (gender == 0) + 0.2 * (age == 4) + 0.4 * (area == 2),
        "problem_narkotika": -2.6 + 0.8 * (area == 2) + 0.3 * (area == 4) - 0.1 * age,
    }
    y = {k: (rng.random(POPULATION) < 1 / (1 + np.exp(-v))).astype(float) for k, v in logits.items()}
    truth = {k: [v.mean()] + [v[area == a].mean() for a in range(AREAS)] for k, v in y.items()}
    pop = [np.bincount(c).astype(float) for c in (area, gender, age)]
    propensity = (1.6 - 0.5 * gender) * np.array([0.4, 0.9, 1.3, 1.0, 0.5])[age]
    propensity *= args.respondents / propensity.sum()

    covered: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    widths: dict[str, list[float]] = defaultdict(list)
    start = time.perf_counter()
    for _ in range(args.surveys):
        sample = np.flatnonzero(rng.random(POPULATION) < propensity)
        design = rake_weights([area[sample], gender[sample], age[sample]], pop).design
        for name, values in y.items():
            answer = values[sample].copy()
            answer[rng.random(sample.size) < 0.07] = np.nan  # item non-response at random
            estimates = share_by_domain(design, answer) + share_by_domain(design, answer, area[sample], AREAS)
            for d, est in enumerate(estimates):
                true = truth[name][d]
                if true < 0.05 or est.n < 100:
                    continue
                key = f"{name} {'overall' if d == 0 else 'area'} ({est.method})"
                covered[key][0] += int(est.ci_low <= true <= est.ci_high)
                covered[key][1] += 1
                widths[key].append(est.ci_high - est.ci_low)
    seconds = time.perf_counter() - start
    print(
        f"{args.surveys} surveys of about {args.respondents} respondents, raked to area, gender, age; {seconds:.1f} s"
    )
    print("| estimate | true share | intervals | coverage | mean width |")
    print("|---|---|---|---|---|")
    total = [0, 0]
    for key in sorted(covered):
        hits, count = covered[key]
        total[0] += hits
        total[1] += count
        name = key.split(" ")[0]
        shares = truth[name][0] if "overall" in key else min(truth[name][1:])
        label = f"{shares:.1%}" if "overall" in key else f"≥ {shares:.1%}"
        print(f"| {key} | {label} | {count} | {hits / count:.1%} | {np.mean(widths[key]):.3f} |")
    print(f"| all | | {total[1]} | {total[0] / total[1]:.1%} | |")


if __name__ == "__main__":
    main()
