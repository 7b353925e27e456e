"""Name variants generated from an official name: the ways residents write a place that no one typed as an alias.

A municipality loads its register of districts and squares; residents write "Stora torg" for *Stora torget*,
"Linné park" for *Linnéparken*, "N järnvägsgatan" for *Norra järnvägsgatan*, "domkyrkan" for *Växjö domkyrka*,
"stan" for *Växjö centrum*. ``name_variants`` writes those forms out from the name by rule, so the gazetteer can
match them like aliases (reported as 'normalised', never 'exact').

The rules, each a closed list so that an everyday word never becomes a name:

- **Definite and indefinite** forms of a word that ends in a known place noun (``HEADS``): torget/torg,
  parken/park, gatan/gata, skolan/skola, slottet/slott, sjön/sjö, centrum/centrumet, …, in every word of a
  multi-word name and at the end of a compound ("järnvägsgatan"/"järnvägsgata").
- **Compounds split and joined**: "Linnéparken" -> "Linné parken", "Linné park"; "Stortorget" -> "Stora torget",
  "Stora torg", "Stor torget"; "Arabytorget" -> "torget i Araby". (Joined forms of multi-word names,
  "Västra torget" -> "västratorget", and glued genitives are the gazetteer's own; see ``Gazetteer``.)
- **Genitive names** "Teleborgs slott" -> "slottet på Teleborg", "slottet i Teleborg".
- **Abbreviations** of the leading word: Sankt -> S:t/St (and left out: "Sigfrids plan"), Norra/Södra/Västra/
  Östra -> N/S/V/Ö; a street ending in "gatan" -> "…g" ("Järnvägsg").
- **The town's name dropped** from the front of a name (``town_words``): "Växjö domkyrka" -> "domkyrkan", "Växjö
  resecentrum" -> "resecentrum", when what is left is a specific word (at least six letters, not a bare place
  noun like "torget").
- **The town centre**: an area called "Centrum" or "<town> centrum" also answers to "stan", "innerstan",
  "stadskärnan", "city", "centrumet", "city centre", "<town> C" and "centrala <town>": the words every Swedish
  town uses for its core. Only the first such area gets them. Likewise the main square ("Stortorget", "Stora
  torg") is "torget".

Variants that two entries would share are dropped by the gazetteer (ambiguous), and an explicit alias or name of
another entry always wins over a variant.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import product

from trygg.text.normalise import fold

__all__ = ["ABBREVIATIONS", "HEADS", "centre_variants", "name_variants", "square_variants", "town_words"]

# Place nouns as (indefinite, definite). A word ending in one of these is a place word, and its other form is a
# variant. The definite form is listed even where residents rarely use it, because the name may carry either.
HEADS: tuple[tuple[str, str], ...] = (
    ("torg", "torget"), ("park", "parken"), ("gata", "gatan"), ("väg", "vägen"), ("skola", "skolan"),
    ("kyrka", "kyrkan"), ("slott", "slottet"), ("sjö", "sjön"), ("strand", "stranden"), ("bro", "bron"),
    ("backe", "backen"), ("hamn", "hamnen"), ("station", "stationen"), ("gränd", "gränden"), ("allé", "allén"),
    ("stig", "stigen"), ("bad", "badet"), ("hall", "hallen"), ("gård", "gården"), ("plan", "planen"),
    ("plats", "platsen"), ("torn", "tornet"), ("äng", "ängen"), ("ruin", "ruinen"), ("kaj", "kajen"),
    ("promenad", "promenaden"), ("terminal", "terminalen"), ("arena", "arenan"), ("bibliotek", "biblioteket"),
    ("centrum", "centrumet"), ("område", "området"), ("museum", "museet"), ("lund", "lunden"),
)
# Words every town uses for its core: what an area named "Centrum" or "<town> centrum" also answers to.
_CENTRE = ("centrum", "centrumet", "stan", "innerstan", "innerstaden", "stadskärnan", "city", "city centre",
           "city center", "town centre", "town center", "downtown")
_CENTRE_OF_TOWN = ("{town} c", "{town} city", "centrala {town}", "{town}s centrum", "{town}s innerstad")
_MAIN_SQUARE = frozenset(("stortorget", "stortorg", "storatorget", "storatorg"))
# Leading words and their abbreviations; "Sankt" may also be left out ("Sigfrids plan").
_LEADING = {
    "sankt": ("s:t", "st", ""), "sankta": ("s:ta", "sta", ""), "norra": ("n",), "södra": ("s",),
    "västra": ("v",), "östra": ("ö",),
}
# Single letters and short forms that end with a full stop inside a name ("st. sigfrids plan", "N. Storgatan"):
# the coder reads ". " after them as part of the name, not the end of a sentence.
ABBREVIATIONS: frozenset[str] = frozenset(
    fold(a) for forms in _LEADING.values() for a in forms if a) | frozenset(("g", "v"))
# Compound adjectives: "Stortorget" is "Stora torget", "Lilltorget" is "Lilla torget", "Nytorget" is "Nya torget".
_ADJECTIVES = (("stor", "stora"), ("lill", "lilla"), ("ny", "nya"))
_ADJECTIVE_FULL = {full: short for short, full in _ADJECTIVES}
_PREPOSITIONS = ("i", "på", "vid")
# A compound splits after at least two letters ("Ox torget"); "torget i X" needs a prefix that can be a name.
_MIN_PREFIX = 2
_MIN_OWNER = 3
_MIN_OWNER_COMPOUND = 5
_MIN_SPECIFIC = 6
_MAX_VARIANTS = 96

_DEFINITE = {indefinite: definite for indefinite, definite in HEADS}
_INDEFINITE = {definite: indefinite for indefinite, definite in HEADS}
_HEAD_WORDS = frozenset(_DEFINITE) | frozenset(_INDEFINITE)


def _word_forms(word: str) -> tuple[str, ...]:
    """The word, and its other form when it ends in a place noun ("järnvägsgatan" -> "järnvägsgata", "…g")."""
    forms = [word]
    for ending, other in (*_INDEFINITE.items(), *_DEFINITE.items()):
        if word.endswith(ending):
            stem = word[: -len(ending)]
            forms.append(stem + other)
            if ending == "gatan" and len(stem) >= 4:
                forms.append(stem + "g")
            break
    return tuple(dict.fromkeys(forms))


def _split(word: str) -> tuple[str, str, str] | None:
    """(prefix, indefinite head, definite head) of a compound ending in a place noun, or None."""
    for ending in sorted(_HEAD_WORDS, key=len, reverse=True):
        if word.endswith(ending) and len(word) - len(ending) >= _MIN_PREFIX:
            indefinite = _INDEFINITE.get(ending, ending)
            return word[: -len(ending)].rstrip("-"), indefinite, _DEFINITE[indefinite]
    return None


def name_variants(name: str, town: Iterable[str] = ()) -> tuple[str, ...]:
    """Lowercase variants of one official name (not including the name itself), at most ``_MAX_VARIANTS``.

    ``town`` holds lowercase words that name the town itself (see ``town_words``); a name starting with one
    also gets its remainder as a variant when that is specific. Empty for a name the rules do not touch.
    """
    words = name.lower().split()
    if not words:
        return ()
    towns = frozenset(town)
    out: list[str] = []
    bases = [words]
    if len(words) >= 2 and words[0] in towns:
        rest = words[1:]
        specific = len(rest) > 1 or (len(rest[0]) >= _MIN_SPECIFIC and rest[0] not in _HEAD_WORDS)
        if specific:
            bases.append(rest)
    for base in bases:
        if len(base) == 1:
            out.extend(_single_word(base[0]))
            continue
        lead = _LEADING.get(base[0], ())
        per_word = [[base[0], *lead], *(list(_word_forms(w)) for w in base[1:])]
        for combo in product(*per_word):
            out.append(" ".join(w for w in combo if w))
        if len(base) == 2 and base[0] in _ADJECTIVE_FULL:
            # "Stora torget" -> "Stortorget", "Stortorg"
            out.extend(_ADJECTIVE_FULL[base[0]] + form for form in _word_forms(base[1]))
        definite = _definite(base[-1])
        if len(base) == 2 and base[0].endswith("s") and len(base[0]) > _MIN_OWNER and definite is not None:
            # "Teleborgs slott" -> "slottet på Teleborg", "Ränneslövs station" -> "stationen i Ränneslöv"
            out.extend(f"{definite} {prep} {base[0][:-1]}" for prep in _PREPOSITIONS)
    seen = {" ".join(words)}
    variants = [v for v in dict.fromkeys(out) if v and v not in seen]
    return tuple(variants[:_MAX_VARIANTS])


def _single_word(word: str) -> list[str]:
    out = list(_word_forms(word))
    split = _split(word)
    if split is not None:
        prefix, indefinite, definite = split
        prefixes = [prefix]
        prefixes += [full for short, full in _ADJECTIVES if prefix == short]
        out.append(prefix + indefinite)
        for first in prefixes:
            out += [f"{first} {definite}", f"{first} {indefinite}"]
        if len(prefix) >= _MIN_OWNER_COMPOUND and prefix not in _ADJECTIVE_FULL.values():
            out += [f"{definite} {prep} {prefix}" for prep in _PREPOSITIONS]
    return out


def _definite(word: str) -> str | None:
    """The definite form of a word ending in a place noun ("borgruin" -> "borgruinen"), or None."""
    for ending in sorted(_HEAD_WORDS, key=len, reverse=True):
        if word.endswith(ending):
            if ending in _INDEFINITE:
                return word
            return word[: -len(ending)] + _DEFINITE[ending]
    return None


def centre_variants(name: str, town: Iterable[str] = ()) -> tuple[str, ...]:
    """The town-centre words when ``name`` is "Centrum" or "<town> centrum" ("Laholms centrum"), else ()."""
    words = name.lower().split()
    towns = [w for w in town]
    if words == ["centrum"]:
        return _CENTRE
    if len(words) == 2 and words[1] == "centrum" and words[0] in towns:
        place = words[0][:-1] if words[0].endswith("s") and words[0][:-1] in towns else words[0]
        return (*_CENTRE, *(form.format(town=place) for form in _CENTRE_OF_TOWN))
    return ()


def square_variants(name: str) -> tuple[str, ...]:
    """"torget" for the main square ("Stortorget", "Stora torget", "Stora torg"), as every Swedish town says; ()
    for any other name. The gazetteer gives it to the first such place only."""
    return ("torget",) if fold("".join(name.lower().split())) in _MAIN_SQUARE else ()


def town_words(names: Sequence[str]) -> frozenset[str]:
    """Lowercase leading words that begin at least two multi-word names and are not themselves a direction,
    an adjective or a saint: in practice the town's name ("Växjö domkyrka", "Växjö resecentrum"), with and
    without a genitive -s ("Laholms station", "Laholm C")."""
    firsts = Counter(fold(n.lower().split()[0]) for n in names if len(n.split()) >= 2)
    skip = {fold(w) for w in _LEADING} | {fold(full) for _, full in _ADJECTIVES}
    stems = Counter(f[:-1] if f.endswith("s") else f for f in firsts.elements() if f not in skip)
    shared = {stem for stem, count in stems.items() if count >= 2}
    out: set[str] = set()
    for n in names:
        first = n.lower().split()[0]
        key = fold(first)
        if len(n.split()) >= 2 and (key in shared or (key.endswith("s") and key[:-1] in shared)):
            out.add(first)
            out.add(first[:-1] if first.endswith("s") else first + "s")
    return frozenset(out)
