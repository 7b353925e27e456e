"""`trygg incidents import|fetch|summary` (contract: shared/spec/cli.md)."""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from typing import Any

from django.utils.translation import gettext, ngettext

from trygg import formatting
from trygg.cliutil import (
    UsageError,
    add_command,
    add_group,
    find_organisation,
    gettext_noop,
    progress_bar,
    render_csv,
    render_table,
)

SUMMARY_KEYS = ("source", "type", "month", "area")


def _date(value: str | None, option: str) -> datetime.date | None:
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise UsageError(gettext("%(option)s måste vara ett datum som 2024-05-01, inte %(value)r")
                         % {"option": option, "value": value}) from None


def cmd_import(args: argparse.Namespace) -> int:
    from trygg.incidents.actions import do_import_incidents

    result = do_import_incidents(find_organisation(args.org), args.file, progress=progress_bar(gettext("Importerar")))
    print(result.sentence())
    return 0


def cmd_fetch(args: argparse.Namespace) -> int:
    from trygg.incidents.fetch import do_fetch_police_events

    result = do_fetch_police_events(find_organisation(args.org), url=args.url)
    print(result.sentence())
    return 0


def cmd_summary(args: argparse.Namespace) -> int:
    from trygg.incidents.models import IncidentTally
    from trygg.incidents.queries import incident_counts

    org = find_organisation(args.org)
    date_from, date_to = _date(args.date_from, "--from"), _date(args.date_to, "--to")
    if date_from and date_to and date_from > date_to:
        raise UsageError(gettext("--from %(from)s är efter --to %(to)s") % {"from": date_from, "to": date_to})
    by = [k.strip() for k in args.by.split(",") if k.strip()]
    unknown = [k for k in by if k not in SUMMARY_KEYS]
    if unknown:
        raise UsageError(gettext("--by tar %(keys)s, åtskilda med kommatecken, inte %(unknown)s")
                         % {"keys": ", ".join(SUMMARY_KEYS), "unknown": ", ".join(unknown)})
    by = list(dict.fromkeys(by))
    counts = incident_counts(org, date_from=date_from, date_to=date_to, by=by)
    if args.format == "json":
        data: dict[str, Any] = {"organisation": org.slug, "from": date_from and date_from.isoformat(),
                                "to": date_to and date_to.isoformat(), "by": by, "counts": counts}
        print(json.dumps(data, ensure_ascii=False, indent=1))
        return 0
    header = [*by, "count"]
    rows = [[row[h] for h in header] for row in counts]
    if args.format == "csv":
        sys.stdout.write(render_csv(rows, header))
        return 0
    period = f"{date_from or '…'} – {date_to or '…'}"
    total = sum(r["count"] for r in counts)
    print(ngettext("%(org)s: %(n)s händelse, %(period)s (sammanfattningar och meddelanden räknas inte)",
                   "%(org)s: %(n)s händelser, %(period)s (sammanfattningar och meddelanden räknas inte)", total)
          % {"org": org.slug, "n": formatting.integer(total), "period": period})
    # For people, the source by its name and the counts in the language's style (CSV and JSON keep the codes).
    sources = dict(IncidentTally.Source.choices)
    print(render_table([[sources.get(row[h], row[h]) if h == "source" else
                         formatting.integer(row[h]) if h == "count" else row[h] for h in header]
                        for row in counts], header))
    return 0


def register(sub: Any) -> None:
    """Add `trygg incidents …` to the command line."""
    group = add_group(sub, "incidents", gettext_noop("händelser: polisens öppna händelser och organisationens egna "
                                                     "rapporter"))
    p = add_command(group, "import", gettext_noop("importera händelser, alla rader eller ingen: polisens "
                                                  "händelse-API:s JSON, ett Parquet-arkiv av den eller egna "
                                                  "rapporter som CSV occurred_at,category,lat,lon,area"),
                    cmd_import)
    p.add_argument("org", help=gettext_noop("organisationens kortnamn"))
    p.add_argument("file", help=gettext_noop("händelser som JSON så som polisens händelse-API levererar dem, ett "
                                             ".parquet-arkiv med samma fält eller CSV/XLSX "
                                             "occurred_at,category,lat,lon,area"))
    p = add_command(group, "fetch", gettext_noop("hämta polisens senaste händelser för organisationens kommun och "
                                                 "län från händelse-API:t (högst ett anrop per 10 s och 60 i "
                                                 "timmen) och importera dem"),
                    cmd_fetch)
    p.add_argument("org", help=gettext_noop("organisationens kortnamn"))
    p.add_argument("--url", help=gettext_noop("händelse-API:ts adress (standard: inställningen "
                                              "TRYGG_POLICE_EVENTS_URL)"))
    p = add_command(group, "summary", gettext_noop("antal händelser per källa, typ, månad och område "
                                                   "(sammanfattningar och meddelanden räknas inte)"), cmd_summary)
    p.add_argument("org", help=gettext_noop("organisationens kortnamn"))
    p.add_argument("--from", dest="date_from", metavar="DATE", help=gettext_noop("första svenska lokala datum, "
                                                                                 "inräknat (2024-01-01)"))
    p.add_argument("--to", dest="date_to", metavar="DATE", help=gettext_noop("sista svenska lokala datum, inräknat "
                                                                             "(2024-12-31)"))
    p.add_argument("--by", default="source,type,month",
                   help=gettext_noop("nycklar att räkna efter, åtskilda med komma: source, type, month, area "
                                     "(standard source,type,month)"))
    p.add_argument("--format", choices=["table", "csv", "json"], default="table", help=gettext_noop("utdataformat"))
