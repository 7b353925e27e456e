"""`trygg staff …` and `trygg privacy apply`: staff accounts and privacy over time from the command line.

Both call the same writers as the staff pages; the audit events record the operating-system user.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from trygg.cliutil import UsageError, add_command, add_group, find_organisation


def cmd_staff_add(args: argparse.Namespace) -> int:
    from trygg.accounts.actions import do_add_staff

    password = ""
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    elif args.new:
        password = getpass.getpass("Lösenord / password: ")
    membership = do_add_staff(find_organisation(args.org), args.username, args.role, args.party or "",
                              password=password)
    print(f"{membership.user.username} is {membership.role} in {args.org}"
          f"{' for ' + membership.party if membership.party else ''}")
    return 0


def cmd_staff_reset_factor(args: argparse.Namespace) -> int:
    from django.contrib.auth.models import User

    from trygg.accounts.actions import do_reset_second_factor

    user = User.objects.filter(username=args.username).first()
    if user is None:
        raise UsageError(f"there is no user {args.username!r}")
    count = do_reset_second_factor(user)
    print(f"{count} authenticator app(s) of {user.username} removed; they enrol a new one at their next login")
    return 0


def cmd_privacy_apply(args: argparse.Namespace) -> int:
    from trygg.surveys.privacy import PrivacyRule, do_apply_privacy, surveys_due

    rule = PrivacyRule.from_settings()
    if args.dry_run:
        for survey in surveys_due(rule):
            print(f"{survey.slug}: due (closed {survey.closed_at:%Y-%m-%d})")
        return 0
    results = do_apply_privacy(rule)
    for result in results:
        print(f"{result.survey}: {result.answers_changed} answers changed "
              f"(free text: {rule.mode}, pins: {rule.metres:g} m)")
    if not results:
        print("no survey is due")
    return 0


def register(sub: Any) -> None:
    staff = add_group(sub, "staff", "staff accounts and their roles")
    p = add_command(staff, "add", "give a user a role in an organisation (a new user needs a password)",
                    cmd_staff_add)
    p.add_argument("org", help="the organisation's slug")
    p.add_argument("username", help="the user name; an existing user keeps their password")
    p.add_argument("--role", required=True, choices=["viewer", "analyst", "admin"], help="the role")
    p.add_argument("--party", choices=["kommunen", "polisen"], help="whom the user works for")
    source = p.add_mutually_exclusive_group()
    source.add_argument("--new", action="store_true", help="a new user: ask for the password on the terminal")
    source.add_argument("--password-stdin", action="store_true", help="a new user: read the password from stdin")
    p = add_command(staff, "reset-factor", "remove a user's authenticator app (a lost phone)",
                    cmd_staff_reset_factor)
    p.add_argument("username", help="the user name")
    p = add_command(add_group(sub, "privacy", "privacy over time (docs/privacy.md)"), "apply",
                    "redact or delete free text and coarsen pins of surveys closed long enough ago",
                    cmd_privacy_apply)
    p.add_argument("--dry-run", action="store_true", help="list the surveys that are due and change nothing")
