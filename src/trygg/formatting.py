"""Numbers and words in the active language's style: the one place the pages, the command line and the report format.

Swedish (the default): decimal comma, a no-break space between thousands and before "%", a real minus sign (U+2212),
en dash ranges written with "till" when they carry signs ("−4 till +5 procentenheter"), "p < 0,001" instead of
"p = 0,000", singular and plural through the catalogue, and names sorted with å, ä, ö after z. English: the same
figures with a decimal point, commas between thousands and "%" without a space. Every function reads the active
language (`django.utils.translation`), so callers wrap them in `translation.override` when they need another.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from django import template
from django.utils.formats import number_format
from django.utils.translation import get_language, gettext, ngettext

NBSP = "\u00a0"
MINUS = "\u2212"
EN_DASH = "\u2013"
# The smallest p-value written as a number; below it the text reads "p < 0,001" (a test never shows exactly zero).
P_FLOOR = 0.001

T = TypeVar("T")
# A template library too (settings: TEMPLATES builtins), so every page writes counts the same way.
register = template.Library()


def _swedish() -> bool:
    return not (get_language() or "sv").startswith("en")


@register.filter(name="number")
def integer(n: int) -> str:
    """A whole number: 1695 → '1 695' (no-break space) in Swedish, '1,695' in English; negative with '−'."""
    text = number_format(abs(n), 0, use_l10n=True, force_grouping=True)
    return f"{MINUS}{text}" if n < 0 else text


def decimal(x: float, places: int = 1) -> str:
    """A decimal with `places` digits: 0.7 → '0,7' in Swedish, '0.7' in English; negative with '−'."""
    text = number_format(abs(round(x, places)), places, use_l10n=True, force_grouping=True)
    return f"{MINUS}{text}" if round(x, places) < 0 else text


def percent_number(share: float, places: int = 0) -> str:
    """A share (0–1) as percent without the sign: 0.7012 → '70'. Rounds half to even, as round() does."""
    return integer(round(100 * share)) if places == 0 else decimal(100 * share, places)


def percent(share: float | None, places: int = 0) -> str:
    """A share (0–1) with its sign: '70 %' (no-break space, so the sign never wraps alone) or '70%'; None → '–'."""
    if share is None:
        return EN_DASH
    number = percent_number(share, places)
    return f"{number}{NBSP}%" if _swedish() else f"{number}%"


@register.filter(name="percent100")
def percent_of_hundred(value: float | None) -> str:
    """A percent already on 0–100 (a promise's progress), whole, with its sign as `percent` writes it: 40 → '40 %'."""
    return percent(None if value is None else float(value) / 100)


def percent_range(low: float, high: float) -> str:
    """An interval of shares (0–1): '62–70 %' with an en dash and one sign at the end."""
    text = f"{percent_number(low)}{EN_DASH}{percent_number(high)}"
    return f"{text}{NBSP}%" if _swedish() else f"{text}%"


def signed(x: float) -> str:
    """A whole number with its sign always written: +5, −4 (U+2212), 0."""
    n = round(x)
    if n > 0:
        return f"+{integer(n)}"
    return integer(n)


def points(difference: float) -> str:
    """A difference of shares (0–1) as percentage points, unsigned: '1 procentenhet', '5 procentenheter'."""
    n = abs(round(100 * difference))
    return ngettext("%(n)s procentenhet", "%(n)s procentenheter", n) % {"n": integer(n)}


def points_range(low: float, high: float) -> str:
    """An interval of a difference (0–1) in points with signs: '−4 till +5 procentenheter'.

    "till" rather than a dash, since a dash beside a minus sign reads as a second minus.
    """
    n = max(abs(round(100 * low)), abs(round(100 * high)))
    return ngettext("%(low)s till %(high)s procentenhet", "%(low)s till %(high)s procentenheter", n) % {
        "low": signed(100 * low), "high": signed(100 * high)}


def p_value(p: float) -> str:
    """'p < 0,001' below P_FLOOR, otherwise 'p = 0,034' (three decimals), in the number style of the language."""
    if p < P_FLOOR:
        return f"p < {decimal(P_FLOOR, 3)}"
    return f"p = {decimal(p, 3)}"


def count(n: int, singular: str, plural: str) -> str:
    """A count with its noun in singular or plural, both given already translated: '1 svar', '2 personer'."""
    return f"{integer(n)} {singular if n == 1 else plural}"


def join_names(names: Sequence[str]) -> str:
    """'A', 'A och B', 'A, B och C' (English: 'A, B and C')."""
    if len(names) <= 1:
        return "".join(names)
    return gettext("%(first)s och %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


# The Swedish alphabet ends "… x y z å ä ö"; ü sorts as y, æ as ä and ø as ö (SAOL), other accents as the plain letter.
_LAST = {"å": "{0", "ä": "{1", "æ": "{1", "ö": "{2", "ø": "{2"}
_AS = {"ü": "y"}


def collation_key(text: str) -> tuple[str, str]:
    """A sort key for Swedish order, case-insensitive: 'Örebro' after 'Ryd', 'Åby' before 'Älvsjö' before 'Ödeshög'.

    The second part (the text itself) makes the order total when two names differ only in case or accents.
    """
    out = []
    for ch in text.casefold():
        if ch in _LAST:
            out.append(_LAST[ch])
        elif ch in _AS:
            out.append(_AS[ch])
        else:
            out.append("".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c)))
    return "".join(out), text


def sorted_swedish(items: Iterable[T], key: Callable[[T], str] | None = None) -> list[T]:
    """`items` in Swedish alphabetical order, by `key(item)` (default: the item itself, which must be a str)."""
    def name(item: T) -> str:
        return key(item) if key is not None else str(item)
    return sorted(items, key=lambda item: collation_key(name(item)))


def label(code: str, labels: dict[str, str]) -> str:
    """The reader's word for a code ('dag' → 'Dagtid'); an unknown code is shown as typed rather than hidden."""
    return labels.get(code, code)

