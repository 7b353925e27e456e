"""Swedish first and English always: every interface text has an English translation, compiled and in use."""

from __future__ import annotations

import ast
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


def _po_strings(block: str, keyword: str) -> str | None:
    """The text of `keyword` (msgid, msgid_plural, msgstr[0] …) in one catalogue entry, its lines joined."""
    found = re.search(rf'^{re.escape(keyword)} ((?:".*"\n?)+)', block, re.M)
    return "".join(ast.literal_eval(line) for line in found.group(1).split("\n") if line) if found else None


def _entries(po: Path) -> list[str]:
    return [e for e in po.read_text(encoding="utf-8").split("\n\n")[1:] if "msgid " in e]


TRANSLATED = {_po_strings(e, "msgid") for po in CATALOGUES if po.parts[-3] == "en" for e in _entries(po)}
MARKERS = {"gettext", "gettext_lazy", "gettext_noop", "_", "ngettext", "ngettext_lazy"}


def _marked_in_code() -> list[tuple[str, str]]:
    """Every text the Python code marks for translation (gettext, ngettext and their lazy forms): (where, msgid)."""
    marked = []
    for py in sorted(SRC.rglob("*.py")):
        if "migrations" in py.parts:
            continue
        for node in ast.walk(ast.parse(py.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            first = node.args[0]
            if name in MARKERS and isinstance(first, ast.Constant) and isinstance(first.value, str):
                marked.append((f"{py.relative_to(SRC)}:{node.lineno}", first.value))
    return marked


def test_every_text_marked_in_the_code_is_in_an_english_catalogue() -> None:
    """Errors and messages raised in the apps are translated too, not only the pages' texts."""
    marked = _marked_in_code()
    assert len(marked) > 300  # the walk found the code's texts
    missing = [(where, text) for where, text in marked if text not in TRANSLATED]
    assert not missing, missing[:5]


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(SRC)))
def test_a_translation_keeps_the_placeholders(po: Path) -> None:
    """A value the user typed ('%(column)r') or a count is never lost or renamed in a translation."""
    wrong = []
    for entry in _entries(po):
        source = (_po_strings(entry, "msgid") or "") + (_po_strings(entry, "msgid_plural") or "")
        names = set(re.findall(r"%\((\w+)\)", source))
        # A plural form may leave the count out (Arabic's form for zero); no form may name another value.
        forms = [_po_strings(entry, f"msgstr[{n}]") for n in range(6)]
        single = _po_strings(entry, "msgstr")
        if any(text and set(re.findall(r"%\((\w+)\)", text)) - names for text in forms) or (
                single and set(re.findall(r"%\((\w+)\)", single)) != names):
            wrong.append(entry)
    assert not wrong, wrong[:3]


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
