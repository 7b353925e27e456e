"""What every part of the `trygg` command line shares: usage errors, output tables, progress bars, lookups.

`trygg.cli` builds the parser; each app that brings commands has a `commands` module with `register(sub)`,
which adds its subcommands through `add_command` and `add_group`, so no app imports another to get a command.
"""

from __future__ import annotations

import argparse
import csv
import functools
import gettext as stdlib_gettext
import io
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from django.utils.translation import gettext

from trygg.errors import InputError

Handler = Callable[[argparse.Namespace], int]


class UsageError(Exception):
    """The command was called wrongly (exit status 2), as opposed to bad input (InputError, exit status 1)."""


# The main catalogue's folder; it also holds argparse's own texts in Swedish (sv/LC_MESSAGES/messages.po).
LOCALE = Path(__file__).resolve().parent / "locale"


@functools.cache
def _help_catalogue(language: str) -> stdlib_gettext.NullTranslations:
    """The compiled Django catalogues (the main one, then each app's, as Django merges them) read with the standard
    library: help is printed and usage is checked before Django is set up, and without a SECRET_KEY."""
    catalogue = stdlib_gettext.NullTranslations()
    for localedir in [LOCALE, *sorted(LOCALE.parent.glob("*/locale"))]:
        catalogue.add_fallback(stdlib_gettext.translation("django", localedir, [language], fallback=True))
    return catalogue


def gettext_noop(text: str) -> str:
    """Marks a help text (a Swedish source string) for the catalogue; `help_gettext` translates it when printed.

    Django's own gettext_noop reads the settings, which the parser is built without.
    """
    return text


def help_gettext(text: str) -> str:
    """A help text (a Swedish source string marked with gettext_noop) in the command line's language."""
    return _help_catalogue(cli_language()).gettext(text)


class HelpFormatter(argparse.HelpFormatter):
    """Translates the help texts and descriptions when help is printed, so they follow the locale then."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        return help_gettext(action.help) if action.help else action.help

    def _format_text(self, text: str) -> str:
        return super()._format_text(help_gettext(text))


class Parser(argparse.ArgumentParser):
    """Help in the user's language and usage errors raised as UsageError (exit status 2), not printed and exited.

    argparse's own texts ("usage:", "invalid choice: …") come from the standard library's gettext, domain
    "messages", which follows the same variables as `cli_language`; their Swedish catalogue is bound here.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        stdlib_gettext.bindtextdomain("messages", str(LOCALE))
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> Any:
        raise UsageError(message)


def add_command(subparsers: Any, name: str, helptext: str, func: Handler) -> argparse.ArgumentParser:
    """A subcommand with help text that runs `func(args)` and returns its exit status."""
    p: argparse.ArgumentParser = subparsers.add_parser(name, help=helptext, description=helptext)
    p.set_defaults(func=func)
    return p


def add_group(subparsers: Any, name: str, helptext: str) -> Any:
    """A command group such as `trygg incidents …`; returns the subparsers to add its commands to."""
    group: argparse.ArgumentParser = subparsers.add_parser(name, help=helptext, description=helptext)
    return group.add_subparsers(dest=f"{name}_command", required=True, parser_class=Parser)


def cli_language(environ: Mapping[str, str] | None = None) -> str:
    """The command line's language: 'sv' when the locale starts with "sv", else 'en'.

    The variables are read in gettext's order (LANGUAGE, LC_ALL, LC_MESSAGES, LANG); the first one set decides, so
    LC_ALL=C overrides LANG=sv_SE.UTF-8 as it does for every other program. LANGUAGE may list several (sv:en).
    """
    env = os.environ if environ is None else environ
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:
            return "sv" if value.split(":")[0].lower().startswith("sv") else "en"
    return "en"


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


def find_organisation(slug: str) -> Any:
    """The organisation with this slug; InputError naming the command that creates one when there is none."""
    from trygg.areas.models import Organisation

    org = Organisation.objects.filter(slug=slug).first()
    if org is None:
        raise InputError(gettext("det finns ingen organisation %(org)r (skapa den med `trygg org create`)")
                         % {"org": slug})
    return org


def render_table(rows: Sequence[Sequence[Any]], header: Sequence[str]) -> str:
    """Rows as aligned plain-text columns under a header and a rule."""
    cells = [[str(c) for c in header]] + [["" if c is None else str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def render_csv(rows: Sequence[Sequence[Any]], header: Sequence[str]) -> str:
    """Rows as CSV text with a header; None becomes an empty cell."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([["" if c is None else c for c in row] for row in rows])
    return out.getvalue()
