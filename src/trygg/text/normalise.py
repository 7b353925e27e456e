"""Swedish text normalisation: slugs, folded keys, tokens.

Everything here is pure and deterministic; the gazetteer calls these functions once per distinct token and caches
the result, so they favour clarity over micro-speed.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import simplemma

__all__ = ["fold", "genitive_stem", "lemma", "slugify", "tokenise"]

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
# Swedish writes the genitive of abbreviations and numerals with a colon ("Karl XI:s väg", "SJ:s"), and residents
# often paste an apostrophe from English ("Andersberg's"): both stay inside one token.
_TOKEN = re.compile(r"[^\W_]+(?:[:'’][^\W_]+)*")
# Residents without å/ä/ö on their keyboard write aa/ae/oe, or just a/o: folding both spellings to the same plain
# vowel lets "Vallaas", "Vallas" and "Vallås" meet.
_DIGRAPHS = (("aa", "a"), ("ae", "a"), ("oe", "o"))
# The accented letters Swedish answers hold, folded without Unicode decomposition (the slow path handles the rest,
# with the same result), and the genitive marks removed.
_FOLD_TABLE = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "è": "e", "ü": "u", "á": "a", "à": "a",
                             ":": None, "'": None, "’": None})


def slugify(name: str) -> str:
    """Turn a display name into a URL-safe identifier.

    NFKD-decompose, drop accents, lowercase, turn each run of other characters into one "-", strip "-" at the ends:
    "Stadskärnan" -> "stadskarnan", "Karl XI:s väg" -> "karl-xi-s-vag". A name with no letters or digits gives "".
    """
    decomposed = unicodedata.normalize("NFKD", name)
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return _NON_ALNUM.sub("-", ascii_only).strip("-")


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """Matching key of one word: lowercase, accents dropped, aa/ae/oe -> a/a/o, ':' and apostrophes removed.

    "Vallås", "Vallaas" and "VALLAS" all give "vallas"; "XI:s" gives "xis". Both the gazetteer's aliases and the
    residents' words go through this, so a collision of two different words can only make them match each other,
    never break an exact spelling.
    """
    plain = word.lower().translate(_FOLD_TABLE)
    if not plain.isascii():
        decomposed = unicodedata.normalize("NFKD", plain)
        plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    for digraph, vowel in _DIGRAPHS:
        plain = plain.replace(digraph, vowel)
    return plain


def genitive_stem(word: str) -> str | None:
    """The word without a genitive -s ("Andersbergs" -> "Andersberg", "XI:s" -> "XI", "Lund's" -> "Lund").

    Returns None when the word does not end in s or would be shorter than three letters ("bus", "is"): such
    words are too short to carry a name, and stripping them would only create false matches.
    """
    for ending in (":s", "'s", "’s"):
        if word.endswith(ending) and len(word) - len(ending) >= 2:
            return word[: -len(ending)]
    if word.endswith("s") and len(word) >= 4:
        return word[:-1]
    return None


@lru_cache(maxsize=65536)
def lemma(word: str) -> str:
    """Swedish dictionary form of a lowercase word ("parkerna" -> "park", "tunnlarna" -> "tunnel").

    Unknown words come back unchanged. The lemmatiser capitalises proper nouns it knows ("Halmstad"), so the
    result is lowercased again.
    """
    return simplemma.lemmatize(word, lang="sv").lower()


def tokenise(text: str) -> list[tuple[int, int, str]]:
    """Word tokens of ``text`` as (start, end, lowercase surface), in order.

    A token is a run of letters or digits, possibly joined by ':' or an apostrophe ("XI:s", "don't"). Emoji and
    punctuation are not tokens; the caller reads the gaps between tokens to find clause boundaries.
    """
    return [(m.start(), m.end(), m.group().lower()) for m in _TOKEN.finditer(text)]
