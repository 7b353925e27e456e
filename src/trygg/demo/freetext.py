"""Free-text answers for the Halmstad demo, written the way residents write them.

The demo's figures ("stadskärnan 838, mörka platser 573, Andersberg 338") must come out of the coder
(``trygg.text.code_mentions``), not out of the generator's labels, so these comments name places with the
everyday words, inflections, typos and times of day the coder has to cope with. The phrasings are built from parts
here and are not the sentences of the labelled test set.

``resident_comment(rng, places, language="sv")`` names every slug in ``places`` (Halmstad areas, named places and
built-in themes); ``no_place_comment(rng)`` names none.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

__all__ = ["KNOWN_SLUGS", "no_place_comment", "resident_comment"]

# slug -> (preposition, everyday names). Places a resident is "i", "på" or "vid".
_SV_NAMES: dict[str, tuple[str, tuple[str, ...]]] = {
    "stadskarnan": ("i", ("centrum", "stan", "city", "innerstan", "stadskärnan", "centrala Halmstad", "innerstaden",
                          "Halmstad centrum", "centrum", "stan")),
    "andersberg": ("på", ("Andersberg", "Andersberg", "andersberg", "Andersbergs centrum", "Andersbergsområdet")),
    "vallas": ("på", ("Vallås", "vallås", "Vallas", "Vallås centrum")),
    "nyhem-linehed": ("på", ("Nyhem", "Linehed", "Nyhem/Linehed", "Lineheds centrum")),
    "centrum-ost": ("i", ("Centrum öst", "centrum öst", "Centrum Öst")),
    "ostra-stranden": ("på", ("Östra stranden", "östra stranden", "Ostra stranden")),
    "centrum-vast": ("i", ("Centrum väst", "centrum väst", "Centrum Väst")),
    "rotorp": ("på", ("Rotorp", "rotorp", "Rotorps centrum")),
    "sondrum": ("i", ("Söndrum", "söndrum", "Sondrum")),
    "furet-frennarp": ("på", ("Furet", "Frennarp", "Frennarps centrum")),
    "karleken-sofieberg": ("på", ("Sofieberg", "Kärleken", "sofieberg")),
    "ovriga": ("i", ("övriga kommunen",)),
    "purple-flag-omradet": ("i", ("Purple Flag-området", "purple flag-området")),
    "stora-torg": ("på", ("Stora torg", "stora torg", "Stora torget", "torget", "Stortorget")),
    "lilla-torg": ("på", ("Lilla torg", "lilla torg", "Lilla torget")),
    "kopmansgatan": ("på", ("Köpmansgatan", "köpmansgatan", "Kopmansgatan")),
    "stadsbiblioteket": ("vid", ("biblioteket", "stadsbiblioteket", "bibblan", "Stadsbiblioteket")),
    "hornet-karl-xi-s-vag-klammerdamsgatan": ("vid", ("Karl XI:s väg", "Klammerdamsgatan", "Karl XIs väg",
                                                      "hörnet Karl XI:s väg/Klammerdamsgatan")),
    "resecentrum": ("vid", ("resecentrum", "Resecentrum", "stationen", "tågstationen", "centralstationen")),
    "kollektivtrafik": ("vid", ("busshållplatserna", "hållplatsen", "bussarna", "busskurarna", "nattbussen",
                                "kollektivtrafiken", "pendeltåget")),
    "parker_gronomraden": ("i", ("parkerna", "parken", "grönområdena", "skogen", "stadsparken", "lekplatserna")),
    "gangtunnlar": ("i", ("gångtunnlarna", "tunnlarna", "gångtunneln", "cykeltunnlarna", "undergångarna")),
    "nattliv": ("vid", ("krogarna", "nattklubbarna", "krogen", "uteställena", "barerna")),
}
_SV_DARK_ALONE = (
    "mörka ställen", "mörka gång- och cykelvägar", "ställen med dålig belysning", "där det är dåligt upplyst",
    "mörka gator", "mörka passager", "obelysta gångvägar", "där lamporna inte fungerar",
)
_SV_DARK_TIME = (
    "på kvällarna", "när det är mörkt", "när mörkret har fallit", "kvällstid", "sent på kvällen", "på nätterna",
    "när det blir mörkt", "nattetid", "vinterkvällar", "efter kl 22", "på kvällen", "när mörkret kommit",
)
_SV_EVERYWHERE = ("överallt", "hela stan", "hela Halmstad", "i stort sett överallt", "hela staden")
_SV_REASONS = (
    "mycket ungdomsgäng", "folk som bråkar", "knarkförsäljning öppet", "mopeder som kör som galningar",
    "det har blivit stökigare", "man blir antastad", "grupper som hänger och stirrar", "glåpord och hot",
    "har sett slagsmål flera gånger", "folk som skriker", "för få vuxna i rörelse", "har blivit rånad",
    "otäckt med alla gäng", "har hört om rån",
)
_SV_FRAMES = (
    "{p}", "{p}.", "{p}!", "Ja, {p}", "ja {p}", "Främst {p}", "Mest {p}", "Framför allt {p}",
    "Känner mig ofta otrygg {pp}", "Jag känner mig otrygg {pp} ibland", "Det är obehagligt {pp}", "Otryggt {pp}",
    "{P}, {r}", "{P} - {r}", "{P}. {R}", "Jag undviker {p} om jag kan", "Undviker helst {p}", "Jag går ogärna {pp}",
    "Tycker det är otäckt {pp}", "Speciellt {p}", "Helst inte {pp} ensam", "{P} tyvärr", "{P}, tyvärr",
)
_EN_NAMES: dict[str, tuple[str, ...]] = {
    "stadskarnan": ("the city centre", "downtown", "the town centre", "city center"),
    "resecentrum": ("the train station", "Resecentrum", "the railway station"),
    "kollektivtrafik": ("bus stops", "the bus", "the bus station", "public transport"),
    "parker_gronomraden": ("the parks", "parks", "the woods"),
    "gangtunnlar": ("the tunnels", "underpasses", "pedestrian tunnels"),
    "nattliv": ("outside the bars", "the nightclubs", "near the pubs"),
    "stadsbiblioteket": ("the library",),
    "stora-torg": ("Stora torg",),
    "lilla-torg": ("Lilla torg",),
}
_EN_DARK_ALONE = ("dark places", "poorly lit streets", "unlit paths")
_EN_DARK_TIME = ("at night", "after dark", "in the evenings", "late at night", "when it is dark")
_EN_EVERYWHERE = ("everywhere", "all over town")
_EN_FRAMES = ("{p}", "Mostly {p}", "I feel unsafe in {p}", "{P}, definitely", "Especially {p}", "{P}, sadly")

KNOWN_SLUGS: frozenset[str] = frozenset(_SV_NAMES) | {"morka_platser", "overallt"}

_NO_PLACE = (
    "Nej tack", "Nä, inget särskilt", "Vet faktiskt inte", "Känner mig trygg nästan överallt",
    "Jag känner mig trygg där jag rör mig", "Inget jag kan komma på just nu", "Nej, har aldrig varit rädd här",
    "Ingen särskild plats", "Hmm, nej", "Nej, Halmstad känns tryggt",
    "Kan inte komma på något", "Svärmors soffa 😄", "Kön på Systembolaget innan jul 😅", "Vet ej riktigt",
    "Har inte tänkt på det", "Nej inte egentligen", "Tycker att det är lugnt", "–", "", "🤔", "inga alls",
    "Nope, inget", "Jag känner mig trygg", "No, not really", "Can't think of a place",
)
_THEMES = frozenset(("kollektivtrafik", "parker_gronomraden", "gangtunnlar", "nattliv"))
_SWEDISH_VOWELS = str.maketrans("åäöÅÄÖ", "aaoAAO")


def resident_comment(rng: random.Random, places: Sequence[str], *, language: str = "sv") -> str:
    """An answer to "Vilka platser?" that names exactly the given slugs.

    ``places`` are Halmstad slugs (areas, named places, built-in themes) in any order; duplicates are ignored.
    ``language`` is 'sv' or 'en'; English falls back to Swedish place names where English has none. Darkness
    (``morka_platser``) is written as a time of day after the places ("stan på kvällarna") or alone ("mörka
    gator"); ``overallt`` as "överallt, men mest …". Raises ValueError on an empty list, an unknown slug or language.
    """
    wanted = list(dict.fromkeys(places))
    if not wanted:
        raise ValueError("resident_comment needs at least one place; use no_place_comment for none")
    unknown = [s for s in wanted if s not in KNOWN_SLUGS]
    if unknown:
        raise ValueError(f"no everyday names for {unknown}; known slugs: {sorted(KNOWN_SLUGS)}")
    if language not in ("sv", "en"):
        raise ValueError(f"language must be 'sv' or 'en', not {language!r}")
    english = language == "en"
    dark = "morka_platser" in wanted
    everywhere = "overallt" in wanted
    named = [s for s in wanted if s not in ("morka_platser", "overallt")]

    phrases = [_name(rng, slug, english) for slug in named]
    rng.shuffle(phrases)
    if dark and (not phrases or rng.random() < 0.15):
        phrases.append(rng.choice(_EN_DARK_ALONE if english else _SV_DARK_ALONE))
        dark = False
    if everywhere and not phrases:
        core = rng.choice(_EN_EVERYWHERE if english else _SV_EVERYWHERE)
        everywhere = False
    else:
        core = _join(rng, phrases, english)
    if dark:
        core = f"{core} {rng.choice(_EN_DARK_TIME if english else _SV_DARK_TIME)}"
    if everywhere:
        lead = rng.choice(_EN_EVERYWHERE if english else _SV_EVERYWHERE)
        link = "but mostly" if english else rng.choice(("men mest", "men värst", "framför allt"))
        text = f"{lead.capitalize()}, {link} {core}"
    else:
        text = _frame(rng, core, named[0] if len(named) == 1 else None, english)
    return text.lower() if rng.random() < 0.2 else text


def no_place_comment(rng: random.Random) -> str:
    """An answer that names no place: no, don't know, safe everywhere, a joke, an empty string or a dash."""
    return rng.choice(_NO_PLACE)


def _name(rng: random.Random, slug: str, english: bool) -> str:
    if english and slug in _EN_NAMES:
        return rng.choice(_EN_NAMES[slug])
    name = rng.choice(_SV_NAMES[slug][1])
    if not english and slug not in _THEMES and " " not in name and "/" not in name and rng.random() < 0.08:
        name = _typo(rng, name)
    if rng.random() < 0.04:
        name = name.translate(_SWEDISH_VOWELS)
    return name


def _typo(rng: random.Random, word: str) -> str:
    """One keyboard slip inside a long word: a letter dropped, doubled or swapped (never the first letter)."""
    if len(word) < 7:
        return word
    i = rng.randrange(2, len(word) - 1)
    kind = rng.randrange(3)
    if kind == 0:
        return word[:i] + word[i + 1 :]
    if kind == 1:
        return word[:i] + word[i] + word[i:]
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def _join(rng: random.Random, phrases: list[str], english: bool) -> str:
    if len(phrases) == 1:
        return phrases[0]
    last = " and " if english else rng.choice((" och ", " och ", ", ", " samt ", " o "))
    return ", ".join(phrases[:-1]) + last + phrases[-1]


def _frame(rng: random.Random, core: str, single: str | None, english: bool) -> str:
    if english:
        frame = rng.choice(_EN_FRAMES)
        return frame.format(p=core, P=core[:1].upper() + core[1:])
    frame = rng.choice(_SV_FRAMES)
    prep = _SV_NAMES[single][0] if single else "i"
    return frame.format(
        p=core, P=core[:1].upper() + core[1:], pp=f"{prep} {core}", r=rng.choice(_SV_REASONS),
        R=rng.choice(_SV_REASONS).capitalize(),
    )
