"""Issue: organisations, roles, review workflow, audit, sessions, retention."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment
from authorities.actor import Actor
from authorities.models import AppendOnlyError, AuditEvent
from escalation import services as esc_services
from referrals import services
from referrals.models import Draft
from tests.conftest import PASSWORD
from tests.helpers import assessment, ready_draft

pytestmark = pytest.mark.django_db


def case_urls(a, d, case):
    return [
        ("get", reverse("assessment-detail", args=[a.pk]), {}),
        ("post", reverse("assessment-detail", args=[a.pk]), {"tick": []}),
        ("post", reverse("assessment-choose-level", args=[a.pk]), {"level": "2"}),
        ("post", reverse("draft-create", args=[a.pk]), {}),
        ("get", reverse("draft-detail", args=[d.pk]), {}),
        ("post", reverse("draft-detail", args=[d.pk]), {"revision": d.revision}),
        ("get", reverse("draft-pdf", args=[d.pk]), {"purpose": "record"}),
        ("post", reverse("draft-submit", args=[d.pk]), {}),
        ("post", reverse("draft-review", args=[d.pk]), {"decision": "approve"}),
        ("post", reverse("draft-sent", args=[d.pk]), {"sent_on": "01/01/2026", "how": "email"}),
        ("post", reverse("draft-decision", args=[d.pk]), {"decision": "x"}),
        ("get", reverse("escalation-detail", args=[case.pk]), {}),
        ("post", reverse("escalation-step", args=[case.pk]), {"participants": "x"}),
        ("post", reverse("escalation-close", args=[case.pk]), {"resolution": "x"}),
        ("get", reverse("escalation-form-pdf", args=[case.pk, "summary-log"]), {}),
    ]


def _fixture(people):
    d = ready_draft(people.alice, people.sefton)
    case = esc_services.open_case(Actor.of(people.alice), people.sefton, our_agency="A", other_agency="B", about="x",
                                  outcome_sought="y")
    return d.assessment, d, case


def test_outsiders_get_404_on_every_case_url_and_anonymous_is_sent_to_sign_in(people, client):
    a, d, case = _fixture(people)
    for user in (people.bob, people.outsider, people.outsider_lead, people.admin, people.lead):
        client.force_login(user)
        for method, url, data in case_urls(a, d, case):
            if user is people.lead and "escalation" in url:
                continue  # the lead of the organisation sees its escalations (below)
            response = getattr(client, method)(url, data)
            assert response.status_code == 404, (user.username, method, url, response.status_code)
    client.logout()
    for method, url, data in case_urls(a, d, case):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url
    assert Draft.objects.get().status == "draft"  # nothing an outsider did changed anything


def test_a_superuser_is_not_a_back_door(people, client):
    from django.contrib.auth import get_user_model

    a, d, case = _fixture(people)
    root = get_user_model().objects.create_superuser("root", "root@example.invalid", PASSWORD)
    client.force_login(root)
    for method, url, data in case_urls(a, d, case):
        assert getattr(client, method)(url, data).status_code == 404, url


def test_lead_sees_drafts_of_their_organisation_only_once_submitted(people, client):
    d = ready_draft(people.alice, people.sefton)
    client.force_login(people.lead)
    assert client.get(reverse("draft-detail", args=[d.pk])).status_code == 404
    services.submit(Actor.of(people.alice), d)
    assert client.get(reverse("draft-detail", args=[d.pk])).status_code == 200
    client.force_login(people.outsider_lead)
    assert client.get(reverse("draft-detail", args=[d.pk])).status_code == 404


def test_review_round_trip_is_recorded_with_who_and_when(people, client):
    d = ready_draft(people.alice, people.sefton)
    client.force_login(people.alice)
    assert client.post(reverse("draft-submit", args=[d.pk])).status_code == 302
    client.force_login(people.lead)
    queue = client.get(reverse("review-queue")).content.decode()
    assert "1 draft waiting for review" in queue
    response = client.post(reverse("draft-review", args=[d.pk]), {"decision": "return", "comment": ""})
    assert response.status_code == 400 and "Say what needs to change" in response.content.decode()
    client.post(reverse("draft-review", args=[d.pk]), {"decision": "return", "comment": "Add the GP please"})
    d.refresh_from_db()
    assert d.status == "returned"
    client.force_login(people.alice)
    page = client.get(reverse("draft-detail", args=[d.pk])).content.decode()
    assert "Add the GP please" in page
    d = services.save(Actor.of(people.alice), d, {"gp": "Example Surgery"}, d.revision)
    client.post(reverse("draft-submit", args=[d.pk]))
    client.force_login(people.lead)
    client.post(reverse("draft-review", args=[d.pk]), {"decision": "approve", "comment": ""})
    client.force_login(people.alice)
    client.post(reverse("draft-sent", args=[d.pk]), {"sent_on": "20/11/2026", "how": "Secure email", "reference": "R1"})
    client.post(reverse("draft-decision", args=[d.pk]), {"decision": "Early help offered"})
    d.refresh_from_db()
    assert d.status == "decided" and d.sent_reference == "R1"
    history = [(e.action, e.actor.username, e.from_status, e.to_status) for e in d.events.all()]
    assert history == [
        ("create", "alice", "", "draft"),
        ("submitted", "alice", "draft", "submitted"),
        ("returned", "lead", "submitted", "returned"),
        ("submitted", "alice", "returned", "submitted"),
        ("approved", "lead", "submitted", "approved"),
        ("sent", "alice", "approved", "sent"),
        ("decision recorded", "alice", "sent", "decided"),
    ]


def test_only_the_right_role_can_make_each_transition(people):
    d = ready_draft(people.alice, people.sefton)
    with pytest.raises(services.NotAllowed):
        services.submit(Actor.of(people.bob), d)
    services.submit(Actor.of(people.alice), d)
    with pytest.raises(services.NotAllowed):
        services.approve(Actor.of(people.alice), d)  # a practitioner cannot approve their own draft
    with pytest.raises(services.NotAllowed):
        services.approve(Actor.of(people.outsider_lead), d)
    services.approve(Actor.of(people.lead), d)
    with pytest.raises(services.NotAllowed):
        services.save(Actor.of(people.alice), Draft.objects.get(), {"worries": "late edit"}, Draft.objects.get().revision)


def test_no_one_reviews_a_referral_they_wrote(people, client):
    d = ready_draft(people.lead, people.sefton)  # a lead can assess and draft too
    services.submit(Actor.of(people.lead), d)
    for action in (lambda: services.approve(Actor.of(people.lead), d), lambda: services.return_to_practitioner(Actor.of(people.lead), d, "looks fine to me")):
        with pytest.raises(services.NotAllowed, match="another safeguarding lead"):
            action()
    assert not Draft.objects.waiting_for(Actor.of(people.lead)).filter(pk=d.pk).exists(), "not in their own queue"
    client.force_login(people.lead)
    client.post(reverse("draft-review", args=[d.pk]), {"decision": "approve"})
    assert Draft.objects.get(pk=d.pk).status == "submitted"


def test_queue_is_oldest_first_and_counts_show_on_the_navigation(people, client):
    first = ready_draft(people.alice, people.sefton)
    second = ready_draft(people.bob, people.sefton)
    services.submit(Actor.of(people.bob), second)
    services.submit(Actor.of(people.alice), first)
    Draft.objects.filter(pk=second.pk).update(submitted_at=timezone.now() - timedelta(hours=3))
    client.force_login(people.lead)
    page = client.get(reverse("review-queue")).content.decode()
    assert page.index(f"Draft {second.pk}") < page.index(f"Draft {first.pk}")
    assert 'data-testid="notifications">2<' in page


def test_emails_carry_a_link_and_no_child_details(people, django_capture_on_commit_callbacks):
    d = ready_draft(people.alice, people.sefton, child_name="Zebedee Unique-Name")
    people.lead.email = "lead@example.invalid"
    people.lead.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(Actor.of(people.alice), d)
    [message] = mail.outbox
    assert message.to == ["lead@example.invalid"]
    assert f"/drafts/{d.pk}/" in message.body
    assert "Zebedee" not in message.body + message.subject


def test_each_audited_action_writes_exactly_one_event_without_the_childs_name(people, client):
    d = ready_draft(people.alice, people.sefton, child_name="Zebedee Unique-Name")
    client.force_login(people.alice)
    actions = [
        ("draft.view", lambda: client.get(reverse("draft-detail", args=[d.pk]))),
        ("draft.pdf", lambda: client.get(reverse("draft-pdf", args=[d.pk]), {"purpose": "review"})),
        ("draft.save", lambda: client.post(reverse("draft-detail", args=[d.pk]), {
            "revision": Draft.objects.get().revision, "child_name": "Zebedee Unique-Name", "chosen_level": "2",
            "child_voice": "Says hello", "household-0-name": "Parent Testperson", "referrer_phone": "0123",
            "parents_aware": "yes", "consent": "explicit"})),
        ("assessment.view", lambda: client.get(reverse("assessment-detail", args=[d.assessment_id]))),
        ("assessment.tick", lambda: client.post(reverse("assessment-detail", args=[d.assessment_id]),
                                                {"tick": d.assessment.ticks}, HTTP_HX_REQUEST="true")),
        ("draft.submitted", lambda: client.post(reverse("draft-submit", args=[d.pk]))),
    ]
    for action, call in actions:
        before = AuditEvent.objects.count()
        call()
        new = list(AuditEvent.objects.order_by("-id")[: AuditEvent.objects.count() - before])
        assert [e.action for e in new] == [action], action
    for e in AuditEvent.objects.all():
        assert "Zebedee" not in json.dumps([e.action, e.object_id, e.purpose, e.detail, e.actor_role])


def test_audit_events_cannot_be_changed_or_deleted(people):
    ready_draft(people.alice, people.sefton)
    event = AuditEvent.objects.first()
    event.action = "tampered"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.update(action="x")


def test_audit_refuses_a_write_without_an_actor():
    from django.contrib.auth.models import AnonymousUser

    from authorities import audit

    for nobody in (None, AnonymousUser(), Actor(), Actor.of(AnonymousUser())):
        with pytest.raises(audit.MissingActorError):
            audit.record(nobody, "x")


def test_leads_see_their_organisations_events_filtered(people, client):
    d = ready_draft(people.alice, people.sefton)
    ready_draft(people.outsider, people.halton)
    client.force_login(people.lead)
    page = client.get(reverse("audit-log"), {"action": "draft.create"}).content.decode()
    assert f"referrals.draft {d.pk}" in page and "1 event" in page
    client.force_login(people.alice)
    assert client.get(reverse("audit-log")).status_code == 404


def _sign_in(client, username="alice", password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_idle_sessions_end_after_15_minutes_without_losing_the_draft(people, client):
    d = ready_draft(people.alice, people.sefton, worries="Kept safe")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        _sign_in(client)
        assert client.get(reverse("draft-detail", args=[d.pk])).status_code == 200
        clock.shift(timedelta(minutes=14))
        assert client.get(reverse("draft-detail", args=[d.pk])).status_code == 200
        clock.shift(timedelta(minutes=16))
        response = client.get(reverse("draft-detail", args=[d.pk]))
        assert response.status_code == 302 and "timed_out=1" in response["Location"]
        assert f"next=/drafts/{d.pk}/" in response["Location"]
    assert Draft.objects.get().worries == "Kept safe"


def test_sessions_end_after_12_hours_in_all(people, client):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        _sign_in(client)
        for _ in range(12 * 6):  # active every 10 minutes
            clock.shift(timedelta(minutes=10))
            assert client.get("/").status_code == 200
        clock.shift(timedelta(minutes=1))
        response = client.get("/")
        assert response.status_code == 302 and "timed_out=1" in response["Location"]


def test_htmx_requests_after_timeout_are_told_to_redirect(people, client):
    a = assessment(people.alice, people.sefton)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        _sign_in(client)
        clock.shift(timedelta(minutes=20))
        response = client.post(reverse("assessment-detail", args=[a.pk]), {"tick": []}, HTTP_HX_REQUEST="true")
        assert "HX-Redirect" in response
    assert Assessment.objects.get().ticks == a.ticks


def test_disabling_a_user_ends_their_sessions(people, client):
    _sign_in(client)
    assert Session.objects.count() == 1
    people.alice.is_active = False
    people.alice.save()
    assert Session.objects.count() == 0
    assert client.get("/").status_code == 302


def test_sign_in_locks_after_five_failures_with_a_generic_message(people, client):
    for _ in range(5):
        response = _sign_in(client, password="wrong-password")
    response = _sign_in(client)  # right password, but locked
    body = response.content.decode()
    assert "You cannot sign in at the moment" in body
    assert client.get("/").status_code == 302


def test_wrong_password_message_does_not_say_which_part_is_wrong(people, client):
    body = _sign_in(client, password="wrong-password").content.decode()
    assert "Enter a correct username and password" in body


def test_signed_in_pages_are_not_cached(people, client):
    client.force_login(people.alice)
    assert client.get("/")["Cache-Control"] == "no-store"


def test_retention_removes_what_is_due_and_leaves_an_audit_event(people):
    from django.core.management import call_command

    old = ready_draft(people.alice, people.sefton)
    fresh = ready_draft(people.alice, people.sefton)
    Draft.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=400))
    call_command("apply_retention", stdout=__import__("io").StringIO())
    assert list(Draft.objects.values_list("pk", flat=True)) == [fresh.pk]
    event = AuditEvent.objects.get(action="retention.delete", object_id=str(old.pk))
    assert event.purpose == "retention" and "365 days" in event.detail["reason"]
