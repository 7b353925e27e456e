"""Which municipality and county an organisation is, as the police's events name them — pure, no Django."""

from __future__ import annotations

import re

# SCB's county codes: the first two digits of the four-digit municipality code (Halmstad 1380 → 13).
COUNTIES = {
    "01": "Stockholms län", "03": "Uppsala län", "04": "Södermanlands län", "05": "Östergötlands län",
    "06": "Jönköpings län", "07": "Kronobergs län", "08": "Kalmar län", "09": "Gotlands län",
    "10": "Blekinge län", "12": "Skåne län", "13": "Hallands län", "14": "Västra Götalands län",
    "17": "Värmlands län", "18": "Örebro län", "19": "Västmanlands län", "20": "Dalarnas län",
    "21": "Gävleborgs län", "22": "Västernorrlands län", "23": "Jämtlands län", "24": "Västerbottens län",
    "25": "Norrbottens län",
}
# Municipality names that end in s without it being the genitive (Hofors kommun, Borås stad).
_OWN_S = re.compile(r"(fors|ås|äs|grums)$", re.IGNORECASE)


def county_of(kommun_code: str) -> str | None:
    """The county of an SCB municipality code (``1380`` → ``Hallands län``); None when unknown or empty."""
    return COUNTIES.get(kommun_code.strip()[:2]) if len(kommun_code.strip()) == 4 else None


def guess_municipality(organisation_name: str) -> str:
    """The municipality in an organisation's name: ``Halmstads kommun och LPO Halmstad`` → ``Halmstad``.

    The words before ``kommun`` or ``stad`` without the genitive s (``Borås stad`` keeps its s), else the first
    word. A guess for organisations that have not set their municipality; empty for an empty name.
    """
    words = organisation_name.split()
    lowered = [w.casefold() for w in words]
    end = next((i for i, w in enumerate(lowered) if w in ("kommun", "stad", "kommuns", "stads")), None)
    head = words[:end] if end else words[:1]
    name = " ".join(head)
    if end and name.endswith("s") and not _OWN_S.search(name):
        name = name[:-1]
    return name
