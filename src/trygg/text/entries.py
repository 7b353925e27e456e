"""The records the text engine reads and returns: gazetteer entries, mentions, codings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["Coding", "EntryKind", "GazetteerEntry", "Mention"]

EntryKind = Literal["area", "place", "theme"]
_KINDS = ("area", "place", "theme")


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    """One thing a resident can name: an area of the organisation, a named place, or a theme.

    ``name`` and every alias are matched case- and accent-insensitively, word by word. A "/" in a name or alias
    also makes each side an alias ("Nyhem/Linehed" -> "Nyhem", "Linehed"). An alias that starts with "*" matches
    the end of a compound word ("*tunnel" matches "cykeltunneln" through the lemma "cykeltunnel"); it must be one
    word. Theme aliases also match any inflection that lemmatises to them ("park" matches "parkerna").

    Raises ValueError on an empty slug or name, or an unknown kind.
    """

    slug: str
    name: str
    kind: EntryKind
    aliases: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.slug.strip():
            raise ValueError("a gazetteer entry needs a slug")
        if not self.name.strip():
            raise ValueError(f"gazetteer entry {self.slug!r} needs a name")
        if self.kind not in _KINDS:
            raise ValueError(f"gazetteer entry {self.slug!r}: kind must be one of {_KINDS}, not {self.kind!r}")
        if isinstance(self.aliases, str):
            raise ValueError(f"gazetteer entry {self.slug!r}: aliases must be a tuple of strings, not one string")


@dataclass(frozen=True, slots=True)
class Mention:
    """One place or theme found in an answer.

    ``trigger`` is ``text[start:end]`` as the resident wrote it. ``how`` says how it matched: 'exact' (an alias
    as written, ignoring case), 'normalised' (after folding accents, ASCII spellings, genitive -s or a compound),
    'fuzzy' (a typo within the edit budget) or 'theme' (a built-in or organisation theme).
    """

    slug: str
    kind: str
    trigger: str
    start: int
    end: int
    how: str


@dataclass(frozen=True, slots=True)
class Coding:
    """The coding of one answer.

    ``language`` is 'sv', 'en', 'other' or 'empty' (nothing but spaces, punctuation or emoji). ``needs_review`` is
    True when a person should read the answer before its coding is trusted: today that is every answer in another
    language, whose mentions (if any) are kept.
    """

    mentions: tuple[Mention, ...]
    language: str
    needs_review: bool

    @property
    def slugs(self) -> frozenset[str]:
        """Distinct slugs named: a respondent counts once per place however often they name it."""
        return frozenset(m.slug for m in self.mentions)
