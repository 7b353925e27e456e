"""The promise in words and numbers for people: percent in the page's language, the follow-up sentence, the
"lovat → gjort" figures. Texts are Swedish in gettext; the English is in this app's catalogue.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from trygg.formatting import integer, percent, percent_of_hundred
from trygg.promises.models import Activity


def number_text(x: float | None) -> str:
    """A count as people write it in a follow-up: words up to twelve ("elva"), figures above, decimals kept."""
    if x is None:
        return ""
    if not float(x).is_integer():
        return f"{x:g}"
    words = [pgettext("antal", "noll"), pgettext("antal", "en"), pgettext("antal", "två"), pgettext("antal", "tre"),
             pgettext("antal", "fyra"), pgettext("antal", "fem"), pgettext("antal", "sex"), pgettext("antal", "sju"),
             pgettext("antal", "åtta"), pgettext("antal", "nio"), pgettext("antal", "tio"), pgettext("antal", "elva"),
             pgettext("antal", "tolv")]
    n = int(x)
    return words[n] if 0 <= n < len(words) else integer(n)


def follow_up_sentence(ind: dict[str, Any]) -> str:
    """The indicator's change in plain words. Only a difference whose interval excludes zero is called
    statistically certain; a hidden (suppressed) figure is never described."""
    base, follow = ind["baseline"], ind["follow_up"]
    if base["share"] is None:
        return _("för få svar i utgångsläget för att visa en andel")
    if follow is None:
        return _("utgångsläget är %(before)s; uppföljningen är inte gjord än") % {"before": percent(base["share"])}
    if follow["share"] is None:
        return _("för få svar i uppföljningen för att visa en andel")
    values = {"before": percent(base["share"]), "after": percent(follow["share"])}
    if not ind["significant"]:
        return _("från %(before)s till %(after)s: ingen säkerställd förändring") % values
    if ind["difference"] > 0:
        return _("ökade från %(before)s till %(after)s; skillnaden är statistiskt säkerställd") % values
    return _("minskade från %(before)s till %(after)s; skillnaden är statistiskt säkerställd") % values


def promised_text(a: Activity) -> str:
    """What was promised, with its quantity: "Riktade insatser (minst 6 insatser)"."""
    if a.quantity is None:
        return a.text
    return _("%(text)s (%(quantity)s %(unit)s)") % {"text": a.text, "quantity": number_text(a.quantity),
                                                   "unit": a.unit}


def done_text(a: Activity) -> str:
    """What was done, as a follow-up says it: "elva", "40 %", "inställd: …" or "ingen uppföljning än"."""
    if a.status == Activity.Status.CANCELLED:
        return _("inställd: %(reason)s") % {"reason": a.cancel_reason}
    if a.quantity is not None and a.delivered is not None:
        return _("%(delivered)s %(unit)s") % {"delivered": number_text(a.delivered), "unit": a.unit}
    if a.percent is not None:
        return percent(a.percent / 100)
    if a.status == Activity.Status.NO_EVIDENCE:
        return _("inget underlag än")
    return _("ingen uppföljning än")


def bar_step(percent: float | None) -> int | None:
    """The progress bar's width class in steps of 5 (0..100), since the page may not carry style attributes."""
    if percent is None:
        return None
    return int(min(100.0, max(0.0, percent)) // 5 * 5)


def rollup(activities: list[Activity]) -> dict[str, Any]:
    """Progress over activities: the mean percent (each capped at 100) of those with progress logged, and counts.
    Cancelled activities are left out; activities without progress are counted, not taken as 0 %."""
    live = [a for a in activities if a.status != Activity.Status.CANCELLED]
    followed = [min(100.0, a.percent) for a in live if a.percent is not None]
    mean = sum(followed) / len(followed) if followed else None
    return {"percent": None if mean is None else round(mean), "percent_text": percent_of_hundred(mean),
            "bar": bar_step(mean), "followed": len(followed),
            "total": len(live), "done": sum(a.status == Activity.Status.DONE for a in live)}
