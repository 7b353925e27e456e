"""The Halmstad labelled set: answers written as residents write, each with its true slugs.

Quality, not time, is asserted: overall precision and F1 of at least 0.95. Per-place figures are printed (run with
``-s`` to see them); the benchmark prints the same against an exact-alias baseline.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from test_text_gazetteers import halmstad_gazetteer, load_labelled
from trygg.text import Gazetteer, code_mentions
from trygg.text.agreement import coding_agreement

ROWS = load_labelled("halmstad_answers.csv")


def micro_scores(pairs: Sequence[tuple[frozenset[str], frozenset[str]]]) -> tuple[float, float, float]:
    """Precision, recall and F1 over all (found, true) slug pairs, counting one per respondent and slug."""
    tp = sum(len(found & truth) for found, truth in pairs)
    fp = sum(len(found - truth) for found, truth in pairs)
    fn = sum(len(truth - found) for found, truth in pairs)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def print_per_place(pairs: Sequence[tuple[frozenset[str], frozenset[str]]], title: str) -> None:
    agreement = coding_agreement(pairs)
    print(f"\n{title}: {agreement.answers} answers, {agreement.exact} coded exactly right")
    print(f"{'slug':40} {'true':>5} {'found':>5} {'P':>6} {'R':>6} {'F1':>6}")
    for row in agreement.slugs:
        p = "-" if row.precision is None else f"{row.precision:.3f}"
        r = "-" if row.recall is None else f"{row.recall:.3f}"
        f = "-" if row.f1 is None else f"{row.f1:.3f}"
        print(f"{row.slug:40} {row.reviewed:5} {row.automatic:5} {p:>6} {r:>6} {f:>6}")


def code_rows(rows: Sequence[tuple[str, frozenset[str], str]], gazetteer: Gazetteer) -> list[
    tuple[frozenset[str], frozenset[str]]
]:
    return [(code_mentions(text, gazetteer).slugs, truth) for text, truth, _ in rows]


def test_labelled_set_is_large_varied_and_valid() -> None:
    assert len(ROWS) >= 600
    texts = [text for text, _, _ in ROWS]
    assert len(set(texts)) == len(texts), "every answer once"
    known = {e.slug for e in halmstad_gazetteer().entries}
    assert {s for _, truth, _ in ROWS for s in truth} <= known
    counts = Counter(s for _, truth, _ in ROWS for s in truth)
    assert counts["stadskarnan"] > counts["morka_platser"] > counts["andersberg"] > 50  # the seed's order
    assert sum(1 for _, truth, _ in ROWS if not truth) >= 100, "no-place, joke and empty answers too"
    assert sum(1 for _, truth, _ in ROWS if len(truth) >= 3) >= 30, "several places in one answer"


def test_halmstad_precision_and_f1() -> None:
    pairs = code_rows(ROWS, halmstad_gazetteer())
    print_per_place(pairs, "Halmstad labelled set")
    precision, recall, f1 = micro_scores(pairs)
    print(f"overall: P={precision:.3f} R={recall:.3f} F1={f1:.3f}")
    assert precision >= 0.95
    assert f1 >= 0.95


def test_every_other_language_answer_is_flagged() -> None:
    gaz = halmstad_gazetteer()
    for text, _, note in ROWS:
        if note == "other language":
            coding = code_mentions(text, gaz)
            assert coding.needs_review and coding.language == "other", text
