"""Halmstad's 2023 promise as the seed article states it, with example follow-up (all of it example data).

The three lists of the seed become commitments of `gemensamt`, `kommunen` and `polisen`, imported through the
promise CSV as staff would; the quantities, progress and the 2023 follow-up survey are made up for the demo (the
organisation is marked synthetic, so every page says so). The 2023 survey is the 2022 generator with another seed
and a shift: in the five areas of the seed's first group a tenth of those who felt unsafe now feel safe.
"""

from __future__ import annotations

import csv
import random
import tempfile
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from trygg.accounts.actions import audit, do_grant_role
from trygg.areas.models import Organisation
from trygg.demo.generate import GROUP_A, GROUP_B, generate_answers
from trygg.promises.actions import do_approve, do_follow_up, do_log_progress, do_publish
from trygg.promises.csvio import COLUMNS, do_import_promise
from trygg.promises.models import Promise
from trygg.surveys.actions import do_close_survey, do_create_survey, do_open_survey, do_publish_results
from trygg.surveys.models import Response, Survey

FOLLOW_UP_SEED = 2023
STOCKHOLM = ZoneInfo("Europe/Stockholm")
GROUP_A_DOMAIN = "area=" + "|".join(GROUP_A)
GROUP_B_DOMAIN = "area=" + "|".join(GROUP_B)
PERIOD = ("2023-01-01", "2023-12-31")
# The seed's lists; quantities, units and responsibles are the demo's.
ROWS: list[list[str]] = [
    ["gemensamt", "I samverkan med andra aktörer arbeta för att skapa en levande och trygg stadskärna.",
     "Trygghetsvandringar med handlare och fastighetsägare i stadskärnan", "Stadskärnan", "4", "vandringar",
     *PERIOD, "Trygghetssamordnaren och LPO Halmstad", "safe_in_area", GROUP_A_DOMAIN, "halmstad-2022", "0.55"],
    ["gemensamt", "Bevaka och värdera nya arbetsmetoder för att öka tryggheten.",
     "Värdera trygghetskamerorna i city", "Stadskärnan", "", "", *PERIOD, "Kommunledningskontoret",
     "safe_in_area", GROUP_B_DOMAIN, "halmstad-2022", "0.75"],
    ["gemensamt", "Följa upp arbetet i samband med framtagande av nytt medborgarlöfte.",
     "Uppföljning med medborgarundersökningen 2023", "", "", "", "2023-09-01", "2023-12-31",
     "Trygghetssamordnaren", "", "", "", ""],
    ["kommunen", "Vid utveckling av den fysiska miljön beakta hur tryggheten kan förstärkas.",
     "Trygghetsskapande ombyggnad under stadsbiblioteket, hörnet Karl XI:s väg/Klammerdamsgatan, Lilla torg, "
     "Stora torg och Köpmansgatan",
     "Stadsbiblioteket|Hörnet Karl XI:s väg/Klammerdamsgatan|Lilla torg|Stora torg|Köpmansgatan", "5", "platser",
     *PERIOD, "Samhällsbyggnadskontoret", "", "", "", ""],
    ["kommunen", "Arbeta utifrån metoden Purple Flag med trygghet och kvällsekonomi för en återcertifiering.",
     "Återcertifiering enligt Purple Flag", "Purple Flag-området", "", "", *PERIOD, "Destination Halmstad",
     "", "", "", ""],
    ["polisen", "Under 2023–2024 ha fokus på att förhindra eller försvåra att brott begås och arbeta kontakt- och "
                "trygghetsskapande genom synlig uniformerad polis inom stadskärnan.",
     "Synlig uniformerad polis i stadskärnan", "Stadskärnan", "900", "timmar", "2023-01-01", "2024-12-31",
     "LPO Halmstad", "unsafe_out_late", "", "halmstad-2022", ""],
    ["polisen", "Under 2023–2024 ha fokus på att förhindra eller försvåra att brott begås och arbeta kontakt- och "
                "trygghetsskapande genom synlig uniformerad polis inom stadskärnan.",
     "Riktade insatser mot narkotika och ordningsstörningar kvällstid", "Stadskärnan|Stora torg", "6",
     "insatser", *PERIOD, "LPO Halmstad", "", "", "", ""],
]
# (activity, date, kwargs for do_log_progress): the example follow-up.
PROGRESS: list[tuple[int, date, dict[str, Any]]] = [
    (1, date(2023, 4, 20), {"delivered": 2, "note": "Två vandringar, vår: belysning och buskage anmälda."}),
    (1, date(2023, 10, 12), {"delivered": 4, "status": "done", "note": "Fyra vandringar genomförda."}),
    (2, date(2023, 11, 30), {"percent": 50, "status": "ongoing", "note": "Utvärderingen pågår."}),
    (4, date(2023, 6, 15), {"delivered": 2, "note": "Lilla torg och hörnet Karl XI:s väg/Klammerdamsgatan klara.",
                            "link": "https://www.halmstad.se/"}),
    (5, date(2023, 9, 1), {"status": "done", "note": "Halmstad återcertifierades enligt Purple Flag."}),
    (6, date(2023, 6, 30), {"delivered": 360, "status": "ongoing", "note": "Första halvåret."}),
    (7, date(2023, 12, 15), {"delivered": 11, "status": "done", "note": "Elva riktade insatser."}),
]


def _follow_up_survey(org: Organisation, areas: dict[str, dict[str, Any]],
                      places: dict[str, dict[str, Any]]) -> Survey:
    survey = do_create_survey(org, 2023)
    do_open_survey(survey)
    rows = generate_answers(areas, places, seed=FOLLOW_UP_SEED)
    rng = random.Random(FOLLOW_UP_SEED)
    batch = []
    for row in rows:
        if row.get("area") in GROUP_A and row.get("safe_area") in ("ganska_otrygg", "mycket_otrygg") \
                and rng.random() < 0.22:
            row["safe_area"] = "ganska_trygg"
        submitted = row.pop("submitted_at").replace(year=2023)
        batch.append(Response(survey=survey, answers=row, submitted_at=submitted, channel=Response.Channel.WEB))
    Response.objects.bulk_create(batch, batch_size=1000)
    do_close_survey(survey)
    do_publish_results(survey)
    return survey


def load_promise(org: Organisation, areas: dict[str, dict[str, Any]], places: dict[str, dict[str, Any]]) -> Promise:
    """Import, approve (as the demo's municipal and police administrators), publish and follow up the promise."""
    existing = Promise.objects.filter(organisation=org, year=2023).first()
    if existing is not None:
        return existing
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "halmstad-lofte-2023.csv"
        with path.open("w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(COLUMNS)
            writer.writerows(ROWS)
        promise = do_import_promise(org, 2023, path)
    promise.period_start, promise.period_end = date(2023, 1, 1), date(2023, 12, 31)
    promise.save(update_fields=["period_start", "period_end"])
    user_model = get_user_model()
    for username, party in (("kommun_halmstad", "kommunen"), ("polis_halmstad", "polisen")):
        user = user_model.objects.filter(username=username).first()
        if user is None:
            user = user_model.objects.create_user(username, password=None)
            do_grant_role(user, org, "admin", party=party)
        do_approve(promise, user)
    promise = do_publish(promise)
    for number, on, kwargs in PROGRESS:
        do_log_progress(promise.activities.get(number=number), on=on, **kwargs)
    promise = do_follow_up(promise, _follow_up_survey(org, areas, places))
    # The example tells the story of 2023: its publication and follow-up are dated then, not on the day the demo
    # is loaded (the audit log keeps the real times).
    Promise.objects.filter(pk=promise.pk).update(
        published_at=datetime(2023, 1, 16, 10, tzinfo=STOCKHOLM), followed_up_at=datetime(2024, 1, 22, 10,
                                                                                           tzinfo=STOCKHOLM))
    audit("demo_promise_loaded", organisation=org, promise=promise.slug)
    return promise
