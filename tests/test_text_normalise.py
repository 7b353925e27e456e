"""Slugs, folded keys, genitive stems and tokens."""

from __future__ import annotations

import pytest

from trygg.text import slugify
from trygg.text.normalise import fold, genitive_stem, lemma, tokenise


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Stadskärnan", "stadskarnan"),
        ("Karl XI:s väg", "karl-xi-s-vag"),
        ("Nyhem/Linehed", "nyhem-linehed"),
        ("Purple Flag-området", "purple-flag-omradet"),
        ("Hörnet Karl XI:s väg/Klammerdamsgatan", "hornet-karl-xi-s-vag-klammerdamsgatan"),
        ("  Östra stranden  ", "ostra-stranden"),
        ("Lagaholms borgruin", "lagaholms-borgruin"),
        ("!!!", ""),
    ],
)
def test_slugify(name: str, slug: str) -> None:
    assert slugify(name) == slug


@pytest.mark.parametrize("spelling", ["Vallås", "Vallaas", "Vallas", "VALLÅS", "vallås"])
def test_ascii_spellings_fold_to_one_key(spelling: str) -> None:
    assert fold(spelling) == "vallas"


def test_fold_handles_oe_ae_and_colon_genitive() -> None:
    assert fold("Soendrum") == fold("Söndrum") == "sondrum"
    assert fold("Kaerleken") == fold("Kärleken")
    assert fold("XI:s") == "xis"


@pytest.mark.parametrize(
    ("word", "stem"),
    [("Andersbergs", "Andersberg"), ("XI:s", "XI"), ("Vallås's", "Vallås"), ("bus", None), ("is", None),
     ("park", None)],
)
def test_genitive_stem(word: str, stem: str | None) -> None:
    assert genitive_stem(word) == stem


def test_lemma_gives_dictionary_forms_of_common_nouns() -> None:
    assert lemma("parkerna") == "park"
    assert lemma("tunnlarna") == "tunnel"
    assert lemma("busshållplatserna") == "busshållplats"
    assert lemma("andersberg") == "andersberg"  # unknown words come back unchanged


def test_tokenise_keeps_colon_genitive_and_offsets() -> None:
    text = "Karl XI:s väg, 😀 och Stora torg!"
    tokens = tokenise(text)
    assert [w for _, _, w in tokens] == ["karl", "xi:s", "väg", "och", "stora", "torg"]
    assert all(text[s:e].lower() == w for s, e, w in tokens)
    assert tokenise("😀 -- ?") == []
