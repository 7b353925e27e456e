"""The `trygg` command line (contract: shared/spec/cli.md).

Errors go to stderr as one sentence naming the file, row and column, with exit status 1 for bad input and 2 for
bad usage. The database is created and migrated on first use.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from trygg.errors import InputError


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:
        raise UsageError(message)


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trygg.settings")
    import django
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    django.setup()
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        call_command("migrate", interactive=False, verbosity=0)


def progress_bar(label: str) -> Callable[[int, int], None] | None:
    """A progress bar on a terminal; None (quiet) when stderr is not one."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        sys.stderr.write(f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return show


def _org(slug: str) -> Any:
    from trygg.areas.models import Organisation

    org = Organisation.objects.filter(slug=slug).first()
    if org is None:
        raise InputError(f"there is no organisation {slug!r} (create it with `trygg org create`)")
    return org


def cmd_demo(args: argparse.Namespace) -> int:
    from trygg.demo.load import load_demo

    info = load_demo(progress=progress_bar("Laddar demo"))
    url = f"http://{args.host}:{args.port}/"
    print(f"trygg demo: {info['organisation']} with {info['responses']:,} synthetic answers in {info['survey']}.")
    print(f"Öppna / open {url}halmstad/")
    print(f"Personal / staff: {url}personal/  användare/user: {info['username']}  "
          f"lösenord/password: {info['password']}")
    if args.no_serve:
        return 0
    return _serve(args.host, args.port)


def _serve(host: str, port: int) -> int:
    from waitress import serve

    from trygg.wsgi import application

    print(f"Serving on http://{host}:{port}/ (Ctrl+C stops)", flush=True)
    serve(application, host=host, port=port, threads=8, _quiet=True)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    return _serve(args.host, args.port)


def cmd_org_create(args: argparse.Namespace) -> int:
    from trygg.areas.actions import do_create_organisation

    org = do_create_organisation(args.slug, args.name, kommun_code=args.kommun or "", areas_file=args.areas)
    print(f"{org.slug}: {org.name} with {org.areas.count()} areas")
    return 0


def cmd_places_import(args: argparse.Namespace) -> int:
    from trygg.areas.actions import do_import_places

    count = do_import_places(_org(args.org), args.file)
    print(f"{count} places imported for {args.org}")
    return 0


def cmd_population_import(args: argparse.Namespace) -> int:
    from trygg.areas.actions import do_import_population

    count = do_import_population(_org(args.org), args.file)
    print(f"{count} population margins imported for {args.org}")
    return 0


def cmd_survey_create(args: argparse.Namespace) -> int:
    from trygg.surveys.actions import do_create_survey

    print(do_create_survey(_org(args.org), args.year, args.bank).slug)
    return 0


def cmd_survey_open(args: argparse.Namespace) -> int:
    from trygg.surveys.actions import do_open_survey, find_survey

    print(f"{do_open_survey(find_survey(args.survey)).slug} is open")
    return 0


def cmd_survey_close(args: argparse.Namespace) -> int:
    from trygg.surveys.actions import do_close_survey, find_survey

    print(f"{do_close_survey(find_survey(args.survey)).slug} is closed")
    return 0


def cmd_survey_publish(args: argparse.Namespace) -> int:
    from trygg.surveys.actions import do_publish_results, find_survey

    print(f"the results of {do_publish_results(find_survey(args.survey)).slug} are published")
    return 0


def cmd_responses_import(args: argparse.Namespace) -> int:
    from trygg.surveys.actions import do_import_responses, find_survey

    survey = find_survey(args.survey)
    count = do_import_responses(survey, args.file, args.mapping, progress=progress_bar("Importerar"))
    print(f"{count} responses imported into {survey.slug}")
    return 0


def cmd_responses_export(args: argparse.Namespace) -> int:
    from trygg.surveys.actions import find_survey
    from trygg.surveys.exports import export_responses

    survey = find_survey(args.survey)
    fmt = args.format or (Path(args.out).suffix.lstrip(".").lower() if args.out else "csv")
    if fmt not in ("csv", "xlsx", "json"):
        raise UsageError(f"cannot tell the format from {args.out!r}; give --format csv, xlsx or json")
    if args.out:
        export_responses(survey, fmt, Path(args.out))
        return 0
    data = export_responses(survey, fmt, None)
    if fmt == "xlsx" and sys.stdout.isatty():
        raise UsageError("XLSX is binary; give --out FILE.xlsx")
    sys.stdout.buffer.write(data or b"")
    return 0


def _table(rows: Sequence[Sequence[Any]], header: Sequence[str]) -> str:
    cells = [[str(c) for c in header]] + [["" if c is None else str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _csv(rows: Sequence[Sequence[Any]], header: Sequence[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([["" if c is None else c for c in row] for row in rows])
    return out.getvalue()


def _pct(x: float | None) -> str:
    return "" if x is None else f"{100 * x:.1f}"


def cmd_results(args: argparse.Namespace) -> int:
    from trygg.reports.results import survey_results
    from trygg.surveys.actions import find_survey

    data = survey_results(find_survey(args.survey), args.by or (), weighted=args.weighted)
    if args.format == "json":
        print(json.dumps(data, ensure_ascii=False, indent=1))
        return 0
    header = ["indicator", "domain", "share", "se", "ci_low", "ci_high", "n", "n_eff", "suppressed"]
    rows = []
    for e in data["estimates"]:
        domain = ",".join(f"{k}={v}" for k, v in e["domain"].items()) or "alla"
        if args.format == "csv":
            rows.append([e["indicator"], domain, e["share"], e["se"], e["ci_low"], e["ci_high"], e["n"], e["n_eff"],
                         e["suppressed"]])
        else:
            n_eff = "" if e["n_eff"] is None else f"{e['n_eff']:.1f}"
            rows.append([e["indicator"], domain, _pct(e["share"]), _pct(e["se"]), _pct(e["ci_low"]),
                         _pct(e["ci_high"]), e["n"], n_eff, "dold" if e["suppressed"] else ""])
    if args.format == "csv":
        sys.stdout.write(_csv(rows, header))
    else:
        kind = "viktade" if data["weighted"] else "oviktade"
        print(f"{data['survey']}: {data['respondents']} svar, {kind} andelar i procent med 95 % konfidensintervall")
        print(_table(rows, header))
    return 0


def cmd_mentions(args: argparse.Namespace) -> int:
    from trygg.reports.mentions import survey_mentions
    from trygg.surveys.actions import find_survey

    data = survey_mentions(find_survey(args.survey))
    header = ["slug", "name", "kind", "respondents", "pins"]
    rows = [[m[h] for h in header] for m in data["mentions"]]
    if args.format == "json":
        print(json.dumps(data, ensure_ascii=False, indent=1))
    elif args.format == "csv":
        sys.stdout.write(_csv(rows, header))
    else:
        print(_table(rows, header))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="trygg", description="trygg: the citizen-promise cycle (medborgarlöfte) from survey to "
                                               "follow-up.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def command(name: str, helptext: str, func: Callable[[argparse.Namespace], int],
                subparsers: Any = sub) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = subparsers.add_parser(name, help=helptext, description=helptext)
        p.set_defaults(func=func)
        return p

    def group(name: str, helptext: str) -> argparse.ArgumentParser:
        g: argparse.ArgumentParser = sub.add_parser(name, help=helptext, description=helptext)
        return g

    def host_port(p: argparse.ArgumentParser) -> None:
        p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
        p.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")

    p = command("demo", "create the database, load the Halmstad example and serve it", cmd_demo)
    host_port(p)
    p.add_argument("--no-serve", action="store_true", help="load the example and exit without serving")
    host_port(command("serve", "serve the site", cmd_serve))

    org = group("org", "organisations (a municipality with its local police area)")
    org_sub = org.add_subparsers(dest="org_command", required=True, parser_class=_Parser)
    p = command("create", "create an organisation", cmd_org_create, org_sub)
    p.add_argument("slug", help="short name used in addresses, e.g. halmstad")
    p.add_argument("--name", required=True, help="the organisation's name, e.g. 'Halmstads kommun och LPO Halmstad'")
    p.add_argument("--kommun", help="SCB's four-digit municipality code, e.g. 1380")
    p.add_argument("--areas", help="areas as CSV code,name or GeoJSON with properties code and name")

    places = group("places", "the gazetteer of named places")
    p = command("import", "import named places", cmd_places_import,
                places.add_subparsers(dest="places_command", required=True, parser_class=_Parser))
    p.add_argument("org", help="the organisation's slug")
    p.add_argument("file", help="CSV name,kind,aliases (aliases separated by |) or GeoJSON with those properties")

    population = group("population", "population margins for weighting")
    p = command("import", "import population margins", cmd_population_import,
                population.add_subparsers(dest="population_command", required=True, parser_class=_Parser))
    p.add_argument("org", help="the organisation's slug")
    p.add_argument("file", help="CSV variable,category,count, e.g. gender,kvinna,52000")

    survey = group("survey", "surveys")
    survey_sub = survey.add_subparsers(dest="survey_command", required=True, parser_class=_Parser)
    p = command("create", "create a survey from a question bank; prints its slug ORG-YEAR", cmd_survey_create,
                survey_sub)
    p.add_argument("org", help="the organisation's slug")
    p.add_argument("year", type=int, help="the survey's year")
    p.add_argument("--bank", default="standard-v1", help="question bank (default standard-v1)")
    for name, helptext, func in (("open", "start fieldwork", cmd_survey_open),
                                 ("close", "end fieldwork (results are not public before)", cmd_survey_close),
                                 ("publish", "publish the results of a closed survey", cmd_survey_publish)):
        command(name, helptext, func, survey_sub).add_argument("survey", help="the survey, ORG-YEAR")

    responses = group("responses", "answers in and out")
    responses_sub = responses.add_subparsers(dest="responses_command", required=True, parser_class=_Parser)
    p = command("import", "import answers from CSV or XLSX, all rows or none", cmd_responses_import, responses_sub)
    p.add_argument("survey", help="the survey, ORG-YEAR")
    p.add_argument("file", help="CSV or XLSX; columns are question ids, cells answer codes")
    p.add_argument("--mapping", help="JSON file translating another tool's columns and labels")
    p = command("export", "export the answers in the import format", cmd_responses_export, responses_sub)
    p.add_argument("survey", help="the survey, ORG-YEAR")
    p.add_argument("--format", choices=["csv", "xlsx", "json"], help="default: from --out's suffix, else csv")
    p.add_argument("--out", help="file to write (default: standard output)")

    p = command("results", "the indicators, overall and per domain", cmd_results)
    p.add_argument("survey", help="the survey, ORG-YEAR")
    p.add_argument("--by", action="append", metavar="VAR",
                   help="breakdown: area, gender or age_group; repeat for several, comma for a cross (area,gender)")
    p.add_argument("--weighted", action="store_true", help="raked to the population margins")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table", help="output format")

    p = command("mentions", "place mentions coded from the free text and the pins", cmd_mentions)
    p.add_argument("survey", help="the survey, ORG-YEAR")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table", help="output format")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:
        print(f"trygg: {exc}", file=sys.stderr)
        return 2
    setup_django()
    from trygg.reports.results import ResultsError

    try:
        return int(args.func(args))
    except UsageError as exc:
        print(f"trygg: {exc}", file=sys.stderr)
        return 2
    except (InputError, ResultsError) as exc:
        print(f"trygg: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
