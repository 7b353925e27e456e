"""Write the Växjö labelled set and its gazetteer: the coder's out-of-sample test (issue 14).

Run ``python tests/data/text/make_vaxjo.py``; it rewrites ``vaxjo_answers.csv`` and ``vaxjo_gazetteer.json``
beside this file, byte for byte the same on every run (fixed seed).

How it was made, so that it is honest:

- The gazetteer holds official names only: Växjö's districts (stadsdelar) and villages as areas, and its squares,
  parks, streets and landmarks as places, each with no alias. The names are written from general knowledge of
  Växjö, not copied from the municipality's register, so a few may differ from the register's spelling.
- The templates below were written from how residents refer to places (messy writing: lower case, typos, missing
  definite endings, glued or split compounds, å/ä/ö written as a/o, abbreviations, English) and reviewed for
  realism *before* the coder was run on them; they are not tuned to the coder. Nicknames no coder can know
  ("torget" for Stortorget among several squares, "Växjö" for the whole town) are in the set on purpose.
- Truth follows the conventions of the other labelled sets: a place named under a negation or as safe is not a
  vote; darkness and evening hours are ``morka_platser``; a bus stop is ``kollektivtrafik``; a park is
  ``parker_gronomraden`` unless it is a named park; the whole town is ``overallt``.

Nothing here may ever become an alias (``tests/test_text_out_of_sample.py`` checks the gazetteer has none).
"""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 20261130
ANSWERS = 900

# (code, official name)
AREAS = (
    ("vaxjo-centrum", "Växjö centrum"),
    ("araby", "Araby"),
    ("dalbo", "Dalbo"),
    ("teleborg", "Teleborg"),
    ("hovshaga", "Hovshaga"),
    ("sandsbro", "Sandsbro"),
    ("vaster", "Väster"),
    ("oster", "Öster"),
    ("norr", "Norr"),
    ("hogstorp", "Högstorp"),
    ("braas", "Braås"),
    ("lammhult", "Lammhult"),
    ("rottne", "Rottne"),
    ("ingelstad", "Ingelstad"),
    ("ovriga", "Övriga kommunen"),
)
# Official names of places; the slug is the name slugified.
PLACES = (
    ("stortorget", "Stortorget"),
    ("vastra-torget", "Västra torget"),
    ("oxtorget", "Oxtorget"),
    ("arabytorget", "Arabytorget"),
    ("linneparken", "Linnéparken"),
    ("strandbjorket", "Strandbjörket"),
    ("vaxjo-resecentrum", "Växjö resecentrum"),
    ("vaxjo-domkyrka", "Växjö domkyrka"),
    ("norra-jarnvagsgatan", "Norra järnvägsgatan"),
    ("storgatan", "Storgatan"),
    ("sankt-sigfrids-plan", "Sankt Sigfrids plan"),
    ("teleborgs-slott", "Teleborgs slott"),
    ("vaxjosjon", "Växjösjön"),
)

# How residents write each place, with a weight for how often. Reviewed for realism: these are the forms a
# person types into a survey box in a hurry, not the register's spelling.
FORMS: dict[str, list[tuple[str, int]]] = {
    "vaxjo-centrum": [("centrum", 30), ("Centrum", 20), ("Växjö centrum", 10), ("stan", 16),
                      ("innerstan", 5), ("stadskärnan", 3), ("city", 2), ("Vxo centrum", 1), ("centrumet", 2),
                      ("växjö c", 1), ("Centrala Växjö", 2), ("centrum av växjö", 1), ("city centre", 2)],
    "araby": [("Araby", 30), ("araby", 20), ("Arabys", 2), ("Araby centrum", 4), ("Arabyområdet", 3),
              ("arabi", 2), ("Araby området", 2)],
    "dalbo": [("Dalbo", 20), ("dalbo", 12), ("Dalbos centrum", 2), ("Dalbo centrum", 3), ("Dalboområdet", 2)],
    "teleborg": [("Teleborg", 16), ("teleborg", 10), ("Teleborgs centrum", 3), ("Telebrog", 1),
                 ("Teleborgsområdet", 1)],
    "hovshaga": [("Hovshaga", 10), ("hovshaga", 6), ("Hovshaga centrum", 2), ("hovshag", 1)],
    "sandsbro": [("Sandsbro", 5), ("sandsbro", 3)],
    "vaster": [("Väster", 6), ("väster", 3), ("Västerområdet", 1), ("vaster", 1)],
    "oster": [("Öster", 6), ("öster", 3), ("oster", 1)],
    "norr": [("Norr", 4), ("norr", 2)],
    "hogstorp": [("Högstorp", 5), ("högstorp", 3), ("Hogstorp", 1)],
    "braas": [("Braås", 5), ("braås", 3), ("Braas", 1), ("Braås centrum", 1)],
    "lammhult": [("Lammhult", 5), ("lammhult", 3), ("Lamhult", 1)],
    "rottne": [("Rottne", 4), ("rottne", 2)],
    "ingelstad": [("Ingelstad", 4), ("ingelstad", 2)],
    "stortorget": [("Stortorget", 20), ("stortorget", 14), ("Stora torget", 6), ("stora torg", 4), ("Stortorg", 4),
                   ("stor torget", 2), ("torget", 3), ("Stortoget", 1), ("stortorgen", 1), ("Stora Torget", 2)],
    "vastra-torget": [("Västra torget", 10), ("västra torg", 6), ("Västra Torg", 3), ("västratorget", 2),
                      ("vastra torget", 1), ("Västra torgit", 1), ("västra torget", 4)],
    "oxtorget": [("Oxtorget", 10), ("oxtorget", 6), ("Oxtorg", 3), ("ox torget", 2), ("Oxtorgeet", 1)],
    "arabytorget": [("Arabytorget", 8), ("Araby torg", 5), ("arabytorg", 3), ("torget i Araby", 3),
                    ("Araby torget", 3)],
    "linneparken": [("Linnéparken", 10), ("Linneparken", 8), ("linneparken", 5), ("Linnéparkens", 1),
                    ("linné parken", 2), ("Linnéparkem", 1), ("Linné park", 1)],
    "strandbjorket": [("Strandbjörket", 6), ("strandbjörket", 4), ("Strandbjorket", 2), ("strand björket", 1)],
    "vaxjo-resecentrum": [("Resecentrum", 10), ("resecentrum", 8), ("Växjö resecentrum", 4), ("resecentrumet", 3),
                          ("rese centrum", 2), ("Resecntrum", 1)],
    "vaxjo-domkyrka": [("Domkyrkan", 8), ("domkyrkan", 6), ("Växjö domkyrka", 2),
                       ("Domkyrka", 1)],
    "norra-jarnvagsgatan": [("Norra järnvägsgatan", 6), ("norra järnvägsgatan", 4), ("Norra Järnvägsgatan", 3),
                            ("N järnvägsgatan", 2), ("Norra Järnvägsg", 1),
                            ("norra järnvägsgata", 1)],
    "storgatan": [("Storgatan", 10), ("storgatan", 6), ("Storgatn", 1), ("stor gatan", 1), ("storgata", 1)],
    "sankt-sigfrids-plan": [("Sankt Sigfrids plan", 3), ("S:t Sigfrids plan", 3), ("St Sigfrids plan", 2),
                            ("st. sigfrids plan", 1), ("Sigfrids plan", 1), ("sankt sigfrids plan", 1)],
    "teleborgs-slott": [("Teleborgs slott", 5), ("teleborgs slott", 3), ("Teleborgsslott", 1),
                        ("slottet på Teleborg", 2), ("Teleborg slott", 1)],
    "vaxjosjon": [("Växjösjön", 8), ("växjösjön", 5), ("Vaxjosjon", 1), ("sjön Växjösjön", 1),
                  ("Växjö sjön", 2), ("växjö sjö", 1)],
}
# How often each place is the subject of an answer (a survey is dominated by the centre and a few areas).
WEIGHT = {
    "vaxjo-centrum": 30, "araby": 16, "dalbo": 9, "teleborg": 7, "hovshaga": 4, "sandsbro": 2, "vaster": 2,
    "oster": 2, "norr": 1, "hogstorp": 2, "braas": 2, "lammhult": 2, "rottne": 1, "ingelstad": 1,
    "stortorget": 12, "vastra-torget": 5, "oxtorget": 5, "arabytorget": 4, "linneparken": 7, "strandbjorket": 3,
    "vaxjo-resecentrum": 8, "vaxjo-domkyrka": 3, "norra-jarnvagsgatan": 3, "storgatan": 4,
    "sankt-sigfrids-plan": 2, "teleborgs-slott": 2, "vaxjosjon": 4,
}

# Frames for one place: text with {p}, and the themes the frame itself names.
ONE = (
    ("{p}", ()), ("{p}", ()), ("{p}", ()), ("i {p}", ()), ("{p}.", ()), ("Runt {p}", ()), ("vid {p}", ()),
    ("{p} på kvällarna", ("morka_platser",)), ("{p} efter mörkrets inbrott", ("morka_platser",)),
    ("Känner mig otrygg på {p}", ()), ("Jag undviker {p} när det är mörkt", ("morka_platser",)),
    ("{p} - mycket gäng som hänger där", ()), ("Obehagligt vid {p}", ()), ("Främst {p}", ()),
    ("{p} typ", ()), ("{p} framförallt på natten", ("morka_platser",)),
    ("Ungdomsgäng som hänger på {p}", ()), ("busshållplatsen vid {p}", ("kollektivtrafik",)),
    ("Dålig belysning kring {p}", ("morka_platser",)), ("{p}!!", ()), ("{p} på helgerna", ()),
    ("det är stökigt på {p}", ()), ("Går aldrig ensam förbi {p} sent", ("morka_platser",)),
    ("{p} pga knarkhandel", ()), ("mopedgäng på {p}", ()), ("{p} ibland", ()), ("Kanske {p}", ()),
    ("{p} när krogarna stänger", ("nattliv",)), ("{p}, speciellt vintertid när det är mörkt", ("morka_platser",)),
    ("{p} at night", ("morka_platser",)), ("Around {p} in the evening", ("morka_platser",)),
    ("I avoid {p} after dark", ("morka_platser",)), ("{p} 😬", ()), ("{p} o omgivningar", ()),
)
# Frames for two places; the truth depends on the frame.
TWO = (
    ("{p} och {q}", "both"), ("{p}, {q}", "both"), ("{p} samt {q}", "both"), ("{p} o {q}", "both"),
    ("{p} och ibland {q}", "both"), ("{p}/{q}", "both"), ("{p} & {q} på kvällen", "both+dark"),
    ("Inte på {p} men på {q}", "q"), ("Trygg i {p}, otrygg i {q}", "q"), ("{p} är lugnt men {q} är stökigt", "q"),
    ("Mest {p}, lite {q}", "both"), ("{p} and {q}", "both"), ("Inte {p} utan {q}", "q"),
)
# Answers without a place, or with themes only.
OTHER = (
    ("", ()), ("Nej", ()), ("nej", ()), ("vet ej", ()), ("-", ()), ("Ingenstans", ()), ("inga", ()),
    ("Nej, jag känner mig trygg", ()), ("😊", ()), ("ingen aning", ()), ("Har inte tänkt på det", ()),
    ("Känner mig trygg överallt", ()), ("Bor på landet, inga problem", ()), ("Nope", ()), ("Ingen särskild plats", ()),
    ("mörka gångvägar", ("morka_platser",)), ("Där det är mörkt", ("morka_platser",)),
    ("på kvällen", ("morka_platser",)), ("Dålig gatubelysning", ("morka_platser",)),
    ("cykeltunnlarna", ("gangtunnlar",)), ("Gångtunnlar", ("gangtunnlar",)),
    ("tunnlarna under vägen", ("gangtunnlar",)),
    ("busshållplatser på kvällen", ("kollektivtrafik", "morka_platser")), ("på bussen", ("kollektivtrafik",)),
    ("Parkerna", ("parker_gronomraden",)), ("skogen", ("parker_gronomraden",)),
    ("Mörka parker", ("parker_gronomraden", "morka_platser")), ("Överallt", ("overallt",)),
    ("överallt efter 22", ("overallt", "morka_platser")), ("hela stan", ("overallt",)),
    ("Otryggt överallt nuförtiden", ("overallt",)), ("krogarna vid stängning", ("nattliv",)),
    ("fulla människor på helgerna", ("nattliv",)), ("everywhere at night", ("overallt", "morka_platser")),
    ("dark places", ("morka_platser",)), ("bus stops", ("kollektivtrafik",)), ("Nowhere really", ()),
    ("lekplatsen på kvällen", ("parker_gronomraden", "morka_platser")), ("Gång och cykelvägar", ()),
    ("Elljusspåret", ("parker_gronomraden",)), ("hela Växjö", ("overallt",)),
)
# Letters a hurried thumb confuses on a Swedish keyboard.
_NEIGHBOURS = {"a": "s", "s": "a", "e": "r", "r": "e", "o": "p", "i": "o", "n": "m", "m": "n", "t": "y", "g": "h",
               "l": "k", "k": "l", "d": "f", "u": "y"}


def pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    return rng.choices([f for f, _ in weighted], weights=[w for _, w in weighted])[0]


def messy(rng: random.Random, form: str) -> str:
    """A form as typed: sometimes lower case, sometimes å/ä/ö as a/o, sometimes one slip of the finger."""
    roll = rng.random()
    if roll < 0.25:
        form = form.lower()
    elif roll < 0.30:
        form = form.translate(str.maketrans("åäöÅÄÖé", "aaoAAOe"))
    if rng.random() < 0.06:
        letters = [i for i, ch in enumerate(form) if ch.isalpha() and i > 0]
        if len(letters) >= 6:
            i = rng.choice(letters[1:-1])
            kind = rng.random()
            if kind < 0.35:
                form = form[:i] + form[i + 1:]  # a letter missing
            elif kind < 0.7 and form[i].lower() in _NEIGHBOURS:
                form = form[:i] + _NEIGHBOURS[form[i].lower()] + form[i + 1:]  # a neighbouring key
            else:
                form = form[:i] + form[i] + form[i:]  # a letter doubled
    return form


def generate() -> list[tuple[str, list[str], str]]:
    rng = random.Random(SEED)
    slugs = list(WEIGHT)
    weights = [WEIGHT[s] for s in slugs]
    rows: list[tuple[str, list[str], str]] = []
    seen: set[str] = set()
    attempts = 0
    while len(rows) < ANSWERS and attempts < ANSWERS * 50:
        attempts += 1
        roll = rng.random()
        if roll < 0.18:
            text, themes = rng.choice(OTHER)
            truth, note = set(themes), "no place" if not themes else "theme"
        elif roll < 0.80:
            slug = rng.choices(slugs, weights=weights)[0]
            frame, themes = rng.choice(ONE)
            text = frame.format(p=messy(rng, pick(rng, FORMS[slug])))
            truth, note = {slug, *themes}, ""
        else:
            p, q = rng.choices(slugs, weights=weights, k=2)
            if p == q:
                continue
            frame, rule = rng.choice(TWO)
            text = frame.format(p=messy(rng, pick(rng, FORMS[p])), q=messy(rng, pick(rng, FORMS[q])))
            truth = {q} if rule == "q" else {p, q}
            if rule == "both+dark":
                truth.add("morka_platser")
            note = "two places"
        if text in seen:
            continue
        seen.add(text)
        rows.append((text, sorted(truth), note))
    return rows


def gazetteer() -> dict[str, object]:
    """The municipality's own lists, names only: what a municipality loads before anyone adds an alias."""
    return {
        "town": "Växjö",
        "areas": [{"code": code, "name": name, "aliases": []} for code, name in AREAS],
        "places": [{"name": name, "aliases": []} for _, name in PLACES],
        "everywhere": [],
    }


def main() -> None:
    with (HERE / "vaxjo_answers.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["text", "slugs", "note"])
        for text, truth, note in generate():
            writer.writerow([text, "|".join(truth), note])
    (HERE / "vaxjo_gazetteer.json").write_text(
        json.dumps(gazetteer(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
