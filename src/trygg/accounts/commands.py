"""`trygg staff …` and `trygg privacy apply`: staff accounts and privacy over time from the command line.

Both call the same writers as the staff pages; the audit events record the operating-system user.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from decimal import Decimal
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext

from trygg.cliutil import UsageError, add_command, add_group, find_organisation, gettext_noop


def cmd_staff_add(args: argparse.Namespace) -> int:
    from trygg.accounts.actions import do_add_staff

    password = ""
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    elif args.new:
        password = getpass.getpass("Lösenord / password: ")
    membership = do_add_staff(find_organisation(args.org), args.username, args.role, args.party or "",
                              password=password)
    names = {"user": membership.user.username, "role": membership.role, "org": args.org, "party": membership.party}
    print((gettext("%(user)s är %(role)s i %(org)s för %(party)s") if membership.party
           else gettext("%(user)s är %(role)s i %(org)s")) % names)
    return 0


def cmd_staff_reset_factor(args: argparse.Namespace) -> int:
    from django.contrib.auth.models import User

    from trygg.accounts.actions import do_reset_second_factor

    user = User.objects.filter(username=args.username).first()
    if user is None:
        raise UsageError(gettext("det finns ingen användare %(user)r") % {"user": args.username})
    count = do_reset_second_factor(user)
    print(ngettext("%(n)s autentiseringsapp för %(user)s togs bort; en ny registreras vid nästa inloggning",
                   "%(n)s autentiseringsappar för %(user)s togs bort; en ny registreras vid nästa inloggning", count)
          % {"n": count, "user": user.username})
    return 0


def cmd_privacy_apply(args: argparse.Namespace) -> int:
    from trygg.surveys.privacy import PrivacyRule, do_apply_privacy, surveys_due

    rule = PrivacyRule.from_settings()
    if args.dry_run:
        for survey in surveys_due(rule):
            print(gettext("%(survey)s: ska gallras (stängd %(date)s)")
                  % {"survey": survey.slug, "date": f"{survey.closed_at:%Y-%m-%d}"})
        return 0
    results = do_apply_privacy(rule)
    for result in results:
        print(ngettext("%(survey)s: %(n)s svar ändrades (fritext: %(mode)s, kartnålar: %(metres)s m)",
                       "%(survey)s: %(n)s svar ändrades (fritext: %(mode)s, kartnålar: %(metres)s m)",
                       result.answers_changed)
              % {"survey": result.survey, "n": result.answers_changed, "mode": rule.mode,
                 "metres": number_format(Decimal(f"{rule.metres:g}"), use_l10n=True)})
    if not results:
        print(gettext("ingen enkät ska gallras"))
    return 0


def register(sub: Any) -> None:
    staff = add_group(sub, "staff", gettext_noop("personalkonton och deras roller"))
    p = add_command(staff, "add", gettext_noop("ge en användare en roll i en organisation (en ny användare behöver "
                                               "ett lösenord)"),
                    cmd_staff_add)
    p.add_argument("org", help=gettext_noop("organisationens kortnamn"))
    p.add_argument("username", help=gettext_noop("användarnamnet; en befintlig användare behåller sitt lösenord"))
    p.add_argument("--role", required=True, choices=["viewer", "analyst", "admin"], help=gettext_noop("rollen"))
    p.add_argument("--party", choices=["kommunen", "polisen"], help=gettext_noop("vem användaren arbetar för"))
    source = p.add_mutually_exclusive_group()
    source.add_argument("--new", action="store_true", help=gettext_noop("en ny användare: fråga efter lösenordet i "
                                                                        "terminalen"))
    source.add_argument("--password-stdin", action="store_true", help=gettext_noop("en ny användare: läs lösenordet "
                                                                                   "från standard in"))
    p = add_command(staff, "reset-factor", gettext_noop("ta bort en användares autentiseringsapp (en borttappad "
                                                        "telefon)"),
                    cmd_staff_reset_factor)
    p.add_argument("username", help=gettext_noop("användarnamnet"))
    p = add_command(add_group(sub, "privacy", gettext_noop("integritet över tid (docs/privacy.md)")), "apply",
                    gettext_noop("maskera eller radera fritext och gör kartnålarna grövre i enkäter som stängdes "
                                 "tillräckligt länge sedan"),
                    cmd_privacy_apply)
    p.add_argument("--dry-run", action="store_true", help=gettext_noop("lista enkäterna som står på tur och ändra "
                                                                       "inget"))
