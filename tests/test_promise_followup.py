"""The follow-up of a promise's indicators: figures equal R's survey package, and the words follow the test.

Two independent synthetic years of a municipality with population margins: R rakes each year (`rake()`), takes
`svyciprop(method = "logit")` in the pooled domain per year, and the difference of independent surveys
(SE = √(SE₁² + SE₂²), normal interval). Three indicators: a significant rise, a significant fall and a change that
is not significant.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from django.utils import translation
from tests.r_helpers import read_rows, run_r

pytestmark = [pytest.mark.r, pytest.mark.django_db]
AREAS = ["norr", "soder", "oster", "vaster"]
GENDERS = ["kvinna", "man"]
AGES = ["16-24", "25-44", "45-64", "65-79"]
POOLED = ["norr", "soder"]
# Share answering yes per year in the pooled areas (others: 0.7 throughout).
RISE = {2024: 0.45, 2025: 0.62}   # safe_in_area: ökade, säkerställd
FALL = {2024: 0.70, 2025: 0.52}   # unsafe_places_exist: minskade, säkerställd
FLAT = {2024: 0.40, 2025: 0.42}   # worried_inbrott: ingen säkerställd förändring


def _answers(year: int, rng: random.Random) -> list[list[str]]:
    rows = []
    for _ in range(700):
        area = rng.choices(AREAS, [4, 3, 2, 2])[0]
        gender = rng.choices(GENDERS, [6, 4])[0]
        age = rng.choices(AGES, [1, 3, 4, 3])[0]
        pooled = area in POOLED

        def yes(shares: dict[int, float]) -> bool:
            return rng.random() < (shares[year] if pooled else 0.7)  # noqa: B023 - used at once, in this loop

        safe = rng.choice(["mycket_trygg", "ganska_trygg"]) if yes(RISE) else rng.choice(["ganska_otrygg", "vet_ej"])
        places = "ja" if yes(FALL) else "nej"
        worry = "ganska_orolig" if yes(FLAT) else "inte_alls_orolig"
        rows.append([area, gender, age, safe, places, worry])
    return rows


@pytest.fixture
def two_years(run_cli, write_csv, tmp_path: Path) -> Path:
    rng = random.Random(8)
    areas = write_csv("areas.csv", ["code", "name"], [[a, a.title()] for a in AREAS])
    assert run_cli("org", "create", "boras", "--name", "Borås", "--areas", str(areas))[0] == 0
    population = write_csv("population.csv", ["variable", "category", "count"],
                           [["area", a, c] for a, c in zip(AREAS, ["30000", "25000", "25000", "20000"], strict=True)]
                           + [["gender", "kvinna", "51000"], ["gender", "man", "49000"]]
                           + [["age_group", a, c] for a, c in zip(AGES, ["15000", "35000", "30000", "20000"],
                                                                    strict=True)])
    assert run_cli("population", "import", "boras", str(population))[0] == 0
    for year in (2024, 2025):
        slug = f"boras-{year}"
        run_cli("survey", "create", "boras", str(year))
        run_cli("survey", "open", slug)
        answers = write_csv(f"answers{year}.csv", ["area", "gender", "age_group", "safe_area", "unsafe_places",
                                                   "worry_inbrott"], _answers(year, rng))
        assert run_cli("responses", "import", slug, str(answers))[0] == 0
        run_cli("survey", "close", slug)
        assert run_cli("responses", "export", slug, "--out", str(tmp_path / f"export{year}.csv"))[0] == 0
    header = ["party", "commitment", "activity", "places", "indicator", "domain", "baseline_survey", "target"]
    rows = [["gemensamt", "Tryggare i norr och söder", f"Aktivitet {ind}", "norr", ind, "area=norr|soder",
             "boras-2024", "0.6"] for ind in ("safe_in_area", "unsafe_places_exist", "worried_inbrott")]
    assert run_cli("promise", "import", "boras", "2025", str(write_csv("promise.csv", header, rows)))[0] == 0
    return tmp_path


R_CODE = """
pop_area <- data.frame(area = c("norr","soder","oster","vaster"), Freq = c(30000, 25000, 25000, 20000))
pop_gender <- data.frame(gender = c("kvinna","man"), Freq = c(51000, 49000))
pop_age <- data.frame(age_group = c("16-24","25-44","45-64","65-79"), Freq = c(15000, 35000, 30000, 20000))
numerators <- list(safe_in_area = c("safe_area", "mycket_trygg", "ganska_trygg"),
                   unsafe_places_exist = c("unsafe_places", "ja"),
                   worried_inbrott = c("worry_inbrott", "mycket_orolig", "ganska_orolig"))
year_figures <- function(year) {
  d <- read.csv(paste0("export", year, ".csv"), colClasses = "character", na.strings = "")
  d$dom <- as.numeric(d$area %in% c("norr", "soder"))
  for (ind in names(numerators)) {
    q <- numerators[[ind]]
    d[[ind]] <- ifelse(is.na(d[[q[1]]]), NA, as.numeric(d[[q[1]]] %in% q[-1]))
  }
  r <- rake(svydesign(ids = ~1, data = d), list(~area, ~gender, ~age_group), list(pop_area, pop_gender, pop_age),
            control = list(maxit = 100, epsilon = 1e-10))
  out <- NULL
  for (ind in names(numerators)) {
    s <- subset(r, !is.na(r$variables[[ind]]))
    b <- svyby(as.formula(paste0("~", ind)), ~dom, s, svyciprop, vartype = c("se", "ci"), method = "logit",
               na.rm = TRUE)
    k <- b$dom == 1
    out <- rbind(out, data.frame(indicator = ind, year = year, share = b[[ind]][k], se = as.numeric(SE(b))[k],
                                 ci_low = b$ci_l[k], ci_high = b$ci_u[k]))
  }
  out
}
a <- year_figures(2024)
b <- year_figures(2025)
diff <- b$share - a$share
se <- sqrt(a$se^2 + b$se^2)
z <- qnorm(0.975)
write.csv(data.frame(indicator = a$indicator, base = a$share, base_se = a$se, base_low = a$ci_low,
                     base_high = a$ci_high, follow = b$share, follow_se = b$se, follow_low = b$ci_low,
                     follow_high = b$ci_high, difference = diff, diff_low = diff - z * se, diff_high = diff + z * se),
          "r.csv", row.names = FALSE)
"""


def test_follow_up_figures_equal_r_and_the_wording_follows_the_test(two_years: Path, run_cli) -> None:
    from trygg.promises.actions import do_approve, find_promise
    from trygg.promises.presentation import follow_up_sentence

    status, _, err = run_cli("promise", "follow-up", "boras-2025", "boras-2025")
    assert status == 1 and "publish it before following it up" in err
    _publish(find_promise("boras-2025"), do_approve)
    status, _, err = run_cli("promise", "follow-up", "boras-2025", "boras-2024")
    assert status == 1 and "must be later than the baseline" in err
    status, out, err = run_cli("promise", "follow-up", "boras-2025", "boras-2025")
    assert status == 0, err
    data = json.loads(run_cli("promise", "show", "boras-2025", "--format", "json")[1])
    assert data["status"] == "followed_up"
    mine = {i["indicator"]: i for i in data["indicators"]}
    run_r(R_CODE, two_years)
    reference = {row["indicator"]: row for row in read_rows(two_years / "r.csv")}
    assert set(reference) == set(mine)
    for name, row in reference.items():
        ind = mine[name]
        assert ind["weighted"] is True and ind["domain"] == {"area": POOLED}
        for key, theirs in (("share", "base"), ("se", "base_se"), ("ci_low", "base_low"), ("ci_high", "base_high")):
            assert ind["baseline"][key] == pytest.approx(float(row[theirs]), abs=1e-6), (name, key)
        for key, theirs in (("share", "follow"), ("se", "follow_se"), ("ci_low", "follow_low"),
                            ("ci_high", "follow_high")):
            assert ind["follow_up"][key] == pytest.approx(float(row[theirs]), abs=1e-6), (name, key)
        assert ind["difference"] == pytest.approx(float(row["difference"]), abs=1e-6)
        assert ind["difference_ci_low"] == pytest.approx(float(row["diff_low"]), abs=1e-6)
        assert ind["difference_ci_high"] == pytest.approx(float(row["diff_high"]), abs=1e-6)
        assert ind["significant"] == (float(row["diff_low"]) > 0 or float(row["diff_high"]) < 0)
    rise, fall, flat = mine["safe_in_area"], mine["unsafe_places_exist"], mine["worried_inbrott"]
    assert rise["significant"] and rise["difference"] > 0
    assert fall["significant"] and fall["difference"] < 0
    assert flat["significant"] is False
    with translation.override("sv"):
        before, after = (f"{100 * rise[k]['share']:.0f}\u00a0%" for k in ("baseline", "follow_up"))
        assert follow_up_sentence(rise) == f"ökade från {before} till {after}; skillnaden är statistiskt säkerställd"
        assert follow_up_sentence(fall).startswith("minskade från ")
        assert follow_up_sentence(fall).endswith("; skillnaden är statistiskt säkerställd")
        assert follow_up_sentence(flat).endswith(": ingen säkerställd förändring")
        assert "säkerställd förändring" not in follow_up_sentence(rise)
    with translation.override("en"):
        assert follow_up_sentence(rise).startswith("rose from ")
        assert follow_up_sentence(rise).endswith("; the difference is statistically significant")
        assert follow_up_sentence(flat).endswith(": no significant change")


def _publish(promise, do_approve) -> None:
    from django.contrib.auth.models import User

    from trygg.accounts.actions import do_grant_role
    from trygg.promises.actions import do_publish

    for name, party in (("kommun_boras", "kommunen"), ("polis_boras", "polisen")):
        user = User.objects.create_user(name)
        do_grant_role(user, promise.organisation, "admin", party=party)
        do_approve(promise, user)
    do_publish(promise)


def test_a_small_domain_is_suppressed_in_every_figure_but_the_survey(two_years: Path, run_cli) -> None:
    from trygg.promises.models import Indicator
    from trygg.promises.queries import indicator_data

    ind = Indicator.objects.get(indicator="safe_in_area")
    data = indicator_data(ind, min_n=10_000)
    assert data["baseline"] == {"survey": "boras-2024", "share": None, "se": None, "ci_low": None, "ci_high": None,
                                "n": None}
    assert data["difference"] is None


def test_without_margins_the_figures_are_unweighted(run_cli, write_csv) -> None:
    from trygg.promises.actions import find_promise
    from trygg.promises.queries import promise_data

    areas = write_csv("areas.csv", ["code", "name"], [["norr", "Norr"], ["soder", "Söder"]])
    run_cli("org", "create", "ale", "--name", "Ale", "--areas", str(areas))
    run_cli("survey", "create", "ale", "2024")
    run_cli("survey", "open", "ale-2024")
    rows = [[["norr", "soder"][i % 2], ["ganska_trygg", "mycket_otrygg", "ganska_trygg"][i % 3]] for i in range(60)]
    run_cli("responses", "import", "ale-2024", str(write_csv("a.csv", ["area", "safe_area"], rows)))
    header = ["party", "commitment", "activity", "indicator", "domain", "baseline_survey"]
    run_cli("promise", "import", "ale", "2025", str(write_csv("p.csv", header, [
        ["polisen", "Synlighet", "Fotpatrull", "safe_in_area", "", "ale-2024"]])))
    [ind] = promise_data(find_promise("ale-2025"))["indicators"]
    assert ind["weighted"] is False and ind["domain"] == {}
    assert ind["baseline"]["share"] == pytest.approx(40 / 60) and ind["baseline"]["n"] == 60
