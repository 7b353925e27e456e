"""Place mentions: each respondent's free text coded to the organisation's gazetteer, and their pins placed.

One query layer for the CLI, the results page and the API. A mention count is the number of respondents who named
the place at least once, in words or with a pin on a named place; `pins` counts the pins placed there. Public
figures (per place and its breakdowns by gender, time of day and home area) pass the same suppression as shares.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
from django.db import connection, transaction

from trygg.areas.gazetteer import with_geometry
from trygg.areas.models import Organisation
from trygg.geo import AreaIndex, Hotspot, PlaceIndex, find_hotspots
from trygg.stats.suppression import suppress_breakdown
from trygg.surveys.columns import SurveyColumns
from trygg.surveys.models import MentionReview, Response, Survey
from trygg.text import Gazetteer, code_mentions

TIMES = ("dag", "17-20", "20-23", "23-02", "02-05")
# Pins within 60 m of each other, at least 10 together (fewer never show: one pin can point out a home).
# Wider radii chain a whole city core into one blob that says nothing about where to act.
HOTSPOT_EPS_M = 60.0


class PinPlacer:
    def __init__(self, org: Organisation) -> None:
        places = with_geometry(org.places.values_list("slug", "geometry"))
        areas = with_geometry(org.areas.values_list("code", "geometry"))
        # A pin near Stora torg is about Stora torg, not the city-core polygon around it: spots before regions.
        spots = [(s, g) for s, g in places if g.get("type") not in ("Polygon", "MultiPolygon")]
        regions = [(s, g) for s, g in places if g.get("type") in ("Polygon", "MultiPolygon")]
        self.place_indexes = [PlaceIndex(group) for group in (spots, regions) if group]
        self.area_index = AreaIndex(areas) if areas else None

    def place(self, points: list[list[float]]) -> list[tuple[str | None, str | None]]:
        lat = [float(p[0]) for p in points]
        lon = [float(p[1]) for p in points]
        at_place: list[str | None] = [None] * len(points)
        for index in self.place_indexes:
            at_place = [a or b for a, b in zip(at_place, index.assign(lat, lon), strict=True)]
        in_area = self.area_index.assign(lat, lon) if self.area_index else [None] * len(points)
        return list(zip(at_place, in_area, strict=True))


def reviewed_slugs(survey: Survey) -> dict[int, set[str]]:
    """The slugs staff gave each reviewed answer (trygg.surveys.review), by response id."""
    reviews = MentionReview.objects.filter(response__survey=survey).values_list("response_id", "slugs")
    return {response_id: set(slugs) for response_id, slugs in reviews}


@dataclass(eq=False)
class CodedSurvey:
    """A survey's mentions, over its columns (`trygg.surveys.columns`): the results page counts from the columns;
    the per-respondent lists are made the first time a reader asks for them."""

    names: dict[str, tuple[str, str]]  # slug → (name, kind)
    placer: PinPlacer
    columns: SurveyColumns

    @cached_property
    def named(self) -> list[set[str]]:
        """The places each respondent named, in words or with a pin on a named place."""
        return self.columns.named_sets()

    @cached_property
    def answers(self) -> list[dict[str, Any]]:
        """Each respondent's answers to KEPT_ANSWERS."""
        return self.columns.answer_dicts(KEPT_ANSWERS)

    @property
    def pins(self) -> Counter[str]:
        return self.columns.pin_counter()

    @property
    def pin_points(self) -> list[tuple[float, float]]:
        return list(zip(self.columns.pin_lat.tolist(), self.columns.pin_lon.tolist(), strict=True))


# Raise when the text engine codes differently, so stored codings are redone.
CODER_VERSION = "2"
# What CodedSurvey.answers keeps of each answer: the breakdowns and pins its readers use, not the free text.
KEPT_ANSWERS = ("area", "gender", "age_group", "unsafe_time", "unsafe_places_pins")


def gazetteer_fingerprint(gazetteer: Gazetteer) -> str:
    """A hash of every entry (slug, name, kind, aliases) and the coder's version: equal hash, equal coding."""
    entries = sorted((e.slug, e.name, e.kind, tuple(e.aliases)) for e in gazetteer.entries)
    return hashlib.sha256(repr((CODER_VERSION, entries)).encode("utf-8")).hexdigest()


def ensure_coded(survey: Survey, gazetteer: Gazetteer, fingerprint: str) -> int:
    """Code the free text of every answer not yet coded against this gazetteer, and store it with the review flag
    (``Response.flagged``: another language, a person must read it); returns how many.

    Derived data, not a change of state: the answers themselves are untouched, and the same answers with the same
    gazetteer always give the same codes, so no audit event is written. Whether any answer is stale is asked first,
    unordered, so the index on (survey, coded_with) answers it without reading a row.
    """
    stale_answers = survey.responses.exclude(coded_with=fingerprint)
    if not stale_answers.exists():
        return 0
    stale = stale_answers.order_by("id").values_list("id", "answers")
    batch: list[tuple[int, list[str], bool]] = []
    done = 0
    for response_id, answers in stale.iterator(chunk_size=2000):
        text = answers.get("unsafe_places_text")
        coding = code_mentions(text, gazetteer) if isinstance(text, str) and text else None
        batch.append((response_id, sorted(coding.slugs) if coding else [], bool(coding and coding.needs_review)))
        if len(batch) >= 2000:
            done += _store_codes(batch, fingerprint)
            batch = []
    return done + _store_codes(batch, fingerprint)


def _store_codes(batch: list[tuple[int, list[str], bool]], fingerprint: str) -> int:
    """One UPDATE per answer run as executemany: bulk_update's CASE over 2,000 ids took seconds per batch."""
    if batch:
        meta = Response._meta
        coded = meta.get_field("coded")
        quote = connection.ops.quote_name
        sql = (f"UPDATE {quote(meta.db_table)} SET {quote('coded')} = %s, {quote('coded_with')} = %s, "  # noqa: S608
               f"{quote('flagged')} = %s WHERE {quote('id')} = %s")
        params = [(coded.get_db_prep_save(slugs, connection=connection), fingerprint, flagged, response_id)
                  for response_id, slugs, flagged in batch]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, params)
    return len(batch)


def code_survey(survey: Survey) -> CodedSurvey:
    """Every answer's mentions: what each respondent named, and where the pins fell (once per version of the data)."""
    from trygg.surveys.snapshot import survey_snapshot  # here: the snapshot is built from this module's parts

    return survey_snapshot(survey).coded


def survey_mentions(survey: Survey) -> dict[str, Any]:
    """Counts per place, most named first, in the JSON shape of the CLI contract (staff figures, unsuppressed)."""
    coded = code_survey(survey)
    respondents: Counter[str] = Counter(dict(coded.columns.named_counts()))
    slugs = sorted(set(respondents) | set(coded.pins), key=lambda s: (-respondents[s], -coded.pins[s], s))
    return {"survey": survey.slug, "mentions": [
        {"slug": s, "name": coded.names[s][0], "kind": coded.names[s][1], "respondents": respondents[s],
         "pins": coded.pins[s]} for s in slugs if s in coded.names]}


def _breakdown(counts: list[int], total: int, min_n: int) -> list[int | None]:
    decision = suppress_breakdown(np.array(counts, dtype=np.int64), total=total, threshold=min_n)
    return [None if hidden else c for c, hidden in zip(counts, decision.hidden, strict=True)]


def public_mentions(survey: Survey, min_n: int, limit: int = 10) -> dict[str, Any]:
    """The most named places for the results page, with who named them and when, small counts hidden."""
    coded = code_survey(survey)
    columns = coded.columns
    genders = ("kvinna", "man")
    n = columns.n
    # Each breakdown as one boolean array per group, looked up from the column's distinct answers, so a place's
    # breakdown is a few vectorised counts, not a pass in Python.
    gender, home, times = (columns.answers[q] for q in ("gender", "area", "unsafe_time"))
    home_areas = sorted(set(home.values) - {""})
    is_gender = {g: gender.table((v == g for v in gender.values), False) for g in genders}
    is_home = {h: home.table((v == h for v in home.values), False) for h in home_areas}
    ticked = {t: times.table((t in (v or ()) for v in times.values), False) for t in TIMES}
    places: list[dict[str, Any]] = []
    for slug, count in columns.named_counts():
        if count < min_n or len(places) >= limit:
            break
        said = columns.named_by(slug)
        places.append({
            "slug": slug, "name": coded.names[slug][0], "kind": coded.names[slug][1], "respondents": count,
            "share": count / n,
            "by_gender": list(zip(genders, _breakdown([int(np.sum(is_gender[g] & said)) for g in genders],
                                                      count, min_n), strict=True)),
            # Several times may be ticked, so nothing is recovered by subtraction: only small counts are hidden.
            "by_time": [(t, c if c >= min_n else None)
                        for t in TIMES for c in [int(np.sum(ticked[t] & said))]],
            "by_area": list(zip(home_areas, _breakdown([int(np.sum(is_home[h] & said)) for h in home_areas],
                                                       count, min_n), strict=True)),
        })
    lat = columns.pin_lat.tolist()
    lon = columns.pin_lon.tolist()
    hotspots: list[Hotspot] = (find_hotspots(lat, lon, eps_m=HOTSPOT_EPS_M, min_points=max(10, min_n // 3))
                               if lat else [])
    where = coded.placer.place([[h.lat, h.lon] for h in hotspots]) if hotspots else []
    named = [{"count": h.count, "radius_m": h.radius_m,
              "near": coded.names.get(place or area or "", ("", ""))[0]} for h, (place, area) in zip(hotspots, where,
                                                                                                    strict=True)]
    return {"places": places, "respondents": n, "hotspots": hotspots, "hotspot_list": named, "pins": len(lat)}
