"""Built-in themes: kinds of place that residents name in every municipality.

Conventions the lexicons follow (the labelled sets are coded the same way):

- ``morka_platser`` is darkness *and* the time of day when it is dark: "mörka gator", "dålig belysning", "på
  kvällen", "på nätterna", "after dark". The seed's category is "mörka platser på kvällstid".
- ``nattliv`` is bars, clubs and drunk crowds ("krogarna", "när krogarna stänger", "fulla människor"); the night
  itself is ``morka_platser``.
- ``kollektivtrafik`` is buses, trains, stops and stations. When the organisation has a named place with the same
  words (Halmstad's "Resecentrum" has the alias "stationen"), the named place wins and the theme is not counted.
- ``overallt`` is everywhere / the whole town. "hela stan" is ``overallt`` and not the city core; an organisation
  adds its own town ("hela Halmstad") with a theme entry of the same slug (see ``Gazetteer``).

Aliases are written in dictionary form, because theme words also match through the lemma ("park" matches
"parkerna"); inflections the lemmatiser does not know are listed explicitly. "*x" matches compounds ending in x.
"""

from __future__ import annotations

from trygg.text.entries import GazetteerEntry

__all__ = ["BUILTIN_THEMES", "THEME_SLUGS"]

_MORKA = (
    "mörk", "mörka", "mörkt", "mörker", "mörkret", "mörkrets inbrott", "becksvart", "kolsvart", "skymning",
    "skymningen", "belysning", "gatubelysning", "dålig belysning", "dåligt belyst", "dåligt belysta",
    "dåligt upplyst", "dåligt upplysta", "obelyst", "obelysta", "oupplyst", "oupplysta", "släckta lampor",
    "trasiga lampor", "lampa", "gatlampa", "gatlykta", "belysa", "mörkna", "mörknat", "mörknar", "kväll", "kvällen",
    "kvällar", "kvällarna", "kvällstid", "kvällstiden", "kvällstider", "ikväll", "natt", "natten", "nätter",
    "nätterna", "nattetid", "inatt", "sent", "sena kvällar", "sent på kvällen", "sena timmar", "*kväll", "*kvällen",
    "*kvällar", "*kvällarna", "*natt", "*natten", "*nätter", "*nätterna",
    "dark", "darkness", "after dark", "in the dark", "at night", "night", "nights", "nighttime", "night time",
    "nighttimes", "evening", "evenings", "in the evening", "late evenings", "poorly lit", "badly lit", "unlit",
    "no lights", "no lighting", "lighting", "street lights", "streetlights", "dimly lit",
)
_KOLLEKTIV = (
    "buss", "bussen", "bussar", "bussarna", "*buss", "*bussen", "*bussar", "*bussarna", "hållplats", "*hållplats",
    "*hållplatsen", "*hållplatser", "*hållplatserna", "busskur", "busskurar", "busskurarna", "busstation",
    "busstationen", "busstationer", "bussterminal", "bussterminalen", "terminalen", "tåg", "tåget", "tågen",
    "pendeltåg", "pendeltåget", "tågtrafik", "tågtrafiken", "*tåget", "station", "stationen", "stationer",
    "tågstation", "tågstationen", "järnvägsstation", "järnvägsstationen", "centralstation", "centralstationen",
    "perrong", "perrongen", "perronger", "perrongerna", "spårvagn", "kollektivtrafik", "kollektivtrafiken",
    "kollektivtrafiksknutpunkt", "resecentrum", "väntsal", "väntsalen", "hallandstrafiken",
    "hallandstrafikens bussar", "skånetrafiken", "stadsbuss", "nattbuss", "pendeln",
    "bus", "buses", "busses", "bus stop", "bus stops", "bus station", "bus stations", "bus shelter", "train",
    "trains", "train station", "railway station", "station", "stations", "platform", "platforms", "public transport",
    "public transportation", "commuter train", "tram",
)
_PARKER = (
    "park", "parken", "parker", "parkerna", "*park", "*parken", "*parker", "*parkerna", "grönområde",
    "grönområden", "grönområdet", "grönområdena", "grönytor", "grönytorna", "skog", "skogen", "skogar",
    "skogarna", "*skog", "*skogen", "skogsparti", "skogspartier", "skogsdungen", "dunge", "dungen", "dungar",
    "buskage", "buskagen", "buskar", "buskarna", "snår", "snåret", "motionsspår", "motionsspåret", "elljusspår",
    "elljusspåret", "joggingspår", "joggingspåret", "lekplats", "lekplatsen", "lekplatser", "lekplatserna",
    "naturområde", "naturområden", "promenadstråk", "promenadstråket",
    "park", "parks", "the park", "green areas", "green area", "green spaces", "woods", "the woods", "forest",
    "trail", "trails", "playground", "playgrounds", "bushes",
)
_TUNNLAR = (
    "tunnel", "tunneln", "tunnlar", "tunnlarna", "*tunnel", "*tunneln", "*tunnlar", "*tunnlarna", "gångtunnel",
    "gångtunneln", "gångtunnlar", "gångtunnlarna", "cykeltunnel", "cykeltunneln", "undergång", "undergången",
    "undergångar", "undergångarna", "*undergång", "*undergången", "*undergångar", "*undergångarna", "viadukt",
    "viadukten", "viadukter", "viadukterna", "gångpassage", "gångpassagen",
    "tunnel", "tunnels", "underpass", "underpasses", "subway", "subways", "pedestrian tunnel",
)
_NATTLIV = (
    "krog", "krogen", "krogar", "krogarna", "*krogen", "krogkön", "krogkvällar", "krogstängning", "krogrunda",
    "bar", "baren", "barer", "barerna", "nattklubb", "nattklubben", "nattklubbar", "nattklubbarna",
    "uteliv", "utelivet", "uteställe", "utestället", "uteställen", "uteställena", "pub", "puben", "pubar",
    "pubarna", "dansställe", "discot", "fyllo", "fyllon", "fyllona", "fyllot", "fyllan", "berusad",
    "berusade", "onyktra", "fulla människor", "fulla personer", "fulla ungdomar", "fulla killar", "fulla gäng",
    "stängningsdags", "fest", "fester", "festa", "festar", "festande", "partyn", "fylleri", "fylleriet",
    "nightlife", "night life", "bar", "bars", "pub", "pubs", "club", "clubs", "nightclub", "nightclubs",
    "drunk people", "drunks", "drunk", "closing time",
)
_OVERALLT = (
    "överallt", "överallt i stan", "hela stan", "hela staden", "hela kommunen", "hela orten", "hela byn",
    "alla platser", "alla ställen", "var som helst", "varsomhelst", "överallt typ", "allmänt överallt",
    "everywhere", "all over", "all over town", "the whole town", "the whole city", "whole town", "all places",
)

BUILTIN_THEMES: tuple[GazetteerEntry, ...] = (
    GazetteerEntry("morka_platser", "Mörka platser på kvällstid", "theme", _MORKA),
    GazetteerEntry("kollektivtrafik", "Kollektivtrafik", "theme", _KOLLEKTIV),
    GazetteerEntry("parker_gronomraden", "Parker och grönområden", "theme", _PARKER),
    GazetteerEntry("gangtunnlar", "Gångtunnlar", "theme", _TUNNLAR),
    GazetteerEntry("nattliv", "Nattliv", "theme", _NATTLIV),
    GazetteerEntry("overallt", "Överallt", "theme", _OVERALLT),
)
THEME_SLUGS: frozenset[str] = frozenset(t.slug for t in BUILTIN_THEMES)
