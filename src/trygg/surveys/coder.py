"""The organisation's compiled place coder, kept per process, and the codes an answer gets when it arrives.

Compiling a gazetteer (names, generated variants, tries, typo index) takes tens of milliseconds; a survey form
that compiled it for every submission would spend more time there than on the answer. So the compiled gazetteer
is kept per organisation and reused until its areas or places change (new name, alias, place): checked by the
organisation's version (``trygg.surveys.orgcache``), one query or none per answer. The codes stored with an answer
carry the gazetteer's fingerprint (``Response.coded_with``), so ``trygg.surveys.mentions.ensure_coded`` recodes
exactly the answers coded against an older gazetteer.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from trygg.areas.gazetteer import organisation_gazetteer
from trygg.areas.models import Organisation
from trygg.surveys.mentions import gazetteer_fingerprint
from trygg.surveys.orgcache import PerOrganisation
from trygg.text import Gazetteer, code_mentions

TEXT_QUESTION = "unsafe_places_text"


Rows = tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str, str, list[str]], ...]]


def _rows(org: Organisation) -> Rows:
    return (tuple(org.areas.order_by("code").values_list("code", "name")),
            tuple(org.places.order_by("slug").values_list("slug", "name", "kind", "aliases")))


def _compile(org: Organisation, _read: Rows) -> tuple[Gazetteer, str]:
    gazetteer = organisation_gazetteer(org)
    return gazetteer, gazetteer_fingerprint(gazetteer)


_compiled = PerOrganisation(_rows, _compile)


def organisation_coder(org: Organisation, version: int | None = None) -> tuple[Gazetteer, str]:
    """(compiled gazetteer, fingerprint) of the organisation's areas and places as they are now.

    `version` is the organisation's newest audit event id when the caller has read it (the survey form reads it
    with the survey); without it, one query reads it. The gazetteer is compiled only when the areas and places differ
    from the last compile for this organisation in this process.
    """
    return _compiled.get(org, version)


def answer_coding(answers: Mapping[str, Any], gazetteer: Gazetteer) -> dict[str, Any]:
    """What an arriving answer stores about its free text: ``coded``, the slugs it names, sorted ([] without free
    text), and ``flagged``, whether a person must read it (another language), for the review list."""
    text = answers.get(TEXT_QUESTION)
    if not (isinstance(text, str) and text.strip()):
        return {"coded": [], "flagged": False}
    coding = code_mentions(text, gazetteer)
    return {"coded": sorted(coding.slugs), "flagged": coding.needs_review}
