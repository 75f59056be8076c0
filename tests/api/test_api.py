"""The API's behaviour: the token scope matrix, scoping (the same as the organisation's lead), audit,
idempotency, the same suggestion as the pages, problem documents and limits."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from api import services as api_services
from api.models import ApiToken, IdempotencyKey, hash_secret
from assessments import services as assessment_services
from assessments.models import Assessment
from authorities.models import AuditEvent, Membership, Role
from referrals import services as referral_services
from referrals.models import Draft
from tests.api.conftest import bearer
from tests.factories import actor, assessment, catalogue, plain, ready_draft

pytestmark = pytest.mark.django_db
JSON = "application/json"
NAMED = {"mode": "named", "child_name": "Api Child (fictional)", "date_of_birth": "2019-03-04"}


def call(client, method, url, body=None, secret=None, **extra):
    headers = bearer(secret) if secret else {}
    if body is not None:
        return getattr(client, method)(url, json.dumps(body), content_type=JSON, **headers, **extra)
    return getattr(client, method)(url, **headers, **extra)


def is_problem(response, status, field=None):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"] and body["type"]
    if field is not None:
        assert body["field"] == field, body
    return body


def approved_draft(people):
    """Alice's draft, submitted and approved by the school's lead."""
    d = ready_draft(people.alice, people.sefton)
    d = referral_services.submit(actor(people.alice), d)
    return referral_services.approve(actor(people.lead), d)


# --- the scope matrix -----------------------------------------------------------------------------------

def _endpoints(a_id, d_id):
    return {  # name: (method, url, body, scope)
        "create": ("post", "/api/v1/assessments", {"mode": "consultation"}, "create_assessments"),
        "ticks": ("put", f"/api/v1/assessments/{a_id}/ticks", {"ticks": [], "revision": 1}, "create_assessments"),
        "read": ("get", f"/api/v1/assessments/{a_id}", None, "read"),
        "drafts": ("get", "/api/v1/drafts", None, "read_drafts"),
        "draft": ("get", f"/api/v1/drafts/{d_id}", None, "read_drafts"),
        "approved": ("get", f"/api/v1/drafts/{d_id}/approved", None, "read_drafts"),
    }


def test_the_token_scope_matrix(client, people, issue):
    """Every token endpoint, as each kind of caller: 401 without a usable token, 403 without the scope (before
    any lookup, so nothing about a record is told), 404 for another organisation's records, 2xx for the right one."""
    d = approved_draft(people)
    lead_made = assessment_services.start_assessment(actor(people.lead), people.sefton, mode="consultation")
    _, good = issue()
    expired_token, expired = issue()
    ApiToken.objects.filter(pk=expired_token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    revoked_token, revoked = issue()
    api_services.revoke(actor(people.lead), revoked_token)
    _, other_org = issue(people.outsider_lead)
    seen = {}
    for name, (method, url, body, scope) in _endpoints(lead_made.pk, d.pk).items():
        _, wrong_scope = issue(scopes=[s for s in ("read", "create_assessments", "read_drafts") if s != scope])
        for who, secret in {"none": None, "garbage": "tds_not-a-token", "expired": expired, "revoked": revoked,
                            "wrong_scope": wrong_scope, "other_org": other_org, "right": good}.items():
            response = call(client, method, url, body, secret)
            seen[(name, who)] = response.status_code
            if response.status_code >= 400:
                is_problem(response, response.status_code)
    expected = {}
    for name in _endpoints(0, 0):
        expected |= {(name, "none"): 401, (name, "garbage"): 401, (name, "expired"): 401, (name, "revoked"): 401,
                     (name, "wrong_scope"): 403}
        expected[(name, "other_org")] = {"create": 201, "drafts": 200}.get(name, 404)
        expected[(name, "right")] = {"create": 201}.get(name, 200)
    assert seen == expected


def test_a_token_sees_what_its_issuing_lead_sees_in_its_organisation(client, people, issue):
    _, secret = issue()
    submitted = referral_services.submit(actor(people.alice), ready_draft(people.alice, people.sefton))
    unsubmitted = ready_draft(people.bob, people.sefton)  # the lead does not see a draft before it is submitted
    alices_assessment = assessment(people.alice, people.sefton)  # nor a practitioner's assessment
    listed = call(client, "get", "/api/v1/drafts", secret=secret).json()
    assert [row["id"] for row in listed["items"]] == [submitted.pk]
    assert call(client, "get", f"/api/v1/drafts/{submitted.pk}", secret=secret).status_code == 200
    is_problem(call(client, "get", f"/api/v1/drafts/{unsubmitted.pk}", secret=secret), 404)
    is_problem(call(client, "get", f"/api/v1/assessments/{alices_assessment.pk}", secret=secret), 404)
    is_problem(call(client, "get", f"/api/v1/drafts/{submitted.pk}/approved", secret=secret), 404)  # not yet


def test_a_token_stops_working_when_its_issuer_no_longer_leads(client, people, issue):
    _, secret = issue()
    assert call(client, "get", "/api/v1/drafts", secret=secret).status_code == 200
    Membership.objects.filter(user=people.lead, role=Role.SAFEGUARDING_LEAD).delete()
    body = is_problem(call(client, "get", "/api/v1/drafts", secret=secret), 401)
    assert "no longer leads" in body["detail"]


def test_assessments_made_with_a_token_belong_to_the_lead_who_issued_it(client, people, issue):
    _, secret = issue()
    made = call(client, "post", "/api/v1/assessments", NAMED, secret)
    a = Assessment.objects.get(pk=made.json()["id"])
    assert (a.owner, a.organisation, a.child_name) == (people.lead, people.school, "Api Child (fictional)")


# --- the approved snapshot ------------------------------------------------------------------------------

def test_the_approved_referral_is_the_frozen_snapshot_the_pdf_prints(client, people, issue):
    d = approved_draft(people)
    _, secret = issue()
    body = call(client, "get", f"/api/v1/drafts/{d.pk}/approved", secret=secret).json()
    submission = d.submissions.get()
    shown, _state, digest = referral_services.printable(Draft.objects.get(pk=d.pk))
    assert body["record"] == submission.record == shown
    assert body["content_hash"] == submission.content_hash == digest
    assert body["reviewed_by"] == "Lead" and body["submission"] == 1
    Draft.objects.filter(pk=d.pk).update(worries="changed after approval")  # the live draft is not what was approved
    again = call(client, "get", f"/api/v1/drafts/{d.pk}/approved", secret=secret).json()
    assert again["record"] == submission.record


# --- audit ----------------------------------------------------------------------------------------------

def test_every_token_call_is_audited_under_the_token_organisation_and_named_on_the_audit_page(
        client, people, issue):
    token, secret = issue()
    made = call(client, "post", "/api/v1/assessments", {"mode": "consultation"}, secret).json()
    call(client, "put", f"/api/v1/assessments/{made['id']}/ticks", {"ticks": [], "revision": 1}, secret)
    call(client, "get", f"/api/v1/assessments/{made['id']}", secret=secret)
    call(client, "get", "/api/v1/drafts", secret=secret)
    call(client, "get", "/api/v1/assessments/999999", secret=secret)
    events = AuditEvent.objects.filter(job=f"API token {token.name}").order_by("id")
    assert [(e.action, e.organisation_id, e.actor_id) for e in events] == [
        ("assessment.create", people.school.pk, None), ("assessment.tick", people.school.pk, None),
        ("assessment.view", people.school.pk, None), ("api.draft_list", people.school.pk, None),
        ("access.denied", people.school.pk, None)]
    client.force_login(people.lead)
    page = client.get("/audit/").content.decode()
    assert f"API token {token.name}" in page and "Scheduled job: API token" not in page
    assert "Listed referral drafts through the API" in page


def test_a_call_refused_for_its_scope_is_audited(client, people, issue):
    token, secret = issue(scopes=["read"])
    is_problem(call(client, "get", "/api/v1/drafts", secret=secret), 403)
    event = AuditEvent.objects.get(action="api.scope_refused")
    assert event.job == f"API token {token.name}" and event.detail["scope"] == "read_drafts"


def test_public_calls_store_nothing(client, people):
    before = AuditEvent.objects.count(), Assessment.objects.count()
    ticks = plain(catalogue("sefton"), 2, 2)
    assert call(client, "post", "/api/v1/suggest", {"partnership": "sefton", "ticks": ticks}).status_code == 200
    assert (AuditEvent.objects.count(), Assessment.objects.count()) == before


# --- idempotency ----------------------------------------------------------------------------------------

def test_a_retried_create_with_the_same_key_makes_one_assessment(client, people, issue):
    _, secret = issue()
    first = call(client, "post", "/api/v1/assessments", NAMED, secret, HTTP_IDEMPOTENCY_KEY="k-1")
    again = call(client, "post", "/api/v1/assessments", NAMED, secret, HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert Assessment.objects.count() == 1
    other = call(client, "post", "/api/v1/assessments", NAMED, secret, HTTP_IDEMPOTENCY_KEY="k-2")
    assert other.json()["id"] != first.json()["id"]
    changed = call(client, "post", "/api/v1/assessments", NAMED | {"child_name": "Another (fictional)"}, secret,
                   HTTP_IDEMPOTENCY_KEY="k-1")
    is_problem(changed, 409)
    assert Assessment.objects.count() == 2


def test_the_same_key_from_another_token_is_another_request(client, people, issue):
    _, one = issue()
    _, two = issue()
    a = call(client, "post", "/api/v1/assessments", NAMED, one, HTTP_IDEMPOTENCY_KEY="same").json()
    b = call(client, "post", "/api/v1/assessments", NAMED, two, HTTP_IDEMPOTENCY_KEY="same").json()
    assert a["id"] != b["id"]


def test_two_racing_retries_make_one_assessment(people, issue, monkeypatch):
    """The race: both calls miss the key, both start an assessment; the unique key lets one through and the
    other's work (its assessment and audit event) is rolled back, answering with the first's assessment."""
    token, secret = issue()
    authority, actor_ = token.organisation.authority, api_services.authenticate(secret)[1]
    first, made = api_services.create_assessment(actor_, token, authority, "race", mode="consultation")
    real_replay = api_services._replay
    calls = []

    def missed_once(*args):
        calls.append(args)
        return None if len(calls) == 1 else real_replay(*args)

    monkeypatch.setattr(api_services, "_replay", missed_once)
    second, made_again = api_services.create_assessment(actor_, token, authority, "race", mode="consultation")
    assert (made, made_again, second.pk) == (True, False, first.pk)
    assert Assessment.objects.count() == 1 and IdempotencyKey.objects.count() == 1
    assert AuditEvent.objects.filter(action="assessment.create").count() == 1


# --- the same suggestion as the pages -------------------------------------------------------------------

def _engine_part(body):
    return {k: v for k, v in body.items() if k not in ("at", "partnership", "version")}


@pytest.mark.parametrize("slug", ["sefton", "knowsley", "halton"])
def test_the_api_and_the_assessment_page_give_the_same_suggestion(client, people, issue, slug):
    _, secret = issue()
    cat = catalogue(slug)
    ticks = plain(cat, 2, 2) + plain(cat, 3, 1) + [i.id for i in cat.indicators if i.child_protection][:1]
    made = call(client, "post", "/api/v1/assessments", {"mode": "consultation", "partnership": slug}, secret).json()
    saved = call(client, "put", f"/api/v1/assessments/{made['id']}/ticks",
                 {"ticks": ticks, "revision": made["revision"]}, secret).json()
    a = Assessment.objects.get(pk=made["id"])
    page_suggestion = assessment_services.suggestion_for(a)  # what the assessment page renders
    read = call(client, "get", f"/api/v1/assessments/{a.pk}", secret=secret).json()
    public = call(client, "post", "/api/v1/suggest", {"partnership": slug, "ticks": ticks}).json()
    expected = json.loads(json.dumps(page_suggestion.as_json()))
    assert _engine_part(saved["suggestion"]) == _engine_part(read["suggestion"]) == _engine_part(public) == expected
    assert a.suggested_level == saved["suggested_level"] == page_suggestion.level_number is not None
    client.force_login(people.lead)
    page = client.get(f"/assessments/{a.pk}/").content.decode()
    assert page_suggestion.level is not None and page_suggestion.level.name in page


def test_the_api_schema_carries_everything_the_engine_says():
    """A field added to Suggestion.as_json must be added to the API's SuggestionOut (not silently dropped)."""
    from api.schemas import SuggestionOut
    from catalogues.engine import suggest

    cat = catalogue("sefton")
    said = suggest(cat, plain(cat, 2, 2)).as_json()
    assert set(said) <= set(SuggestionOut.model_fields)


def test_stale_ticks_are_refused_with_a_conflict(client, people, issue):
    _, secret = issue()
    made = call(client, "post", "/api/v1/assessments", {"mode": "consultation"}, secret).json()
    ticks = plain(catalogue("sefton"), 2, 1)
    assert call(client, "put", f"/api/v1/assessments/{made['id']}/ticks", {"ticks": ticks, "revision": 1},
                secret).status_code == 200
    body = is_problem(call(client, "put", f"/api/v1/assessments/{made['id']}/ticks", {"ticks": [], "revision": 1},
                           secret), 409)
    assert "revision 2" in body["detail"]
    assert Assessment.objects.get(pk=made["id"]).ticks == ticks


# --- public calls, problems and limits ------------------------------------------------------------------

def test_the_public_guidance(client, people):
    assert {p["slug"] for p in call(client, "get", "/api/v1/partnerships").json()["items"]} >= {"sefton", "halton"}
    assert call(client, "get", "/api/v1/partnerships/sefton/versions").json()["items"][0]["number"] == 1
    indicators = call(client, "get", "/api/v1/partnerships/sefton/versions/1/indicators?page_size=100").json()
    assert indicators["count"] == len(catalogue("sefton").indicators) and len(indicators["items"]) == 100
    assert {"codes", "concepts"} <= set(indicators["items"][0])
    second = call(client, "get", "/api/v1/partnerships/sefton/versions/1/indicators?page_size=100&page=2").json()
    assert second["items"][0]["id"] == catalogue("sefton").indicators[100].id
    levels = call(client, "get", "/api/v1/partnerships/sefton/versions/1/levels").json()["items"]
    assert [lv["number"] for lv in levels] == [lv.number for lv in catalogue("sefton").levels]
    # Each level's national stage, so another system can compare schemes (Sefton's Level 4: s17 and s47).
    assert [(lv["code"], lv["band"]) for lv in levels] == [
        ("1", "universal"), ("2", "early_help"), ("3", "early_help"), ("4", "child_protection")]
    assert levels[3]["also_bands"] == ["child_in_need"] and levels[3]["label"].startswith("Level 4 – ")
    assert call(client, "get", "/api/v1/partnerships/sefton/versions/1/domains").json()["count"] >= 1
    contacts = call(client, "get", "/api/v1/partnerships/sefton/versions/1/contacts?at=2026-01-05T03:00:00Z").json()
    assert all("open_now" in c for c in contacts["items"])
    is_problem(call(client, "get", "/api/v1/partnerships/nowhere/versions"), 404)
    is_problem(call(client, "get", "/api/v1/partnerships/sefton/versions/99/levels"), 404)


def test_suggest_says_open_now_for_the_time_given(client, people):
    cat = catalogue("halton")
    ticks = plain(cat, 3, 1)
    assert [c for c in cat.contacts if c.windows and not c.always_open], "Halton gives office hours"
    at = {"sunday_night": "2026-01-04T23:30:00Z", "monday_morning": "2026-01-05T10:30:00Z"}
    seen = {}
    for when, iso in at.items():
        body = call(client, "post", "/api/v1/suggest", {"partnership": "halton", "ticks": ticks, "at": iso}).json()
        seen[when] = {c["id"]: c["open_now"] for c in body["emergency_contacts"] + body["contacts"]}
    assert seen["sunday_night"] != seen["monday_morning"]


def test_validation_errors_name_the_field(client, people, issue):
    cat = catalogue("sefton")
    good = plain(cat, 2, 1)[0]
    body = is_problem(call(client, "post", "/api/v1/suggest", {"partnership": "sefton", "ticks": [good, "nope"]}),
                      422, field="ticks[1]")
    assert "nope" in body["detail"]
    is_problem(call(client, "post", "/api/v1/suggest", {"partnership": "sefton"}), 422, field="ticks")
    is_problem(call(client, "post", "/api/v1/suggest", {"partnership": "sefton", "ticks": [good] * 501}), 422,
               field="ticks")
    is_problem(call(client, "get", "/api/v1/partnerships?page_size=101"), 422, field="page_size")
    _, secret = issue()
    is_problem(call(client, "post", "/api/v1/assessments", {"mode": "named"}, secret), 422, field="child_name")
    is_problem(call(client, "post", "/api/v1/assessments", {"mode": "consultation", "partnership": "nowhere"},
                    secret), 422, field="partnership")
    bad_json = client.post("/api/v1/suggest", "{not json", content_type=JSON)
    is_problem(bad_json, 400)


def test_limits_on_the_body_and_the_rate(client, people, settings):
    is_problem(client.post("/api/v1/suggest", json.dumps({"partnership": "sefton", "ticks": ["x" * 70_000]}),
                           content_type=JSON), 413)
    settings.API_PUBLIC_REQUESTS_PER_MINUTE = 3
    statuses = [call(client, "get", "/api/v1/partnerships").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = call(client, "get", "/api/v1/partnerships")
    is_problem(limited, 429)
    assert int(limited["Retry-After"]) <= 60
    other = call(client, "get", "/api/v1/partnerships", REMOTE_ADDR="192.0.2.7")  # another address is not limited
    assert other.status_code == 200


def test_every_error_is_a_problem_document(client, people):
    is_problem(call(client, "get", "/api/v1/no-such-thing"), 404)
    is_problem(call(client, "delete", "/api/v1/suggest"), 405)
    is_problem(call(client, "get", "/api/v1/drafts"), 401)
    assert call(client, "get", "/api/v1/drafts")["WWW-Authenticate"].startswith("Bearer")


def test_the_schema_and_the_docs_page(client, people):
    schema = call(client, "get", "/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/suggest", "/api/v1/assessments", "/api/v1/drafts/{draft_id}/approved"} <= set(schema["paths"])
    errors = schema["paths"]["/api/v1/suggest"]["post"]["responses"]["422"]["content"]
    assert list(errors) == ["application/problem+json"]
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assert "POST /api/v1/suggest" in html and "<script>" not in html and "cdn" not in html.lower()


# --- the lead's token pages -----------------------------------------------------------------------------

def test_a_lead_issues_a_token_seen_once_and_stored_hashed(client, people):
    client.force_login(people.lead)
    response = client.post("/api-tokens/new/", {"organisation": people.school.pk, "name": "CPOMS link",
                                                "scopes": ["read", "read_drafts"], "expires_in": "90"})
    assert response.status_code == 200
    secret = response.content.decode().split('data-testid="api-secret">')[1].split("<")[0]
    token = ApiToken.objects.get()
    assert token.token_hash == hash_secret(secret) and secret not in json.dumps(list(ApiToken.objects.values()),
                                                                                default=str)
    assert token.scopes == ["read", "read_drafts"] and token.created_by == people.lead
    listing = client.get("/api-tokens/").content.decode()
    assert "CPOMS link" in listing and secret not in listing
    assert call(client, "get", "/api/v1/drafts", secret=secret).status_code == 200
    assert AuditEvent.objects.filter(action="api.token_issued", actor=people.lead).exists()


def test_a_lead_revokes_a_token_after_confirming(client, people, issue):
    token, secret = issue()
    client.force_login(people.lead)
    assert "Yes, revoke it" in client.get(f"/api-tokens/{token.pk}/revoke/").content.decode()
    assert ApiToken.objects.get().revoked_at is None  # asking is not revoking
    assert client.post(f"/api-tokens/{token.pk}/revoke/").status_code == 302
    assert ApiToken.objects.get().revoked_at is not None
    assert call(client, "get", "/api/v1/drafts", secret=secret).status_code == 401


def test_only_leads_reach_the_token_pages_and_only_their_organisations_tokens(access, people, issue):
    token, _ = issue()
    assert access("get", "/api-tokens/", who=["colleague", "lead", "outsider", "outsider_lead", "admin",
                                              "anonymous"]) == {
        "colleague": 404, "lead": 200, "outsider": 404, "outsider_lead": 200, "admin": 404, "anonymous": "sign-in"}
    assert access("post", f"/api-tokens/{token.pk}/revoke/", who=["colleague", "outsider_lead", "anonymous"]) == {
        "colleague": 404, "outsider_lead": 404, "anonymous": "sign-in"}
    assert ApiToken.objects.get().revoked_at is None


def test_the_issue_command_prints_the_secret_once(people, capsys):
    from django.core.management import call_command

    get_user_model().objects.filter(pk=people.lead.pk).update(username="lead.test")
    call_command("issue_api_token", "lead.test", "--name", "demo")
    secret = capsys.readouterr().out.strip()
    token, acting = api_services.authenticate(secret)
    assert token.name == "demo" and acting.user == people.lead and set(token.scopes) == {
        "read", "create_assessments", "read_drafts"}


def test_leads_find_api_tokens_in_the_navigation(client, people):
    client.force_login(people.lead)
    assert 'href="/api-tokens/"' in client.get("/").content.decode()
    client.force_login(people.alice)
    assert 'href="/api-tokens/"' not in client.get("/").content.decode()
