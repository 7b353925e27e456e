"""Laholm: a second municipality with its own gazetteer file shows nothing in the coder is Halmstad-specific.

Every place's count of respondents (what the results page shows) must be within 5% of the labelled truth.
"""

from __future__ import annotations

from collections import Counter

from test_text_gazetteers import laholm_gazetteer, load_labelled
from test_text_labelled import code_rows, micro_scores, print_per_place

ROWS = load_labelled("laholm_answers.csv")


def test_laholm_set_is_valid() -> None:
    assert len(ROWS) >= 200
    assert len({text for text, _, _ in ROWS}) == len(ROWS)
    known = {e.slug for e in laholm_gazetteer().entries}
    assert {s for _, truth, _ in ROWS for s in truth} <= known


def test_every_place_count_within_five_percent() -> None:
    pairs = code_rows(ROWS, laholm_gazetteer())
    print_per_place(pairs, "Laholm labelled set")
    truth = Counter(s for _, true in pairs for s in true)
    found = Counter(s for got, _ in pairs for s in got)
    for slug in sorted(set(truth) | set(found)):
        assert abs(found[slug] - truth[slug]) <= 0.05 * truth[slug], (slug, found[slug], truth[slug])
    precision, recall, f1 = micro_scores(pairs)
    print(f"overall: P={precision:.3f} R={recall:.3f} F1={f1:.3f}")
    assert precision >= 0.95 and f1 >= 0.95
