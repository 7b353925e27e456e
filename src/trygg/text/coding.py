"""Code one free-text answer to the gazetteer: which places and themes does it name as unsafe?"""

from __future__ import annotations

from trygg.text.entries import Coding, Mention
from trygg.text.gazetteer import Gazetteer, TokenInfo
from trygg.text.language import detect_language
from trygg.text.normalise import tokenise
from trygg.text.scope import JOIN, MENTION, gap_of, votes
from trygg.text.variants import ABBREVIATIONS

__all__ = ["code_mentions"]

_EMPTY = Coding((), "empty", False)
# Categories the scope rules distinguish; every other slug is a plain 'name' or 'theme'.
_CATEGORY_BY_SLUG = {"overallt": "overallt", "morka_platser": "time"}
_AND = frozenset(("och", "eller", "samt", "o", "and", "or"))
_AFTER = frozenset(("efter", "after", "från", "from"))
_CLOCK = frozenset(("kl", "klockan", "ca", "typ", "around"))

Found = tuple[int, int, int, str]  # first token, end token (exclusive), entry index, how


def code_mentions(text: str, gazetteer: Gazetteer) -> Coding:
    """Find the areas, places and themes an answer names as unsafe.

    Matching is word-based and longest-first ("Centrum öst" is the area, not the city core); then typos are
    matched on the words left over, "Stora och Lilla torg" is read as both squares, and evening hours ("efter
    22") count as darkness; finally negated or safe mentions are dropped (see ``trygg.text.scope``). A place named
    twice gives two mentions but one slug. Blank, punctuation-only and emoji-only answers give an empty coding with
    language 'empty'; answers in other languages keep what was found and need review.
    """
    if not text or text.isspace():
        return _EMPTY
    tokens = tokenise(text)
    words = [w for _, _, w in tokens]
    language = detect_language(text, words)
    review = language == "other"
    if not tokens:
        return Coding((), language, review)
    infos = gazetteer.infos(words)
    gaps = [JOIN]
    for k in range(1, len(tokens)):
        gap = text[tokens[k - 1][1] : tokens[k][0]]
        gaps.append(JOIN if gap == " " else _gap(gap, words[k - 1]))
    joined = [g == JOIN for g in gaps]

    found = _aliases(gazetteer, infos, joined)
    found = _fuzzy(gazetteer, infos, words, joined, found)
    found += _ellipsis(gazetteer, infos, words, found)
    dark = gazetteer.index_of("morka_platser")
    if dark >= 0:
        found += [(k, end, dark, "theme") for k, end in _late_hours(words, found)]
    if not found:
        return Coding((), language, review)
    found.sort()

    cues = [info.cue for info in infos]
    spans = []
    for first, end, idx, _ in found:
        cues[first:end] = [MENTION] * (end - first)
        entry = gazetteer.entry(idx)
        spans.append((first, end - 1, _CATEGORY_BY_SLUG.get(entry.slug, "theme" if entry.kind == "theme" else "name")))
    keep = votes(cues, gaps, spans)

    mentions = []
    for (first, end, idx, how), kept in zip(found, keep, strict=True):
        if not kept:
            continue
        entry = gazetteer.entry(idx)
        start, stop = tokens[first][0], tokens[end - 1][1]
        trigger = text[start:stop]
        if entry.kind == "theme":
            how = "theme"
        elif how == "match":
            how = "exact" if gazetteer.is_exact(idx, trigger) else "normalised"
        mentions.append(Mention(entry.slug, entry.kind, trigger, start, stop, how))
    return Coding(tuple(mentions), language, review)


def _gap(gap: str, before: str) -> int:
    """Class of a gap; a full stop right after an abbreviation ("st. sigfrids plan", "N. Storgatan") joins."""
    if before in ABBREVIATIONS and gap in (".", ". "):
        return JOIN
    return gap_of(gap)


def _aliases(gazetteer: Gazetteer, infos: list[TokenInfo], joined: list[bool]) -> list[Found]:
    """Leftmost-longest alias matches, then compounds ("Andersbergsskolan", "cykeltunneln") word by word."""
    found: list[Found] = []
    k = 0
    while k < len(infos):
        if not infos[k].starts and infos[k].single < 0:
            k += 1
            continue
        end, idx = gazetteer.longest(infos, joined, k)
        how = "match"
        if idx < 0 and infos[k].single >= 0:
            end, idx, how = k + 1, infos[k].single, "normalised"
        if idx < 0:
            k += 1
            continue
        found.append((k, end, idx, how))
        k = end
    return found


def _fuzzy(
    gazetteer: Gazetteer, infos: list[TokenInfo], words: list[str], joined: list[bool], found: list[Found]
) -> list[Found]:
    """Typos of names on the words no alias matched: single words, then two words glued ("Anders berg").

    A glued pair may take over one-word matches ("Rännelövs station" is the station in Ränneslöv, not the theme
    'kollektivtrafik'; "Västea torget" is Västra torget, not Väster and the main square), because a name of two
    words within one edit is more specific than either word alone.
    """
    owner = [-1] * len(infos)
    for n, (first, end, _, _) in enumerate(found):
        owner[first:end] = [n] * (end - first)
    added: list[Found] = []
    dropped: set[int] = set()
    for k, info in enumerate(infos):
        idx = info.typo
        if idx < 0:
            continue
        # A theme read from a compound's ending ("Linnnéparken" as a park) yields to a name within the typo budget.
        compound_theme = 0 <= owner[k] < len(found) and _is_compound_theme(gazetteer, found[owner[k]])
        if owner[k] >= 0 and not compound_theme:
            continue
        if compound_theme and gazetteer.entry(idx).kind == "theme":
            continue
        if compound_theme:
            dropped.add(owner[k])
        added.append((k, k + 1, idx, "fuzzy"))
        owner[k] = len(found) + len(added) - 1
    matches = found + added
    for k in range(1, len(infos)):
        if not joined[k] or len(infos[k - 1].folded) + len(infos[k].folded) < 8:
            continue
        left, right = owner[k - 1], owner[k]
        # The left word may be unmatched or a one-word typo match ("västea" read as Väster), the right one
        # unmatched or any one-word match ("torget"): glued, they may be one name with a typo ("Västra torget").
        left_ok = infos[k - 1].plain if left < 0 else _one_word(matches[left]) and matches[left][3] == "fuzzy"
        right_ok = infos[k].plain if right < 0 else _one_word(matches[right])
        if not (left_ok and right_ok) or left >= 0 and left == right:
            continue
        key = infos[k - 1].folded + infos[k].folded
        if not gazetteer.may_glue(key):
            continue
        # Treated like a known word: one edit at most, because two words glued together are a weak hint.
        idx = gazetteer.fuzzy(key, True)
        if idx >= 0 and gazetteer.entry(idx).kind != "theme":
            dropped.update(n for n in (left, right) if n >= 0)
            matches.append((k - 1, k + 1, idx, "fuzzy"))
            owner[k - 1] = owner[k] = len(matches) - 1
    return [m for n, m in enumerate(matches) if n not in dropped]


def _one_word(match: Found) -> bool:
    return match[1] - match[0] == 1


def _is_compound_theme(gazetteer: Gazetteer, match: Found) -> bool:
    first, end, idx, how = match
    return end - first == 1 and how == "normalised" and gazetteer.entry(idx).kind == "theme"


def _ellipsis(gazetteer: Gazetteer, infos: list[TokenInfo], words: list[str], found: list[Found]) -> list[Found]:
    """"Stora och Lilla torg": a word before "och" that makes a name with the following name's last words."""
    covered = {k for first, end, _, _ in found for k in range(first, end)}
    added: list[Found] = []
    for first, end, idx, _ in found:
        k = first - 2
        if end - first < 2 or k < 0 or k in covered or words[first - 1] not in _AND:
            continue
        if gazetteer.entry(idx).kind == "theme":
            continue
        virtual = [infos[k], *infos[first + 1 : end]]
        stop, hit = gazetteer.longest(virtual, [True] * len(virtual), 0)
        if hit >= 0 and stop == len(virtual) and gazetteer.entry(hit).kind != "theme":
            added.append((k, k + 1, hit, "normalised"))
    return added


def _late_hours(words: list[str], found: list[Found]) -> list[tuple[int, int]]:
    """Spans like "efter 22", "efter kl 20:00", "after 10 pm": evening and night hours count as darkness.

    Hours from 17 to 24 and from 0 to 5 qualify; "pm" adds twelve to hours up to 11.
    """
    covered = {k for first, end, _, _ in found for k in range(first, end)}
    spans = []
    for k, word in enumerate(words):
        if word not in _AFTER or k in covered:
            continue
        j = k + 1
        while j < len(words) and words[j] in _CLOCK:
            j += 1
        if j >= len(words) or j in covered:
            continue
        hour_text = words[j].split(":")[0]
        if not hour_text.isdigit() or len(hour_text) > 2:
            continue
        hour, end = int(hour_text), j + 1
        if end < len(words) and words[end] == "pm" and hour <= 11:
            hour, end = hour + 12, end + 1
        if 17 <= hour <= 24 or hour <= 5:
            spans.append((k, end))
    return spans
