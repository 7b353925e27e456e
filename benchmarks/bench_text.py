"""Quality and speed of the place coder (trygg.text) on the labelled sets, against a plain exact-alias baseline.

Quality: precision, recall and F1 per place and overall (one count per respondent and place) on the Halmstad and
Laholm labelled sets in tests/data/text/. The baseline, computed in the same run, names a slug when the lowercase
answer contains the lowercase name or any alias as a substring (theme wildcards without their "*"), with no
normalisation, no negation and no typo matching.

Speed: answers per second on one core, timing ``code_mentions`` with time.perf_counter over --answers answers
replicated from the Halmstad set (one compiled gazetteer, as in production). Goal: at least 20,000 answers/s.

Run ``python benchmarks/bench_text.py``; figures are printed, never asserted (they depend on the machine).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1] / "tests"
sys.path.insert(0, str(TESTS))

from test_text_gazetteers import halmstad_gazetteer, laholm_gazetteer, load_labelled  # noqa: E402
from trygg.text import Gazetteer, code_mentions  # noqa: E402

Pairs = list[tuple[frozenset[str], frozenset[str]]]
GOAL = 20_000


def baseline_coder(gazetteer: Gazetteer) -> Callable[[str], frozenset[str]]:
    """Lowercase substring of a name or alias: what a spreadsheet filter would do."""
    needles = [
        (entry.slug, alias.lower().lstrip("*"))
        for entry in gazetteer.entries
        for alias in (entry.name, *entry.aliases)
        if alias.strip("*").strip()
    ]

    def code(text: str) -> frozenset[str]:
        lowered = text.lower()
        return frozenset(slug for slug, needle in needles if needle in lowered)

    return code


def scores(pairs: Pairs, slug: str | None = None) -> tuple[int, float, float, float]:
    """(true count, precision, recall, F1) for one slug, or micro-averaged over all slugs when slug is None."""
    tp = fp = fn = 0
    for found, truth in pairs:
        f = found if slug is None else found & {slug}
        t = truth if slug is None else truth & {slug}
        tp, fp, fn = tp + len(f & t), fp + len(f - t), fn + len(t - f)
    precision = tp / (tp + fp) if tp + fp else float("nan")
    recall = tp / (tp + fn) if tp + fn else float("nan")
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else float("nan")
    return tp + fn, precision, recall, f1


def report(name: str, rows: Sequence[tuple[str, frozenset[str], str]], gazetteer: Gazetteer) -> None:
    base = baseline_coder(gazetteer)
    coder: Pairs = [(code_mentions(text, gazetteer).slugs, truth) for text, truth, _ in rows]
    plain: Pairs = [(base(text), truth) for text, truth, _ in rows]
    slugs = sorted({s for pairs in (coder, plain) for found, truth in pairs for s in found | truth},
                   key=lambda s: (-scores(coder, s)[0], s))
    print(f"\n{name}: {len(rows)} answers")
    print(f"{'slug':40} {'true':>5} | {'coder P':>7} {'R':>6} {'F1':>6} | {'baseline P':>10} {'R':>6} {'F1':>6}")
    for slug in [*slugs, None]:
        n, p, r, f = scores(coder, slug)
        _, bp, br, bf = scores(plain, slug)
        label = "OVERALL (micro)" if slug is None else slug
        print(f"{label:40} {n:5} | {p:7.3f} {r:6.3f} {f:6.3f} | {bp:10.3f} {br:6.3f} {bf:6.3f}")


def throughput(rows: Sequence[tuple[str, frozenset[str], str]], gazetteer: Gazetteer, answers: int,
               label: str) -> None:
    texts = [text for text, _, _ in rows]
    workload = (texts * (answers // len(texts) + 1))[:answers]
    chars = sum(len(t) for t in workload) / len(workload)
    cold = Gazetteer(gazetteer.entries, include_builtin_themes=False)  # same entries, empty word cache
    start = time.perf_counter()
    for text in workload:
        code_mentions(text, cold)
    elapsed = time.perf_counter() - start
    base = baseline_coder(gazetteer)
    start = time.perf_counter()
    for text in workload:
        base(text)
    base_elapsed = time.perf_counter() - start
    print(f"\nthroughput, one core, {answers:,} {label} (mean {chars:.0f} characters), gazetteer compiled once:")
    verdict = "met" if answers / elapsed >= GOAL else "NOT met"
    print(f"  coder    {answers / elapsed:10,.0f} answers/s  (goal {GOAL:,}: {verdict})")
    print(f"  baseline {answers / base_elapsed:10,.0f} answers/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=100_000, help="answers to time (replicated from the set)")
    args = parser.parse_args()
    halmstad = halmstad_gazetteer()
    report("Halmstad", load_labelled("halmstad_answers.csv"), halmstad)
    report("Laholm", load_labelled("laholm_answers.csv"), laholm_gazetteer())
    rows = load_labelled("halmstad_answers.csv")
    throughput(rows, halmstad, args.answers, "answers replicated from the set")
    throughput([r for r in rows if len(r[0]) >= 40], halmstad, args.answers, "long answers (40+ characters)")


if __name__ == "__main__":
    main()
