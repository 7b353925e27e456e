"""Swedish first and English always: every interface text has an English translation, compiled and in use."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import translation

SRC = Path(__file__).resolve().parents[1] / "src" / "trygg"
# The project's catalogue and each app's own (Django merges them all), English and the added languages.
CATALOGUES = sorted(SRC.glob("**/locale/en/LC_MESSAGES/django.po")) + sorted(
    p for p in SRC.glob("**/locale/*/LC_MESSAGES/django.po") if p.parts[-3] not in ("en", "sv"))


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(SRC)))
def test_every_text_has_an_english_translation(po: Path) -> None:
    entries = po.read_text(encoding="utf-8").split("\n\n")[1:]  # the first block is the header
    untranslated = [e for e in entries if re.search(r'^msgstr ""\s*$', e.strip(), re.M) and
                    not re.search(r'^msgstr ""\n"', e.strip(), re.M)]
    fuzzy = [e for e in entries if "#, fuzzy" in e]
    assert not untranslated and not fuzzy, (untranslated + fuzzy)[:3]


def test_the_compiled_catalogue_is_used() -> None:
    with translation.override("en"):
        assert translation.gettext("Skicka svaret") == "Send the answer"
        assert translation.gettext("Platser där invånare känner sig otrygga") == "Places where residents feel unsafe"


@pytest.mark.parametrize("po", [p for p in CATALOGUES if p.parts[-3] != "en"], ids=lambda p: str(p.relative_to(SRC)))
def test_an_added_language_says_whether_a_native_speaker_checked_it(po: Path) -> None:
    """docs/translations.md: the form marks a language unchecked until its catalogue says yes."""
    header = po.read_text(encoding="utf-8").split("\n\n", 1)[0]
    assert re.search(r'^"X-Checked-By-Native-Speaker: (yes|no)\\n"$', header, re.M)
    assert re.search(r'^"X-Language-Name: .+\\n"$', header, re.M)
