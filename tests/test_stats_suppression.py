"""Small-cell suppression: no hidden cell may be recovered by subtracting published cells from a published total."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from trygg.stats import suppress_breakdown, suppress_cross


def recoverable_small_groups(n: list[int], hidden: list[bool], remainder: int, threshold: int) -> bool:
    """Whether total minus published cells isolates a group of 1..threshold-1 respondents."""
    hidden_n = sum(c for c, h in zip(n, hidden, strict=True) if h) + remainder
    return 0 < hidden_n < threshold


def test_nothing_small_nothing_hidden() -> None:
    s = suppress_breakdown([120, 45, 30])
    assert not s.hidden.any() and not s.primary.any() and s.show_n.all() and not s.total_hidden


def test_one_small_cell_takes_the_next_smallest_with_it() -> None:
    s = suppress_breakdown([120, 12, 45, 31])
    assert s.primary.tolist() == [False, True, False, False]
    assert s.hidden.tolist() == [False, True, False, True]
    # the single primary cell's n would follow from total - shown n's, so neither hidden n is shown
    assert s.show_n.tolist() == [True, False, True, False]


def test_two_tiny_cells_are_not_enough_when_together_they_are_still_small() -> None:
    s = suppress_breakdown([500, 3, 4, 200])
    assert s.hidden.tolist() == [False, True, True, True]
    assert s.primary.tolist() == [False, True, True, False]
    # two primary cells stay without n, so the complementary cell's n reveals only their sum (7)... which is small:
    # the rule shows the complement's n only with two secret parts, and 3 + 4 cannot be split
    assert s.show_n.tolist() == [True, False, False, True]


def test_two_small_cells_that_together_reach_the_threshold_protect_each_other() -> None:
    s = suppress_breakdown([200, 20, 15, 300])
    assert s.hidden.tolist() == [False, True, True, False]


def test_empty_cells_are_neither_hidden_nor_used_as_complements() -> None:
    s = suppress_breakdown([0, 8, 400, 0, 90])
    assert s.hidden.tolist() == [False, True, False, False, True]
    assert s.primary.tolist() == [False, True, False, False, False]


def test_unpublished_remainder_counts_as_hidden() -> None:
    # 40 respondents gave no gender or an unpublished one: with the small cell they are a safe hidden part
    s = suppress_breakdown([300, 280, 12], total=632)
    assert s.hidden.tolist() == [False, False, True]
    assert s.show_n.tolist() == [True, True, False]
    # a small remainder alone is recoverable from the total, so the smallest cell goes too
    s = suppress_breakdown([300, 280], total=585)
    assert s.hidden.tolist() == [False, True]


def test_small_total_hides_everything() -> None:
    s = suppress_breakdown([10, 12])
    assert s.hidden.all() and s.total_hidden


def test_threshold_is_a_parameter_and_validated() -> None:
    assert not suppress_breakdown([12, 40], threshold=10).hidden.any()
    with pytest.raises(ValueError, match="threshold"):
        suppress_breakdown([1], threshold=0)
    with pytest.raises(ValueError, match="zero or more"):
        suppress_breakdown([-1, 5])
    with pytest.raises(ValueError, match="smaller than the sum"):
        suppress_breakdown([10, 20], total=5)


@pytest.mark.parametrize("seed", range(200))
def test_random_breakdowns_never_reveal_a_small_group(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = rng.choice([0, 1, 5, 12, 29, 30, 31, 60, 200], size=int(rng.integers(1, 7))).tolist()
    remainder = int(rng.choice([0, 0, 3, 40]))
    s = suppress_breakdown(n, total=sum(n) + remainder)
    hidden = s.hidden.tolist()
    assert all(h for c, h in zip(n, hidden, strict=True) if 0 < c < 30)
    if any(hidden) or remainder:
        everything = all(h or c == 0 for c, h in zip(n, hidden, strict=True))
        assert not recoverable_small_groups(n, hidden, remainder, 30) or everything


def test_cross_protects_rows_and_columns() -> None:
    n = np.array([[100, 5, 80], [90, 70, 60], [85, 75, 95]])
    s = suppress_cross(n)
    assert s.primary.sum() == 1 and s.hidden[0, 1]
    for line in itertools.chain(s.hidden, s.hidden.T):
        assert line.sum() != 1
    # the cheapest pattern: a 2 x 2 rectangle around the small cell
    assert s.hidden.sum() == 4


def test_cross_rows_and_columns_are_each_safe_for_random_tables() -> None:
    rng = np.random.default_rng(1)
    for _ in range(100):
        n = rng.choice([0, 3, 14, 35, 80, 150], size=(int(rng.integers(2, 5)), int(rng.integers(2, 5))))
        s = suppress_cross(n)
        assert (s.hidden | ~s.primary).all()
        for cells, hid in itertools.chain(zip(n, s.hidden, strict=False), zip(n.T, s.hidden.T, strict=False)):
            hidden_n = int(cells[hid].sum())
            everything = bool((hid | (cells == 0)).all())
            assert hidden_n == 0 or hidden_n >= 30 or everything
            assert int((hid & (cells > 0)).sum()) != 1 or everything
        assert (s.row_total_hidden == (n.sum(axis=1) < 30)).all()


def test_results_are_read_only() -> None:
    s = suppress_breakdown([5, 100, 100])
    with pytest.raises(ValueError):
        s.hidden[0] = False
