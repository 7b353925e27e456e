"""A light language guess for short survey answers: 'sv', 'en', 'other' or 'empty'.

It only has to route answers: Swedish and English are coded as usual, anything else goes to a person. So it
reads the script first (Arabic, Persian, Tigrinya, Cyrillic … are 'other' at once), then counts function words of
Swedish, English and the languages most often written in Latin script by Swedish residents (Somali, Polish,
Bosnian/Croatian/Serbian, Turkish, Finnish, German, Spanish, Norwegian/Danish).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from trygg.text.stopwords import EN_WORDS, SV_WORDS

__all__ = ["detect_language"]

_OTHER_WORDS: frozenset[str] = frozenset("""
iyo waa ku ka aan baan waxaan magaalada habeenkii meel meelaha ammaan dareemaa nabad gaar ahaan xaafadda
nie się jest czuję bezpiecznie wieczorem nocą dworzec gdzie przy mieście miasta dzielnicy szczególnie
je osjećam osjecam nesigurno noću nocu grad gradu centru stanice posebno gdje
ve bir bu gece merkez güvensiz hissediyorum değil degil çok cok akşam aksam orada yerler
keskusta illalla turvaton tunnen oloni kaikkialla yöllä asema puistossa
und nicht ich der die das ist fühle mich unsicher abends nachts überall bahnhof
el los las muy noche inseguro inseguridad siento estación parque por centro
ikke jeg føler ikkje utrygg kvelden overalt
""".split())
_OTHER_LETTERS = re.compile("[ąęłńśźżćőűşğıñßçãõĄĘŁŃŚŹŻĆŐŰŞĞÑÇÃÕ]")
_SWEDISH_LETTERS = re.compile("[åäöÅÄÖ]")
_LETTER = re.compile(r"[^\W\d_]")
# Letters outside Latin (Basic, Latin-1, Extended A/B, Extended Additional): Arabic, Persian, Ge'ez, Cyrillic …
_NON_LATIN = re.compile(r"[^\W\d_\u0000-\u024f\u1e00-\u1eff]")


def detect_language(text: str, words: Sequence[str] | None = None) -> str:
    """Guess the language of one answer.

    ``words`` are its lowercase tokens when the caller already has them. Returns 'empty' when the text has no
    letters (blank, "-", emoji only), 'other' when most letters are outside the Latin script or another
    language's function words outnumber Swedish and English ones, 'en' when English words outnumber Swedish,
    and 'sv' otherwise — including answers that are nothing but a place name ("Andersberg").
    """
    non_latin = len(_NON_LATIN.findall(text))
    if non_latin == 0:
        # The common case, Latin script only: one search tells letters from none without counting them.
        if _LETTER.search(text) is None:
            return "empty"
    elif non_latin > len(_LETTER.findall(text)) - non_latin:
        return "other"
    if words is None:
        words = text.lower().split()
    sv = en = other = 0
    for word in words:
        if word in SV_WORDS:
            sv += 1
        if word in EN_WORDS:
            en += 1
        if word in _OTHER_WORDS:
            other += 1
    if _SWEDISH_LETTERS.search(text):
        sv += 1
    if _OTHER_LETTERS.search(text):
        other += 2
    if other > sv and other > en:
        return "other"
    if en > sv:
        return "en"
    return "sv"
