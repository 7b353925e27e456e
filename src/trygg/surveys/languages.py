"""Languages added by their catalogue alone (docs/translations.md), read before Django starts.

A language is offered when `surveys/locale/CODE/LC_MESSAGES/django.po` exists with a compiled `django.mo` beside it.
Its header names it (`X-Language-Name: Soomaali`) and says whether a native speaker has checked it
(`X-Checked-By-Native-Speaker: no`); unchecked languages are marked on the form. Pure file reading, no Django.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
_HEADER = re.compile(r'^"([A-Za-z-]+): ?(.*?)\\n"$', re.M)


def _header(po: Path) -> dict[str, str]:
    head = po.read_text(encoding="utf-8").split("\n\n", 1)[0]
    return {key.lower(): value.strip() for key, value in _HEADER.findall(head)}


def _catalogues() -> list[tuple[str, dict[str, str]]]:
    found = []
    for po in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/django.po")):
        if po.with_suffix(".mo").is_file():
            found.append((po.parent.parent.name, _header(po)))
    return found


def catalogue_languages() -> list[tuple[str, str]]:
    """(code, name in the language itself) for every compiled catalogue; the name falls back to the code."""
    return [(code, header.get("x-language-name") or code) for code, header in _catalogues()]


@cache
def unchecked_interface_languages() -> frozenset[str]:
    """Codes whose interface catalogue says it is not yet checked by a native speaker."""
    return frozenset(code for code, header in _catalogues()
                     if header.get("x-checked-by-native-speaker", "no").lower() != "yes")
