"""How well the automatic coding agrees with a person's review of the same answers.

Pure: takes, per reviewed answer, the automatic slugs and the reviewed slugs, and treats the review as the truth.
"""

from __future__ import annotations

from collections.abc import Iterable, Set
from dataclasses import dataclass

__all__ = ["Agreement", "SlugAgreement", "coding_agreement"]


@dataclass(frozen=True, slots=True)
class SlugAgreement:
    """Agreement on one slug over all reviewed answers.

    ``both`` answers have the slug in both codings, ``automatic_only`` only in the automatic one (a false
    positive), ``reviewed_only`` only in the review (missed), ``neither`` in neither. ``precision``, ``recall``
    and ``f1`` are shares in [0, 1]; ``kappa`` is Cohen's kappa in [-1, 1]. Each is None when undefined: precision
    when the coder never gave the slug, recall when the reviewer never did, kappa when both codings are constant
    (the slug in every answer), because chance agreement is then 1.
    """

    slug: str
    both: int
    automatic_only: int
    reviewed_only: int
    neither: int
    precision: float | None
    recall: float | None
    f1: float | None
    kappa: float | None

    @property
    def reviewed(self) -> int:
        """Answers the reviewer gave this slug."""
        return self.both + self.reviewed_only

    @property
    def automatic(self) -> int:
        """Answers the coder gave this slug."""
        return self.both + self.automatic_only


@dataclass(frozen=True, slots=True)
class Agreement:
    """Agreement over ``answers`` reviewed answers.

    ``exact`` counts answers whose automatic slugs equal the reviewed ones; ``exact_share`` is exact / answers,
    None when no answer has been reviewed. ``slugs`` has one row per slug named by either coding, most reviewed
    first, then by slug.
    """

    answers: int
    exact: int
    exact_share: float | None
    slugs: tuple[SlugAgreement, ...]


def coding_agreement(pairs: Iterable[tuple[Set[str], Set[str]]]) -> Agreement:
    """Agreement of (automatic, reviewed) slug sets, one pair per reviewed answer.

    An answer both codings leave empty counts as an exact match. With no pairs every figure is empty.
    """
    coded = [(frozenset(automatic), frozenset(reviewed)) for automatic, reviewed in pairs]
    n = len(coded)
    exact = sum(1 for automatic, reviewed in coded if automatic == reviewed)
    every_slug = {s for automatic, reviewed in coded for s in automatic | reviewed}
    rows = [_slug_agreement(slug, coded) for slug in every_slug]
    rows.sort(key=lambda r: (-r.reviewed, r.slug))
    return Agreement(n, exact, exact / n if n else None, tuple(rows))


def _slug_agreement(slug: str, coded: list[tuple[frozenset[str], frozenset[str]]]) -> SlugAgreement:
    both = automatic_only = reviewed_only = 0
    for automatic, reviewed in coded:
        in_automatic, in_reviewed = slug in automatic, slug in reviewed
        if in_automatic and in_reviewed:
            both += 1
        elif in_automatic:
            automatic_only += 1
        elif in_reviewed:
            reviewed_only += 1
    n = len(coded)
    neither = n - both - automatic_only - reviewed_only
    precision = both / (both + automatic_only) if both + automatic_only else None
    recall = both / (both + reviewed_only) if both + reviewed_only else None
    # 2·TP / (2·TP + FP + FN) equals the harmonic mean of precision and recall, and is 0 (not undefined) when
    # exactly one of them is undefined: the slug occurs in some coding, so the denominator is positive.
    f1 = 2 * both / (2 * both + automatic_only + reviewed_only)
    observed = (both + neither) / n
    p_automatic = (both + automatic_only) / n
    p_reviewed = (both + reviewed_only) / n
    chance = p_automatic * p_reviewed + (1 - p_automatic) * (1 - p_reviewed)
    kappa = (observed - chance) / (1 - chance) if chance < 1 else None
    return SlugAgreement(slug, both, automatic_only, reviewed_only, neither, precision, recall, f1, kappa)
