"""Every setting, command and option is documented (a test in the manner of datasette)."""

from __future__ import annotations

import argparse
from pathlib import Path

from django.core.management import call_command

from trygg.cli import build_parser
from trygg.conf import SETTINGS

ROOT = Path(__file__).resolve().parents[1]


def test_every_setting_is_documented() -> None:
    docs = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    missing = [s.env for s in SETTINGS if f"`{s.env}`" not in docs]
    assert not missing, f"add these to docs/settings.md: {missing}"


def _walk(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _walk(sub, (*path, name))


def test_every_command_and_option_has_help_and_is_documented() -> None:
    docs = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for path, parser in _walk(build_parser()):
        if path:
            assert parser.description, f"trygg {' '.join(path)} has no description"
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction | argparse._HelpAction):
                continue
            assert action.help, f"option {action.dest} of trygg {' '.join(path)} has no help text"
        if path and not any(isinstance(a, argparse._SubParsersAction) for a in parser._actions):
            assert f"trygg {' '.join(path)}" in docs, f"trygg {' '.join(path)} is not in docs/cli.md"


def test_migrations_are_complete(db) -> None:
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
