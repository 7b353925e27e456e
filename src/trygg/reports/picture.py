"""The joint situation picture (gemensam lägesbild): what residents feel and what is recorded, per area.

One query object feeds the staff dashboard, its CSV, `trygg picture`, and later the API and the PDF report, so they
can never disagree. Figures come from the query layers below it and are never re-derived here:
indicators with intervals and suppression from `reports/results.py`, places and pin hotspots from
`surveys/mentions.py`, incident counts from `incidents/queries.py`. What this module adds is the joining: per-area
rates per 1,000 residents, change since the last published year, and the fear × incidents quadrant
(thresholds in docs/statistics.md).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import date
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy
from shapely.geometry import shape

from trygg.areas.gazetteer import with_geometry
from trygg.areas.models import Organisation
from trygg.cliutil import render_csv
from trygg.geo import AreaIndex, find_hotspots
from trygg.incidents.queries import incident_categories, incident_counts
from trygg.reports.results import ResultsError, survey_results, year_comparisons
from trygg.stats import ShareEstimate, compare_surveys, is_statistically_certain
from trygg.surveys.mentions import HOTSPOT_EPS_M, CodedSurvey, code_survey
from trygg.surveys.models import DialogueNote, Survey
from trygg.tabular import neutralise_cell

__all__ = ["FEAR_INDICATOR", "MEASURES", "Filters", "Picture", "PictureError", "situation_picture"]

# The fear axis: the share NOT safe in their own area (1 − safe_in_area; "vet ej" counts as not safe, as the
# indicator's denominator keeps it).
FEAR_INDICATOR = "safe_in_area"
PLACES_PER_AREA = 5
SOURCES = ("police", "own")

# The kind of measure each quadrant calls for (fear, incidents) → text; docs/statistics.md explains the choice.
QUADRANTS = {
    (True, False): "fear_only",
    (False, True): "incidents_only",
    (True, True): "both",
    (False, False): "neither",
}
MEASURES = {
    "fear_only": gettext_lazy("Hög otrygghet, få brott: belysning, närvaro och information"),
    "incidents_only": gettext_lazy("Många brott, låg otrygghet: riktat polisarbete"),
    "both": gettext_lazy("Båda höga: gemensamma insatser av kommun och polis"),
    "neither": gettext_lazy("Båda låga: håll i det som fungerar"),
}


class PictureError(ResultsError):
    """The picture cannot be drawn as asked (an unknown filter value, a date range backwards)."""


@dataclass(frozen=True)
class Filters:
    """What the staff chose to look at. None means all; dates are Swedish local dates, both included.

    `area` keeps one area's row (the municipality stays as the yardstick); `gender` and `age_group` restrict every
    survey figure to that group (the yardstick too); `source` and `category` restrict the incidents; without
    `date_from`/`date_to` the incidents are those of the survey's calendar year.
    """

    area: str | None = None
    gender: str | None = None
    age_group: str | None = None
    indicator: str = "safe_in_area"
    source: str | None = None
    category: str | None = None
    date_from: date | None = None
    date_to: date | None = None

    def for_survey(self, survey: Survey) -> Filters:
        """The same filters with the default date range of the survey's year filled in."""
        return replace(self, date_from=self.date_from or date(survey.year, 1, 1),
                       date_to=self.date_to or date(survey.year, 12, 31))

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["date_from"] = self.date_from.isoformat() if self.date_from else None
        out["date_to"] = self.date_to.isoformat() if self.date_to else None
        return out


@dataclass
class AreaPicture:
    area: str
    name: str
    population: float | None
    indicator: dict[str, Any]  # the chosen indicator's figures, as in survey_results
    fear: dict[str, Any]  # share not safe in own area, figures as in survey_results
    change: dict[str, Any] | None  # chosen indicator, this year minus the last published year
    places: list[dict[str, Any]]
    hotspots: list[dict[str, Any]]
    incidents: list[dict[str, Any]]  # own incidents per category: count and rate per 1,000
    incidents_total: int
    rate_per_1000: float | None
    quadrant: dict[str, Any]


@dataclass
class Picture:
    """The situation picture of one survey. `to_json()` is the JSON of `trygg picture`; `csv_rows()` its CSV."""

    survey: str
    organisation: str
    year: int
    weighted: bool
    weighting_note: str  # "raked", "unweighted", or "no_margins"/"raking_failed" when weighting was not possible
    min_n: int
    filters: Filters
    has_population: bool
    indicator_label: dict[str, str]  # by language
    municipality: dict[str, Any]
    areas: list[AreaPicture]
    places: list[dict[str, Any]]
    hotspots: list[dict[str, Any]]
    police: list[dict[str, Any]]
    monthly: list[dict[str, Any]]
    earlier_year: int | None
    changes: list[dict[str, Any]]
    years: list[dict[str, Any]]
    organisations: list[dict[str, Any]]
    notes: None = None  # no model for notes from citizen dialogues yet

    def priority_areas(self) -> list[str]:
        """Areas where fear is high against the municipality (quadrants fear_only and both)."""
        return [a.area for a in self.areas if a.quadrant["kind"] in ("fear_only", "both")]

    def top_places(self, limit: int = 5) -> list[str]:
        return [p["slug"] for p in self.places if p["kind"] == "place"][:limit]

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["filters"] = self.filters.to_json()
        for area in out["areas"]:
            area["quadrant"] = {k: str(v) if k == "measure" and v is not None else v
                                for k, v in area["quadrant"].items()}
        return out

    def csv_rows(self) -> tuple[list[str], list[list[Any]]]:
        """One flat table: a `section` column says what each row is; empty cells where a figure does not apply."""
        header = ["section", "area", "name", "item", "month", "share", "ci_low", "ci_high", "n", "n_eff",
                  "suppressed", "count", "rate_per_1000", "population", "note"]
        rows: list[list[Any]] = []

        def row(section: str, area: str, name: str, item: str, *, month: str = "", fig: dict[str, Any] | None = None,
                count: Any = None, rate: Any = None, population: Any = None, note: Any = "") -> None:
            f = fig or {}
            rows.append([section, area, name, item, month, f.get("share"), f.get("ci_low"), f.get("ci_high"),
                         f.get("n"), f.get("n_eff"), f.get("suppressed", ""), count, rate, population, note])

        m = self.municipality
        row("indicator", "", self.organisation, self.filters.indicator, fig=m["indicator"])
        row("fear", "", self.organisation, "not_safe_in_area", fig=m["fear"])
        row("incidents", "", self.organisation, "own", count=m["incidents_total"], rate=m["rate_per_1000"],
            population=m["population"])
        for a in self.areas:
            row("indicator", a.area, a.name, self.filters.indicator, fig=a.indicator)
            row("fear", a.area, a.name, "not_safe_in_area", fig=a.fear)
            if a.change:
                row("change", a.area, a.name, self.filters.indicator, count=None,
                    fig={"share": a.change["difference"], "ci_low": a.change["ci_low"],
                         "ci_high": a.change["ci_high"]},
                    note=f"{self.year}-{self.earlier_year} certain={a.change['certain']}")
            row("incidents", a.area, a.name, "own", count=a.incidents_total, rate=a.rate_per_1000,
                population=a.population)
            for inc in a.incidents:
                row("incidents", a.area, a.name, inc["category"], count=inc["count"], rate=inc["rate_per_1000"],
                    population=a.population)
            for p in a.places:
                row("place", a.area, a.name, p["slug"], count=p["respondents"], note=p["name"])
            for h in a.hotspots:
                row("hotspot", a.area, a.name, h["near"], count=h["count"], note=f"radius_m={h['radius_m']}")
            q = a.quadrant
            row("quadrant", a.area, a.name, q["kind"] or "", note=str(q["measure"] or ""))
        for p in self.places:
            row("place", "", self.organisation, p["slug"], count=p["respondents"], note=p["name"])
        for r in self.police:
            row("police", "", self.organisation, r["type"], month=r["month"], count=r["count"])
        for r in self.monthly:
            row("monthly", "", self.organisation, r["source"], month=r["month"], count=r["count"])
        for c in self.changes:
            row("change", "", self.organisation, c["indicator"],
                fig={"share": c["difference"], "ci_low": c["ci_low"], "ci_high": c["ci_high"]},
                note=f"{c['first']['year']}-{c['second']['year']} certain={c['certain']}")
        for y in self.years:
            row("year", "", self.organisation, self.filters.indicator, month=str(y["year"]), fig=y,
                note="weighted" if y["weighted"] else "unweighted")
        for o in self.organisations:
            row("organisation", "", o["organisation"], self.filters.indicator, month=str(o["year"]), fig=o,
                note="weighted" if o["weighted"] else "unweighted")
        return header, rows

    def csv_text(self) -> str:
        """csv_rows() as CSV text, safe to open in a spreadsheet (a police event type is outside data)."""
        header, rows = self.csv_rows()
        return render_csv([[neutralise_cell(c) if isinstance(c, str) else c for c in row] for row in rows], header)


def _key(domain: dict[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(domain.items()))


def _fear(e: dict[str, Any] | None) -> dict[str, Any]:
    """The complement of a safe_in_area estimate: share not safe, its interval mirrored; suppression kept."""
    if e is None:
        return _missing()
    if e["suppressed"]:
        return dict(e)
    return {**e, "share": 1.0 - e["share"], "ci_low": 1.0 - e["ci_high"], "ci_high": 1.0 - e["ci_low"]}


def _missing() -> dict[str, Any]:
    return {"share": None, "se": None, "ci_low": None, "ci_high": None, "n": 0, "n_eff": None, "suppressed": True}


def _as_estimate(e: dict[str, Any]) -> ShareEstimate:
    return ShareEstimate(e["share"], e["se"], e["ci_low"], e["ci_high"], e["n"], e["n_eff"], math.nan, "logit")


def _results(survey: Survey, by: Sequence[str], weighted: bool | None,
             min_n: int | None = None) -> tuple[dict[str, Any], str]:
    """survey_results, weighted when asked; with `weighted=None` weighted where the organisation has margins."""
    if weighted is None:
        if not survey.organisation.margins.exists():
            return survey_results(survey, by, min_n=min_n), "no_margins"
        try:
            return survey_results(survey, by, weighted=True, min_n=min_n), "raked"
        except ResultsError:
            return survey_results(survey, by, min_n=min_n), "raking_failed"
    return survey_results(survey, by, weighted=weighted, min_n=min_n), "raked" if weighted else "unweighted"


def _check_filters(survey: Survey, f: Filters, categories: Iterable[str]) -> None:
    bank = survey.bank
    codes = set(survey.organisation.areas.values_list("code", flat=True))
    problems = []
    if f.area is not None and f.area not in codes:
        problems.append(f"unknown area {f.area!r}")
    if f.gender is not None and f.gender not in bank.by_id["gender"].codes:
        problems.append(f"unknown gender {f.gender!r}")
    if f.age_group is not None and f.age_group not in bank.by_id["age_group"].codes:
        problems.append(f"unknown age group {f.age_group!r}")
    if f.indicator not in {i.id for i in bank.indicators}:
        problems.append(f"unknown indicator {f.indicator!r}")
    if f.source is not None and f.source not in SOURCES:
        problems.append(f"unknown incident source {f.source!r} (police or own)")
    if f.category is not None and f.category not in set(categories):
        problems.append(f"unknown incident category {f.category!r}")
    if f.date_from and f.date_to and f.date_from > f.date_to:
        problems.append("the date range ends before it starts")
    if problems:
        raise PictureError("; ".join(problems))


def _area_of_places(org: Organisation) -> dict[str, str]:
    """The area each named place lies in (by a point inside its shape); areas are their own area."""
    areas = with_geometry(org.areas.values_list("code", "geometry"))
    out = {code: code for code, _ in areas}
    if not areas:
        return out
    places = with_geometry(org.places.values_list("slug", "geometry"))
    points = [shape(g).representative_point() for _, g in places]
    found = AreaIndex(areas).assign([p.y for p in points], [p.x for p in points]) if points else []
    out.update({slug: area for (slug, _), area in zip(places, found, strict=True) if area})
    return out


Rows = list[dict[str, Any]]


def _mentions(survey: Survey, coded: CodedSurvey, f: Filters,
              min_n: int) -> tuple[Rows, dict[str, Rows], Rows, dict[str, Rows]]:
    """Most named places (overall and per area they lie in) and pin hotspots, for the filtered respondents.

    A place is listed only when at least `min_n` respondents named it, as on the public results page; hotspots
    need at least max(10, min_n // 3) pins within HOTSPOT_EPS_M, the public page's rule, so single pins never show.
    """
    keep = [(f.gender is None or a.get("gender") == f.gender) and (f.age_group is None or a.get("age_group")
                                                                    == f.age_group) for a in coded.answers]
    respondents: Counter[str] = Counter(s for named, k in zip(coded.named, keep, strict=True) if k for s in named)
    place_area = _area_of_places(survey.organisation)
    places: list[dict[str, Any]] = [{"slug": s, "name": coded.names[s][0], "kind": coded.names[s][1], "respondents": n,
               "area": place_area.get(s)}
              for s, n in sorted(respondents.items(), key=lambda kv: (-kv[1], kv[0]))
              if n >= min_n and s in coded.names]
    by_area: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for p in places:
        if p["area"] and len(by_area[p["area"]]) < PLACES_PER_AREA:
            by_area[p["area"]].append(p)
    pins = [pt for a, k in zip(coded.answers, keep, strict=True) if k for pt in a.get("unsafe_places_pins") or []]
    lat = [float(p[0]) for p in pins]
    lon = [float(p[1]) for p in pins]
    found = find_hotspots(lat, lon, eps_m=HOTSPOT_EPS_M, min_points=max(10, min_n // 3)) if lat else []
    where = coded.placer.place([[h.lat, h.lon] for h in found]) if found else []
    hotspots: list[dict[str, Any]] = [
        {"lat": round(h.lat, 5), "lon": round(h.lon, 5), "count": h.count, "radius_m": h.radius_m,
         "near": coded.names.get(place or area or "", ("", ""))[0], "area": area}
        for h, (place, area) in zip(found, where, strict=True)]
    hotspots_by_area: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for h in hotspots:
        if h["area"]:
            hotspots_by_area[h["area"]].append(h)
    return places, by_area, hotspots, hotspots_by_area


def _population(org: Organisation) -> dict[str, float]:
    return dict(org.margins.filter(variable="area").values_list("category", "count"))


def _rate(count: int, population: float | None) -> float | None:
    """Incidents per 1,000 residents; None without a population count (or a zero one)."""
    return None if not population else 1000.0 * count / population


def _incidents(org: Organisation, f: Filters) -> list[dict[str, Any]]:
    return incident_counts(org, date_from=f.date_from, date_to=f.date_to, by=("source", "type", "month", "area"),
                           sources=[f.source] if f.source else None,
                           categories=[f.category] if f.category else None)


def _quadrant(fear: dict[str, Any], fear_ref: dict[str, Any], rate: float | None,
              rate_ref: float | None) -> dict[str, Any]:
    """High fear: the area's interval of 'not safe' lies wholly above the municipality's share.
    Many incidents: the area's rate per 1,000 is above the municipality's. Unknown (None) where a side is missing."""
    high_fear = None
    if not fear["suppressed"] and not fear_ref["suppressed"]:
        high_fear = fear["ci_low"] > fear_ref["share"]
    high_incidents = None if rate is None or rate_ref is None else rate > rate_ref
    kind = None if high_fear is None or high_incidents is None else QUADRANTS[(high_fear, high_incidents)]
    return {"fear": None if high_fear is None else ("high" if high_fear else "low"),
            "incidents": None if high_incidents is None else ("high" if high_incidents else "low"),
            "kind": kind, "measure": MEASURES[kind] if kind else None}


def _change(now: dict[str, Any] | None, before: dict[str, Any] | None) -> dict[str, Any] | None:
    """This year minus the earlier one for the same domain (independent surveys); None where either is hidden."""
    if now is None or before is None or now["suppressed"] or before["suppressed"]:
        return None
    c = compare_surveys(_as_estimate(now), _as_estimate(before))
    return {"difference": c.difference, "se": c.se, "ci_low": c.ci_low, "ci_high": c.ci_high,
            "p_value": c.p_value, "certain": is_statistically_certain(c)}


def _overall_figure(data: dict[str, Any], note: str, indicator: str) -> dict[str, Any]:
    """A survey's overall figure for an indicator from its survey_results, and whether it is weighted."""
    found = next((e for e in data["estimates"] if e["indicator"] == indicator and not e["domain"]), None)
    figure = found or _missing()
    return {**{k: figure[k] for k in ("share", "ci_low", "ci_high", "n", "n_eff", "suppressed")},
            "weighted": note == "raked"}


def situation_picture(survey: Survey, *, weighted: bool | None = None, filters: Filters | None = None,
                      min_n: int | None = None) -> Picture:
    """The joint situation picture of `survey`, per area, under `filters`.

    `weighted`: True raked to the population margins (ResultsError without them), False unweighted, None (default)
    raked where the organisation has margins and unweighted otherwise; `weighting_note` says which.
    Rates are own incidents per 1,000 residents from the `area` population margins; without them rates and the
    incidents axis of the quadrant are None. Police events are never placed in areas: they are counted for the
    municipality by type and month only. Raises PictureError for an unknown filter value.
    """
    org = survey.organisation
    min_n = settings.TRYGG_SUPPRESSION_MIN_N if min_n is None else min_n
    f = (filters or Filters()).for_survey(survey)
    _check_filters(survey, f, [kind for _, kind in incident_categories(org)])
    subgroup = [v for v, value in (("gender", f.gender), ("age_group", f.age_group)) if value]
    wanted = {v: getattr(f, v) for v in subgroup}
    by = ["area" + "".join("," + v for v in subgroup)] + ([",".join(subgroup)] if subgroup else [])
    data, note = _results(survey, by, weighted, min_n)
    is_weighted = data["weighted"]
    index = {(e["indicator"], _key(e["domain"])): e for e in data["estimates"]}
    earlier = (Survey.objects.filter(organisation=org, year__lt=survey.year, status=Survey.Status.CLOSED,
                                     results_published=True).order_by("-year").first())
    before_index: dict[tuple[str, tuple[tuple[str, str], ...]], dict[str, Any]] = {}
    if earlier is not None:
        before, _ = _results(earlier, by, None if is_weighted else False, min_n)
        before_index = {(e["indicator"], _key(e["domain"])): e for e in before["estimates"]}

    def figure(indicator: str, area: str | None) -> dict[str, Any] | None:
        domain = {**wanted, **({"area": area} if area else {})}
        return index.get((indicator, _key(domain)))

    population = _population(org)
    area_rows = list(org.areas.order_by("code").values_list("code", "name"))
    counts = _incidents(org, f)
    own_counted = f.source in (None, "own")
    own_by_area: dict[str, Counter[str]] = defaultdict(Counter)
    police: Counter[tuple[str, str]] = Counter()
    monthly: Counter[tuple[str, str]] = Counter()
    for r in counts:
        monthly[(r["source"], r["month"])] += r["count"]
        if r["source"] == "own" and r["area"]:
            own_by_area[r["area"]][r["type"]] += r["count"]
        elif r["source"] == "police":
            police[(r["type"], r["month"])] += r["count"]
    placed_population = sum(population.get(code, 0.0) for code, _ in area_rows)
    own_placed = sum(sum(own_by_area[code].values()) for code, _ in area_rows if code in population)
    rate_ref = _rate(own_placed, placed_population) if own_counted else None

    fear_ref = _fear(figure(FEAR_INDICATOR, None))
    coded = code_survey(survey)  # once per version of the answers in this process (surveys.memo)
    places, places_by_area, hotspots, hotspots_by_area = _mentions(survey, coded, f, min_n)
    areas = []
    for code, name in area_rows:
        if f.area and code != f.area:
            continue
        pop = population.get(code)
        total = sum(own_by_area[code].values())
        rate = _rate(total, pop) if own_counted else None
        fear = _fear(figure(FEAR_INDICATOR, code))
        domain = {**wanted, "area": code}
        areas.append(AreaPicture(
            area=code, name=name, population=pop,
            indicator=figure(f.indicator, code) or _missing(), fear=fear,
            change=_change(figure(f.indicator, code), before_index.get((f.indicator, _key(domain)))),
            places=places_by_area.get(code, []), hotspots=hotspots_by_area.get(code, []),
            incidents=[{"category": c, "count": n, "rate_per_1000": _rate(n, pop) if own_counted else None}
                       for c, n in sorted(own_by_area[code].items(), key=lambda kv: (-kv[1], kv[0]))],
            incidents_total=total, rate_per_1000=rate,
            quadrant=_quadrant(fear, fear_ref, rate, rate_ref)))
    changes = year_comparisons(survey, earlier, weighted=is_weighted, min_n=min_n) if earlier and not subgroup \
        else []
    def overall(other: Survey) -> dict[str, Any]:
        # The survey's own overall figure is in `data` already (survey_results always gives it): not computed twice.
        if other.pk == survey.pk:
            return _overall_figure(data, note, f.indicator)
        return _overall_figure(*_results(other, (), None if is_weighted else False, min_n), f.indicator)

    years = [{"year": s.year, **overall(s)}
             for s in Survey.objects.filter(organisation=org).exclude(status=Survey.Status.DRAFT).order_by("year")
             if s.responses.exists()]
    others = (Survey.objects.filter(year=survey.year, bank_id=survey.bank_id).exclude(status=Survey.Status.DRAFT)
              .select_related("organisation").order_by("organisation__name"))
    organisations = [{"organisation": s.organisation.slug, "name": s.organisation.name, "year": s.year,
                      **overall(s)}
                     for s in others if s.organisation_id == org.pk or s.results_public]
    label = next(i.label for i in survey.bank.indicators if i.id == f.indicator)
    return Picture(
        survey=survey.slug, organisation=org.slug, year=survey.year, weighted=is_weighted, weighting_note=note,
        min_n=min_n, filters=f, has_population=bool(population), indicator_label=dict(label),
        municipality={"indicator": figure(f.indicator, None) or _missing(), "fear": fear_ref,
                      "incidents_total": own_placed if own_counted else 0, "population": placed_population or None,
                      "rate_per_1000": rate_ref},
        areas=areas, places=places, hotspots=hotspots,
        police=[{"type": t, "month": mo, "count": n} for (t, mo), n in sorted(police.items())],
        monthly=[{"source": s, "month": mo, "count": n} for (s, mo), n in sorted(monthly.items())],
        earlier_year=earlier.year if earlier else None, changes=changes, years=years, organisations=organisations)


def dialogue_notes(survey: Survey) -> list[dict[str, Any]]:
    """What people raised at the survey's citizen dialogues, by theme (most notes first), then by place.

    Read straight from the notes, not cached with the figures: a note written today shows on the next page load.
    Each theme is {"theme", "label", "count", "places": [{"place", "area", "notes": [{"held_on", "text",
    "people"}]}]}; an empty list when there are no notes.
    """
    themes: dict[str, dict[str, Any]] = {}
    for note in DialogueNote.objects.filter(survey=survey).select_related("area").order_by("place", "-held_on"):
        theme = themes.setdefault(note.theme, {"theme": note.theme, "label": note.get_theme_display(), "count": 0,
                                               "places": {}})
        theme["count"] += 1
        place = theme["places"].setdefault((note.place, note.area_id), {
            "place": note.place, "area": note.area.name if note.area else "", "notes": []})
        place["notes"].append({"held_on": note.held_on, "text": note.text, "people": note.people})
    ordered = sorted(themes.values(), key=lambda t: (-t["count"], t["label"]))
    return [{**t, "places": list(t["places"].values())} for t in ordered]
