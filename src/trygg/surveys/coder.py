"""The organisation's compiled place coder, kept per process, and the codes an answer gets when it arrives.

Compiling a gazetteer (names, generated variants, tries, typo index) takes tens of milliseconds; a survey form
that compiled it for every submission would spend more time there than on the answer. So the compiled gazetteer
is kept per organisation and reused until its areas or places change (new name, alias, place) or the coder's
version does. The codes stored with an answer carry the gazetteer's fingerprint (``Response.coded_with``), so
``trygg.surveys.mentions.ensure_coded`` recodes exactly the answers coded against an older gazetteer.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Mapping
from typing import Any

from trygg.areas.gazetteer import organisation_gazetteer
from trygg.areas.models import Organisation
from trygg.surveys.mentions import CODER_VERSION, gazetteer_fingerprint
from trygg.text import Gazetteer, code_mentions

TEXT_QUESTION = "unsafe_places_text"
_KEEP = 16  # organisations whose compiled coder a process keeps
_lock = threading.Lock()
_compiled: dict[tuple[int, str], tuple[Gazetteer, str]] = {}


def organisation_coder(org: Organisation) -> tuple[Gazetteer, str]:
    """(compiled gazetteer, fingerprint) of the organisation's areas and places as they are now.

    Two small queries read the rows; the gazetteer is compiled only when they (or ``CODER_VERSION``) differ from
    the last compile for this organisation in this process.
    """
    rows = (list(org.areas.order_by("code").values_list("code", "name")),
            list(org.places.order_by("slug").values_list("slug", "name", "kind", "aliases")))
    key = (org.pk, hashlib.sha256(repr((CODER_VERSION, rows)).encode("utf-8")).hexdigest())
    with _lock:
        hit = _compiled.get(key)
    if hit is not None:
        return hit
    gazetteer = organisation_gazetteer(org)
    compiled = (gazetteer, gazetteer_fingerprint(gazetteer))
    with _lock:
        for old in [k for k in _compiled if k[0] == org.pk]:
            del _compiled[old]
        if len(_compiled) >= _KEEP:
            _compiled.pop(next(iter(_compiled)))
        _compiled[key] = compiled
    return compiled


def answer_codes(answers: Mapping[str, Any], gazetteer: Gazetteer) -> list[str]:
    """The slugs an answer's free text names, sorted; [] when it has no free text."""
    text = answers.get(TEXT_QUESTION)
    return sorted(code_mentions(text, gazetteer).slugs) if isinstance(text, str) and text.strip() else []
