"""Name variants generated from official names (trygg.text.variants) and the guards around them."""

from __future__ import annotations

import pytest

from trygg.text import Gazetteer, GazetteerEntry, code_mentions
from trygg.text.variants import centre_variants, name_variants, square_variants, town_words

OFFICIAL = [
    GazetteerEntry("vaxjo-centrum", "Växjö centrum", "area"),
    GazetteerEntry("araby", "Araby", "area"),
    GazetteerEntry("teleborg", "Teleborg", "area"),
    GazetteerEntry("vaster", "Väster", "area"),
    GazetteerEntry("stortorget", "Stortorget", "place"),
    GazetteerEntry("vastra-torget", "Västra torget", "place"),
    GazetteerEntry("oxtorget", "Oxtorget", "place"),
    GazetteerEntry("arabytorget", "Arabytorget", "place"),
    GazetteerEntry("linneparken", "Linnéparken", "place"),
    GazetteerEntry("resecentrum", "Växjö resecentrum", "place"),
    GazetteerEntry("domkyrkan", "Växjö domkyrka", "place"),
    GazetteerEntry("norra-jarnvagsgatan", "Norra järnvägsgatan", "place"),
    GazetteerEntry("sankt-sigfrids-plan", "Sankt Sigfrids plan", "place"),
    GazetteerEntry("teleborgs-slott", "Teleborgs slott", "place"),
]
GAZ = Gazetteer(OFFICIAL)


def slugs(text: str, gazetteer: Gazetteer = GAZ) -> set[str]:
    return set(code_mentions(text, gazetteer).slugs)


def test_definite_indefinite_split_and_joined() -> None:
    assert {"stortorg", "stora torget", "stora torg", "stor torget"} <= set(name_variants("Stortorget"))
    assert {"västra torg", "v torget"} <= set(name_variants("Västra torget"))
    assert {"linné park", "linné parken", "linnépark"} <= set(name_variants("Linnéparken"))
    assert {"stortorget", "stortorg", "stora torget"} <= set(name_variants("Stora torg"))
    assert {"norra järnvägsgata", "norra järnvägsg", "n järnvägsgatan"} <= set(name_variants("Norra järnvägsgatan"))
    assert {"s:t sigfrids plan", "st sigfrids plan", "sigfrids plan"} <= set(name_variants("Sankt Sigfrids plan"))
    assert {"slottet på teleborg", "slottet i teleborg"} <= set(name_variants("Teleborgs slott"))
    assert "torget i araby" in name_variants("Arabytorget")
    assert "Stortorget".lower() not in name_variants("Stortorget"), "the name itself is not a variant"


def test_names_without_a_place_noun_are_left_alone() -> None:
    assert name_variants("Araby") == ()
    assert name_variants("Strandbjörket") == ()
    assert name_variants("") == ()


def test_town_word_is_dropped_only_before_a_specific_word() -> None:
    town = town_words(["Växjö centrum", "Växjö resecentrum", "Växjö domkyrka", "Västra torget", "Norra torget"])
    assert town == {"växjö", "växjös"}, "directions shared by two names are not a town"
    assert {"resecentrum", "resecentrumet"} <= set(name_variants("Växjö resecentrum", town))
    assert {"domkyrkan", "domkyrka"} <= set(name_variants("Växjö domkyrka", town))
    assert "torget" not in name_variants("Växjö torget", town), "a bare place noun is too general"


def test_town_centre_and_main_square() -> None:
    town = frozenset({"växjö", "växjös"})
    assert {"stan", "innerstan", "city", "växjö c", "centrala växjö"} <= set(centre_variants("Växjö centrum", town))
    assert "stan" in centre_variants("Centrum")
    assert centre_variants("Teleborgs centrum", town) == (), "a district's centre is the district"
    assert square_variants("Stora torget") == ("torget",)
    assert square_variants("Västra torget") == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("stora torg på kvällen", {"stortorget", "morka_platser"}),
        ("Stortorg", {"stortorget"}),
        ("västra torg", {"vastra-torget"}),
        ("ox torget", {"oxtorget"}),
        ("Araby torg", {"arabytorget"}),
        ("torget i Araby", {"arabytorget"}),
        ("Linné park", {"linneparken"}),
        ("resecentrum", {"resecentrum"}),
        ("domkyrkan", {"domkyrkan"}),
        ("N järnvägsgatan", {"norra-jarnvagsgatan"}),
        ("st. sigfrids plan", {"sankt-sigfrids-plan"}),
        ("S:t Sigfrids plan", {"sankt-sigfrids-plan"}),
        ("slottet på Teleborg", {"teleborgs-slott"}),
        ("i stan", {"vaxjo-centrum"}),
        ("centrala Växjö", {"vaxjo-centrum"}),
        ("torget", {"stortorget"}),
        ("hela stan", {"overallt"}),
        ("Teleborgs centrum", {"teleborg"}),
        ("Västea torget", {"vastra-torget"}),
        ("Linnnéparken", {"linneparken"}),
        ("Resecntrum", {"resecentrum"}),
    ],
)
def test_residents_forms_found(text: str, expected: set[str]) -> None:
    assert slugs(text) == expected


def test_variant_matches_are_normalised_not_exact() -> None:
    mention = code_mentions("stora torg", GAZ).mentions[0]
    assert (mention.slug, mention.how) == ("stortorget", "normalised")
    assert code_mentions("Stortorget", GAZ).mentions[0].how == "exact"


def test_guards_against_false_matches() -> None:
    assert slugs("torg") == set(), "'torg' alone is not the main square"
    assert slugs("toret") == set(), "the everyday word 'torget' gets no typo matching"
    assert slugs("inte i stan") == set()
    assert slugs("st") == set() and slugs("n") == set()
    assert slugs("Det är mörkt. St Sigfrids plan") == {"morka_platser", "sankt-sigfrids-plan"}


def test_written_alias_beats_a_variant_and_ambiguous_variants_name_nothing() -> None:
    gaz = Gazetteer([
        GazetteerEntry("nytorget", "Nytorget", "place"),
        GazetteerEntry("hamnen", "Hamnen", "place", ("Lilla torg",)),
        GazetteerEntry("lilla-torget", "Lilla torget", "place"),
        GazetteerEntry("ostra-skolan", "Östra skolan", "place"),
        GazetteerEntry("ostra-skola", "Östra skola", "place"),
    ])
    assert slugs("Lilla torg", gaz) == {"hamnen"}, "the written alias wins over the variant of Lilla torget"
    assert slugs("Lilla torget", gaz) == {"lilla-torget"}
    # "Ö skola" would be a variant of both names: neither gets it; each name itself still wins.
    assert slugs("Ö skola", gaz) == set()
    assert slugs("Östra skola", gaz) == {"ostra-skola"}
    assert slugs("Östra skolan", gaz) == {"ostra-skolan"}


def test_no_centre_words_without_a_centre_area() -> None:
    gaz = Gazetteer([GazetteerEntry("centrum-ost", "Centrum öst", "area"), GazetteerEntry("a", "Andersberg", "area")])
    assert slugs("stan", gaz) == set()
    assert slugs("innerstan", gaz) == set()
