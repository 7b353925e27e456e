"""The resident's form in steps, server side: draft kept, summary, defences, languages, pins, proof of work, bursts."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from trygg.accounts.models import AuditEvent
from trygg.surveys import languages
from trygg.surveys.antiabuse import POW_MAX_NUMBER, new_challenge, solved_challenge
from trygg.surveys.bank import BANK_DIR, BankError, load_bank, parse_bank
from trygg.surveys.models import BurstFlag, Response

URL = "/halmstad/enkat/2026/"
STEPS = 6  # five themes of standard-v1, then the summary


def field(page: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert match, f"no field {name}"
    return match.group(1)


class Walk:
    """A resident walking through the steps with a test client, posting what each page carries."""

    def __init__(self, client: Client, **headers: str) -> None:
        self.client = client
        self.headers = headers
        self.response = client.get(URL, **headers)
        assert self.response.status_code == 200

    @property
    def page(self) -> str:
        return self.response.content.decode()

    def shown(self) -> dict[str, Any]:
        """What a browser would send back of the page as shown: checked boxes, texts and the pins field."""
        values: dict[str, Any] = {}
        for name, value in re.findall(r'type="(?:radio|checkbox)" id="[^"]+" name="([^"]+)" value="([^"]*)" checked',
                                      self.page):
            values.setdefault(name, []).append(value)
        for name, text in re.findall(r'<textarea id="[^"]+" name="([^"]+)"[^>]*>(.*?)</textarea>', self.page, re.S):
            values[name] = text
        for name, value in re.findall(r'<input type="hidden" id="f-[^"]+" name="([^"]+)" value="([^"]*)"', self.page):
            values[name] = value
        return values

    def post(self, action: str = "fram", **answers: Any) -> Any:
        data = {**self.shown(), "token": field(self.page, "token"), "utkast": field(self.page, "utkast"),
                "steg": field(self.page, "steg"), "ga": action, **answers}
        self.response = self.client.post(URL, data, **self.headers)
        return self.response

    def to_summary(self, **answers: Any) -> None:
        for _ in range(STEPS - 1):
            self.post(**answers)
            assert self.response.status_code == 200, self.page


def test_first_step_shows_progress_one_theme_and_a_clean_title(client: Client, open_survey) -> None:
    page = client.get(URL).content.decode()
    assert "Steg 1 av 6" in page
    assert 'name="gender"' in page and 'name="safe_area"' not in page
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert "<" not in title and "Om dig" in title
    # The map's assets are not on the first step.
    assert "leaflet" not in page and "map.js" not in page


def test_answers_are_kept_back_and_forth_and_sent_from_the_summary(client: Client, open_survey) -> None:
    walk = Walk(client)
    walk.post(area="vallas", gender="kvinna")
    assert "Steg 2 av 6" in walk.page and "map.js" in walk.page
    walk.post(safe_area="ganska_trygg", unsafe_time=["dag", "20-23"], unsafe_places_text="Stora torg sent")
    assert "Steg 3 av 6" in walk.page
    walk.post("tillbaka")
    walk.post("tillbaka")
    assert "Steg 1 av 6" in walk.page
    assert re.search(r'value="kvinna" checked', walk.page)
    walk.post(area="vallas", gender="kvinna")
    assert re.search(r'value="ganska_trygg" checked', walk.page) and "Stora torg sent</textarea>" in walk.page
    walk.to_summary()
    assert "Steg 6 av 6" in walk.page and "Kontrollera dina svar" in walk.page
    for shown in ("Vallås", "Kvinna", "Ganska trygg", "Dagtid, Kl. 20–23", "Stora torg sent"):
        assert shown in walk.page, shown
    assert not Response.objects.exists()  # nothing is stored before the resident sends
    walk.post("skicka")
    assert walk.response.status_code == 200 and "Tack för ditt svar" in walk.page
    assert Response.objects.get().answers == {"area": "vallas", "gender": "kvinna", "safe_area": "ganska_trygg",
                                              "unsafe_time": ["dag", "20-23"],
                                              "unsafe_places_text": "Stora torg sent"}


def test_the_summary_links_back_to_a_step_to_change_it(client: Client, open_survey) -> None:
    walk = Walk(client)
    walk.post(gender="man")
    walk.to_summary()
    walk.post("steg-0")
    assert "Steg 1 av 6" in walk.page
    walk.post(gender="kvinna")
    walk.to_summary()
    walk.post("skicka")
    assert Response.objects.get().answers == {"gender": "kvinna"}


def test_double_send_stores_one_answer(client: Client, open_survey) -> None:
    walk = Walk(client)
    walk.post(gender="man")
    walk.to_summary()
    summary = walk.response
    for _ in range(3):
        walk.response = summary
        assert walk.post("skicka").status_code == 200
    assert Response.objects.count() == 1


def test_garbage_on_a_step_stays_on_the_step_with_errors(client: Client, open_survey) -> None:
    walk = Walk(client)
    response = walk.post(gender="<script>alert(1)</script>", area="\x00\x01")
    assert response.status_code == 400
    assert "Steg 1 av 6" in walk.page and "Svaret är inte skickat än" in walk.page
    assert "<script>alert(1)</script>" not in walk.page
    assert walk.page.count('href="#q-') == 2
    too_long = walk.post(gender="man", unsafe_places_text="å" * 5000)
    assert too_long.status_code == 200  # a field of another step is not this step's business
    assert "Steg 2 av 6" in walk.page
    assert walk.post(unsafe_places_text="å" * 5000).status_code == 400
    assert "högst 2 000 tecken" in walk.page
    assert client.post(URL, {"token": field(walk.page, "token"), "utkast": field(walk.page, "utkast"), "steg": "1",
                             "unsafe_places_text": "x" * 2_000_000}).status_code == 400
    assert not Response.objects.exists()


def test_forged_foreign_or_oversized_drafts_and_tokens_store_nothing(client: Client, open_survey) -> None:
    from django.core import signing

    from trygg.surveys.views import DRAFT_SALT

    walk = Walk(client)
    walk.post(gender="man")
    walk.to_summary()
    token, draft = field(walk.page, "token"), field(walk.page, "utkast")
    send = {"token": token, "steg": "5", "ga": "skicka"}
    forged = draft[:-3] + ("abc" if not draft.endswith("abc") else "xyz")
    foreign = signing.dumps({"s": open_survey.pk + 1, "c": {"gender": "man"}}, salt=DRAFT_SALT)
    huge = signing.dumps({"s": open_survey.pk, "c": {"x": "y" * 100_000}}, salt=DRAFT_SALT)
    for bad in (forged, foreign, huge, "", "\x00"):
        response = client.post(URL, {**send, "utkast": bad})
        assert response.status_code == 400
        assert "Formuläret hann gå ut" in response.content.decode()
    for bad_token in ("forged", ""):
        assert client.post(URL, {**send, "utkast": draft, "token": bad_token}).status_code == 400
    assert not Response.objects.exists()
    assert client.post(URL, {**send, "utkast": draft}).status_code == 200
    assert Response.objects.count() == 1


def test_a_draft_cannot_smuggle_a_bad_answer_past_the_checks(client: Client, open_survey) -> None:
    from django.core import signing

    from trygg.surveys.views import DRAFT_SALT

    token = field(client.get(URL).content.decode(), "token")
    draft = signing.dumps({"s": open_survey.pk, "c": {"gender": "robot", "safe_area": "mycket_trygg"}},
                          salt=DRAFT_SALT, compress=True)
    response = client.post(URL, {"token": token, "utkast": draft, "steg": "5", "ga": "skicka"})
    assert response.status_code == 400 and "Steg 1 av 6" in response.content.decode()
    assert not Response.objects.exists()


def test_honeypot_on_the_summary_stores_nothing(client: Client, open_survey) -> None:
    walk = Walk(client)
    walk.post(gender="man")
    walk.to_summary()
    assert walk.post("skicka", webbplats="http://spam.example").status_code == 200
    assert not Response.objects.exists()


def test_an_empty_answer_is_refused_from_the_summary(client: Client, open_survey) -> None:
    walk = Walk(client)
    walk.to_summary()
    assert walk.post("skicka").status_code == 400
    assert "Du har inte svarat på någon fråga" in walk.page
    assert not Response.objects.exists()


def test_the_daily_limit_holds_for_the_steps(client: Client, open_survey, settings) -> None:
    settings.TRYGG_ANSWERS_PER_CONNECTION_PER_DAY = 1
    statuses = []
    for _ in range(2):
        walk = Walk(client, REMOTE_ADDR="203.0.113.9")
        walk.post(gender="man")
        walk.to_summary()
        statuses.append(walk.post("skicka").status_code)
    assert statuses == [200, 429]
    assert Response.objects.count() == 1
    # The refused answer was rolled back with its counts: the day's count is the limit, not one past it, and no
    # burst window counted it.
    from trygg.surveys.models import Counter

    counts = dict(Counter.objects.values_list("key", "n"))
    assert [n for key, n in counts.items() if key.startswith("trygg:answers:")] == [1]
    assert sorted(n for key, n in counts.items() if key.startswith("trygg:burst:") and n) == [1, 1]


def test_print_view_has_every_question_on_one_page(client: Client, open_survey) -> None:
    page = client.get(URL + "?utskrift=1").content.decode()
    for qid in ("gender", "safe_area", "worry_ran", "problem_klotter", "police_cares"):
        assert f'name="{qid}"' in page
    assert "Steg " not in page


def test_named_places_and_areas_give_pins_without_the_map(client: Client, open_survey) -> None:
    walk = Walk(client)
    walk.post(gender="man")
    assert 'value="p:stora-torg"' in walk.page and 'value="a:vallas"' in walk.page
    walk.post(**{"unsafe_places_pins-plats": ["p:stora-torg", "a:vallas"]})
    walk.to_summary()
    assert "2 platser markerade" in walk.page
    assert not re.search(r"56\.\d{3}", re.sub(r'value="[^"]*"', "", walk.page))  # no coordinates shown
    walk.post("skicka")
    (lat, lon), _vallas = Response.objects.get().answers["unsafe_places_pins"]
    assert abs(lat - 56.67445) < 0.0001 and abs(lon - 12.85760) < 0.0001


def test_pins_outside_the_municipality_are_refused(client: Client, open_survey) -> None:
    walk = Walk(client)
    walk.post(gender="man")
    response = walk.post(unsafe_places_pins="59.3293 18.0686")  # Stockholm
    assert response.status_code == 400
    assert "utanför kommunen" in walk.page
    token = field(client.get(URL).content.decode(), "token")
    whole = client.post(URL, {"token": token, "unsafe_places_pins": "56.6745 12.8578; 59.3293 18.0686"})
    assert whole.status_code == 400 and "utanför kommunen" in whole.content.decode()
    walk.post(unsafe_places_pins="56.6745 12.8578", **{"unsafe_places_pins-plats": ["p:nowhere"]})
    assert walk.response.status_code == 400
    assert not Response.objects.exists()


def test_arabic_is_right_to_left_with_the_banks_texts_and_marked_unchecked(client: Client, open_survey) -> None:
    page = client.get(URL, HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert "الخطوة 1 من 6" in page and "الجنس" in page and "امرأة" in page
    assert "لم يراجع هذه الترجمة" in page
    english = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in english and "Step 1 of 6" in english and "Woman" in english
    assert "native speaker" not in english
    swedish = client.get(URL).content.decode()
    for name in ("English", "العربية"):
        assert f">{name}</button>" in swedish


def test_errors_come_from_the_catalogue_in_each_language(client: Client, open_survey) -> None:
    for lang, text in (("sv", "Välj ett av svaren."), ("en", "Choose one of the answers."),
                       ("ar", "اختر إحدى الإجابات.")):
        walk = Walk(client, HTTP_ACCEPT_LANGUAGE=lang)
        walk.post(gender="robot")
        assert text in walk.page, lang


def test_a_language_is_added_by_its_catalogue_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "so" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "django.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: so\\n"\n'
        '"X-Language-Name: Soomaali\\n"\n"X-Checked-By-Native-Speaker: no\\n"\n\nmsgid "Fortsätt"\nmsgstr "Sii wad"\n',
        encoding="utf-8")
    assert languages.catalogue_languages() == [("ar", "العربية"), ("en", "English")]
    monkeypatch.setattr(languages, "LOCALE_DIR", tmp_path)
    assert languages.catalogue_languages() == []  # not compiled yet
    subprocess.run(["msgfmt", "-o", str(folder / "django.mo"), str(folder / "django.po")], check=True)
    assert languages.catalogue_languages() == [("so", "Soomaali")]
    languages.unchecked_interface_languages.cache_clear()
    try:
        assert languages.unchecked_interface_languages() == {"so"}
    finally:
        languages.unchecked_interface_languages.cache_clear()
    # A bank without Somali texts shows its Swedish ones.
    assert load_bank("standard-v1").text_language("so") == "sv"


def test_the_bank_carries_arabic_marked_unchecked_and_refuses_incomplete_languages() -> None:
    bank = load_bank("standard-v1")
    assert bank.languages == ("sv", "en", "ar") and bank.unchecked == {"ar"}
    assert all(q.text["ar"] for q in bank.questions) and all(o.text["ar"] for q in bank.questions for o in q.options)
    raw = json.loads((BANK_DIR / "standard-v1.json").read_text(encoding="utf-8"))
    del raw["questions"][3]["options"][1]["ar"]
    with pytest.raises(BankError, match="option ganska_trygg of safe_area has no ar text"):
        parse_bank(raw)
    raw = json.loads((BANK_DIR / "standard-v1.json").read_text(encoding="utf-8"))
    raw["languages"] = {"ar": {}}
    with pytest.raises(BankError, match="checked"):
        parse_bank(raw)
    raw["languages"] = {"sv": {"checked": True}}
    with pytest.raises(BankError, match="not an extra language"):
        parse_bank(raw)


def solve(challenge: dict[str, Any]) -> str:
    for number in range(POW_MAX_NUMBER + 1):
        if hashlib.sha256(f"{challenge['salt']}{number}".encode()).hexdigest() == challenge["challenge"]:
            payload = {k: challenge[k] for k in ("algorithm", "challenge", "salt", "signature")} | {"number": number}
            return base64.b64encode(json.dumps(payload).encode()).decode()
    raise AssertionError("unsolvable challenge")


def test_proof_of_work_is_bound_to_its_form_and_checked(settings) -> None:
    settings.SECRET_KEY = "pow-test"
    challenge = new_challenge("token-a")
    payload = solve(challenge)
    assert solved_challenge(payload, "token-a")
    assert not solved_challenge(payload, "token-b")  # not replayable on another form
    data = json.loads(base64.b64decode(payload))
    for change in ({"number": data["number"] + 1}, {"signature": "0" * 64}, {"algorithm": "SHA-1"},
                   {"salt": data["salt"].replace("?expires=", "?expires=1")}, {"number": -1}):
        assert not solved_challenge(base64.b64encode(json.dumps(data | change).encode()).decode(), "token-a")
    for garbage in ("", "%%%", base64.b64encode(b"[]").decode(), base64.b64encode(b'{"salt": 1}').decode()):
        assert not solved_challenge(garbage, "token-a")


def test_bursts_are_flagged_kept_and_decided_by_staff(client: Client, open_survey, analyst_halmstad,
                                                       django_user_model, settings) -> None:
    from trygg.accounts.actions import do_grant_role

    settings.TRYGG_BURST_ANSWERS = 3
    # With a solved proof of work the limit is 3 answers a window; identical content is a burst too.
    for n in range(5):
        walk = Walk(client, REMOTE_ADDR="198.51.100.7")
        walk.post(gender="man", area="vallas" if n % 2 else "annat")
        walk.to_summary()
        walk.post("skicka", pow=solve(dict(re.findall(r'data-(challenge|salt|signature|algorithm)="([^"]*)"',
                                                       walk.page))))
    assert Response.objects.count() == 5  # kept
    flags = list(BurstFlag.objects.order_by("response_id"))
    assert len(flags) == 2 and all(f.proven and f.reason == "anslutning" for f in flags)
    assert len({f.group for f in flags}) == 1
    # Without JavaScript (no proof of work) a third of the limit: the second identical answer is flagged.
    for address in ("192.0.2.1", "192.0.2.2"):
        token = field(client.get(URL + "?utskrift=1").content.decode(), "token")
        client.post(URL, {"token": token, "gender": "kvinna", "safe_area": "vet_ej"}, REMOTE_ADDR=address)
    content = BurstFlag.objects.get(reason="innehall")
    assert not content.proven and content.response.answers == {"gender": "kvinna", "safe_area": "vet_ej"}
    assert AuditEvent.objects.filter(action="burst_flagged").count() == 3

    viewer = django_user_model.objects.create_user("viewer_h", password="läs-lösenord-1")
    do_grant_role(viewer, open_survey.organisation, "viewer")
    client.force_login(viewer)
    staff_url = "/personal/skurar/halmstad-2026/"
    page = client.get(staff_url).content.decode()
    assert "Många svar från samma anslutning på kort tid" in page and "Behåll svaren" not in page
    assert client.post(staff_url, {"grupp": flags[0].group, "beslut": "ta_bort"}).status_code == 403
    client.force_login(analyst_halmstad)
    assert client.post(staff_url, {"grupp": flags[0].group, "beslut": "ta_bort"}).status_code == 302
    assert client.post(staff_url, {"grupp": flags[0].group, "beslut": "ta_bort"}).status_code == 302  # no-op
    assert Response.objects.count() == 5
    assert AuditEvent.objects.filter(action="burst_removed", actor=analyst_halmstad).count() == 2
    assert client.post(staff_url, {"grupp": content.group, "beslut": "behall"}).status_code == 302
    content.refresh_from_db()
    assert content.decision == "behall" and content.decided_by == analyst_halmstad
    assert AuditEvent.objects.filter(action="burst_kept").count() == 1
    client.logout()
    assert client.get(staff_url).status_code == 302


def test_the_map_gets_tiles_only_when_a_tile_server_is_configured(client: Client, open_survey, settings) -> None:
    def map_data() -> dict[str, Any]:
        walk = Walk(client)
        walk.post(gender="man")
        data = re.search(r'<script id="map-data" type="application/json">(.*?)</script>', walk.page, re.S)
        assert data
        return json.loads(data.group(1))

    plain = map_data()
    assert plain["tiles"] == "" and {a["name"] for a in plain["areas"]} >= {"Vallås", "Andersberg"}
    assert "Stora torg" in {p["name"] for p in plain["places"]} and len(plain["municipality"]) > 3
    settings.TRYGG_TILE_URL = "https://tiles.example.se/{z}/{x}/{y}.png"
    settings.TRYGG_TILE_ATTRIBUTION = "© OpenStreetMap contributors"
    tiled = map_data()
    assert tiled["tiles"] == settings.TRYGG_TILE_URL and tiled["attribution"] == "© OpenStreetMap contributors"


def test_a_burst_across_the_windows_boundary_is_still_a_burst(open_survey, settings,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from django.test import RequestFactory

    from trygg.surveys import antiabuse

    settings.TRYGG_BURST_ANSWERS = 3
    request = RequestFactory().post(URL, REMOTE_ADDR="198.51.100.20")
    results = []
    for window in (500, 500, 501, 501):
        monkeypatch.setattr(antiabuse, "_window", lambda w=window: w)
        results.append(antiabuse.count_answer_sent(request, open_survey, {"gender": "man"}, proven=True).burst)
    assert results[:3] == [None, None, None]
    assert results[3] is not None and results[3][0] == "anslutning"
    monkeypatch.setattr(antiabuse, "_window", lambda: 503)  # two windows later the count starts again
    assert antiabuse.count_answer_sent(request, open_survey, {"gender": "man"}, proven=True).burst is None
