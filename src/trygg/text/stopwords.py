"""Function words and everyday words of Swedish and English answers.

They serve twice: a stop word never matches a name by fuzzy matching, and counting them tells Swedish from
English. Lists are lowercase and deliberately short: words that decide, not a dictionary.
"""

from __future__ import annotations

__all__ = ["EN_WORDS", "STOPWORDS", "SV_WORDS"]

SV_WORDS: frozenset[str] = frozenset("""
och att det som är jag på för med inte den till har de ett han men var om så hon när kan man där eller
efter under upp ut hur vi dig mig sig sin sitt sina även alla inga ingen inget något några någon
vid från mot över genom utan runt kring nära också bara mycket lite ofta alltid aldrig ibland kanske typ
känner känns kännas känt otrygg otryggt otrygga trygg tryggt trygga rädd platser plats ställen stället
finns fanns nej vet ej går gå gick vågar vill inne ute hemma själv själva speciellt särskilt främst mest
dagen dagtid helgen helger helgerna framför allt eftersom därför fast dock samt annars lugnt jobbet skolan
hem gatan vägen ungdomar ungdomarna gäng gängen folk personer människor killar tjejer många vissa
mörkt kvällen kvällar natten överallt hela stan staden kommunen området områden annat andra tycker tror
blir bli blev varit vara bra dåligt dålig obehagligt läskigt jättemycket väldigt ganska riktigt verkligen
""".split())

EN_WORDS: frozenset[str] = frozenset("""
the and of to in at on is are was were it its this that there these those not no yes i'm im my me you we
they he she feel feels felt unsafe safe scared afraid very really too much many some people night evening
dark around near by from with without when where everywhere nowhere anywhere don't dont doesn't isn't
especially particularly always never sometimes often walking walk alone area areas place places which also just only
like because after before would could should
""".split())

STOPWORDS: frozenset[str] = SV_WORDS | EN_WORDS
