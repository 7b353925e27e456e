"""The Halmstad demo: 1,695 synthetic answers whose figures land near the seed's, read through the real pipeline."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(run_cli) -> dict:
    status, out, err = run_cli("demo", "--no-serve")
    assert status == 0, err
    assert "http://" not in out  # --no-serve serves nothing, so it names no address
    assert "demo" in out and "trygg-demo" in out  # the staff login, in the user's language
    return {"out": out}


def _estimate(data: dict, indicator: str, **domain: str) -> dict:
    return next(e for e in data["estimates"] if e["indicator"] == indicator and e["domain"] == domain)


def test_results_land_near_the_seed(demo, run_cli) -> None:
    status, out, _ = run_cli("results", "halmstad-2022", "--format", "json", "--by", "gender")
    data = json.loads(out)
    assert data["respondents"] == 1695
    safe = _estimate(data, "safe_in_area")
    assert safe["share"] == pytest.approx(0.70, abs=0.015)
    assert safe["n"] > 1600
    assert _estimate(data, "unsafe_places_exist", gender="kvinna")["share"] == pytest.approx(0.80, abs=0.02)
    assert _estimate(data, "unsafe_places_exist", gender="man")["share"] == pytest.approx(0.60, abs=0.02)
    assert _estimate(data, "worried_sexualbrott", gender="kvinna")["share"] == pytest.approx(0.60, abs=0.02)
    assert _estimate(data, "worried_sexualbrott", gender="man")["share"] == pytest.approx(0.01, abs=0.01)


def test_area_groups_differ_as_in_the_seed(demo) -> None:
    from trygg.demo.generate import GROUP_A, GROUP_B
    from trygg.surveys.models import Response

    answers = list(Response.objects.filter(survey__year=2022).values_list("answers", flat=True))

    def share(group: tuple[str, ...]) -> float:
        rows = [a for a in answers if a.get("area") in group and "safe_area" in a]
        return sum(a["safe_area"] in ("mycket_trygg", "ganska_trygg") for a in rows) / len(rows)

    assert share(GROUP_A) == pytest.approx(0.49, abs=0.02)
    assert share(GROUP_B) == pytest.approx(0.73, abs=0.02)


def test_demo_is_idempotent_and_opens_this_years_survey(demo, run_cli) -> None:
    from django.utils import timezone

    from trygg.surveys.models import Response, Survey

    assert run_cli("demo", "--no-serve")[0] == 0
    # The 2022 survey and the synthetic 2023 follow-up survey of the promise, each once.
    assert Response.objects.filter(survey__year=2022).count() == 1695
    assert Response.objects.filter(survey__year=2023).count() == 1695
    assert Response.objects.count() == 2 * 1695
    current = Survey.objects.get(year=timezone.localdate().year)
    assert current.status == "open"


def test_demo_pages(demo, client) -> None:
    from django.utils import timezone

    page = client.get("/halmstad/").content.decode()
    assert "/halmstad/resultat/2022/" in page and "/halmstad/enkat/" in page
    assert "syntetiska" in page
    for url in ("/", "/halmstad/", f"/halmstad/enkat/{timezone.localdate().year}/"):
        text = client.get(url).content.decode()
        assert "syntetiska" in text and "schematiska" in text, url
    results = client.get("/halmstad/resultat/2022/")
    assert results.status_code == 200
    text = results.content.decode()
    assert "1\u00a0695 personer svarade" in text  # Swedish style: a no-break space between the thousands
    assert "schematiska" in text
    assert "inte ett slumpmässigt urval" in text


def test_public_pages_write_numbers_the_swedish_way(demo, client) -> None:
    """Every count of a thousand or more on the demo's public pages has its no-break space ('1 555', never '1555'),
    and no decimal is written with a point."""
    import re

    from django.utils import timezone

    for url in ("/", "/halmstad/", "/halmstad/resultat/2022/", "/halmstad/resultat/2023/", "/halmstad/lofte/2023/",
                f"/halmstad/enkat/{timezone.localdate().year}/"):
        page = client.get(url)
        assert page.status_code == 200, url
        html = re.sub(r"<(script|style)\b.*?</\1>", " ", page.content.decode(), flags=re.S)
        text = re.sub(r"<[^>]+>", " ", html)
        run_together = [m for m in re.findall(r"(?<![\d/:.,\-])\d{4,}(?![\d/:\-])", text)
                        if not 1990 <= int(m) <= 2100]
        assert not run_together, (url, run_together[:5])
        assert not re.findall(r"(?<![\d.])\d+\.\d+(?![\d.])", text), url
