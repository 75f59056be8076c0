"""Closing a concern without a referral (referrals.services.close and the draft page's "Close without a
referral"): a safeguarding lead records a decision not to refer with the reason, or advice sought from the
front door (who, when, what was said), as carefully as a referral: frozen, read-only, printed, audited."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from assessments import services as assessment_services
from assessments.models import Assessment
from authorities.models import AuditEvent
from catalogues.models import CatalogueVersion
from referrals import retention
from referrals import services as referral_services
from referrals.models import Draft, DraftEvent, Submission
from tests.conftest import SIGN_IN
from tests.factories import PHONED, READY, actor, assessment, ready_draft
from tests.pages import html

pytestmark = pytest.mark.django_db

REASON = "Needs are met in school: attendance is good and she says she feels safe at home."
ACTION = "Weekly check-in with her form tutor; review at half term."


def _submitted(people, **over) -> Draft:
    return referral_services.submit(actor(people.alice), ready_draft(people.alice, people.sefton, **over))


def _no_referral(hash_: str = "", **over) -> dict:
    return {"closure": "no_referral", "closure_reason": REASON, "single_agency_action": ACTION,
            "submission": hash_} | over


def _child_protection_draft(people, owner=None) -> Draft:
    """A ready draft whose ticks hold a decisive child-protection concern (the call before review recorded)."""
    owner = owner or people.alice
    catalogue = CatalogueVersion.objects.current_for_slug("sefton").catalogue
    decisive = next(i.id for i in catalogue.indicators if i.child_protection and i.child_protection.decisive
                    and not i.immediate_danger and not i.retired)
    a = assessment(owner, people.sefton, level=2, n=1)
    assessment_services.save_ticks(actor(owner), a, a.ticks + [decisive])
    d = referral_services.create_from_assessment(actor(owner), a)
    return referral_services.save(actor(owner), d, READY | PHONED | {"chosen_level": 4}, d.revision)


def _errors(response) -> list[tuple[str, str]]:
    """The error summary's links: (where it goes, what it says)."""
    summary = html(response.content.decode()).find(class_="govuk-error-summary")
    return [(a.attrs["href"], a.all_text()) for a in summary.find_all("a")]


# --- closing a submitted draft (the second person) ---------------------------------------------------------

def test_a_lead_closes_a_submitted_draft_with_no_referral_and_the_reason(people, client,
                                                                        django_capture_on_commit_callbacks):
    d = _submitted(people)
    submission = d.submissions.get()
    frozen, digest = submission.record, submission.content_hash
    people.alice.email = "alice@example.invalid"
    people.alice.save()
    client.force_login(people.lead)
    page = html(client.get(reverse("draft-detail", args=[d.pk])).content.decode())
    assert page.find(data_testid="close").find("input", name="submission").attrs["value"] == digest
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("draft-close", args=[d.pk]), _no_referral(digest))
    assert response.status_code == 302
    d = Draft.objects.get(pk=d.pk)
    assert (d.status, d.closure, d.closure_reason, d.single_agency_action) == ("closed", "no_referral", REASON, ACTION)
    assert d.closed_by == people.lead and d.closed_at is not None
    assert (d.advice_from, d.advice_on, d.advice_said) == ("", None, "")
    submission = Submission.objects.get(pk=submission.pk)
    assert (submission.outcome, submission.reviewed_by, submission.record, submission.content_hash) == (
        "closed", people.lead, frozen, digest)  # the record the lead saw, unchanged
    assert submission.reviewed_at is not None
    assert Assessment.objects.get(pk=d.assessment_id).locked, "the assessment behind the record stays frozen"
    event = DraftEvent.objects.filter(draft=d).last()
    assert (event.action, event.actor, event.from_status, event.to_status, event.submission) == (
        "closed", people.lead, "submitted", "closed", submission)
    audit = AuditEvent.objects.get(action="draft.closed")
    assert audit.object_id == str(d.pk) and audit.organisation == people.school and audit.actor_role == "safeguarding_lead"
    assert audit.detail == {"submission": 1, "hash": digest, "closure": "no_referral"}  # codes only, no words
    [message] = mail.outbox
    assert message.to == ["alice@example.invalid"] and "closed without a referral" in message.subject
    assert "Test Child" not in message.body + message.subject
    # The queue no longer holds it; the page shows the decision, read-only, and says what state it is in.
    assert f"Draft {d.pk}" not in client.get(reverse("review-queue")).content.decode()
    page = html(client.get(reverse("draft-detail", args=[d.pk])).content.decode())
    shown = page.find(data_testid="closure").all_text()
    assert "No referral – reason recorded" in shown and REASON in shown and ACTION in shown
    state = page.find(data_testid="record-state").all_text()
    assert f"CLOSED WITHOUT A REFERRAL BY LEAD ON {timezone.localdate():%-d %B %Y}".upper() in state
    assert not page.find_all(data_testid="close") and not page.find_all("form", id="draft-form")
    assert not page.find_all(data_testid="download-national")


def test_a_lead_closes_with_advice_from_the_front_door(people, client):
    d = _submitted(people)
    client.force_login(people.lead)
    yesterday = timezone.localdate() - timedelta(days=1)
    client.post(reverse("draft-close", args=[d.pk]), {
        "closure": "advice", "advice_from": "Jo Example, duty social worker (fictional)",
        "advice_on_day": yesterday.day, "advice_on_month": yesterday.month, "advice_on_year": yesterday.year,
        "advice_said": "Monitor in school and refer if she discloses more.",
        "closure_reason": "typed under the other answer: not kept"})
    d = Draft.objects.get(pk=d.pk)
    assert (d.status, d.closure, d.advice_from, d.advice_on, d.advice_said, d.closure_reason) == (
        "closed", "advice", "Jo Example, duty social worker (fictional)", yesterday,
        "Monitor in school and refer if she discloses more.", "")
    assert AuditEvent.objects.get(action="draft.closed").detail["closure"] == "advice"
    client.force_login(people.alice)  # the practitioner reads the decision on their draft
    shown = html(client.get(reverse("draft-detail", args=[d.pk])).content.decode()).find(
        data_testid="closure").all_text()
    assert "Advice sought from the front door" in shown and "Jo Example" in shown
    assert f"{yesterday:%-d %B %Y}" in shown and "refer if she discloses more" in shown


def test_closing_acts_on_the_submission_the_lead_saw(people, client):
    d = _submitted(people)
    client.force_login(people.lead)
    response = client.post(reverse("draft-close", args=[d.pk]), _no_referral("a" * 64), follow=True)
    assert "changed since you loaded the page" in response.content.decode()
    assert Draft.objects.get(pk=d.pk).status == "submitted"
    assert d.submissions.get().outcome == ""


# --- a lead's own concern ----------------------------------------------------------------------------------

def test_a_lead_who_assessed_the_concern_closes_their_own_draft_frozen_without_the_checks(people, client):
    a = assessment(people.lead, people.sefton, level=2, n=2)
    d = referral_services.create_from_assessment(actor(people.lead), a)  # not ready: no household, no voice
    assert [p for p in referral_services.problems(d) if p.blocking], "the pre-submission checks would block it"
    client.force_login(people.lead)
    page = html(client.get(reverse("draft-detail", args=[d.pk])).content.decode())
    close = page.find(data_testid="close")
    assert close.find("textarea", name="closure_reason").attrs["form"] == "draft-form"
    assert close.find(data_testid="close-button").attrs["formaction"] == reverse("draft-close", args=[d.pk])
    # The close button belongs to the draft's form: what was typed and not yet saved is saved, then frozen.
    response = client.post(reverse("draft-close", args=[d.pk]), _no_referral(
        revision=d.revision, worries="Typed just before closing", child_name="Test Child"))
    assert response.status_code == 302
    d = Draft.objects.get(pk=d.pk)
    assert (d.status, d.closed_by, d.worries, d.submitted_at) == ("closed", people.lead, "Typed just before closing",
                                                                  None)
    submission = d.submissions.get()
    assert (submission.number, submission.submitted_by, submission.outcome, submission.reviewed_by) == (
        1, people.lead, "closed", people.lead)
    assert any(part["text"] == "Typed just before closing" for part in submission.record["narrative"])
    assert Assessment.objects.get(pk=a.pk).locked
    assert [e.action for e in d.events.all()] == ["create", "closed"]
    assert AuditEvent.objects.get(action="draft.closed").detail == {
        "submission": 1, "hash": submission.content_hash, "closure": "no_referral"}
    page = html(client.get(reverse("draft-detail", args=[d.pk])).content.decode())
    assert "Frozen when it was closed" in page.find(data_testid="record-state").all_text()


def test_a_returned_draft_of_a_lead_can_be_closed_by_them(people):
    d = referral_services.submit(actor(people.lead), ready_draft(people.lead, people.sefton))
    other_lead = _second_lead(people)
    d = referral_services.return_to_practitioner(actor(other_lead), d, "Say more about home")
    d = referral_services.close(actor(people.lead), d, closure="no_referral", reason=REASON)
    assert d.status == "closed"
    assert [(s.number, s.outcome) for s in d.submissions.all()] == [(1, "returned"), (2, "closed")]


def _second_lead(people):
    from tests.conftest import _user

    return _user("lead2", people.school, "safeguarding_lead")


# --- who may close -----------------------------------------------------------------------------------------

def test_standard_cases_of_closing(people, access):
    d = _submitted(people)
    url = reverse("draft-close", args=[d.pk])
    others = ["colleague", "outsider", "outsider_lead", "admin", "anonymous"]
    assert access("post", url, _no_referral(), who=others) == {
        "colleague": 404, "outsider": 404, "outsider_lead": 404, "admin": 404, "anonymous": SIGN_IN}
    assert access("get", url, who=["lead"]) == {"lead": 405}
    assert access("post", url, _no_referral(), who=["owner"]) == {"owner": 302}  # refused, with a message
    assert Draft.objects.get(pk=d.pk).status == "submitted"
    assert access("post", url, _no_referral(), who=["lead"]) == {"lead": 302}
    assert Draft.objects.get(pk=d.pk).status == "closed"


def test_a_practitioner_cannot_close_even_their_own_draft(people, client):
    d = ready_draft(people.alice, people.sefton)
    client.force_login(people.alice)
    page = html(client.get(reverse("draft-detail", args=[d.pk])).content.decode())
    assert not page.find_all(data_testid="close"), "no close section for a practitioner"
    response = client.post(reverse("draft-close", args=[d.pk]), _no_referral(), follow=True)
    assert "Only a safeguarding lead of this organisation can close" in response.content.decode()
    assert Draft.objects.get(pk=d.pk).status == "draft"
    assert AuditEvent.objects.filter(action="draft.refused", purpose="not_allowed").exists()
    with pytest.raises(referral_services.NotAllowed):
        referral_services.close(actor(people.alice), d, closure="no_referral", reason=REASON)


def test_a_lead_cannot_close_a_draft_they_submitted_nor_one_returned_to_someone_else(people, client):
    own = referral_services.submit(actor(people.lead), ready_draft(people.lead, people.sefton))
    client.force_login(people.lead)
    assert not html(client.get(reverse("draft-detail", args=[own.pk])).content.decode()).find_all(
        data_testid="close")
    response = client.post(reverse("draft-close", args=[own.pk]), _no_referral(), follow=True)
    assert "another safeguarding lead of your organisation must review it" in response.content.decode()
    assert Draft.objects.get(pk=own.pk).status == "submitted"
    returned = referral_services.return_to_practitioner(actor(people.lead), _submitted(people), "More please")
    with pytest.raises(referral_services.NotAllowed, match="returned with comments: it cannot be closed"):
        referral_services.close(actor(people.lead), returned, closure="no_referral", reason=REASON)
    with pytest.raises(referral_services.NotAllowed):
        referral_services.close(actor(people.outsider_lead), _submitted(people), closure="no_referral", reason=REASON)


# --- what to fix -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("posted", "expected"), [
    ({}, [("#id_close_closure_0", "Choose whether you decided not to refer, or sought advice from the front door")]),
    ({"closure": "no_referral", "closure_reason": "  "}, [("#id_close_closure_reason", "Say why you decided not to refer")]),
    ({"closure": "advice"}, [("#id_close_advice_from", "Enter who gave the advice"),
                             ("#id_close_advice_on_day", "Enter the date you were given the advice"),
                             ("#id_close_advice_said", "Enter what the front door said")]),
    ({"closure": "advice", "advice_from": "Duty worker", "advice_said": "Monitor", "advice_on": "1/1/2099"},
     [("#id_close_advice_on_day", "The date of the advice cannot be in the future")]),
    ({"closure": "advice", "advice_from": "Duty worker", "advice_said": "Monitor", "advice_on": "31/2/2026"},
     [("#id_close_advice_on_day", "Enter a real date in the format day/month/year, for example 27/3/2015.")]),
], ids=["nothing", "no-reason", "no-advice", "advice-in-the-future", "not-a-date"])
def test_what_is_missing_is_a_400_whose_error_summary_names_the_field(people, client, posted, expected):
    d = _submitted(people)
    client.force_login(people.lead)
    response = client.post(reverse("draft-close", args=[d.pk]), posted)
    assert response.status_code == 400
    assert _errors(response) == expected
    assert html(response.content.decode()).find("title").all_text().startswith("Error: ")
    assert Draft.objects.get(pk=d.pk).status == "submitted"
    assert AuditEvent.objects.filter(action="draft.view", purpose="invalid_close").exists()


def test_on_the_leads_own_draft_a_closure_with_errors_keeps_the_draft_form(people, client):
    d = referral_services.create_from_assessment(actor(people.lead), assessment(people.lead, people.sefton))
    client.force_login(people.lead)
    response = client.post(reverse("draft-close", args=[d.pk]), {"closure": "no_referral", "revision": d.revision,
                                                                 "worries": "Typed and kept"})
    assert response.status_code == 400
    page = html(response.content.decode())
    assert page.find("form", id="draft-form") and _errors(response) == [
        ("#id_close_closure_reason", "Say why you decided not to refer")]
    assert Draft.objects.get(pk=d.pk).worries == "Typed and kept"  # what was typed was saved first
    assert Draft.objects.get(pk=d.pk).status == "draft"


def test_closing_a_child_protection_concern_needs_an_explicit_confirmation(people, client):
    d = referral_services.submit(actor(people.alice), _child_protection_draft(people))
    client.force_login(people.lead)
    page = html(client.get(reverse("draft-detail", args=[d.pk])).content.decode())
    close = page.find(data_testid="close")
    warning = close.find(data_testid="close-warning").all_text()
    assert "child-protection concern normally must be referred" in warning
    contacts = close.find(data_testid="close-contacts").all_text()
    front_door = referral_services.suggestion_for(d.assessment).contacts[0].contact
    assert front_door.name in contacts and " ".join(front_door.phone.split()) in " ".join(contacts.split())
    parts = [e for e in close.iter() if e.attrs.get("data-testid") in ("close-warning", "closure-no_referral")]
    assert [p.attrs["data-testid"] for p in parts] == ["close-warning", "closure-no_referral"], "warning first"
    box = close.find("input", name="confirm_child_protection")
    assert "I have considered the child-protection concern and I am recording a decision not to refer" in \
        close.find("label", for_=box.attrs["id"]).all_text()

    refused = client.post(reverse("draft-close", args=[d.pk]), _no_referral())
    assert refused.status_code == 400
    assert _errors(refused) == [("#id_close_confirm_child_protection", "The concerns include child protection, "
                                 "which normally must be referred: tick to confirm you have considered it and are "
                                 "recording a decision not to refer")]
    assert Draft.objects.get(pk=d.pk).status == "submitted"
    with pytest.raises(referral_services.NotAllowed, match="tick to confirm"):  # the service says so too
        referral_services.close(actor(people.lead), d, closure="no_referral", reason=REASON)
    client.post(reverse("draft-close", args=[d.pk]), _no_referral(confirm_child_protection="on"))
    assert Draft.objects.get(pk=d.pk).status == "closed"


def test_a_plain_concern_has_no_confirmation_to_tick(people, client):
    d = _submitted(people)
    client.force_login(people.lead)
    close = html(client.get(reverse("draft-detail", args=[d.pk])).content.decode()).find(data_testid="close")
    assert not close.find_all("input", name="confirm_child_protection")
    assert not close.find_all(data_testid="close-warning")


# --- once closed -------------------------------------------------------------------------------------------

def test_a_closed_draft_is_read_only_not_exportable_and_kept(people, client):
    d = _submitted(people)
    referral_services.close(actor(people.lead), d, closure="no_referral", reason=REASON)
    d = Draft.objects.get(pk=d.pk)
    with pytest.raises(referral_services.NotAllowed, match="can no longer be changed"):
        referral_services.save(actor(people.alice), d, {"worries": "late edit"}, d.revision)
    client.force_login(people.alice)
    client.post(reverse("draft-detail", args=[d.pk]), {"revision": d.revision, "worries": "late edit"})
    assert Draft.objects.get(pk=d.pk).worries != "late edit"
    with pytest.raises(referral_services.NotAllowed):
        referral_services.close(actor(people.lead), d, closure="no_referral", reason="again")
    # No referral was made: nothing to export in national terms.
    with pytest.raises(referral_services.NotExportable):
        referral_services.national_export(d)
    response = client.get(reverse("draft-national", args=[d.pk]), {"purpose": "record"}, follow=True)
    assert "closed without a referral: nothing was referred" in response.content.decode()
    assert AuditEvent.objects.filter(action="draft.export_national_refused", purpose="closed").exists()
    # A closed concern is a record: retention keeps it, whatever its age.
    retention.remove_due(actor(people.lead), people.sefton, timezone.now() + timedelta(days=3650))
    assert Draft.objects.filter(pk=d.pk).exists()


def test_my_work_shows_the_closed_status(people, client):
    d = _submitted(people)
    referral_services.close(actor(people.lead), d, closure="advice", advice_from="Duty worker",
                            advice_on=timezone.localdate(), advice_said="Monitor")
    client.force_login(people.alice)
    page = html(client.get(reverse("assessment-list")).content.decode())
    row = next(r for r in page.find_all("tr") if f"Draft {d.pk}" in r.all_text())
    tag = row.find("strong")
    assert tag.all_text() == "Closed without a referral" and "govuk-tag--grey" in tag.classes()


def test_the_pdf_of_a_closed_draft_says_so_on_every_page_and_shows_the_decision(people, client):
    d = _submitted(people)
    referral_services.close(actor(people.lead), d, closure="no_referral", reason=REASON, single_agency_action=ACTION)
    client.force_login(people.lead)
    response = client.get(reverse("draft-pdf", args=[d.pk]), {"purpose": "record"})
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    pages = [" ".join(p.extract_text().split()) for p in reader.pages]
    state = f"CLOSED WITHOUT A REFERRAL BY LEAD ON {timezone.localdate():%-d %B %Y}".upper()
    assert all(state in page for page in pages)
    flat = " ".join(pages)
    assert "Closed without a referral" in flat and "No referral – reason recorded" in flat
    assert "Why there is no referral" in flat and " ".join(REASON.split()) in flat
    assert "What the organisation will do" in flat and ACTION in flat
    assert json.dumps(AuditEvent.objects.get(action="draft.pdf").detail or {}).find("Needs are met") == -1


def test_the_audit_page_says_what_closing_was_in_plain_words(people, client):
    from authorities.audit_presenter import action_words, purpose_words

    d = _submitted(people)
    referral_services.close(actor(people.lead), d, closure="no_referral", reason=REASON)
    assert action_words("draft.closed") == \
        "Closed the concern without a referral (a decision not to refer, with the reason)"
    assert purpose_words("closed") == "closed without a referral: nothing was referred"
    client.force_login(people.lead)
    page = client.get(reverse("audit-log")).content.decode()
    assert "Closed the concern without a referral" in page and f"Referral draft {d.pk}: Test Child" in page
