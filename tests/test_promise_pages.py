"""The public promise (404 until published, frozen after, amendments in its history), its Atom feed and JSON, and
the staff pages' rules (roles, parties, double submits, renewal)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db
HEADER = ["party", "commitment", "activity", "places", "quantity", "unit", "indicator", "domain", "baseline_survey",
          "target"]
ROWS = [
    ["polisen", "Synlig polis i stadskärnan", "Synlig uniformerad polis", "Stadskärnan", "900", "timmar", "", "", "",
     ""],
    ["kommunen", "Tryggare torg", "Ny belysning", "Lilla torg|Stora torg", "", "", "safe_in_area",
     "area=andersberg|vallas", "halmstad-2022", "0.6"],
]


@pytest.fixture
def draft(halmstad, run_cli, write_csv) -> Any:
    from trygg.promises.actions import find_promise

    run_cli("survey", "create", "halmstad", "2022")
    run_cli("survey", "open", "halmstad-2022")
    answers = [[["andersberg", "vallas"][i % 2], ["ganska_trygg", "mycket_otrygg"][i % 3 == 0]] for i in range(80)]
    run_cli("responses", "import", "halmstad-2022", str(write_csv("a.csv", ["area", "safe_area"], answers)))
    run_cli("survey", "close", "halmstad-2022")
    assert run_cli("promise", "import", "halmstad", "2023", str(write_csv("p.csv", HEADER, ROWS)))[0] == 0
    return find_promise("halmstad-2023")


@pytest.fixture
def parties(halmstad, django_user_model) -> dict[str, Any]:
    from trygg.accounts.actions import do_grant_role

    users = {}
    for name, role, party in (("kommun_halmstad", "admin", "kommunen"), ("polis_halmstad", "admin", "polisen"),
                              ("analyst_halmstad", "analyst", "kommunen"), ("viewer_halmstad", "viewer", "")):
        users[name] = django_user_model.objects.create_user(name)
        do_grant_role(users[name], halmstad, role, party=party)
    return users


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _publish(draft: Any, parties: dict[str, Any]) -> Any:
    from trygg.promises.actions import do_approve, do_publish

    do_approve(draft, parties["kommun_halmstad"])
    do_approve(draft, parties["polis_halmstad"])
    return do_publish(draft)


def test_public_page_feed_and_json_are_404_until_published(client: Client, draft, parties, run_cli) -> None:
    for url in ("/halmstad/lofte/2023/", "/halmstad/lofte/2023/atom.xml", "/halmstad/lofte/2023/lofte.json",
                "/halmstad/lofte/1999/", "/nowhere/lofte/2023/"):
        assert client.get(url).status_code == 404, url
    assert "lofte/2023" not in client.get("/halmstad/").content.decode()
    _publish(draft, parties)
    page = client.get("/halmstad/lofte/2023/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Polisen lovar" in html and "Kommunen lovar" in html
    assert html.count("Ingen uppföljning än.") == 2  # both activities, and never a 0 % bar
    assert "progress-fill" not in html
    assert 'href="/halmstad/lofte/2023/"' in client.get("/halmstad/").content.decode()
    # The page is cached until the next change: progress shows at once.
    run_cli("promise", "progress", "halmstad-2023", "1", "--delivered", "90")
    assert "progress-fill w10" in client.get("/halmstad/lofte/2023/").content.decode()
    assert json.loads(client.get("/halmstad/lofte/2023/lofte.json").content)["commitments"][0]["activities"][0][
        "delivered"] == 90


def test_progress_shows_as_bar_and_lovat_gjort_and_in_the_feed(client: Client, draft, parties, run_cli) -> None:
    from trygg.promises.queries import promise_data

    _publish(draft, parties)
    assert run_cli("promise", "progress", "halmstad-2023", "1", "--delivered", "360", "--note", "Första halvåret",
                   "--date", "2023-06-30")[0] == 0
    assert run_cli("promise", "progress", "halmstad-2023", "2", "--percent", "100", "--status", "done",
                   "--link", "https://example.org/belysning")[0] == 0
    html = client.get("/halmstad/lofte/2023/").content.decode()
    assert "progress-fill w40" in html and "progress-fill w100" in html
    assert "Lovat: Synlig uniformerad polis (900 timmar). Gjort: 360 timmar (40\u00a0%)." in html
    assert re.search(r"<th scope=\"row\">Synlig uniformerad polis \(900 timmar\)</th>"
                     r"<td data-label=\"Gjort\">360 timmar</td>", html)
    assert "Aktivitet 2: Planerad → Genomförd" in html
    assert 'style="' not in html
    feed = client.get("/halmstad/lofte/2023/atom.xml")
    assert feed["Content-Type"].startswith("application/atom+xml")
    text = feed.content.decode()
    assert "Aktivitet 1: Synlig uniformerad polis" in text and "Första halvåret" in text
    assert text.count("<entry>") == 2
    data = json.loads(client.get("/halmstad/lofte/2023/lofte.json").content)
    draft.refresh_from_db()
    assert data == json.loads(json.dumps(promise_data(draft)))
    assert data["commitments"][0]["activities"][0]["percent"] == 40
    english = client.get("/halmstad/lofte/2023/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Promised: Synlig uniformerad polis (900 timmar). Done: 360 timmar (40%)." in english


def test_a_published_promise_is_frozen_and_amendments_show_with_their_reason(client: Client, draft,
                                                                            parties) -> None:
    from trygg.errors import InputError
    from trygg.promises.actions import do_edit_activity

    activity = draft.activities.get(number=1)
    do_edit_activity(activity, {"quantity": 800.0})  # a draft changes freely
    assert not draft.amendments.exists()
    _publish(draft, parties)
    activity.refresh_from_db()
    with pytest.raises(InputError, match="behöver ett skäl"):
        do_edit_activity(activity, {"quantity": 1000.0})
    do_edit_activity(activity, {"quantity": 1000.0}, parties["polis_halmstad"], reason="Fler poliser i tjänst")
    [amendment] = draft.amendments.all()
    assert amendment.changes == {"quantity": [800.0, 1000.0]} and amendment.activity_number == 1
    html = client.get("/halmstad/lofte/2023/").content.decode()
    assert "Aktivitet 1 ändrades: antal – skäl: Fler poliser i tjänst" in html


def test_draft_changes_withdraw_approvals_and_publishing_needs_both_parties(draft, parties) -> None:
    from trygg.errors import InputError
    from trygg.promises.actions import do_approve, do_edit_activity, do_publish

    with pytest.raises(InputError, match="kräver rollen administratör"):
        do_approve(draft, parties["analyst_halmstad"])
    do_approve(draft, parties["kommun_halmstad"])
    with pytest.raises(InputError, match="saknas från: polisen"):
        do_publish(draft)
    do_approve(draft, parties["polis_halmstad"])
    do_edit_activity(draft.activities.get(number=2), {"text": "Ny och bättre belysning"})
    assert not draft.approvals.exists()
    with pytest.raises(InputError, match="saknas från: kommunen, polisen"):
        do_publish(draft)


def test_staff_pages_roles_double_submit_and_renewal(draft, parties) -> None:
    from trygg.accounts.models import AuditEvent
    from trygg.promises.models import Promise

    viewer = _client(parties["viewer_halmstad"])
    assert viewer.get("/personal/lofte/halmstad/2023/").status_code == 200
    assert viewer.post("/personal/lofte/halmstad/2023/", {"action": "approve"}).status_code == 403
    assert Client().get("/personal/lofte/halmstad/2023/").status_code == 302  # to the login
    analyst = _client(parties["analyst_halmstad"])
    assert analyst.post("/personal/lofte/halmstad/2023/", {"action": "publish"}).status_code == 403
    for name in ("kommun_halmstad", "polis_halmstad"):
        assert _client(parties[name]).post("/personal/lofte/halmstad/2023/", {"action": "approve"}).status_code == 302
    assert AuditEvent.objects.filter(action="promise_approved").count() == 2
    kommun = _client(parties["kommun_halmstad"])
    assert kommun.post("/personal/lofte/halmstad/2023/", {"action": "publish"}).status_code == 302
    draft.refresh_from_db()
    assert draft.status == "published"
    form = {"action": "progress", "token": "t-1", "date": "2023-05-01", "delivered": "100", "note": "Vår",
            "status": ""}
    for _ in range(2):
        assert analyst.post("/personal/lofte/halmstad/2023/aktivitet/1/", form).status_code == 302
    assert draft.activities.get(number=1).progress.count() == 1
    edit = {"action": "edit", "token": "t-2", "text": "Synlig uniformerad polis", "places": ["stadskarnan"],
            "quantity": "950", "unit": "timmar", "reason": ""}
    response = analyst.post("/personal/lofte/halmstad/2023/aktivitet/1/", edit)
    assert response.status_code == 400 and "halmstad-2023 är publicerat: en ändring behöver ett skäl" in (
        response.content.decode())
    edit["reason"] = "Budgeten ändrades"
    assert analyst.post("/personal/lofte/halmstad/2023/aktivitet/1/", edit).status_code == 302
    assert draft.amendments.get().reason == "Budgeten ändrades"
    analyst.post("/personal/lofte/halmstad/2023/aktivitet/2/", {
        "action": "progress", "token": "t-3", "date": "2023-09-01", "status": "done", "note": "Klar"})
    response = analyst.post("/personal/lofte/halmstad/2023/", {"action": "renew"})
    assert response.status_code == 302 and response["Location"] == "/personal/lofte/halmstad/2024/"
    renewed = Promise.objects.get(year=2024)
    assert renewed.status == "draft"
    assert [a.text for a in renewed.activities.all()] == ["Synlig uniformerad polis"]  # the done one stays behind
    analyst.post("/personal/lofte/halmstad/2023/", {"action": "renew"})
    assert Promise.objects.filter(year=2024).count() == 1


def test_new_draft_from_the_situation_picture_is_prefilled(halmstad, parties, run_cli, write_csv) -> None:
    from trygg.promises.models import Promise

    run_cli("survey", "create", "halmstad", "2022")
    run_cli("survey", "open", "halmstad-2022")
    run_cli("survey", "close", "halmstad-2022")
    analyst = _client(parties["analyst_halmstad"])
    page = analyst.get("/personal/lofte/halmstad/nytt/?year=2023&areas=andersberg|vallas&places=stora-torg|okand")
    html = page.content.decode()
    assert page.status_code == 200
    assert re.search(r'value="stora-torg"[^>]*checked', html) and re.search(r'value="andersberg"[^>]*checked', html)
    assert 'value="2023"' in html
    token = re.search(r'name="token" value="(\w+)"', html)
    assert token is not None
    form = {"token": token.group(1), "year": "2023", "party": "gemensamt", "commitment": "Tryggare torg",
            "activity": "Trygghetsvandring", "places": ["stora-torg"], "indicator_areas": ["andersberg", "vallas"]}
    assert analyst.post("/personal/lofte/halmstad/nytt/", form).status_code == 302
    assert analyst.post("/personal/lofte/halmstad/nytt/", form).status_code == 302  # a double submit
    promise = Promise.objects.get()
    assert [a.places for a in promise.activities.all()] == [["stora-torg"]]
    [indicator] = promise.indicators.all()
    assert indicator.areas == ["andersberg", "vallas"] and indicator.baseline_survey.year == 2022


@pytest.mark.parametrize("answers", [[], [["", "ganska_trygg"]] * 40], ids=["no answers", "none to weight"])
def test_a_baseline_without_figures_is_null_and_the_page_still_answers(halmstad, parties, run_cli, write_csv,
                                                                      client: Client, answers) -> None:
    from trygg.promises.actions import find_promise
    from trygg.promises.queries import promise_data

    run_cli("survey", "create", "halmstad", "2022")
    run_cli("survey", "open", "halmstad-2022")
    if answers:
        run_cli("responses", "import", "halmstad-2022", str(write_csv("r.csv", ["area", "safe_area"], answers)))
    run_cli("survey", "close", "halmstad-2022")
    population = write_csv("pop.csv", ["variable", "category", "count"],
                           [["gender", "kvinna", "51000"], ["gender", "man", "49000"]])
    assert run_cli("population", "import", "halmstad", str(population))[0] == 0
    rows = [["polisen", "Synlighet", "Fotpatrull", "", "", "", "safe_in_area", "area=andersberg", "halmstad-2022",
             ""]]
    assert run_cli("promise", "import", "halmstad", "2023", str(write_csv("p.csv", HEADER, rows)))[0] == 0
    promise = find_promise("halmstad-2023")
    [ind] = promise_data(promise)["indicators"]
    assert ind["baseline"] == {"survey": "halmstad-2022", "share": None, "se": None, "ci_low": None,
                               "ci_high": None, "n": None}
    _publish(promise, parties)
    page = client.get("/halmstad/lofte/2023/")
    assert page.status_code == 200 and "för få svar" in page.content.decode()


def test_the_admin_shows_promises_read_only(draft, parties) -> None:
    viewer = _client(parties["viewer_halmstad"])
    listing = viewer.get("/personal/promises/promise/")
    assert listing.status_code == 200 and "Halmstads kommun och LPO Halmstad" in listing.content.decode()
    change = viewer.get(f"/personal/promises/promise/{draft.pk}/change/")
    assert change.status_code == 200 and 'type="submit"' not in change.content.decode().split("<form", 2)[-1]
    assert viewer.post(f"/personal/promises/promise/{draft.pk}/change/", {"year": "2030"}).status_code == 403
    draft.refresh_from_db()
    assert draft.year == 2023


def test_the_period_is_set_on_the_staff_page_and_amended_with_a_reason_once_published(client: Client, draft,
                                                                                       parties) -> None:
    analyst = _client(parties["analyst_halmstad"])
    form = {"action": "period", "token": "p-1", "period_start": "2023-01-01", "period_end": "2023-12-31"}
    assert analyst.post("/personal/lofte/halmstad/2023/", form).status_code == 302
    _publish(draft, parties)
    later = {**form, "token": "p-2", "period_end": "2024-06-30"}
    response = analyst.post("/personal/lofte/halmstad/2023/", later)
    assert response.status_code == 400 and "halmstad-2023 är publicerat: en ändring behöver ett skäl" in (
        response.content.decode())
    response = analyst.post("/personal/lofte/halmstad/2023/", {**later, "token": "p-3"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "halmstad-2023 is published: a change needs a reason" in (
        response.content.decode())
    assert analyst.post("/personal/lofte/halmstad/2023/", {**later, "reason": "Förlängt ett halvår"}).status_code == 302
    draft.refresh_from_db()
    assert str(draft.period_end) == "2024-06-30"
    html = client.get("/halmstad/lofte/2023/").content.decode()
    assert "Det gäller 2023-01-01 till 2024-06-30." in html
    assert "Löftet ändrades: period – skäl: Förlängt ett halvår" in html


def test_evidence_file_is_kept_and_served_as_a_download(client: Client, draft, parties) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from trygg.promises.models import ProgressEntry

    _publish(draft, parties)
    analyst = _client(parties["analyst_halmstad"])
    upload = SimpleUploadedFile("protokoll.pdf", b"%PDF-1.4 protokoll", content_type="application/pdf")
    form = {"action": "progress", "token": "f-1", "date": "2023-03-01", "note": "Beslut om belysning",
            "file": upload}
    assert analyst.post("/personal/lofte/halmstad/2023/aktivitet/2/", form).status_code == 302
    entry = ProgressEntry.objects.get()
    html = client.get("/halmstad/lofte/2023/").content.decode()
    assert f'href="/halmstad/lofte/2023/underlag/{entry.pk}/"' in html and "fil: protokoll.pdf" in html
    download = client.get(f"/halmstad/lofte/2023/underlag/{entry.pk}/")
    assert download.content == b"%PDF-1.4 protokoll"
    assert download["Content-Disposition"] == 'attachment; filename="protokoll.pdf"'
    assert client.get(f"/halmstad/lofte/2023/underlag/{entry.pk + 1}/").status_code == 404
    big = SimpleUploadedFile("stor.bin", b"x" * (2 * 1024 * 1024 + 1))
    response = analyst.post("/personal/lofte/halmstad/2023/aktivitet/2/", {**form, "token": "f-2", "file": big})
    assert response.status_code == 400 and "större än 2 MB" in response.content.decode()
    assert ProgressEntry.objects.count() == 1


def test_an_indicator_is_added_on_the_staff_page_for_pooled_areas(draft, parties) -> None:
    from trygg.surveys.models import Survey

    analyst = _client(parties["analyst_halmstad"])
    baseline = Survey.objects.get(year=2022)
    form = {"action": "indicator", "token": "i-1", "indicator": "unsafe_out_late", "areas": ["rotorp", "sondrum"],
            "baseline": str(baseline.pk), "target": "30", "activity": "1"}
    page = analyst.get("/personal/lofte/halmstad/2023/").content.decode()
    assert 'value="unsafe_out_late"' in page and "halmstad-2022" in page
    for _ in range(2):  # a double submit adds one indicator
        assert analyst.post("/personal/lofte/halmstad/2023/", form).status_code == 302
    added = draft.indicators.get(indicator="unsafe_out_late")
    assert added.areas == ["rotorp", "sondrum"] and added.target == pytest.approx(0.3)
    assert list(added.activities.values_list("number", flat=True)) == [1]
    bad = analyst.post("/personal/lofte/halmstad/2023/", {**form, "target": "170"})
    assert bad.status_code == 400 and draft.indicators.count() == 2


def test_the_admin_shows_progress_by_label_in_swedish_and_english(draft, parties, run_cli) -> None:
    run_cli("promise", "progress", "halmstad-2023", "2", "--percent", "100", "--status", "done")
    analyst = _client(parties["analyst_halmstad"])
    page = analyst.get("/personal/promises/progressentry/").content.decode()
    assert "Uppföljningar" in page and "Genomförd" in page and ">done<" not in page
    assert "Ny status" in page and "Levererat" in page
    english = analyst.get("/personal/promises/progressentry/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Done" in english and "New status" in english and "Delivered" in english
    entry = analyst.get("/personal/promises/promise/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Draft" in entry and ">draft<" not in entry


def test_approving_is_worded_per_party_in_each_language(draft, parties) -> None:
    police = _client(parties["polis_halmstad"])
    assert "Godkänn för polisen" in police.get("/personal/lofte/halmstad/2023/").content.decode()
    english = police.get("/personal/lofte/halmstad/2023/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Approve for the police" in english
    response = police.post("/personal/lofte/halmstad/2023/", {"action": "approve"}, follow=True)
    assert "Godkänt för polisen." in response.content.decode()
