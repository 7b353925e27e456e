"""Pure text engine: code free-text answers about unsafe places to an organisation's gazetteer.

No Django here: callers turn rows into ``GazetteerEntry`` records and strings.

Public API
----------
``slugify(name: str) -> str``
    "Stadskärnan" -> "stadskarnan", "Karl XI:s väg" -> "karl-xi-s-vag".
``GazetteerEntry(slug, name, kind, aliases=())``
    An area, named place or theme; kind is 'area', 'place' or 'theme'.
``BUILTIN_THEMES: tuple[GazetteerEntry, ...]``
    morka_platser, kollektivtrafik, parker_gronomraden, gangtunnlar, nattliv, overallt (Swedish and English).
``Gazetteer(entries, include_builtin_themes=True)``
    Compiled once per organisation, then reused for any number of answers.
``code_mentions(text: str, gazetteer: Gazetteer) -> Coding``
    ``Coding.mentions`` (``Mention``: slug, kind, trigger, start, end, how), ``Coding.language`` ('sv', 'en',
    'other', 'empty'), ``Coding.needs_review``, ``Coding.slugs`` (distinct slugs: one vote per place).
``detect_language(text: str) -> str``
    The light language guess ``code_mentions`` uses.
``redact(text: str) -> str``
    Personal data replaced by "[namn]", "[telefon]", "[e-post]", "[personnummer]", "[adress]".

Modules: ``entries`` (the records above), ``normalise`` (folding, tokens, slugs), ``themes``, ``variants`` (the
forms residents write generated from an official name: "Stora torg" for *Stora torget*, "stan" for *Växjö
centrum*), ``gazetteer`` (compilation, tries, fuzzy index, word cache), ``scope`` (negation, safe places,
"everywhere except"), ``coding``, ``language``, ``redact``, ``stopwords``, and ``agreement`` (automatic coding
against a person's review).

Edge cases, in short: an empty, blank, punctuation- or emoji-only answer gives no mentions and language 'empty';
"hela stan"/"överallt" is ``overallt``, never the city core; "inte i centrum", "utom centrum" and "trygg i
centrum" are not votes; "nej", "inga", "vet ej", "-" name nothing; answers in other languages keep whatever names
were found and come back with ``needs_review=True``.
"""

from trygg.text.coding import code_mentions
from trygg.text.entries import Coding, GazetteerEntry, Mention
from trygg.text.gazetteer import Gazetteer
from trygg.text.language import detect_language
from trygg.text.normalise import slugify
from trygg.text.redact import redact
from trygg.text.themes import BUILTIN_THEMES

__all__ = [
    "BUILTIN_THEMES",
    "Coding",
    "Gazetteer",
    "GazetteerEntry",
    "Mention",
    "code_mentions",
    "detect_language",
    "redact",
    "slugify",
]
