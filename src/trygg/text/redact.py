"""Take personal data out of free text before anyone but the coder reads it.

Replaced, in this order: e-mail addresses "[e-post]", Swedish personal identity numbers "[personnummer]" (also
co-ordination numbers, day + 60), Swedish phone numbers "[telefon]", street addresses with a house number
"[adress]", and names of people "[namn]". Place names without a number ("Storgatan", "Karl XI:s väg") stay: they
are what the survey asks for. Names are found from a list of common first names (capitalised, or after
"grannen", "heter", "named" …) plus the capitalised words that follow as surnames, and from surnames in -sson;
a name the list does not know is missed, so redacted text still needs a reading before publication.
"""

from __future__ import annotations

import re

from trygg.text.stopwords import STOPWORDS

__all__ = ["redact"]

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_DATE = r"(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]|6[1-9]|[78]\d|9[01])"
# With a separator the century is optional; without one, twelve digits, or ten not starting with 0 (a phone number).
_PERSONNUMMER = re.compile(
    rf"(?<![\d+])(?:(?:19|20)?\d\d{_DATE}\s?[-+]\s?\d{{4}}|(?:19|20)\d\d{_DATE}\d{{4}}|[1-9]\d{_DATE}\d{{4}})(?!\d)"
)
_PHONE = re.compile(r"(?<![\w+])(?:\+46|0046|0)[\s-]?(?:\(0\)\s?)?\d{1,3}(?:[\s-]?\d){5,8}(?![\d])")
_STREET_WORDS = (
    "gatan|gata|vägen|väg|gränd|gränden|stigen|stig|allé|allén|alle|allen|leden|backe|backen|torg|torget|plan|"
    "platsen|esplanaden|street|road|avenue|lane|st|rd"
)
_NUMBER = r"\d{1,4}(?:\s?[A-Ha-h](?![\wåäö]))?(?:\s*,?\s*(?:lgh|lägenhet)\s*\d{3,4})?(?![\d:])"
_ADDRESS = re.compile(
    rf"\b(?:(?:[A-ZÅÄÖ][\wåäöÅÄÖ]*(?::s)?\s+){{1,3}}(?:{_STREET_WORDS})"
    rf"|[A-Za-zÅÄÖåäöé]+(?:gatan|gata|vägen|väg|gränd|gränden|stigen|allén|leden|backen|torget|platsen))"
    rf"\s+{_NUMBER}"
)
_FIRST_NAMES = frozenset("""
anders johan karl lars mikael erik per peter jan hans thomas daniel fredrik andreas stefan mats magnus jonas
mattias niklas bengt alexander martin marcus david oscar oskar gustav viktor victor simon emil filip linus
hugo axel elias william lucas liam noah adam isak olle sven göran leif kent roger tommy patrik jimmy robin
sebastian johannes jakob jacob henrik ola bo åke ulf kjell rolf bertil gunnar rickard christoffer kristoffer
maria anna margareta elisabeth eva kristina birgitta karin marie ingrid christina sara kerstin lena emma
helena linnea johanna malin sofia sofie hanna julia ida elin elsa alice maja wilma ella ebba klara frida
moa amanda linda camilla therese jenny jessica sandra emelie emilia matilda agnes astrid saga lisa lina
annika susanne ulla gunilla monica monika cecilia louise josefin caroline mia petra stina tove nora
mohammed mohamed muhammad ahmed ali hassan hussein omar yusuf ibrahim mustafa abdi fatima aisha amina
leila zainab maryam mariam hodan ayan nasra dragan milan ivana jovana anita piotr marek katarzyna agnieszka
""".split())
# First names that are also everyday Swedish words: only redacted with a surname after them.
_AMBIGUOUS = frozenset("bo per sten björn rosa maj liv tor ask lo ali".split())
_CUES = frozenset(
    "grannen granne grannarna kompisen kompis killen tjejen heter hette named called mr mrs ms herr fru".split()
)
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)?")
_ROMAN_OR_NUMBER = re.compile(r"(?:[IVXLC]+|\d+)(?::s|s)?$")


def redact(text: str) -> str:
    """Return ``text`` with personal data replaced by bracketed placeholders; other text is left exactly as is.

    Phone numbers: "070-123 45 67", "0701234567", "+46 70 123 45 67", "035-12 34 56". Personal identity
    numbers: "19800101-1234", "800101-1234", "198001011234". Addresses: "Storgatan 12", "Karl XI:s väg 5 B",
    "Vallåsvägen 3, lgh 1102". An empty string stays empty.
    """
    if not text:
        return text
    text = _EMAIL.sub("[e-post]", text)
    text = _PERSONNUMMER.sub("[personnummer]", text)
    text = _PHONE.sub(_phone, text)
    text = _ADDRESS.sub("[adress]", text)
    return _names(text)


def _phone(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group())
    national = len(digits) - (2 if digits.startswith("46") else 4 if digits.startswith("0046") else 0)
    return "[telefon]" if 7 <= national <= 10 else match.group()


def _names(text: str) -> str:
    words = list(_WORD.finditer(text))
    spans: list[tuple[int, int]] = []
    k = 0
    while k < len(words):
        word = words[k].group()
        lower = word.lower()
        cued = k > 0 and words[k - 1].group().lower() in _CUES
        is_first = lower in _FIRST_NAMES and (word[0].isupper() or cued)
        is_surname = word[0].isupper() and lower.endswith("sson") and len(word) > 5
        if not (is_first or is_surname):
            k += 1
            continue
        after = text[words[k].end() :]
        if _ROMAN_OR_NUMBER.match(after.lstrip().split(" ", 1)[0] if after.strip() else ""):
            k += 1  # "Karl XI:s väg", "Karl 11:s väg": a king in a street name, not a person
            continue
        end = k
        while end + 1 < len(words):
            gap = text[words[end].end() : words[end + 1].start()]
            if not _is_surname(words[end + 1].group(), gap):
                break
            end += 1
        if lower in _AMBIGUOUS and end == k and not cued:
            k += 1
            continue
        spans.append((words[k].start(), words[end].end()))
        k = end + 1
    for start, end in reversed(spans):
        text = text[:start] + "[namn]" + text[end:]
    return text


def _is_surname(word: str, gap: str) -> bool:
    """A capitalised word right after a name, not across punctuation ("Stefan Pålsson", "Anna Berg-Lind")."""
    return not gap.strip() and word[0].isupper() and not word.isupper() and word.lower() not in STOPWORDS
