"""Seeded synthetic answers for the Halmstad demo, shaped like the 2022 survey the seed describes.

The figures are set by exact allocation (so many of a group answer so), then shuffled, which lands them near the
seed's: about 70 % safe in their area, 49 % in Andersberg, Vallås, Nyhem/Linehed, Centrum öst and Östra stranden
against 73 % in the other named areas; 80 % of women and 60 % of men see unsafe places; 60 % of women and 1 % of
men worry about sexual crime. Free text is written by trygg.demo.freetext the way residents write; the published
place counts come from coding that text, not from the labels used here.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np

from trygg.demo.freetext import no_place_comment, resident_comment
from trygg.geo import random_point_in_area

SEED = 2022
RESPONDENTS = 1695
GROUP_A = ("andersberg", "vallas", "nyhem-linehed", "centrum-ost", "ostra-stranden")
GROUP_B = ("centrum-vast", "rotorp", "sondrum", "furet-frennarp", "karleken-sofieberg")
AREA_COUNTS = {"andersberg": 110, "vallas": 100, "nyhem-linehed": 95, "centrum-ost": 90, "ostra-stranden": 85,
               "centrum-vast": 150, "rotorp": 130, "sondrum": 150, "furet-frennarp": 140, "karleken-sofieberg": 130,
               "ovriga": 460, "annat": 20, "": 35}
SAFE_SHARE = {**{a: 0.49 for a in GROUP_A}, **{b: 0.73 for b in GROUP_B}, "ovriga": 0.86, "annat": 0.85, "": 0.8}
GENDER_COUNTS = {"kvinna": 966, "man": 678, "annat": 18, "vill_ej_ange": 18, "": 15}
UNSAFE_PLACES_SHARE = {"kvinna": 0.80, "man": 0.60, "annat": 0.72, "vill_ej_ange": 0.65, "": 0.6}
WORRY_SEXUAL_SHARE = {"kvinna": 0.60, "man": 0.01, "annat": 0.4, "vill_ej_ange": 0.3, "": 0.3}
# How many respondents name each place in their free text (the seed: 838, 573, 338).
MENTION_COUNTS = {"stadskarnan": 838, "morka_platser": 573, "andersberg": 338, "stora-torg": 95, "resecentrum": 80,
                  "kollektivtrafik": 75, "lilla-torg": 60, "vallas": 55, "parker_gronomraden": 50,
                  "kopmansgatan": 40, "nattliv": 40, "stadsbiblioteket": 30, "gangtunnlar": 25,
                  "hornet-karl-xi-s-vag-klammerdamsgatan": 20, "overallt": 15}
POINT_PLACES = {"stora-torg": (56.67445, 12.85760), "lilla-torg": (56.67335, 12.86080),
                "kopmansgatan": (56.67395, 12.85560), "stadsbiblioteket": (56.67210, 12.86330),
                "resecentrum": (56.66930, 12.86450), "hornet-karl-xi-s-vag-klammerdamsgatan": (56.67650, 12.85690)}
AGE_WEIGHTS = {"16-24": 0.09, "25-44": 0.33, "45-64": 0.36, "65-79": 0.18, "80+": 0.03, "": 0.01}


def _allocate(rng: random.Random, labels: Sequence[str], share: float, yes: str, no: Sequence[str],
              no_weights: Sequence[float]) -> dict[int, str]:
    """Exactly round(share * n) of the rows get `yes`; the others a `no` answer drawn by weight."""
    order = list(range(len(labels)))
    rng.shuffle(order)
    k = round(share * len(order))
    out = {i: yes for i in order[:k]}
    for i in order[k:]:
        out[i] = rng.choices(no, weights=no_weights)[0]
    return out


def _by_group(rng: random.Random, values: list[str], shares: dict[str, float], yes_codes: Sequence[str],
              yes_weights: Sequence[float], no_codes: Sequence[str], no_weights: Sequence[float]) -> list[str]:
    out = [""] * len(values)
    for group, share in shares.items():
        rows = [i for i, v in enumerate(values) if v == group]
        rng.shuffle(rows)
        k = round(share * len(rows))
        for j, i in enumerate(rows):
            out[i] = rng.choices(yes_codes, yes_weights)[0] if j < k else rng.choices(no_codes, no_weights)[0]
    return out


def _shuffled(rng: random.Random, counts: dict[str, int]) -> list[str]:
    values = [k for k, n in counts.items() for _ in range(n)]
    rng.shuffle(values)
    return values


def _likert(rng: random.Random, codes: Sequence[str], weights: Sequence[float]) -> str:
    return rng.choices(codes, weights)[0]


def generate_answers(area_geometries: dict[str, dict[str, Any]], place_geometries: dict[str, dict[str, Any]],
                     seed: int = SEED) -> list[dict[str, Any]]:
    """RESPONDENTS answer sets (question id → value, missing answers left out), each with 'submitted_at'."""
    rng = random.Random(seed)
    np_rng = np.random.default_rng(seed)
    areas = _shuffled(rng, AREA_COUNTS)
    genders = _shuffled(rng, GENDER_COUNTS)
    safe_area = _by_group(rng, areas, SAFE_SHARE, ["mycket_trygg", "ganska_trygg"], [0.35, 0.65],
                          ["ganska_otrygg", "mycket_otrygg", "vet_ej"], [0.62, 0.28, 0.10])
    unsafe_places = _by_group(rng, genders, UNSAFE_PLACES_SHARE, ["ja"], [1], ["nej", "vet_ej"], [0.8, 0.2])
    worry_sexual = _by_group(rng, genders, WORRY_SEXUAL_SHARE, ["mycket_orolig", "ganska_orolig"], [0.3, 0.7],
                             ["inte_sarskilt_orolig", "inte_alls_orolig", "vet_ej"], [0.5, 0.45, 0.05])
    seeing = [i for i, v in enumerate(unsafe_places) if v == "ja"]
    mentions: dict[int, list[str]] = {i: [] for i in seeing}
    for slug, count in MENTION_COUNTS.items():
        # Residents of the named area and its neighbours name it more often than others do.
        weights = [3.0 if slug == areas[i] else (1.6 if areas[i] in GROUP_A and slug == "andersberg" else 1.0)
                   for i in seeing]
        chosen: set[int] = set()
        while len(chosen) < min(count, len(seeing)):
            chosen.add(rng.choices(seeing, weights)[0])
        for i in sorted(chosen):
            mentions[i].append(slug)
    start = datetime(2022, 9, 12, 8, tzinfo=ZoneInfo("Europe/Stockholm"))
    rows: list[dict[str, Any]] = []
    for i in range(RESPONDENTS):
        row: dict[str, Any] = {}
        for qid, value in (("area", areas[i]), ("gender", genders[i]), ("safe_area", safe_area[i]),
                           ("unsafe_places", unsafe_places[i]), ("worry_sexualbrott", worry_sexual[i]),
                           ("age_group", rng.choices(list(AGE_WEIGHTS), list(AGE_WEIGHTS.values()))[0])):
            if value:
                row[qid] = value
        unsafe = safe_area[i] in ("ganska_otrygg", "mycket_otrygg")
        row["safe_out_late"] = _likert(rng, ["mycket_trygg", "ganska_trygg", "ganska_otrygg", "mycket_otrygg",
                                             "avstar_av_otrygghet", "gar_inte_ut_av_annat_skal", "vet_ej"],
                                       [0.05, 0.15, 0.35, 0.2, 0.17, 0.03, 0.05] if unsafe else
                                       [0.3, 0.38, 0.14, 0.05, 0.04, 0.05, 0.04])
        places = mentions.get(i)
        if places is not None:
            row["unsafe_time"] = sorted(set(rng.choices(["dag", "17-20", "20-23", "23-02", "02-05"],
                                                        [0.08, 0.25, 0.35, 0.22, 0.10], k=rng.randint(1, 3))),
                                        key=["dag", "17-20", "20-23", "23-02", "02-05"].index)
            if places or rng.random() < 0.5:
                rng.shuffle(places)
                row["unsafe_places_text"] = resident_comment(rng, places) if places else no_place_comment(rng)
            pinned = [p for p in places if p in POINT_PLACES or p in place_geometries or p in area_geometries]
            if pinned and rng.random() < 0.3:
                row["unsafe_places_pins"] = [_pin(rng, np_rng, p, area_geometries, place_geometries)
                                             for p in pinned[:3]]
        elif rng.random() < 0.08:
            row["unsafe_places_text"] = no_place_comment(rng)
        female = genders[i] == "kvinna"
        for crime, worried in (("misshandel", 0.35 if female else 0.25), ("ran", 0.3 if female else 0.2),
                               ("inbrott", 0.4), ("fordonsbrott", 0.35), ("bedrageri", 0.45),
                               ("hot_trakasserier", 0.3 if female else 0.15)):
            row[f"worry_{crime}"] = _likert(rng, ["mycket_orolig", "ganska_orolig", "inte_sarskilt_orolig",
                                                  "inte_alls_orolig", "vet_ej"],
                                            [worried * 0.3, worried * 0.7, (1 - worried) * 0.6,
                                             (1 - worried) * 0.37, (1 - worried) * 0.03])
        for item, big in (("nedskrapning", 0.45), ("morka_platser", 0.4), ("skadegorelse", 0.3), ("klotter", 0.25),
                          ("fortkorning", 0.5), ("buskorning", 0.3), ("storande_ungdomar", 0.25),
                          ("berusade", 0.2), ("narkotika", 0.22), ("otrygg_kollektivtrafik", 0.15)):
            big = min(0.9, big * (1.5 if areas[i] in GROUP_A else 1.0))
            row[f"problem_{item}"] = _likert(rng, ["mycket_stort", "ganska_stort", "ganska_litet", "inget",
                                                   "ingen_uppfattning"],
                                             [big * 0.35, big * 0.65, (1 - big) * 0.5, (1 - big) * 0.35,
                                              (1 - big) * 0.15])
        row["police_cares"] = _likert(rng, ["instammer_helt", "instammer_delvis", "instammer_inte", "vet_ej"],
                                      [0.2, 0.4, 0.25, 0.15])
        if rng.random() < 0.03:  # some skip a question or two, as real respondents do
            row.pop(rng.choice(["safe_out_late", "police_cares", "worry_bedrageri"]), None)
        row["submitted_at"] = start + timedelta(minutes=rng.randint(0, 60 * 24 * 40))
        rows.append(row)
    return rows


def _pin(rng: random.Random, np_rng: np.random.Generator, slug: str, areas: dict[str, dict[str, Any]],
         places: dict[str, dict[str, Any]]) -> list[float]:
    if slug in POINT_PLACES:
        lat, lon = POINT_PLACES[slug]
        # Jitter of about ±40 m: people tap near, not on, the spot.
        return [round(lat + rng.uniform(-0.00035, 0.00035), 6), round(lon + rng.uniform(-0.0006, 0.0006), 6)]
    geometry = places.get(slug) or areas[slug]
    lat, lon = random_point_in_area(np_rng, geometry)
    return [round(lat, 6), round(lon, 6)]
