"""The fieldwork monitor: how answers come in while a survey is open, and which groups still need outreach.

Counts only, straight from the database: answers per day and channel, and per area, gender and age group against the
organisation's population margins. A group's representation is its share of the answers divided by its share of the
population (1.0 = as in the population); the least represented come first. "Still needed" is how many more answers
the group needs before a share within it is known to ±5 percentage points at 95 % confidence (the worst case, a share
of 50 %), with the finite-population correction for small groups.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from django.db.models import Count
from django.db.models.fields.json import KT
from django.db.models.functions import TruncDate

from trygg.surveys.frames import BREAKDOWN_VARIABLES
from trygg.surveys.models import Response, Survey

# 95 % two-sided, a share of 0.5 (the widest interval) and a half-width of 5 percentage points.
Z_95 = 1.959963984540054
HALF_WIDTH = 0.05


def answers_needed(population: float) -> int:
    """Answers for a ±5-point 95 % interval on any share in a group of `population` people (≥ 0; 0 for empty)."""
    if population <= 0:
        return 0
    n0 = Z_95 ** 2 * 0.25 / HALF_WIDTH ** 2
    return math.ceil(n0 / (1 + (n0 - 1) / population))


@dataclass(frozen=True)
class Day:
    day: date
    by_channel: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_channel.values())


@dataclass(frozen=True)
class Group:
    variable: str
    category: str
    label: str
    answers: int
    population: float
    answer_share: float
    population_share: float
    needed: int

    @property
    def representation(self) -> float:
        """Share of answers over share of population; 0 when the group has no answers."""
        return self.answer_share / self.population_share if self.population_share else 0.0

    @property
    def still_needed(self) -> int:
        return max(0, self.needed - self.answers)


@dataclass(frozen=True)
class Monitor:
    total: int
    days: list[Day]
    channels: list[str]
    groups: list[Group]
    unweighted_variables: list[str]  # breakdown variables without population margins


def fieldwork(survey: Survey) -> Monitor:
    responses = Response.objects.filter(survey=survey)
    per_day: dict[date, dict[str, int]] = {}
    channels: set[str] = set()
    for row in (responses.annotate(day=TruncDate("submitted_at")).values("day", "channel")
                .annotate(n=Count("id")).order_by("day", "channel")):
        per_day.setdefault(row["day"], {})[row["channel"]] = row["n"]
        channels.add(row["channel"])
    total = sum(sum(d.values()) for d in per_day.values())
    margins: dict[str, dict[str, float]] = {}
    for variable, category, count in survey.organisation.margins.values_list("variable", "category", "count"):
        margins.setdefault(variable, {})[category] = count
    labels = _labels(survey)
    groups: list[Group] = []
    for variable in BREAKDOWN_VARIABLES:
        if variable not in margins:
            continue
        counts = {row["v"]: row["n"] for row in responses.annotate(v=KT(f"answers__{variable}"))
                  .values("v").annotate(n=Count("id")).order_by()}
        # Shares among those who gave a category with a population count, so "vill ej ange" does not skew them.
        answered = sum(n for c, n in counts.items() if c in margins[variable])
        population = sum(margins[variable].values())
        for category, people in margins[variable].items():
            n = counts.get(category, 0)
            groups.append(Group(variable, category, labels.get((variable, category), category), n, people,
                                n / answered if answered else 0.0, people / population if population else 0.0,
                                answers_needed(people)))
    groups.sort(key=lambda g: (g.representation, -g.still_needed, g.variable, g.category))
    ordered = [str(c) for c in Response.Channel if c in channels]
    ordered += sorted(channels - set(ordered))
    return Monitor(total, [Day(d, per_day[d]) for d in sorted(per_day)], ordered, groups,
                   [v for v in BREAKDOWN_VARIABLES if v not in margins])


def _labels(survey: Survey) -> dict[tuple[str, str], str]:
    out = {("area", code): name for code, name in survey.organisation.areas.values_list("code", "name")}
    bank = survey.bank
    for variable in ("gender", "age_group"):
        for option in bank.by_id[variable].options:
            out[(variable, option.code)] = option.text.get("sv", option.code)
    return out
