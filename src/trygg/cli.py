"""The `trygg` command line (contract: docs/spec/cli.md).

Errors go to stderr as one sentence naming the file, row and column, with exit status 1 for bad input and 2 for
bad usage. The database is created and migrated on first use. Messages speak the user's language: Swedish when
the locale (LANGUAGE, LC_ALL, LC_MESSAGES, LANG) starts with "sv", English otherwise, through the main catalogue;
help texts too, translated when printed (cliutil.HelpFormatter), and argparse's own usage errors (cliutil.Parser).
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import socket
import sys
from collections.abc import Sequence
from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext, ngettext

from trygg.cliutil import (
    Parser,
    UsageError,
    add_command,
    add_group,
    cli_language,
    find_organisation,
    gettext_noop,
    progress_bar,
    render_csv,
    render_table,
)
from trygg.errors import InputError

# Apps that bring commands of their own: each module's register(sub) adds them.
APP_COMMANDS: tuple[str, ...] = ("trygg.reports.commands", "trygg.incidents.commands", "trygg.promises.commands",
                                 "trygg.accounts.commands", "trygg.backup")


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
    # The shared cache's table (settings.CACHES) is made like the others; it does nothing when it exists or on Redis.
    call_command("createcachetable", verbosity=0)


def cmd_demo(args: argparse.Namespace) -> int:
    from trygg import formatting
    from trygg.demo.load import load_demo

    if not args.no_serve:
        _refuse_port_in_use(args.host, args.port)  # before the minute of loading, and before printing an address
    info = load_demo(progress=progress_bar(gettext("Laddar demo")))
    print(ngettext("trygg demo: %(org)s med %(n)s syntetiskt svar i %(survey)s.",
                   "trygg demo: %(org)s med %(n)s syntetiska svar i %(survey)s.", info["responses"])
          % {"org": info["organisation"], "n": formatting.integer(info["responses"]), "survey": info["survey"]})
    print(gettext("Personalens inloggning: användare %(user)s, lösenord %(password)s")
          % {"user": info["username"], "password": info["password"]})
    if args.no_serve:
        return 0
    url = f"http://{args.host}:{args.port}/"
    print(gettext("Öppna %(url)s (personal: %(staff)s)") % {"url": f"{url}halmstad/", "staff": f"{url}personal/"})
    return _serve(args.host, args.port)


def _port_in_use_message(host: str, port: int) -> str:
    return gettext("port %(port)s på %(host)s används redan av ett annat program; välj en annan med --port, "
                   "till exempel --port %(other)s") % {"port": port, "host": host, "other": port + 1}


def _refuse_port_in_use(host: str, port: int) -> None:
    """UsageError in one sentence when nothing can listen on host:port (another program has it)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as probe:
        # As the servers do: a port whose last connection is in TIME_WAIT is free to listen on.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise UsageError(_port_in_use_message(host, port)) from exc


def _serve(host: str, port: int) -> int:
    from waitress import serve

    from trygg.wsgi import application

    _refuse_port_in_use(host, port)
    print(gettext("Visar sidan på http://%(host)s:%(port)s/ (Ctrl+C stoppar)") % {"host": host, "port": port},
          flush=True)
    try:
        serve(application, host=host, port=port, threads=8, _quiet=True)
    except OSError as exc:  # taken between the check and the bind
        raise UsageError(_port_in_use_message(host, port)) from exc
    return 0


def _serve_production(host: str, port: int) -> int:
    from django.conf import settings
    from django.db import connections
    from django.urls import get_resolver
    from gunicorn.app.base import BaseApplication

    from trygg.wsgi import application

    options = {
        "bind": f"{host}:{port}",
        "workers": settings.TRYGG_WORKERS or 2 * (os.cpu_count() or 1),
        "threads": settings.TRYGG_THREADS,
        "worker_class": "gthread",
        # trygg.proxy alone decides whose X-Forwarded-* headers count (TRYGG_TRUSTED_PROXIES).
        "forwarded_allow_ips": "",
        "preload_app": True,
        "timeout": 60,
        "graceful_timeout": 10,
        # One installation may run several servers on a host: no control socket shared in the home folder.
        "control_socket_disable": True,
    }

    class Production(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> object:
            return application

    # Every view module (with numpy, matplotlib, shapely) is imported once here, before the fork, instead of in each
    # worker on its first request: workers (and a restart after a crash) answer at once.
    get_resolver().url_patterns  # noqa: B018 - loading the URLconf is the point
    # The migration check's connection must not be shared by the forked workers.
    connections.close_all()
    print(f"Serving on http://{host}:{port}/ with {options['workers']} processes × {options['threads']} threads "
          "(gunicorn; Ctrl+C stops)", flush=True)
    Production().run()
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    if args.production:
        return _serve_production(args.host, args.port)
    return _serve(args.host, args.port)


def cmd_org_create(args: argparse.Namespace) -> int:
    from trygg.areas.actions import do_create_organisation

    org = do_create_organisation(args.slug, args.name, kommun_code=args.kommun or "", areas_file=args.areas)
    areas = org.areas.count()
    print(ngettext("%(slug)s: %(name)s med %(n)s område", "%(slug)s: %(name)s med %(n)s områden", areas)
          % {"slug": org.slug, "name": org.name, "n": areas})
    return 0


def cmd_places_import(args: argparse.Namespace) -> int:
    from trygg.areas.actions import do_import_places

    count = do_import_places(find_organisation(args.org), args.file)
    print(ngettext("%(n)s plats importerades för %(org)s", "%(n)s platser importerades för %(org)s", count)
          % {"n": count, "org": args.org})
    return 0


def cmd_population_import(args: argparse.Namespace) -> int:
    from trygg.areas.actions import do_import_population

    count = do_import_population(find_organisation(args.org), args.file)
    print(ngettext("%(n)s befolkningsmarginal importerades för %(org)s",
                   "%(n)s befolkningsmarginaler importerades för %(org)s", count) % {"n": count, "org": args.org})
    return 0


def cmd_survey_create(args: argparse.Namespace) -> int:
    from trygg.surveys.actions import do_create_survey

    print(do_create_survey(find_organisation(args.org), args.year, args.bank).slug)
    return 0


def cmd_survey_open(args: argparse.Namespace) -> int:
    from trygg.surveys.actions import do_open_survey, find_survey

    print(gettext("%(survey)s är öppen") % {"survey": do_open_survey(find_survey(args.survey)).slug})
    return 0


def cmd_survey_close(args: argparse.Namespace) -> int:
    from trygg.surveys.actions import do_close_survey, find_survey

    print(gettext("%(survey)s är stängd") % {"survey": do_close_survey(find_survey(args.survey)).slug})
    return 0


def cmd_survey_publish(args: argparse.Namespace) -> int:
    from trygg.surveys.actions import do_publish_results, find_survey

    print(gettext("resultaten av %(survey)s är publicerade")
          % {"survey": do_publish_results(find_survey(args.survey)).slug})
    return 0


def cmd_responses_import(args: argparse.Namespace) -> int:
    from trygg.surveys.actions import do_import_responses, find_survey

    survey = find_survey(args.survey)

    def warn(message: str) -> None:
        print(gettext("trygg: varning: %(message)s") % {"message": message}, file=sys.stderr)

    if args.dry_run:
        from trygg.surveys.actions import read_responses, refuse_if_closed

        refuse_if_closed(survey)
        preview = read_responses(survey, args.file, args.mapping, progress=progress_bar(gettext("Läser")), warn=warn)
        print(ngettext("%(n)s svar skulle importeras till %(survey)s (provkörning: inget sparades)",
                       "%(n)s svar skulle importeras till %(survey)s (provkörning: inget sparades)", preview.n)
              % {"n": preview.n, "survey": survey.slug})
        print(render_table([[q, n, ", ".join(f"{c} {k}" for c, k in preview.counts.get(q, {}).items())]
                            for q, n in preview.answered.items()], ["question", "answered", "answers"]))
        return 0
    count = do_import_responses(survey, args.file, args.mapping, progress=progress_bar(gettext("Importerar")),
                                warn=warn)
    print(ngettext("%(n)s svar importerades till %(survey)s", "%(n)s svar importerades till %(survey)s", count)
          % {"n": count, "survey": survey.slug})
    return 0


def cmd_responses_export(args: argparse.Namespace) -> int:
    from trygg.surveys.actions import find_survey
    from trygg.surveys.exports import export_responses

    survey = find_survey(args.survey)
    fmt = args.format or (Path(args.out).suffix.lstrip(".").lower() if args.out else "csv")
    if fmt not in ("csv", "xlsx", "json"):
        raise UsageError(gettext("formatet framgår inte av %(out)r; ange --format csv, xlsx eller json")
                         % {"out": args.out})
    if args.out:
        export_responses(survey, fmt, Path(args.out))
        return 0
    data = export_responses(survey, fmt, None)
    if fmt == "xlsx" and sys.stdout.isatty():
        raise UsageError(gettext("XLSX är binärt; ange --out FIL.xlsx"))
    sys.stdout.buffer.write(data or b"")
    return 0


def _pct(x: float | None) -> str:
    """A share (0–1) as percent with one decimal in the user's number style, for the table humans read."""
    from trygg import formatting

    return "" if x is None else formatting.decimal(100 * x, 1)


def cmd_results(args: argparse.Namespace) -> int:
    from trygg import formatting
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
            n_eff = "" if e["n_eff"] is None else formatting.decimal(e["n_eff"], 1)
            rows.append([e["indicator"], domain, _pct(e["share"]), _pct(e["se"]), _pct(e["ci_low"]),
                         _pct(e["ci_high"]), e["n"], n_eff, gettext("dold") if e["suppressed"] else ""])
    if args.format == "csv":
        sys.stdout.write(render_csv(rows, header))
    else:
        text = (gettext("%(survey)s: %(n)s svar, viktade andelar i procent med 95 %% konfidensintervall")
                if data["weighted"] else
                gettext("%(survey)s: %(n)s svar, oviktade andelar i procent med 95 %% konfidensintervall"))
        print(text % {"survey": data["survey"], "n": formatting.integer(data["respondents"])})
        print(render_table(rows, header))
    return 0


def cmd_mentions(args: argparse.Namespace) -> int:
    from trygg.surveys.actions import find_survey
    from trygg.surveys.mentions import survey_mentions

    data = survey_mentions(find_survey(args.survey))
    header = ["slug", "name", "kind", "respondents", "pins"]
    rows = [[m[h] for h in header] for m in data["mentions"]]
    if args.format == "json":
        print(json.dumps(data, ensure_ascii=False, indent=1))
    elif args.format == "csv":
        sys.stdout.write(render_csv(rows, header))
    else:
        print(render_table(rows, header))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="trygg", description=gettext_noop("trygg: medborgarlöftets kretslopp från enkät till "
                                                           "uppföljning."))
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)

    def host_port(p: argparse.ArgumentParser) -> None:
        p.add_argument("--host", default="127.0.0.1", help=gettext_noop("adress att lyssna på (standard 127.0.0.1)"))
        p.add_argument("--port", type=int, default=8000, help=gettext_noop("port att lyssna på (standard 8000)"))

    p = add_command(sub, "demo", gettext_noop("skapa databasen, läs in Halmstadexemplet och visa det"), cmd_demo)
    host_port(p)
    p.add_argument("--no-serve", action="store_true", help=gettext_noop("läs in exemplet och avsluta utan att visa "
                                                                        "det"))
    p = add_command(sub, "serve", gettext_noop("visa webbplatsen"), cmd_serve)
    host_port(p)
    p.add_argument("--production", action="store_true",
                   help=gettext_noop("visa med gunicorn, TRYGG_WORKERS processer med TRYGG_THREADS trådar "
                                     "(standard: waitress, en process, för en bärbar dator)"))

    org_sub = add_group(sub, "org", gettext_noop("organisationer (en kommun med sitt lokalpolisområde)"))
    p = add_command(org_sub, "create", gettext_noop("skapa en organisation"), cmd_org_create)
    p.add_argument("slug", help=gettext_noop("kortnamn i adresserna, till exempel halmstad"))
    p.add_argument("--name", required=True, help=gettext_noop("organisationens namn, till exempel 'Halmstads kommun "
                                                              "och LPO Halmstad'"))
    p.add_argument("--kommun", help=gettext_noop("SCB:s fyrsiffriga kommunkod, till exempel 1380"))
    p.add_argument("--areas", help=gettext_noop("områden som CSV code,name eller GeoJSON med egenskaperna code och "
                                                "name"))

    p = add_command(add_group(sub, "places", gettext_noop("ortregistret med namngivna platser")), "import",
                    gettext_noop("importera namngivna platser"), cmd_places_import)
    p.add_argument("org", help=gettext_noop("organisationens kortnamn"))
    p.add_argument("file", help=gettext_noop("CSV name,kind,aliases (alias åtskilda med |) eller GeoJSON med de "
                                             "egenskaperna"))

    p = add_command(add_group(sub, "population", gettext_noop("befolkningsmarginaler för viktning")), "import",
                    gettext_noop("importera befolkningsmarginaler"), cmd_population_import)
    p.add_argument("org", help=gettext_noop("organisationens kortnamn"))
    p.add_argument("file", help=gettext_noop("CSV variable,category,count, till exempel gender,kvinna,52000"))

    survey_sub = add_group(sub, "survey", gettext_noop("enkäter"))
    p = add_command(survey_sub, "create", gettext_noop("skapa en enkät ur en frågebank; skriver ut dess kortnamn "
                                                       "ORG-ÅR"),
                    cmd_survey_create)
    p.add_argument("org", help=gettext_noop("organisationens kortnamn"))
    p.add_argument("year", type=int, help=gettext_noop("enkätens år"))
    p.add_argument("--bank", default="standard-v1", help=gettext_noop("frågebank (standard: standard-v1)"))
    for name, helptext, func in (("open", gettext_noop("starta fältarbetet"), cmd_survey_open),
                                 ("close", gettext_noop("avsluta fältarbetet (resultaten är inte offentliga "
                                                        "dessförinnan)"), cmd_survey_close),
                                 ("publish", gettext_noop("publicera resultaten av en stängd enkät"),
                                  cmd_survey_publish)):
        add_command(survey_sub, name, helptext, func).add_argument("survey", help=gettext_noop("enkäten, ORG-ÅR"))

    responses_sub = add_group(sub, "responses", gettext_noop("svar in och ut"))
    p = add_command(responses_sub, "import", gettext_noop("importera svar från CSV eller XLSX, alla rader eller "
                                                          "ingen"),
                    cmd_responses_import)
    p.add_argument("survey", help=gettext_noop("enkäten, ORG-ÅR"))
    p.add_argument("file", help=gettext_noop("CSV eller XLSX; kolumnerna är fråge-id, cellerna svarskoder"))
    p.add_argument("--mapping", help=gettext_noop("JSON-fil som översätter ett annat verktygs kolumner och "
                                                  "etiketter, eller namnet på en medföljande mappning (netigate, "
                                                  "esmaker, msforms)"))
    p.add_argument("--dry-run", action="store_true",
                   help=gettext_noop("kontrollera varje rad och visa antalen per fråga och varje problem; spara "
                                     "inget"))
    p = add_command(responses_sub, "export", gettext_noop("exportera svaren i importformatet"), cmd_responses_export)
    p.add_argument("survey", help=gettext_noop("enkäten, ORG-ÅR"))
    p.add_argument("--format", choices=["csv", "xlsx", "json"], help=gettext_noop("standard: efter ändelsen på "
                                                                                  "--out, annars csv"))
    p.add_argument("--out", help=gettext_noop("fil att skriva (standard: standard ut)"))

    p = add_command(sub, "results", gettext_noop("indikatorerna, totalt och per redovisningsgrupp"), cmd_results)
    p.add_argument("survey", help=gettext_noop("enkäten, ORG-ÅR"))
    p.add_argument("--by", action="append", metavar="VAR",
                   help=gettext_noop("uppdelning: area, gender eller age_group; upprepa för flera, komma för en "
                                     "korsning (area,gender)"))
    p.add_argument("--weighted", action="store_true", help=gettext_noop("viktade mot befolkningsmarginalerna "
                                                                        "(raking)"))
    p.add_argument("--format", choices=["table", "csv", "json"], default="table", help=gettext_noop("utdataformat"))

    p = add_command(sub, "mentions", gettext_noop("platsomnämnanden kodade ur fritexten och kartnålarna"), cmd_mentions)
    p.add_argument("survey", help=gettext_noop("enkäten, ORG-ÅR"))
    p.add_argument("--format", choices=["table", "csv", "json"], default="table", help=gettext_noop("utdataformat"))
    for module in APP_COMMANDS:
        importlib.import_module(module).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:
        print(f"trygg: {exc}", file=sys.stderr)
        return 2
    from trygg.accounts.localkey import use_local_key

    # A laptop's SQLite database keeps its own key; the demo makes it (settings refuse to start without one).
    use_local_key(create=args.command == "demo")
    from django.core.exceptions import ImproperlyConfigured

    try:
        setup_django()
    except ImproperlyConfigured as exc:
        # A missing SECRET_KEY and the like: one sentence, not a traceback.
        print(f"trygg: {exc}", file=sys.stderr)
        return 2
    from trygg.reports.results import ResultsError

    # JSON and CSV are for programs: their texts stay in the site's language whatever the locale, so a script's
    # parsing never depends on who runs it; everything written for people follows the locale.
    machine = getattr(args, "format", None) in ("json", "csv")
    with translation.override(None if machine else cli_language()):
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
