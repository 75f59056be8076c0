"""Issue: referral drafts, consent rules, pre-submission check, PDF, no lost update."""

from __future__ import annotations

import http.server
import io
import threading
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from authorities.actor import Actor
from catalogues.files import read_catalogue_file
from referrals import services
from referrals.checks import DraftFacts, consent_problems, pre_submission_problems
from referrals.models import Draft
from tests.helpers import READY, assessment, ready_draft

DIR = Path(__file__).resolve().parent.parent / "fixtures" / "catalogues"
SLUGS = sorted(p.stem for p in DIR.glob("*.json"))


def facts(**over) -> DraftFacts:
    base = dict(chosen_level=2, suggested_level=2, level_reason="", parents_aware="yes", consent="explicit",
                consent_ground="", consent_agreed_by="", child_name="Test Child", child_voice="Told me about it",
                household=[{"name": "Parent Testperson"}], referrer_phone="01234", referrer_email="")
    return DraftFacts(**(base | over))


# --- consent rules, for every level of every partnership -------------------------------------

@pytest.mark.parametrize("slug", SLUGS)
def test_explicit_consent_satisfies_every_level(slug):
    cat = read_catalogue_file(DIR / f"{slug}.json")
    for lv in cat.levels:
        assert consent_problems(cat, lv, facts(chosen_level=lv.number)) == [], (slug, lv.number)


@pytest.mark.parametrize("slug", SLUGS)
def test_going_ahead_without_consent_follows_each_levels_rule(slug):
    cat = read_catalogue_file(DIR / f"{slug}.json")
    for lv in cat.levels:
        rule = lv.consent
        without = consent_problems(cat, lv, facts(chosen_level=lv.number, consent="not_sought"))
        if rule.refused_without_consent:
            assert any("will not accept this request without consent" in p.message
                       and rule.refused_without_consent.sentence in p.message for p in without), (slug, lv.number)
        elif rule.consent == "required" and not rule.lawful_ground_ids:
            assert any("Consent is needed at this level" in p.message and rule.text in p.message
                       for p in without), (slug, lv.number)
        elif rule.consent == "not_required":
            assert without == [], (slug, lv.number)
        else:
            assert [p.place for p in without] == ["consent_ground"], (slug, lv.number)
            ok = facts(chosen_level=lv.number, consent="not_sought", consent_ground=rule.lawful_ground_ids[0])
            assert consent_problems(cat, lv, ok) == [], (slug, lv.number)


@pytest.mark.parametrize("slug", SLUGS)
def test_no_consent_message_asks_for_an_agreement_or_explicit_consent_the_document_does_not_give(slug):
    cat = read_catalogue_file(DIR / f"{slug}.json")
    for lv in cat.levels:
        for consent in ("explicit", "implicit", "refused", "not_sought"):
            for aware in ("yes", "no"):
                for problem in consent_problems(cat, lv, facts(chosen_level=lv.number, consent=consent,
                                                                parents_aware=aware)):
                    assert problem.place != "consent_agreed_by", (slug, lv.number, consent)
                    assert "manager" not in problem.message.split("The guidance:")[0], (slug, lv.number, consent)
                    if "explicit" in problem.message.split("The guidance:")[0]:
                        assert lv.consent.explicit is not None, (slug, lv.number, consent)
        implicit = consent_problems(cat, lv, facts(chosen_level=lv.number, consent="implicit"))
        assert bool(implicit) == (lv.consent.explicit is not None), (slug, lv.number)
        if implicit:
            assert lv.consent.explicit.sentence in implicit[0].message


def test_halton_refuses_requests_without_consent_below_level_4():
    cat = read_catalogue_file(DIR / "halton.json")
    for n in (2, 3):
        problems = consent_problems(cat, cat.levels[n - 1], facts(chosen_level=n, consent="refused"))
        assert problems and "will not accept this request without consent" in problems[0].message
        assert "discuss a child protection referral" in problems[0].message
    l4 = cat.levels[3]
    assert l4.consent.consent == "best_practice" and l4.consent.lawful_ground_ids
    assert [p.place for p in consent_problems(cat, l4, facts(chosen_level=4, consent="not_sought"))] == [
        "consent_ground"]


def test_a_ground_from_another_level_is_refused_with_the_grounds_this_level_gives():
    cat = read_catalogue_file(DIR / "halton.json")
    l4 = cat.levels[3]
    problems = consent_problems(cat, l4, facts(chosen_level=4, consent="not_sought", consent_ground="no-such-ground"))
    assert problems[0].place == "consent_ground" and "not one the guidance gives at Level 4" in problems[0].message
    first = next(g for g in cat.consent_grounds if g.id == l4.consent.lawful_ground_ids[0])
    assert first.text in problems[0].message


def test_pre_submission_check_lists_what_is_missing_or_weak():
    cat = read_catalogue_file(DIR / "halton.json")
    messages = [p.message for p in pre_submission_problems(cat, facts(
        chosen_level=None, child_name="J. S.", child_voice="", household=[], referrer_phone="", consent=""))]
    assert "Enter the child's full name, not initials" in messages
    assert any(m.startswith("Describe the child's voice") for m in messages)
    assert "Add at least one household member or significant adult" in messages
    assert "Enter a phone number or email address the front door can reach you on" in messages
    assert "Choose the level of need" in messages
    assert pre_submission_problems(cat, facts()) == []
    assert [p.message for p in pre_submission_problems(cat, facts(consent=""))] == [
        "Record whether consent was given, refused or not sought"]
    assert [p.place for p in pre_submission_problems(cat, facts(chosen_level=3))] == ["level_reason"]


# --- drafts through the application ---------------------------------------------------------

pytestmark_db = pytest.mark.django_db


@pytest.mark.django_db
def test_draft_is_prefilled_from_the_assessment(people, login):
    a = assessment(people.alice, people.halton, level=3, n=2, child_name="Poppy Example")
    client = login(people.alice)
    response = client.post(reverse("draft-create", args=[a.pk]))
    d = Draft.objects.get()
    assert response["Location"] == reverse("draft-detail", args=[d.pk])
    assert (d.child_name, d.chosen_level, d.catalogue_version.pk) == ("Poppy Example", 3, a.catalogue_version_id)
    assert d.referrer_name == "Alice" and d.referrer_organisation == "Test School (fictional)"
    page = client.get(response["Location"]).content.decode()
    cat = a.catalogue_version.catalogue
    for tick in a.ticks:
        text = next(i.text for i in cat.indicators if i.id == tick)
        assert text.replace("'", "&#x27;") in page
    assert "Referral – " in page or "request" in page.lower()


@pytest.mark.django_db
def test_halton_draft_without_consent_below_level_4_cannot_be_submitted(people, login):
    d = ready_draft(people.alice, people.halton, level=2, consent="refused")
    response = login(people.alice).post(reverse("draft-submit", args=[d.pk]))
    assert response.status_code == 400
    assert "will not accept this request without consent" in response.content.decode()
    d.refresh_from_db()
    assert d.status == "draft"


@pytest.mark.django_db
def test_level_4_without_consent_needs_a_lawful_ground_and_no_ones_agreement(people, login):
    d = ready_draft(people.alice, people.halton, level=4, consent="not_sought")
    client = login(people.alice)
    assert client.post(reverse("draft-submit", args=[d.pk])).status_code == 400
    ground = d.catalogue_version.catalogue.levels[3].consent.lawful_ground_ids[0]
    d = services.save(Actor.of(people.alice), d, {"consent_ground": ground}, d.revision)
    assert client.post(reverse("draft-submit", args=[d.pk])).status_code == 302
    d.refresh_from_db()
    assert d.status == "submitted"


@pytest.mark.django_db
def test_autosave_returns_the_status_and_new_revision(people, login):
    d = ready_draft(people.alice, people.sefton)
    client = login(people.alice)
    data = {"revision": d.revision, "child_name": "Test Child", "worries": "Changed through autosave",
            "chosen_level": "2", "household-0-name": "Parent Testperson"}
    response = client.post(reverse("draft-detail", args=[d.pk]), data, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and "Saved at" in body
    d.refresh_from_db()
    assert d.worries == "Changed through autosave"
    assert f'value="{d.revision}" id="id_revision" hx-swap-oob="true"' in body
    assert d.household == [{"name": "Parent Testperson", "relationship": "", "parental_responsibility": "",
                            "date_of_birth": "", "address": ""}]


@pytest.mark.django_db
def test_concurrent_edits_are_detected_and_nothing_typed_is_lost(people, client):
    d = ready_draft(people.alice, people.sefton)
    url = reverse("draft-detail", args=[d.pk])
    stale = d.revision
    client.force_login(people.alice)
    first = client.post(url, {"revision": stale, "child_name": "Test Child", "worries": "First tab's words"})
    assert first.status_code == 302
    second = client.post(url, {"revision": stale, "child_name": "Test Child", "worries": "Second tab's words"})
    assert second.status_code == 409
    body = second.content.decode()
    assert "Someone else changed this draft" in body
    assert "Second tab&#x27;s words" in body  # what they typed is on the page, to save again
    d.refresh_from_db()
    assert d.worries == "First tab's words"  # no silent overwrite
    resave = client.post(url, {"revision": d.revision, "child_name": "Test Child", "worries": "Second tab's words"})
    assert resave.status_code == 302
    d.refresh_from_db()
    assert d.worries == "Second tab's words"


def _pdf_text(content: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


@pytest.mark.django_db
@pytest.mark.parametrize("slug", SLUGS)
def test_pdf_has_every_section_the_marking_and_the_contacts(people, client, slug):
    from authorities.models import Authority

    authority = Authority.objects.get(slug=slug)
    d = ready_draft(people.alice, authority, level=3, worries="Worry words", strengths="Strength words")
    client.force_login(people.alice)
    response = client.get(reverse("draft-pdf", args=[d.pk]), {"purpose": "review"})
    assert response["Content-Type"] == "application/pdf"
    text, pages = _pdf_text(response.content)
    flat = " ".join(text.split())
    assert text.count("OFFICIAL-SENSITIVE") >= 2 * pages
    assert f"Page 1 of {pages}" in flat
    for heading in ["Level of need", "The child", "Household members", "Other professionals", "The referrer",
                    "Concerns", "Consent", "Where this goes", "Worry words", "Strength words"]:
        assert heading in flat, heading
    cat = d.catalogue_version.catalogue
    assert cat.authority.partnership in flat
    assert f"catalogue version {d.catalogue_version.number}" in flat
    phones = [c.phone for c in cat.contacts if c.phone and c.id in cat.levels[2].response.contact_ids]
    for phone in phones:
        assert " ".join(phone.split()) in flat


class _Counter(http.server.BaseHTTPRequestHandler):
    hits = 0

    def do_GET(self):  # noqa: N802
        type(self).hits += 1
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.mark.django_db
def test_hostile_text_is_escaped_and_fetches_nothing(people, client):
    server = http.server.HTTPServer(("127.0.0.1", 0), _Counter)
    port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        hostile = (f'<img src="http://127.0.0.1:{port}/x.png"><style>@import url(http://127.0.0.1:{port}/a.css);'
                   f'</style><link rel=stylesheet href="file:///etc/passwd"><b>bold</b>')
        d = ready_draft(people.alice, people.sefton, worries=hostile, child_voice=hostile)
        client.force_login(people.alice)
        response = client.get(reverse("draft-pdf", args=[d.pk]), {"purpose": "record"})
        text, _ = _pdf_text(response.content)
        assert "<img src=" in text and "<b>bold</b>" in text  # shown as text, not markup
        assert _Counter.hits == 0
        assert "root:x" not in text
    finally:
        server.shutdown()


@pytest.mark.django_db
def test_printing_needs_a_purpose_and_is_audited_with_it(people, client):
    from authorities.models import AuditEvent

    d = ready_draft(people.alice, people.sefton)
    client.force_login(people.alice)
    assert client.get(reverse("draft-pdf", args=[d.pk])).status_code == 302
    client.get(reverse("draft-pdf", args=[d.pk]), {"purpose": "send"})
    event = AuditEvent.objects.filter(action="draft.pdf").get()
    assert (event.purpose, event.object_id, event.actor) == ("send", str(d.pk), people.alice)


@pytest.mark.django_db
def test_preview_referral_renders_fictional_sample_for_each_authority(tmp_path):
    for slug in SLUGS:
        out = tmp_path / f"{slug}.pdf"
        call_command("preview_referral", slug, "--out", str(out), stdout=StringIO())
        text, _ = _pdf_text(out.read_bytes())
        assert "SAMPLE WITH FICTIONAL DATA" in " ".join(text.split()) and "OFFICIAL-SENSITIVE" in text


def test_ready_fixture_is_complete():
    assert {"child_voice", "household", "consent"} <= set(READY)


@pytest.mark.django_db
def test_a_late_autosave_after_submit_is_refused_in_the_status_line_and_keeps_the_submitted_message(people, login):
    d = ready_draft(people.alice, people.sefton, level=2)
    client = login(people.alice)
    assert client.post(reverse("draft-submit", args=[d.pk])).status_code == 302
    late = client.post(reverse("draft-detail", args=[d.pk]), {"revision": d.revision, "worries": "late"},
                       HTTP_HX_REQUEST="true")
    assert late.status_code == 409 and "Not saved: this draft has been submitted" in late.content.decode()
    page = client.get(reverse("draft-detail", args=[d.pk])).content.decode()
    assert "Submitted to your safeguarding lead for review." in page and "can no longer be changed." not in page
    d.refresh_from_db()
    assert d.worries != "late"


@pytest.mark.parametrize(("field", "value", "message"), [
    ("date_of_birth", "01/01/0001", "Enter a date of birth in the last 25 years"),
    ("date_of_birth", "01/01/2090", "A date of birth cannot be in the future: for an unborn child, enter the "
                                      "expected due date"),
    ("due_date", "01/01/2090", "Enter an expected due date within the next 10 months"),
])
def test_draft_dates_outside_a_sane_range_are_refused_with_what_to_enter(field, value, message):
    from referrals.forms import DraftForm

    form = DraftForm({field: value, "revision": "1"}, catalogue=read_catalogue_file(DIR / "halton.json"))
    assert not form.is_valid()
    assert form.errors[field] == [message]


def test_a_sent_date_in_the_future_is_refused():
    from referrals.forms import SentForm

    form = SentForm({"sent_on": "01/01/2030", "how": "Secure email"})
    assert not form.is_valid() and form.errors["sent_on"] == ["The date sent cannot be in the future"]
    assert SentForm({"sent_on": "01/01/0001", "how": "Secure email"}).errors["sent_on"] == [
        "Enter a date in the last year"]
