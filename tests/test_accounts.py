"""Accounts: lockout after wrong passwords, password rules, a second factor for admins, the demo's login, the
production settings' key and https, staff added by an organisation admin, the audit log page."""

from __future__ import annotations

import csv
import io
import os
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

LOGIN = "/personal/login/"
GOOD = "Sommar-Tylösand-2026"


def login(client: Client, username: str, password: str) -> Any:
    return client.post(LOGIN, {"username": username, "password": password, "next": "/personal/"})


@pytest.fixture
def second_factor_on(settings: Any) -> None:
    settings.TRYGG_REQUIRE_SECOND_FACTOR = True


@pytest.fixture
def laholm(db: Any) -> Any:
    from trygg.areas.actions import do_create_organisation

    return do_create_organisation("laholm", "Laholms kommun och LPO Halmstad", kommun_code="1381")


def staff(org: Any, name: str, role: str, party: str = "kommunen") -> Any:
    from trygg.accounts.actions import do_add_staff

    return do_add_staff(org, name, role, party, password=GOOD).user


def current_code(user: Any) -> str:
    """The code an authenticator app shows now: RFC 6238 TOTP over the device's key, as the app computes it."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user=user)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


# Lockout


def test_wrong_passwords_lock_the_name_out_and_the_right_one_then_fails(halmstad: Any, settings: Any) -> None:
    analyst = staff(halmstad, "analys_halmstad", "analyst")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, analyst.username, "fel-lösenord").status_code == 200
    locked = login(client, analyst.username, "fel-lösenord")
    assert locked.status_code == 429
    assert "spärrad" in locked.content.decode()
    after = login(client, analyst.username, GOOD)
    assert after.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_locked_name_is_locked_from_another_address_too(halmstad: Any, settings: Any) -> None:
    analyst = staff(halmstad, "analys_halmstad", "analyst")
    for i in range(settings.AXES_FAILURE_LIMIT):
        login(Client(REMOTE_ADDR=f"192.0.2.{i + 1}"), analyst.username, "fel-lösenord")
    assert login(Client(REMOTE_ADDR="198.51.100.7"), analyst.username, GOOD).status_code == 429


def test_a_forwarded_for_header_does_not_reset_the_count(halmstad: Any, settings: Any) -> None:
    staff(halmstad, "analys_halmstad", "analyst")
    client = Client(REMOTE_ADDR="192.0.2.9")
    for i in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": f"gissning{i}", "password": "x"}, HTTP_X_FORWARDED_FOR=f"203.0.113.{i}")
    # The address is locked for every name, whatever header the client sends.
    assert login(client, "analys_halmstad", GOOD).status_code == 429


def test_fewer_failures_than_the_limit_then_the_right_password_logs_in(halmstad: Any, settings: Any) -> None:
    analyst = staff(halmstad, "analys_halmstad", "analyst")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, analyst.username, "fel-lösenord")
    assert login(client, analyst.username, GOOD).status_code == 302
    assert client.get("/personal/").status_code == 200


# Password rules and a role that makes a working login


@pytest.mark.parametrize(("password", "why"), [
    ("x", "för kort"),
    ("kort-1", "för kort"),
    ("123456789012345", "enbart"),
    ("password12345", "vanligt"),
    ("nytt_analytiker", "lik"),
])
def test_weak_passwords_are_refused(halmstad: Any, password: str, why: str) -> None:
    from django.contrib.auth.models import User

    from trygg.accounts.actions import do_add_staff
    from trygg.errors import InputError

    with pytest.raises(InputError, match=why):
        do_add_staff(halmstad, "nytt_analytiker", "analyst", "kommunen", password=password)
    assert not User.objects.filter(username="nytt_analytiker").exists()


def test_a_granted_role_is_a_working_login(halmstad: Any, django_user_model: Any) -> None:
    from trygg.accounts.actions import do_grant_role

    user = django_user_model.objects.create_user("lasare_halmstad", password=GOOD)
    assert not user.is_staff
    do_grant_role(user, halmstad, "viewer", party="polisen")
    client = Client()
    assert login(client, "lasare_halmstad", GOOD).status_code == 302
    assert client.get("/personal/").status_code == 200


def test_an_existing_user_keeps_their_password(halmstad: Any, laholm: Any) -> None:
    from trygg.accounts.actions import do_add_staff
    from trygg.errors import InputError

    staff(laholm, "polis_laholm", "analyst", "polisen")
    with pytest.raises(InputError, match="behåller sitt eget lösenord"):
        do_add_staff(halmstad, "polis_laholm", "viewer", "polisen", password="Ett-annat-lösenord-99")
    do_add_staff(halmstad, "polis_laholm", "viewer", "polisen")
    assert login(Client(), "polis_laholm", GOOD).status_code == 302


# Second factor


def test_an_admin_needs_the_code_after_the_password(halmstad: Any, second_factor_on: None) -> None:
    from trygg.accounts.models import AuditEvent

    admin = staff(halmstad, "admin_halmstad", "admin")
    client = Client()
    response = login(client, admin.username, GOOD)
    assert response.status_code == 302 and response["Location"].startswith("/personal/tvastegs/")
    # Password alone: no staff page, no admin.
    assert client.get("/personal/").status_code == 302
    assert client.get("/personal/logg/halmstad/").status_code == 403
    assert client.get("/personal/kodning/halmstad-2026/").status_code in (403, 404)
    enrol = client.get(response["Location"])
    page = enrol.content.decode()
    assert enrol.status_code == 200 and 'src="data:image/svg+xml' in page and "QR-kod" in page
    wrong = client.post("/personal/tvastegs/", {"code": "000000" if current_code(admin) != "000000" else "111111",
                                                "next": "/personal/"})
    assert "Koden stämmer inte" in wrong.content.decode()
    time.sleep(1.1)  # django-otp checks no code for a second after a wrong one
    done = client.post("/personal/tvastegs/", {"code": current_code(admin), "next": "/personal/logg/halmstad/"})
    assert done.status_code == 302 and done["Location"] == "/personal/logg/halmstad/"
    assert client.get("/personal/logg/halmstad/").status_code == 200
    assert AuditEvent.objects.filter(action="second_factor_enrolled", actor=admin).count() == 1
    # The next login asks for the code of the enrolled app, with no QR code to take over.
    second = Client()
    again = login(second, admin.username, GOOD)
    assert "QR-kod" not in second.get(again["Location"]).content.decode()
    assert second.get("/personal/").status_code == 302


def test_wrong_codes_lock_the_admin_out(halmstad: Any, second_factor_on: None, settings: Any) -> None:
    admin = staff(halmstad, "admin_halmstad", "admin")
    client = Client()
    login(client, admin.username, GOOD)
    client.get("/personal/tvastegs/")
    wrong = "000000" if current_code(admin) != "000000" else "111111"
    statuses = [client.post("/personal/tvastegs/", {"code": wrong}).status_code
                for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert statuses[-1] == 429
    assert "_auth_user_id" not in client.session
    assert login(Client(), admin.username, GOOD).status_code == 429


def test_viewers_and_analysts_log_in_with_a_password(halmstad: Any, second_factor_on: None) -> None:
    for name, role in (("lasare", "viewer"), ("analytiker", "analyst")):
        staff(halmstad, name, role)
        client = Client()
        assert login(client, name, GOOD)["Location"] == "/personal/"
        assert client.get("/personal/").status_code == 200


def test_a_superuser_needs_the_code(halmstad: Any, second_factor_on: None, django_user_model: Any) -> None:
    django_user_model.objects.create_superuser("drift", password=GOOD)
    client = Client()
    assert login(client, "drift", GOOD)["Location"].startswith("/personal/tvastegs/")
    assert client.get("/personal/").status_code == 302


def test_the_demo_login_works_with_its_password_alone_and_says_why(run_cli: Any, second_factor_on: None) -> None:
    from trygg.demo.load import PASSWORD, USERNAME

    assert run_cli("demo", "--no-serve")[0] == 0
    page = Client().get(LOGIN).content.decode()
    assert "demo / trygg-demo räcker med lösenordet" in page
    client = Client()
    assert login(client, USERNAME, PASSWORD)["Location"] == "/personal/"
    assert client.get("/personal/").status_code == 200


def test_the_demo_login_needs_the_code_once_real_organisations_exist(run_cli: Any, second_factor_on: None) -> None:
    from trygg.areas.actions import do_create_organisation
    from trygg.demo.load import PASSWORD, USERNAME

    assert run_cli("demo", "--no-serve")[0] == 0
    do_create_organisation("laholm", "Laholms kommun")
    assert "räcker med lösenordet" not in Client().get(LOGIN).content.decode()
    assert login(Client(), USERNAME, PASSWORD)["Location"].startswith("/personal/tvastegs/")


# trygg demo and the key


def test_demo_refuses_a_database_with_other_organisations(halmstad: Any, run_cli: Any) -> None:
    from django.contrib.auth.models import User

    status, _out, err = run_cli("demo", "--no-serve")
    assert status == 1
    assert "organisations other than the demo's (halmstad)" in err
    assert not User.objects.filter(username="demo").exists()


def test_the_demo_keeps_its_key_beside_its_sqlite_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from trygg.accounts.localkey import use_local_key

    database = tmp_path / "laptop.sqlite3"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{database}")
    monkeypatch.delenv("SECRET_KEY")
    monkeypatch.delenv("TRYGG_HTTPS")
    assert use_local_key(create=False) is None and "SECRET_KEY" not in os.environ
    path = use_local_key(create=True)
    assert path == Path(f"{database}.key")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    key = os.environ["SECRET_KEY"]
    assert len(key) >= 50 and os.environ["TRYGG_HTTPS"] == "0"
    monkeypatch.delenv("SECRET_KEY")
    assert use_local_key(create=False) == path and os.environ["SECRET_KEY"] == key
    monkeypatch.setenv("DATABASE_URL", "postgres://trygg@db.example/trygg")
    monkeypatch.delenv("SECRET_KEY")
    assert use_local_key(create=True) is None and "SECRET_KEY" not in os.environ


def _settings_in_subprocess(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "TRYGG_HTTPS", "TRYGG_DEBUG")}
    code = ("import django; django.setup(); from django.conf import settings as s; "
            "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS)")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path,
                          env={**clean, "DJANGO_SETTINGS_MODULE": "trygg.settings", **env}, timeout=120)


@pytest.mark.parametrize("url", ["sqlite:///prod.sqlite3", "pgsql://trygg@db.example/trygg",
                                 "postgres://trygg@db.example/trygg"])
def test_production_settings_refuse_to_start_without_a_key(tmp_path: Path, url: str) -> None:
    done = _settings_in_subprocess(tmp_path, DATABASE_URL=url)
    assert done.returncode != 0
    assert "SECRET_KEY must be set unless TRYGG_DEBUG=1" in done.stderr


def test_production_settings_turn_on_https_rules(tmp_path: Path) -> None:
    done = _settings_in_subprocess(tmp_path, DATABASE_URL="sqlite:///prod.sqlite3", SECRET_KEY="k" * 50)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "True", "True", str(365 * 24 * 3600)]
    debugging = _settings_in_subprocess(tmp_path, DATABASE_URL="sqlite:///dev.sqlite3", TRYGG_DEBUG="1")
    assert debugging.returncode == 0, debugging.stderr
    assert debugging.stdout.split() == ["False", "False", "False", "0"]


def test_https_headers_and_secure_cookies(halmstad: Any, settings: Any) -> None:
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    staff(halmstad, "analys_halmstad", "analyst")
    plain = Client().get("/halmstad/")
    assert plain.status_code == 301 and plain["Location"] == "https://testserver/halmstad/"
    # The load balancer's plain-http probe is answered, not redirected.
    assert not Client().get("/halsa/").has_header("Location")
    client = Client()
    page = client.get(LOGIN, secure=True)
    assert page["Strict-Transport-Security"] == "max-age=31536000"
    assert client.cookies["csrftoken"]["secure"]
    client.post(LOGIN, {"username": "analys_halmstad", "password": GOOD,
                        "csrfmiddlewaretoken": client.cookies["csrftoken"].value}, secure=True)
    assert client.cookies["sessionid"]["secure"] and client.cookies["sessionid"]["httponly"]


# Staff added by an organisation admin, through the writer


def test_an_admin_adds_staff_of_their_own_party(halmstad: Any) -> None:
    from trygg.accounts.models import AuditEvent, Membership

    admin = staff(halmstad, "admin_kommun", "admin", "kommunen")
    client = Client()
    client.force_login(admin)
    assert 'href="/personal/anstallda/halmstad/"' in client.get("/personal/").content.decode()
    page = client.get("/personal/anstallda/halmstad/")
    assert page.status_code == 200 and "admin_kommun" in page.content.decode()
    weak = client.post("/personal/anstallda/halmstad/", {"username": "ny_analytiker", "role": "analyst",
                                                         "party": "polisen", "password": "x"})
    assert "för kort" in weak.content.decode()
    added = client.post("/personal/anstallda/halmstad/", {"username": "ny_analytiker", "role": "analyst",
                                                          "party": "polisen", "password": GOOD})
    assert added.status_code == 302
    member = Membership.objects.get(user__username="ny_analytiker")
    # An admin of the municipality adds the municipality's staff, whatever the form says.
    assert (member.role, member.party) == ("analyst", "kommunen")
    event = AuditEvent.objects.filter(action="role_granted", detail__user="ny_analytiker").get()
    assert event.actor == admin and event.organisation == halmstad
    assert login(Client(), "ny_analytiker", GOOD).status_code == 302
    removed = client.post("/personal/anstallda/halmstad/", {"remove": member.pk})
    assert removed.status_code == 302 and not Membership.objects.filter(pk=member.pk).exists()


def test_only_admins_of_the_organisation_manage_its_staff(halmstad: Any, laholm: Any) -> None:
    for user in (staff(halmstad, "analytiker", "analyst"), staff(laholm, "admin_laholm", "admin")):
        client = Client()
        client.force_login(user)
        assert client.get("/personal/anstallda/halmstad/").status_code == 403
        assert client.post("/personal/anstallda/halmstad/", {"username": "inkräktare", "role": "admin",
                                                             "password": GOOD}).status_code == 403


# The audit log


def test_the_audit_log_page_and_csv_show_labels_and_cannot_be_changed(halmstad: Any) -> None:
    from trygg.accounts.actions import audit

    admin = staff(halmstad, "admin_halmstad", "admin", "polisen")
    audit("survey_closed", organisation=halmstad, survey="halmstad-2026")
    client = Client()
    client.force_login(admin)
    page = client.get("/personal/logg/halmstad/").content.decode()
    assert "Roll given" in page and "Administratör" in page and "Polisen" in page
    assert "Enkäten stängd" in page and "kommandoraden" in page
    assert client.post("/personal/logg/halmstad/").status_code == 405
    download = client.get("/personal/logg/halmstad/logg.csv")
    assert download["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert [r["action"] for r in rows][-1] == "survey_closed"
    assert rows[-1]["label"] == "Enkäten stängd" and rows[-1]["actor"] == ""
    assert '"os_user"' in rows[-1]["detail"]


def test_the_command_line_records_the_operating_system_user(run_cli: Any, halmstad: Any) -> None:
    import getpass

    from trygg.accounts.models import AuditEvent

    assert run_cli("survey", "create", "halmstad", "2027")[0] == 0
    event = AuditEvent.objects.get(action="survey_created")
    assert event.actor is None and event.detail["os_user"] == getpass.getuser()


def test_audit_events_and_roles_have_english_names() -> None:
    from django.utils import translation

    from trygg.accounts.labels import event_label
    from trygg.accounts.models import AuditEvent, Membership

    with translation.override("en"):
        assert event_label("role_granted") == "Role given"
        assert str(Membership.Role.VIEWER.label) == "Viewer"
        assert str(AuditEvent._meta.verbose_name_plural) == "audit log"
    assert event_label("role_granted") == "Roll given"


def test_a_written_audit_event_cannot_be_changed_or_deleted(halmstad: Any) -> None:
    from trygg.accounts.actions import audit

    event = audit("survey_closed", organisation=halmstad, survey="halmstad-2026")
    event.action = "survey_opened"
    with pytest.raises(ValueError, match="never changed"):
        event.save()
    with pytest.raises(ValueError, match="never deleted"):
        event.delete()
    event.refresh_from_db()
    assert event.action == "survey_closed"


def test_the_command_line_says_in_one_sentence_that_a_key_is_missing(tmp_path: Path) -> None:
    clean = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "TRYGG_HTTPS", "DJANGO_SETTINGS_MODULE")}
    done = subprocess.run([sys.executable, "-m", "trygg", "results", "halmstad-2022"], capture_output=True, text=True,
                          cwd=tmp_path, env={**clean, "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}"},
                          timeout=120)
    assert done.returncode == 2
    assert done.stderr.startswith("trygg: SECRET_KEY must be set") and "Traceback" not in done.stderr
