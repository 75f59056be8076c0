"""GET /api/v1/drafts/{id}/national: the same export as the draft page's download, scoped and audited as
the other draft calls, a problem document before there is anything frozen to export."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from jsonschema import Draft202012Validator

from authorities.models import AuditEvent
from referrals import national
from referrals import services as referral_services
from tests.api.test_api import call, is_problem
from tests.factories import actor, ready_draft

pytestmark = pytest.mark.django_db


def _without_time(export: dict) -> dict:
    return {k: v for k, v in export.items() if k != "generated_at"}


def test_the_api_serves_the_same_export_as_the_page_validated(client, people, issue):
    d = referral_services.approve(actor(people.lead), referral_services.submit(
        actor(people.alice), ready_draft(people.alice, people.sefton, nhs_number="9990000018")))
    _, secret = issue()
    response = call(client, "get", f"/api/v1/drafts/{d.pk}/national", secret=secret)
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    body = response.json()
    assert list(Draft202012Validator(national.schema()).iter_errors(body)) == []
    assert body["source"]["status"] == "approved" and body["ssd_person"]["pers_common_child_id"] == "9990000018"
    client.force_login(people.lead)
    page = json.loads(client.get(reverse("draft-national", args=[d.pk]), {"purpose": "record"}).content)
    assert _without_time(page) == _without_time(body)
    event = AuditEvent.objects.filter(action="draft.export_national", purpose="api").get()
    assert event.object_id == str(d.pk) and event.organisation == people.school


def test_before_submission_and_for_other_organisations_it_is_a_problem(client, people, issue):
    _, secret = issue()
    _, other = issue(people.outsider_lead)
    _, no_scope = issue(scopes=["read"])
    submitted = referral_services.submit(actor(people.alice), ready_draft(people.alice, people.sefton))
    returned = referral_services.return_to_practitioner(
        actor(people.lead), referral_services.submit(actor(people.bob), ready_draft(people.bob, people.sefton)),
        "More detail")
    assert call(client, "get", f"/api/v1/drafts/{submitted.pk}/national", secret=secret).status_code == 200
    body = is_problem(call(client, "get", f"/api/v1/drafts/{returned.pk}/national", secret=secret), 404)
    assert body["type"].endswith("#problem-not-submitted")
    is_problem(call(client, "get", f"/api/v1/drafts/{submitted.pk}/national", secret=other), 404)
    is_problem(call(client, "get", f"/api/v1/drafts/{submitted.pk}/national", secret=no_scope), 403)
    is_problem(call(client, "get", f"/api/v1/drafts/{submitted.pk}/national"), 401)


def test_an_export_off_its_schema_is_a_500_problem_never_served(client, people, issue, monkeypatch):
    d = referral_services.submit(actor(people.alice), ready_draft(people.alice, people.sefton))
    _, secret = issue()
    real = national.build
    monkeypatch.setattr(national, "build", lambda *a, **k: real(*a, **k) | {"unexpected": True})
    body = is_problem(call(client, "get", f"/api/v1/drafts/{d.pk}/national", secret=secret), 500)
    assert "ssd_person" not in json.dumps(body)
    assert not AuditEvent.objects.filter(action="draft.export_national").exists()


def test_a_concern_closed_without_a_referral_has_no_export_and_its_read_says_so(client, people, issue):
    d = referral_services.submit(actor(people.alice), ready_draft(people.alice, people.sefton))
    referral_services.close(actor(people.lead), d, closure="no_referral", reason="Needs met in school (fictional)")
    _, secret = issue()
    body = is_problem(call(client, "get", f"/api/v1/drafts/{d.pk}/national", secret=secret), 404)
    assert body["type"].endswith("#problem-not-submitted") and "closed without a referral" in body["detail"]
    read = call(client, "get", f"/api/v1/drafts/{d.pk}", secret=secret).json()
    assert (read["status"], read["closure"], read["decision_outcome"], read["decision_on"]) == (
        "closed", "no_referral", None, None)
    assert read["state"].startswith("CLOSED WITHOUT A REFERRAL BY LEAD ON ")


def test_the_draft_read_carries_the_front_doors_decision_in_standard_terms(client, people, issue):
    from datetime import date

    from django.utils import timezone

    d = referral_services.approve(actor(people.lead), referral_services.submit(
        actor(people.alice), ready_draft(people.alice, people.sefton)))
    d = referral_services.mark_sent(actor(people.alice), d, timezone.now(), "Secure email", "")
    _, secret = issue()
    before = call(client, "get", f"/api/v1/drafts/{d.pk}", secret=secret).json()
    assert (before["decision_outcome"], before["decision_on"], before["closure"]) == (None, None, None)
    referral_services.record_decision(actor(people.alice), d, "cin_assessment", timezone.localdate())
    read = call(client, "get", f"/api/v1/drafts/{d.pk}", secret=secret).json()
    assert (read["status"], read["decision_outcome"], read["decision_on"]) == (
        "decided", "cin_assessment", date.isoformat(timezone.localdate()))
    export = call(client, "get", f"/api/v1/drafts/{d.pk}/national", secret=secret).json()
    assert export["ssd_cin_episodes"]["cine_referral_outcome_json"]["SINGLE_ASSESSMENT_FLAG"] == "Y"
