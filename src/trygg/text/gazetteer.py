"""The compiled gazetteer of one organisation: areas, named places and themes, ready to match many answers.

Compiling builds two word tries (names; themes), a compound-suffix table and a fuzzy index once; each distinct
word a resident writes is analysed once and cached, so coding an answer is mostly dictionary look-ups.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import product
from typing import NamedTuple

import simplemma
from rapidfuzz import process
from rapidfuzz.distance import OSA

from trygg.text.entries import GazetteerEntry
from trygg.text.normalise import fold, genitive_stem, lemma, tokenise
from trygg.text.scope import OTHER, cue_of
from trygg.text.stopwords import STOPWORDS
from trygg.text.themes import BUILTIN_THEMES
from trygg.text.variants import centre_variants, name_variants, square_variants, town_words

__all__ = ["Gazetteer"]

# Words that, glued after a name, still mean that place ("Andersbergsskolan", "Vallåsområdet"). A closed list,
# because "centrum" + "utveckling" is a project, not a place.
_COMPOUND_HEADS = frozenset(fold(w) for w in (
    "område området områdena skola skolan centrum centret torg torget gata gatan väg vägen park parken bad badet "
    "hall hallen kyrkan backe backen skog skogen stig stigen plan planen hus huset husen gård gården rondell "
    "rondellen korsning korsningen station stationen hållplats hållplatsen kiosk kiosken affären butiken pizzerian "
    "biblioteket garage garaget tunnel tunneln bron gången strand stranden promenaden hamnen vallen torp "
    "området's gänget ungdomarna"
).split())
_MIN_COMPOUND_NAME = 5
# An area's own centre is the area: "Andersbergs centrum", "Vallås centre".
_CENTRE_WORDS = ("centrum", "centre", "center")
_MIN_FUZZY = 5
_MIN_FUZZY_THEME = 8
_CACHE_LIMIT = 200_000


class _Node:
    __slots__ = ("children", "entry")

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        self.entry = -1


class TokenInfo(NamedTuple):
    """What the gazetteer knows about one distinct lowercase word (cached; a named tuple, the quickest record to
    make, because every new word a resident writes makes one)."""

    folded: str
    name_keys: tuple[str, ...]
    theme_keys: tuple[str, ...]
    cue: int
    single: int  # entry matched by the word alone as a compound, or -1
    fuzzy_ok: bool
    # Entry the word is a typo of, or -1: one edit, two for long words, fewer for words the Swedish lexicon knows
    # (see ``Gazetteer.fuzzy``).
    typo: int
    plain: bool  # letters only, no cue, no stop word: may be half of a name written apart
    starts: bool  # some alias starts with this word, so a match may begin here


class Gazetteer:
    """Areas, places and themes of one organisation, compiled for matching.

    ``entries`` are the organisation's areas and places (and optionally its own themes). An entry of kind 'theme'
    whose slug is a built-in theme adds its aliases to that theme, so an organisation can say that "hela
    Halmstad" means ``overallt``. Raises ValueError when two entries share a slug (other than that merge).
    Area names also match followed by "centrum"/"centre" ("Andersbergs centrum" is Andersberg, not the city core).
    Passing ``gazetteer.entries`` of another gazetteer again is fine: built-in themes merge with themselves.
    """

    def __init__(self, entries: Sequence[GazetteerEntry], include_builtin_themes: bool = True) -> None:
        merged: dict[str, GazetteerEntry] = {}
        if include_builtin_themes:
            merged.update((t.slug, t) for t in BUILTIN_THEMES)
        for entry in entries:
            known = merged.get(entry.slug)
            if known is None:
                merged[entry.slug] = entry
            elif include_builtin_themes and known.kind == entry.kind == "theme" and known in BUILTIN_THEMES:
                merged[entry.slug] = GazetteerEntry(known.slug, known.name, "theme", known.aliases + entry.aliases)
            else:
                raise ValueError(f"two gazetteer entries have the slug {entry.slug!r}")
        self.entries: tuple[GazetteerEntry, ...] = tuple(merged.values())
        self._index = {e.slug: i for i, e in enumerate(self.entries)}
        self._names = _Node()
        self._themes = _Node()
        self._suffixes: dict[str, int] = {}
        self._prefixes: dict[str, int] = {}
        self._fuzzy: dict[str, int] = {}
        self._exact: dict[int, frozenset[str]] = {}
        self._cache: dict[str, TokenInfo] = {}
        self._fuzzy_known: dict[str, int] = {}
        self._fuzzy_unknown: dict[str, int] = {}
        self._theme_words: set[str] = set()
        # Names first, then their generated variants, then themes: where a name and a theme share a word
        # ("stationen", "resecentrum") the fuzzy index keeps the name, and a name or alias someone wrote always
        # wins over a variant.
        for idx, entry in enumerate(self.entries):
            if entry.kind != "theme":
                self._compile(idx, entry)
        for idx, variant, typos in self._variants():
            self._add(idx, variant, "place", typos)
        for idx, entry in enumerate(self.entries):
            if entry.kind == "theme":
                self._compile(idx, entry)
        self._suffix_sizes = sorted({len(k) for k in self._suffixes}, reverse=True)
        self._prefix_sizes = sorted({len(k) for k in self._prefixes})
        self._theme_prefixes = frozenset(w[:3] for w in self._theme_words)
        # Typo candidates by first letter and length: a typo never changes the first letter (see ``fuzzy``) and
        # changes the length by at most the budget, so a word is compared with the few names in reach.
        self._glue_starts = frozenset((c[:2], len(c) + d) for c in self._fuzzy for d in (-1, 0, 1))
        self._fuzzy_by_start: dict[tuple[str, int], list[str]] = {}
        self._candidate_lists: dict[tuple[str, int, int], list[str]] = {}
        for choice in self._fuzzy:
            self._fuzzy_by_start.setdefault((choice[0], len(choice)), []).append(choice)
        # A compound can only end in a known suffix or start with a known name if its last three or first five
        # letters do: most words are ruled out with one look-up.
        self._suffix_ends = frozenset(k[-3:] for k in self._suffixes)
        self._prefix_starts = frozenset(k[:_MIN_COMPOUND_NAME] for k in self._prefixes)

    def index_of(self, slug: str) -> int:
        """Index of the entry with this slug, or -1."""
        return self._index.get(slug, -1)

    def entry(self, idx: int) -> GazetteerEntry:
        """The entry at an index returned by the matchers."""
        return self.entries[idx]

    def is_exact(self, idx: int, surface: str) -> bool:
        """True when ``surface`` is one of the entry's aliases as written (ignoring case and spacing)."""
        return " ".join(surface.lower().split()) in self._exact[idx]

    def _compile(self, idx: int, entry: GazetteerEntry) -> None:
        aliases: list[str] = []
        for alias in (entry.name, *entry.aliases):
            aliases.append(alias)
            if "/" in alias:
                aliases.extend(part for part in alias.split("/") if part.strip())
        if entry.kind == "area":
            aliases.extend([f"{a} {centre}" for a in aliases for centre in _CENTRE_WORDS if not a.startswith("*")])
        self._exact[idx] = frozenset(" ".join(a.lower().split()) for a in aliases)
        for alias in aliases:
            self._add(idx, alias, entry.kind)

    def _variants(self) -> list[tuple[int, str, bool]]:
        """(entry, variant, typos allowed) for the name variants of areas and places (``trygg.text.variants``).

        Unambiguous only: a variant two entries would both generate names neither. Only the first area called
        "Centrum" or "<town> centrum" gets the town-centre words ("stan", "innerstan"), and only the first main
        square "torget", which is an everyday word and so gets no typo matching.
        """
        names = [(idx, part.strip()) for idx, e in enumerate(self.entries) if e.kind != "theme"
                 for part in dict.fromkeys((e.name, *e.name.split("/"))) if part.strip()]
        towns = town_words([name for _, name in names])
        owners: dict[str, set[int]] = {}
        found: list[tuple[int, str, bool]] = []
        centre_given = square_given = False
        for idx, name in names:
            centre = () if centre_given or self.entries[idx].kind != "area" else centre_variants(name, towns)
            square = () if square_given or self.entries[idx].kind != "place" else square_variants(name)
            centre_given, square_given = centre_given or bool(centre), square_given or bool(square)
            for variant, typos in (*((v, True) for v in (*name_variants(name, towns), *centre)),
                                   *((v, False) for v in square)):
                key = " ".join(fold(w) for _, _, w in tokenise(variant))
                owners.setdefault(key, set()).add(idx)
                found.append((idx, variant, typos))
        return [(idx, v, typos) for idx, v, typos in found
                if len(owners[" ".join(fold(w) for _, _, w in tokenise(v))]) == 1]

    def _add(self, idx: int, alias: str, kind: str, typos: bool = True) -> None:
        """Compile one alias of entry ``idx`` into the tries, the compound tables and (``typos``) the fuzzy index."""
        if alias.startswith("*"):
            self._suffixes[fold(alias[1:])] = idx
            return
        words = [w for _, _, w in tokenise(alias)]
        if not words:
            return
        if kind == "theme":
            _insert(self._themes, [(fold(w),) for w in words], idx)
            self._theme_words.update(fold(w) for w in words)
            # Long theme words get typo matching too ("gångtunnlana"); short ones are everyday words.
            if len(words) == 1 and len(fold(words[0])) >= _MIN_FUZZY_THEME:
                self._fuzzy.setdefault(fold(words[0]), idx)
            return
        keys = [_alias_keys(w, last=(i == len(words) - 1)) for i, w in enumerate(words)]
        _insert(self._names, keys, idx)
        if not typos:
            return
        if len(words) == 1:
            key = fold(words[0])
            if len(key) >= _MIN_COMPOUND_NAME:
                self._prefixes.setdefault(key, idx)
            if len(key) >= _MIN_FUZZY:
                self._fuzzy.setdefault(key, idx)
        else:
            joined = "".join(fold(w) for w in words)
            _insert(self._names, [(joined,)], idx)
            if len(joined) >= 8:
                self._fuzzy.setdefault(joined, idx)

    def infos(self, words: Sequence[str]) -> list[TokenInfo]:
        """``info`` of each word, the cached ones read without a call each."""
        cache = self._cache
        return [cache.get(word) or self.info(word) for word in words]

    def may_glue(self, key: str) -> bool:
        """Whether two words glued into ``key`` may be a name within one edit: a name of about that length starts
        with the same two letters (two words glued are a weak hint, so the second letter must agree too)."""
        return (key[:2], len(key)) in self._glue_starts

    def info(self, word: str) -> TokenInfo:
        """Analysis of one lowercase word, computed once per gazetteer and cached."""
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        if len(self._cache) > _CACHE_LIMIT:
            self._cache.clear()
        folded = fold(word)
        stem = genitive_stem(word)
        name_keys = (folded,) if stem is None or fold(stem) == folded else (folded, fold(stem))
        alpha = word.isalpha()
        # Asking the Swedish lexicon costs more than everything else here, so it is asked only when the answer
        # matters: for a lemma (theme words only: "parkerna" -> "park", so only words that begin like a theme
        # word) and for the typo budget (only when a typo match is in reach at all).
        in_lexicon: bool | None = None
        lemma_key = folded
        if alpha and folded[:3] in self._theme_prefixes:
            in_lexicon = bool(simplemma.is_known(word, lang="sv"))
            if in_lexicon:
                lemma_key = fold(lemma(word))
        theme_keys = (folded,) if lemma_key == folded else (folded, lemma_key)
        cue = cue_of(word)
        plain = cue == OTHER and alpha and word not in STOPWORDS
        fuzzy_ok = plain and len(folded) >= _MIN_FUZZY and not any(k in self._theme_words for k in theme_keys)
        typo = -1
        if fuzzy_ok:
            # The budget for an unknown word is never smaller than for a known one, so no match there means none.
            typo = next((hit for key in name_keys if (hit := self.fuzzy(key, False)) >= 0), -1)
            if typo >= 0:
                if in_lexicon is None:
                    in_lexicon = bool(simplemma.is_known(word, lang="sv"))
                if in_lexicon:
                    typo = next((hit for key in name_keys if (hit := self.fuzzy(key, True)) >= 0), -1)
        info = TokenInfo(
            folded=folded,
            name_keys=name_keys,
            theme_keys=theme_keys,
            cue=cue,
            single=self._single(name_keys + theme_keys),
            plain=plain,
            starts=any(k in self._names.children for k in name_keys)
            or any(k in self._themes.children for k in theme_keys),
            fuzzy_ok=fuzzy_ok,
            typo=typo,
        )
        self._cache[word] = info
        return info

    def _single(self, keys: tuple[str, ...]) -> int:
        """Entry named by a compound word: a known suffix ("cykeltunneln") or a name followed by a known head.

        Only the lengths some suffix or name has are tried: the longest suffix first, then the shortest name.
        """
        for key in keys:
            if key[-3:] not in self._suffix_ends:
                continue
            for size in self._suffix_sizes:
                if 3 <= size <= len(key) - 2:
                    hit = self._suffixes.get(key[-size:])
                    if hit is not None:
                        return hit
        for key in keys:
            if key[:_MIN_COMPOUND_NAME] not in self._prefix_starts:
                continue
            for cut in self._prefix_sizes:
                if cut > len(key) - 3:
                    break
                hit = self._prefixes.get(key[:cut])
                if hit is None:
                    continue
                rest = key[cut:]
                if rest in _COMPOUND_HEADS or (rest.startswith("s") and rest[1:] in _COMPOUND_HEADS):
                    return hit
        return -1

    def longest(self, infos: Sequence[TokenInfo], joined: Sequence[bool], i: int) -> tuple[int, int]:
        """Longest alias starting at token i as (end token, exclusive; entry), or (i, -1).

        ``joined[k]`` says whether token k follows token k-1 with only spaces or a hyphen, so a name never runs
        across punctuation. On equal length a name beats a theme.
        """
        best_end, best_entry = i, -1
        for root, attr in ((self._names, "name_keys"), (self._themes, "theme_keys")):
            frontier = [root]
            k = i
            while frontier and k < len(infos) and (k == i or joined[k]):
                keys: tuple[str, ...] = getattr(infos[k], attr)
                frontier = [child for node in frontier for key in keys if (child := node.children.get(key))]
                k += 1
                for node in frontier:
                    if node.entry >= 0 and k > best_end:
                        best_end, best_entry = k, node.entry
        return best_end, best_entry

    def fuzzy(self, key: str, known_word: bool) -> int:
        """Entry whose name is within a small edit distance of ``key``, or -1.

        Edits are insertions, deletions, substitutions and swaps of neighbours ("cenrtum"). The budget is one edit
        up to eight letters and two above; a word the Swedish lexicon knows gets one edit
        and only from eight letters, so everyday words ("lila", "stationer") never turn into names. The first
        letter must agree: typos there are rare and a different first letter is usually a different word.
        """
        if known_word:
            budget = 1 if len(key) >= 8 else 0
        else:
            budget = 1 if len(key) <= 8 else 2
        if not budget:
            return -1
        cache = self._fuzzy_known if known_word else self._fuzzy_unknown
        hit = cache.get(key)
        if hit is not None:
            return hit
        if len(cache) > _CACHE_LIMIT:
            cache.clear()
        result = -1
        choices = self._candidates(key[:1], len(key), budget)
        if choices:
            best = process.extractOne(key, choices, scorer=OSA.distance, score_cutoff=budget)
            if best is not None:
                result = self._fuzzy[best[0]]
        cache[key] = result
        return result

    def _candidates(self, first: str, size: int, budget: int) -> list[str]:
        """Names that start with ``first`` and are within ``budget`` letters of ``size`` long (kept per gazetteer)."""
        found = self._candidate_lists.get((first, size, budget))
        if found is None:
            if len(self._candidate_lists) > _CACHE_LIMIT:
                self._candidate_lists.clear()
            found = [c for length in range(size - budget, size + budget + 1)
                     for c in self._fuzzy_by_start.get((first, length), ())]
            self._candidate_lists[(first, size, budget)] = found
        return found


def _alias_keys(word: str, last: bool) -> tuple[str, ...]:
    """Keys of one alias word; a genitive inside a multi-word name may be dropped ("Karl XI:s väg" ~ "Karl XI väg")."""
    stem = genitive_stem(word) if not last and word.endswith("s") else None
    return (fold(word),) if stem is None else (fold(word), fold(stem))


def _insert(root: _Node, keys: Sequence[tuple[str, ...]], idx: int) -> None:
    for path in product(*keys):
        node = root
        for key in path:
            node = node.children.setdefault(key, _Node())
        if node.entry < 0:
            node.entry = idx
