"""Language routing: Swedish and English are coded, other languages are kept and flagged for review."""

from __future__ import annotations

import pytest

from test_text_gazetteers import halmstad_gazetteer
from trygg.text import code_mentions, detect_language

GAZ = halmstad_gazetteer()


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Centrum på kvällen", "sv"),
        ("Andersberg", "sv"),  # a bare place name is coded as Swedish
        ("Jag känner mig otrygg i stan", "sv"),
        ("The city centre at night", "en"),
        ("I feel unsafe near the bus station", "en"),
        ("في المركز ليلا", "other"),
        ("مرکز شهر در شب", "other"),
        ("Магазин у вокзала", "other"),
        ("ሰላም ኣይኮነን", "other"),
        ("Magaalada dhexdeeda habeenkii waa khatar", "other"),
        ("Dworzec, szczególnie w nocy", "other"),
        ("Im Zentrum fühle ich mich abends unsicher", "other"),
        ("", "empty"),
        ("😀🙈", "empty"),
        ("- ?", "empty"),
    ],
)
def test_detect_language(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_other_language_is_kept_and_flagged() -> None:
    coding = code_mentions("Andersberg gece çok güvensiz", GAZ)
    assert coding.language == "other" and coding.needs_review
    assert coding.slugs == {"andersberg"}  # names are names in any language
    arabic = code_mentions("في أندرسبرغ في الليل", GAZ)
    assert arabic.language == "other" and arabic.needs_review and arabic.mentions == ()


def test_swedish_and_english_need_no_review() -> None:
    assert not code_mentions("Centrum", GAZ).needs_review
    assert not code_mentions("the city centre", GAZ).needs_review
