"""Gazetteer matching rules: normalisation, multi-word names, longest match, themes, typos, languages."""

from __future__ import annotations

import pytest

from test_text_gazetteers import halmstad_gazetteer
from trygg.text import BUILTIN_THEMES, Gazetteer, GazetteerEntry, code_mentions

GAZ = halmstad_gazetteer()


def slugs(text: str) -> set[str]:
    return set(code_mentions(text, GAZ).slugs)


def test_builtin_theme_slugs() -> None:
    assert {t.slug for t in BUILTIN_THEMES} == {
        "morka_platser", "kollektivtrafik", "parker_gronomraden", "gangtunnlar", "nattliv", "overallt",
    }
    assert all(t.kind == "theme" and t.name and len(t.aliases) > 10 for t in BUILTIN_THEMES)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Vallaas", {"vallas"}),
        ("Vallas", {"vallas"}),
        ("Kopmansgatan", {"kopmansgatan"}),
        ("Koepmansgatan", {"kopmansgatan"}),
        ("Sondrum", {"sondrum"}),
        ("centrum ost", {"centrum-ost"}),
    ],
)
def test_ascii_spellings(text: str, expected: set[str]) -> None:
    assert slugs(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Andersbergs", {"andersberg"}),
        ("Vallås's centre", {"vallas"}),
        ("Östra strandens bostadsområde", {"ostra-stranden"}),
        ("Stora torgets", {"stora-torg"}),
        ("Karl XI väg", {"hornet-karl-xi-s-vag-klammerdamsgatan"}),
    ],
)
def test_genitive(text: str, expected: set[str]) -> None:
    assert slugs(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("parkerna", {"parker_gronomraden"}),
        ("tunnlarna", {"gangtunnlar"}),
        ("busshållplatserna", {"kollektivtrafik"}),
        ("krogarna", {"nattliv"}),
        ("kvällarna", {"morka_platser"}),
        ("cykeltunneln", {"gangtunnlar"}),
        ("fredagskvällar", {"morka_platser"}),
        ("stadsparken", {"parker_gronomraden"}),
    ],
)
def test_inflections_and_compounds_of_theme_words(text: str, expected: set[str]) -> None:
    assert slugs(text) == expected


def test_multi_word_names_and_slash_names() -> None:
    assert slugs("Karl XI:s väg") == {"hornet-karl-xi-s-vag-klammerdamsgatan"}
    assert slugs("Lilla torg") == {"lilla-torg"}
    assert slugs("Nyhem/Linehed") == {"nyhem-linehed"}
    assert slugs("Linehed") == {"nyhem-linehed"}
    assert slugs("Nyhem") == {"nyhem-linehed"}
    assert slugs("Frennarp") == slugs("Furet") == {"furet-frennarp"}
    assert slugs("Sofieberg") == {"karleken-sofieberg"}
    assert slugs("Storatorg") == {"stora-torg"}  # written together


def test_longest_match_wins() -> None:
    assert slugs("Centrum öst") == {"centrum-ost"}
    assert slugs("Centrum väst") == {"centrum-vast"}
    assert slugs("Andersbergs centrum") == {"andersberg"}
    assert slugs("Lilla torget") == {"lilla-torg"}  # not "torget" (Stora torg)
    assert slugs("under biblioteket") == {"stadsbiblioteket"}


def test_name_compounds() -> None:
    assert slugs("Andersbergsskolan") == {"andersberg"}
    assert slugs("Vallåsområdet") == {"vallas"}
    assert slugs("centrumutveckling") == set()  # "utveckling" is not a place word


def test_everywhere_is_not_the_city_core() -> None:
    assert slugs("hela stan") == {"overallt"}
    assert slugs("hela staden") == {"overallt"}
    assert slugs("överallt") == {"overallt"}
    assert slugs("everywhere") == {"overallt"}
    assert slugs("Hela Halmstad") == {"overallt"}  # the organisation's own theme alias
    assert slugs("Överallt i centrum") == {"stadskarnan"}  # everywhere narrowed to a place
    assert slugs("Överallt där det är mörkt") == {"morka_platser"}
    assert slugs("Överallt på kvällen") == {"overallt", "morka_platser"}


def test_fuzzy_typos_of_names() -> None:
    coding = code_mentions("Anderberg", GAZ)
    assert coding.slugs == {"andersberg"} and coding.mentions[0].how == "fuzzy"
    assert slugs("Andesberg") == {"andersberg"}
    assert slugs("Cenrtum") == {"stadskarnan"}  # swapped letters count as one edit
    assert slugs("Klammerdamgatan") == {"hornet-karl-xi-s-vag-klammerdamsgatan"}
    assert slugs("Lila torg") == {"lilla-torg"}  # two words, one edit away from "lillatorg"
    assert slugs("Anders berg") == {"andersberg"}


@pytest.mark.parametrize(
    "text",
    ["lila", "stark", "vallar", "stranden", "ungdomar", "parkering", "sand", "kärlek", "andras", "rotor",
     "sondera", "furor", "standard", "stanna", "citat", "biblisk"],
)
def test_fuzzy_guard_keeps_everyday_words_out(text: str) -> None:
    assert slugs(text) == set()


def test_fuzzy_guard_on_short_words_and_stop_words() -> None:
    # Four letters or fewer never match by typo; stop words never do.
    assert slugs("stn") == set()
    assert slugs("Vals") == set()
    assert slugs("under alla") == set()


def test_english_answers() -> None:
    assert slugs("the city centre at night") == {"stadskarnan", "morka_platser"}
    assert slugs("bus station") == {"kollektivtrafik"}
    assert slugs("the train station") == {"resecentrum"}
    assert slugs("parks and underpasses after dark") == {"parker_gronomraden", "gangtunnlar", "morka_platser"}
    assert slugs("outside the bars downtown") == {"nattliv", "stadskarnan"}


def test_place_beats_theme_on_the_same_words() -> None:
    assert slugs("stationen") == {"resecentrum"}
    assert slugs("busstationen") == {"kollektivtrafik"}


def test_late_hours_are_darkness() -> None:
    assert slugs("centrum efter 22") == {"stadskarnan", "morka_platser"}
    assert slugs("stan efter kl 20:00") == {"stadskarnan", "morka_platser"}
    assert slugs("Everywhere after 10 pm") == {"overallt", "morka_platser"}
    assert slugs("centrum efter 12") == {"stadskarnan"}


def test_ellipsis_of_a_shared_last_word() -> None:
    assert slugs("Stora och Lilla torg") == {"stora-torg", "lilla-torg"}


def test_mentions_carry_trigger_offsets_and_how() -> None:
    text = "Centrum, Vallaas och parkerna"
    coding = code_mentions(text, GAZ)
    got = {(m.slug, m.trigger, m.how) for m in coding.mentions}
    assert got == {
        ("stadskarnan", "Centrum", "exact"),
        ("vallas", "Vallaas", "normalised"),
        ("parker_gronomraden", "parkerna", "theme"),
    }
    for m in coding.mentions:
        assert text[m.start : m.end] == m.trigger
    assert {m.kind for m in coding.mentions} == {"place", "area", "theme"}


def test_each_respondent_counts_once_per_place() -> None:
    coding = code_mentions("Centrum, centrum och stan!", GAZ)
    assert len(coding.mentions) == 3
    assert coding.slugs == {"stadskarnan"}


@pytest.mark.parametrize("text", ["", "   ", "\n", "-", "...", "😀", "🤷‍♀️👍", "?!"])
def test_empty_and_emoji_answers(text: str) -> None:
    coding = code_mentions(text, GAZ)
    assert coding.mentions == () and coding.language == "empty" and not coding.needs_review


def test_emoji_around_names_do_not_break_matching() -> None:
    assert slugs("😡Centrum😡 och 🚌 Andersberg 🌙") == {"stadskarnan", "andersberg"}


def test_gazetteer_rejects_duplicate_slugs_and_bad_entries() -> None:
    with pytest.raises(ValueError, match="slug"):
        Gazetteer([GazetteerEntry("a", "A", "area"), GazetteerEntry("a", "B", "place")])
    with pytest.raises(ValueError, match="kind"):
        GazetteerEntry("a", "A", "street")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="name"):
        GazetteerEntry("a", " ", "area")
    with pytest.raises(ValueError, match="tuple"):
        GazetteerEntry("a", "A", "area", "alias")  # type: ignore[arg-type]


def test_gazetteer_without_builtin_themes() -> None:
    gaz = Gazetteer([GazetteerEntry("andersberg", "Andersberg", "area")], include_builtin_themes=False)
    assert code_mentions("Andersberg på kvällen i parken", gaz).slugs == {"andersberg"}


def test_organisation_theme_extends_builtin_theme() -> None:
    gaz = Gazetteer([GazetteerEntry("overallt", "Överallt", "theme", ("hela Ystad",))])
    assert code_mentions("hela Ystad", gaz).slugs == {"overallt"}
    assert code_mentions("hela stan", gaz).slugs == {"overallt"}


def test_organisation_can_add_its_own_theme_and_wildcards() -> None:
    gaz = Gazetteer([GazetteerEntry("skolor", "Skolor", "theme", ("skola", "*skolan"))])
    assert code_mentions("Vid Nyhemsskolan och skolorna", gaz).slugs == {"skolor"}
