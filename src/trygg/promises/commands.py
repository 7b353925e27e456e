"""`trygg promise …`: import, publish, progress, follow-up, show and export (contract: shared/spec/cli.md).

Publishing from the command line keeps the staff pages' rule: both parties must have approved. Approvals given in
the browser count; `--approved-by USER` records a named administrator's approval for their party first (the
operator says on whose word they publish, and the audit log keeps it).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from django.utils.translation import gettext, ngettext

from trygg import formatting
from trygg.cliutil import UsageError, add_command, add_group, find_organisation, gettext_noop, render_table
from trygg.errors import InputError


def _find(slug: str) -> Any:
    from trygg.promises.actions import find_promise

    return find_promise(slug)


def cmd_import(args: argparse.Namespace) -> int:
    from trygg.promises.csvio import do_import_promise

    promise = do_import_promise(find_organisation(args.org), args.year, args.file)
    print(promise.slug)
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    from django.contrib.auth.models import User
    from django.db import transaction

    from trygg.promises.actions import do_approve, do_publish

    promise = _find(args.promise)
    with transaction.atomic():
        for username in args.approved_by or ():
            user = User.objects.filter(username=username).first()
            if user is None:
                raise InputError(gettext("det finns ingen användare %(user)r") % {"user": username})
            do_approve(promise, user)
        promise = do_publish(promise)
    print(gettext("%(promise)s är publicerat på %(path)s")
          % {"promise": promise.slug, "path": f"/{promise.organisation.slug}/lofte/{promise.year}/"})
    return 0


def cmd_progress(args: argparse.Namespace) -> int:
    from trygg.promises.actions import do_log_progress
    from trygg.promises.views import status_label

    promise = _find(args.promise)
    activity = promise.activities.filter(number=args.activity).first()
    if activity is None:
        raise InputError(gettext("%(promise)s har ingen aktivitet %(number)s (se `trygg promise show`)")
                         % {"promise": promise.slug, "number": args.activity})
    try:
        on = date.fromisoformat(args.date) if args.date else None
    except ValueError:
        raise UsageError(gettext("--date %(date)r är inget datum som 2025-05-31") % {"date": args.date}) from None
    do_log_progress(activity, on=on, note=args.note or "", link=args.link or "", delivered=args.delivered,
                    percent=args.percent, status=args.status, cancel_reason=args.reason or "")
    activity.refresh_from_db()
    shown = "–" if activity.percent is None else f"{activity.percent:.0f} %"
    print(gettext("%(promise)s aktivitet %(number)s: %(status)s, %(percent)s")
          % {"promise": promise.slug, "number": activity.number, "status": status_label(activity.status),
             "percent": shown})
    return 0


def cmd_follow_up(args: argparse.Namespace) -> int:
    from trygg.promises.actions import do_follow_up, find_org_survey

    promise = _find(args.promise)
    survey = find_org_survey(promise.organisation, args.survey)
    if survey is None:
        raise InputError(gettext("det finns ingen enkät %(survey)r i %(org)s")
                         % {"survey": args.survey, "org": promise.organisation.slug})
    do_follow_up(promise, survey)
    print(gettext("%(promise)s är uppföljt med %(survey)s") % {"promise": promise.slug, "survey": survey.slug})
    return 0


def _pct(x: float | None) -> str:
    """A share as a percent with one decimal, in the active language's style (66,7 in Swedish)."""
    return "" if x is None else formatting.percent_number(x, 1)


def _num(x: float | None) -> str:
    """An amount as the table shows it: whole numbers without decimals, grouped in the active language's style."""
    if x is None:
        return ""
    if float(x).is_integer():
        return formatting.integer(int(x))
    return formatting.decimal(x, len(f"{x:f}".rstrip("0").partition(".")[2]))


def cmd_show(args: argparse.Namespace) -> int:
    from trygg.promises.models import Promise
    from trygg.promises.queries import promise_data
    from trygg.promises.views import status_label

    data = promise_data(_find(args.promise))
    if args.format == "json":
        print(json.dumps(data, ensure_ascii=False, indent=1))
        return 0
    print(f"{data['promise']} ({Promise.Status(data['status']).label})")
    rows = []
    for c in data["commitments"]:
        for a in c["activities"]:
            quantity = "" if a["quantity"] is None else f"{_num(a['quantity'])} {a['unit']}".strip()
            rows.append([a["number"], c["party"], a["text"][:60], "|".join(a["places"]), quantity,
                         _num(a["delivered"]), status_label(a["status"]), _num(a["percent"])])
    print(render_table(rows, ["number", "party", "activity", "places", "quantity", "delivered", "status", "percent"]))
    if data["indicators"]:
        print()
        rows = []
        for i in data["indicators"]:
            follow = i["follow_up"] or {}
            domain = "|".join(i["domain"].get("area", [])) or gettext("alla")
            rows.append([i["indicator"], domain, _pct(i["target"]), _pct(i["baseline"]["share"]),
                         _pct(follow.get("share")), _pct(i["difference"]),
                         "" if i["significant"] is None else (gettext("ja") if i["significant"] else gettext("nej"))])
        print(render_table(rows, ["indicator", "domain", "target", "baseline", "follow_up", "difference",
                                  "significant"]))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from trygg.promises.csvio import export_csv

    promise = _find(args.promise)
    text = export_csv(promise)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        count = promise.activities.count()
        print(ngettext("%(promise)s: %(n)s aktivitet skrevs till %(out)s",
                       "%(promise)s: %(n)s aktiviteter skrevs till %(out)s", count)
              % {"promise": promise.slug, "n": count, "out": args.out}, file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def register(sub: Any) -> None:
    """Add `trygg promise …` to the command line."""
    group = add_group(sub, "promise", gettext_noop("medborgarlöftet: import, publicering, framsteg, uppföljning"))
    p = add_command(group, "import", gettext_noop("ett utkast till löfte från CSV, alla rader eller ingen; skriver "
                                                  "ut dess kortnamn ORG-ÅR"),
                    cmd_import)
    p.add_argument("org", help=gettext_noop("organisationens kortnamn"))
    p.add_argument("year", type=int, help=gettext_noop("löftets år"))
    p.add_argument("file", help=gettext_noop("CSV party,commitment,activity,places,quantity,unit,start,end,responsible,"
                                             "indicator,domain,baseline_survey,target (och number,delivered,status "
                                             "från en export)"))

    p = add_command(group, "publish", gettext_noop("publicera löftet på /ORG/lofte/ÅR/ när båda parterna har "
                                                   "godkänt det"),
                    cmd_publish)
    p.add_argument("promise", help=gettext_noop("löftet, ORG-ÅR"))
    p.add_argument("--approved-by", action="append", metavar="USER",
                   help=gettext_noop("registrera först den här administratörens godkännande för sin part (kommunen "
                                     "eller polisen); upprepa för den andra parten"))

    p = add_command(group, "progress", gettext_noop("för in framsteg för en aktivitet (dess nummer i `promise "
                                                    "show`)"), cmd_progress)
    p.add_argument("promise", help=gettext_noop("löftet, ORG-ÅR"))
    p.add_argument("activity", type=int, help=gettext_noop("aktivitetens nummer"))
    amount = p.add_mutually_exclusive_group()
    amount.add_argument("--delivered", type=float, metavar="N",
                        help=gettext_noop("levererat hittills, i aktivitetens enhet (för en aktivitet med en mängd)"))
    amount.add_argument("--percent", type=float, metavar="N", help=gettext_noop("procent klart, 0–100 (för en utan)"))
    p.add_argument("--status", choices=["planned", "ongoing", "done", "cancelled", "no_evidence"],
                   help=gettext_noop("aktivitetens nya status"))
    p.add_argument("--reason", help=gettext_noop("varför aktiviteten ställdes in (krävs med --status cancelled)"))
    p.add_argument("--note", help=gettext_noop("vad som gjordes, med en eller två meningar"))
    p.add_argument("--link", help=gettext_noop("en länk till underlag (en rapport, ett beslut, en nyhet)"))
    p.add_argument("--date", help=gettext_noop("framstegets datum, ÅÅÅÅ-MM-DD (standard: i dag)"))

    p = add_command(group, "follow-up", gettext_noop("hämta indikatorernas uppföljningsvärden från en senare enkät"),
                    cmd_follow_up)
    p.add_argument("promise", help=gettext_noop("löftet, ORG-ÅR"))
    p.add_argument("survey", help=gettext_noop("den senare enkäten, ORG-ÅR (stängd)"))

    p = add_command(group, "show", gettext_noop("löftet, dess aktiviteter och framsteg, dess indikatorer"), cmd_show)
    p.add_argument("promise", help=gettext_noop("löftet, ORG-ÅR"))
    p.add_argument("--format", choices=["table", "json"], default="table", help=gettext_noop("utdataformat"))

    p = add_command(group, "export", gettext_noop("löftet som importens CSV med number, delivered och status"),
                    cmd_export)
    p.add_argument("promise", help=gettext_noop("löftet, ORG-ÅR"))
    p.add_argument("--out", help=gettext_noop("fil att skriva (standard: standard ut)"))
