"""Which mentions are votes: negation, "safe here", "everywhere except" and contrast.

The question asks where residents feel *unsafe*, so a place named under a negation ("inte i centrum", "utom
centrum") or as a safe place ("trygg i centrum") is not a vote. The rules work on clauses: an answer is split at
sentence punctuation, commas and contrast words ("men", "but"). Within a clause:

- A negation governs a mention when only fillers (prepositions, articles, "heller", "direkt" …) or a coordinated
  mention stand between them: "inte i centrum eller på Vallås" drops both; "vågar inte gå i centrum" keeps
  centrum, because "gå" ends the negation's reach. A negation right after an ordinary verb negates the verb
  ("går inte till Andersberg" keeps Andersberg, "vet inte" is no negation), after a copula or at the start of a
  clause it negates the place ("det är inte centrum", "inte i centrum"). "inte bara" is not a negation.
- A mention takes the polarity of the nearest safety word before it in the clause, else the nearest after it:
  "trygg i centrum" and "i centrum känner jag mig trygg" drop centrum; "inte trygg i centrum", "otrygg i centrum"
  keep it; "inte rädd i centrum" drops it.
- After "utom"/"förutom"/"except": a safe clause ("trygg överallt utom Andersberg") keeps the place; an unsafe
  "everywhere" ("otryggt överallt utom Söndrum") drops it, and so does a bare "utom centrum"; after a negation
  ("inga förutom centrum", "ingenstans utom centrum") or with "förutom" meaning "besides" it is kept.
- "Everywhere" narrowed to a place is that place: "överallt i centrum" is centrum, "överallt där det är mörkt" is
  darkness; "överallt på kvällen" stays everywhere (a time, not a place).
- Contrast: after a safe clause, "men inte på Andersberg" keeps Andersberg. A safe clause whose contrast is only
  a time of day ("trygg i stan på dagen men inte på kvällen") keeps its places.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "BESIDES", "CONTRAST", "COORD", "EXCEPT", "FILLER", "GAP_COORD", "HARD", "JOIN", "LEAD", "MENTION", "NEG",
    "ONLY", "OTHER", "SAFE", "SOFT", "UNSAFE", "WHERE", "cue_of", "gap_of", "votes",
]

OTHER, NEG, SAFE, UNSAFE, EXCEPT, FILLER, COORD, CONTRAST, LEAD, ONLY, MENTION, WHERE, BESIDES = range(13)
JOIN, SOFT, HARD, GAP_COORD = range(4)

_CUES: dict[str, int] = {}
for _cue, _words in (
    (NEG, "inte ej icke aldrig inga ingen inget not never dont don't isn't aren't wasn't can't cant cannot won't "
          "didn't haven't no nowhere ingenstans"),
    (SAFE, "trygg tryggt trygga tryggare säker säkert säkra lugn lugnt okej ok okay safe safer secure fine"),
    (UNSAFE, "otrygg otryggt otrygga otryggare otryggast osäker osäkert osäkra rädd rädda räddare obehagligt "
             "obehaglig obehagliga läskigt läskig läskiga farligt farlig farliga hotfullt hotfull stökigt stökig "
             "problem problemen bråk oroligt orolig unsafe unsafer scared afraid dangerous uncomfortable scary "
             "problems sketchy nervous worried"),
    (EXCEPT, "utom bortsett except apart undantag"),
    (BESIDES, "förutom besides"),
    (FILLER, "i på vid runt kring omkring nära in inne ute uti genom under mot till från över bakom utanför "
             "innanför längs längst bort borta nere uppe den de en ett alls heller direkt längre särskilt "
             "speciellt så mycket egentligen precis riktigt ens ju någonsin även också the a an at on "
             "around near by to through of either really particularly especially even ever too also much that "
             "from inside outside typ liksom"),
    (COORD, "och eller samt and or nor"),
    (CONTRAST, "men but fast however dock"),
    (LEAD, "är var vore blir blev det nej ja absolut definitivt kanske nog verkligen is it's its was are "
           "that's yes definitely"),
    (ONLY, "bara enbart endast minst only just"),
    (WHERE, "där where"),
):
    for _w in _words.split():
        _CUES[_w] = _cue


# Without one of these cues (or an "everywhere" to narrow) every mention is a vote.
_DECISIVE = frozenset((NEG, SAFE, UNSAFE, EXCEPT, BESIDES))


def cue_of(word: str) -> int:
    """Cue class of a lowercase word (OTHER for ordinary words)."""
    return _CUES.get(word, OTHER)


def gap_of(gap: str) -> int:
    """Class of the text between two tokens: HARD (. ! ? ; line break), SOFT (comma, colon, brackets, dash with
    spaces), GAP_COORD ("/", "&", "+") or JOIN (spaces or a hyphen, which can sit inside one name)."""
    if gap == " " or not gap or gap.isspace():
        return JOIN
    if any(ch in ".!?;\n" for ch in gap):
        return HARD
    if any(ch in ",:()[]–—" for ch in gap) or " - " in gap:
        return SOFT
    if any(ch in "/&+" for ch in gap):
        return GAP_COORD
    return JOIN


def _polar(cues: Sequence[int], k: int, lo: int) -> int:
    """SAFE or UNSAFE meaning of the safety word at k, flipped by a negation up to three words before it."""
    negated = any(cues[j] == NEG for j in range(max(lo, k - 3), k))
    is_safe = (cues[k] == SAFE) != negated
    return SAFE if is_safe else UNSAFE


def votes(
    cues: Sequence[int], gaps: Sequence[int], spans: Sequence[tuple[int, int, str]]
) -> list[bool]:
    """Decide for each mention whether it is a vote for an unsafe place.

    ``cues[k]`` is the cue class of token k, MENTION for tokens inside a mention; ``gaps[k]`` is the gap class
    before token k (gaps[0] is ignored); ``spans`` are the mentions as (first token, last token, category) in text
    order, category one of 'name', 'theme', 'time' (darkness and time of day) and 'overallt'. Returns one bool per
    span. An answer without cues keeps every mention.
    """
    n = len(cues)
    if not spans:
        return []
    if not any(c in _DECISIVE for c in cues) and all(category != "overallt" for _, _, category in spans):
        return [True] * len(spans)
    # Clause starts: punctuation, and contrast words (which open the next clause).
    clause_of = [0] * n
    contrast_start: dict[int, bool] = {0: False}
    clause = 0
    for k in range(1, n):
        if gaps[k] in (SOFT, HARD) or cues[k] == CONTRAST:
            clause += 1
            contrast_start[clause] = cues[k] == CONTRAST
        clause_of[k] = clause
    starts: dict[int, int] = {}
    for k in range(n):
        starts.setdefault(clause_of[k], k)
    # Polar words per clause, with their meaning after negation.
    polar: dict[int, list[tuple[int, int]]] = {}
    for k in range(n):
        if cues[k] in (SAFE, UNSAFE):
            c = clause_of[k]
            polar.setdefault(c, []).append((k, _polar(cues, k, starts[c])))

    def clause_safe(c: int) -> bool:
        ps = polar.get(c, [])
        return bool(ps) and all(p == SAFE for _, p in ps)

    def polarity_at(k: int, c: int) -> int:
        ps = polar.get(c, [])
        before = [p for j, p in ps if j < k]
        if before:
            return before[-1]
        after = [p for j, p in ps if j > k]
        return after[0] if after else OTHER

    by_clause: dict[int, list[int]] = {}
    for i, (first, _, _) in enumerate(spans):
        by_clause.setdefault(clause_of[first], []).append(i)

    keep = [True] * len(spans)
    governed = [False] * len(spans)
    for c, members in by_clause.items():
        prev_safe = c > 0 and clause_safe(c - 1)
        this_safe = clause_safe(c)
        member_at = {spans[i][0]: i for i in members}
        neg_active = False
        except_at = -1
        strict_except = False
        anything_before = False  # a negation or a mention earlier in the clause
        overallt_kept = not prev_safe and c > 0 and _kept_overallt(c - 1, by_clause, spans, keep)
        k = starts[c]
        while k < n and clause_of[k] == c:
            if k in member_at:
                i = member_at[k]
                first, last, category = spans[i]
                if except_at >= 0:
                    context_safe = any(p == SAFE for j, p in polar.get(c, []) if j < except_at) or (
                        prev_safe and not polar.get(c)
                    )
                    bare = strict_except and not anything_before
                    keep[i] = context_safe or not (overallt_kept or bare)
                elif neg_active:
                    governed[i] = True
                    keep[i] = prev_safe and not this_safe
                else:
                    keep[i] = polarity_at(first, c) != SAFE
                if keep[i] and category == "overallt":
                    overallt_kept = True
                anything_before = True
                k = last + 1
                continue
            cue = cues[k]
            if cue == NEG:
                inert = _after_verb(cues, k, starts[c])
                nxt = k + 1
                while nxt < n and cues[nxt] == FILLER:
                    nxt += 1
                neg_active = not inert and not (nxt < n and cues[nxt] == ONLY)
                anything_before = True
            elif cue in (EXCEPT, BESIDES):
                except_at = k
                strict_except = cue == EXCEPT
                neg_active = False
            elif cue not in (FILLER, COORD):
                neg_active = False
            k += 1
    _rescue_time_contrast(spans, clause_of, contrast_start, polar, keep, governed, by_clause)
    for i in _narrowed_everywhere(cues, spans, clause_of):
        keep[i] = False
    return keep


def _narrowed_everywhere(cues: Sequence[int], spans: Sequence[tuple[int, int, str]], clause_of: list[int]) -> list[int]:
    """'overallt' mentions followed in their clause by a place ("överallt i centrum") or by "där" + a mention."""
    span_at = {first: category for first, _, category in spans}
    narrowed = []
    for i, (_, last, category) in enumerate(spans):
        if category != "overallt":
            continue
        j = last + 1
        while j < len(cues) and cues[j] == FILLER and clause_of[j] == clause_of[last]:
            j += 1
        if j >= len(cues) or clause_of[j] != clause_of[last]:
            continue
        if span_at.get(j) == "name":
            narrowed.append(i)
        elif cues[j] == WHERE and any(
            m in span_at and clause_of[m] == clause_of[last] for m in range(j + 1, min(j + 6, len(cues)))
        ):
            narrowed.append(i)
    return narrowed


def _after_verb(cues: Sequence[int], k: int, lo: int) -> bool:
    """True when the negation at k follows an ordinary word of its clause (a verb, in practice), skipping fillers."""
    j = k - 1
    while j >= lo and cues[j] == FILLER:
        j -= 1
    return j >= lo and cues[j] == OTHER


def _kept_overallt(
    c: int, by_clause: dict[int, list[int]], spans: Sequence[tuple[int, int, str]], keep: list[bool]
) -> bool:
    return any(spans[i][2] == "overallt" and keep[i] for i in by_clause.get(c, []))


def _rescue_time_contrast(
    spans: Sequence[tuple[int, int, str]],
    clause_of: list[int],
    contrast_start: dict[int, bool],
    polar: dict[int, list[tuple[int, int]]],
    keep: list[bool],
    governed: list[bool],
    by_clause: dict[int, list[int]],
) -> None:
    """Keep a safe clause's places when the contrast after it is only a time of day ("på dagen, men inte på kvällen").

    The next clause (after "men"/"but", possibly behind a comma) must be unsafe or a kept negated mention, and name
    nothing but darkness or time.
    """
    for c, members in by_clause.items():
        if not any(not keep[i] and not governed[i] for i in members):
            continue
        nxt = c + 1
        while nxt in contrast_start and not contrast_start[nxt] and nxt not in by_clause and nxt not in polar:
            nxt += 1
        if not contrast_start.get(nxt, False):
            continue
        later = by_clause.get(nxt, [])
        unsafe = any(p == UNSAFE for _, p in polar.get(nxt, [])) or any(keep[i] for i in later)
        if unsafe and all(spans[i][2] == "time" for i in later):
            for i in members:
                if not governed[i]:
                    keep[i] = True
