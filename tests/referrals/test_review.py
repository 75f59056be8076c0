"""The review (referrals.services and the review pages): submit, return with comments, revise, approve,
send, record the decision; who may make each step; the lead's queue and the emails that say so."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from referrals import services
from referrals.models import Draft
from tests.conftest import SIGN_IN
from tests.factories import actor, ready_draft
from tests.pages import html

pytestmark = pytest.mark.django_db


def test_standard_cases_of_the_review_queue(people, access):
    url = reverse("review-queue")
    assert access("get", url) == {"colleague": 404, "lead": 200, "outsider": 404, "outsider_lead": 200, "admin": 404,
                                  "anonymous": SIGN_IN, "owner": 404}
    assert access("post", url, owner=people.lead, who=["owner"]) == {"owner": 405}


def test_the_queue_holds_the_organisations_submitted_drafts_only(people, login):
    ours = services.submit(actor(people.alice), ready_draft(people.alice, people.sefton))
    ready_draft(people.bob, people.sefton)  # not submitted
    services.submit(actor(people.outsider), ready_draft(people.outsider, people.halton))
    page = login(people.lead).get(reverse("review-queue")).content.decode()
    assert "1 draft waiting for review" in page and f"Draft {ours.pk}" in page


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
    d = services.save(actor(people.alice), d, {"gp": "Example Surgery"}, d.revision)
    client.post(reverse("draft-submit", args=[d.pk]))
    client.force_login(people.lead)
    client.post(reverse("draft-review", args=[d.pk]), {"decision": "approve", "comment": ""})
    client.force_login(people.alice)
    client.post(reverse("draft-sent", args=[d.pk]), {"sent_on": "20/11/2026", "how": "Secure email", "reference": "R1"})
    client.post(reverse("draft-decision", args=[d.pk]), {"outcome": "early_help", "decided_on": "23/11/2026",
                                                         "notes": "Family hub to call"})
    d.refresh_from_db()
    assert d.status == "decided" and d.sent_reference == "R1"
    assert (d.decision_outcome, d.decision_on, d.decision) == ("early_help", date(2026, 11, 23), "Family hub to call")
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
        services.submit(actor(people.bob), d)
    services.submit(actor(people.alice), d)
    with pytest.raises(services.NotAllowed):
        services.approve(actor(people.alice), d)  # a practitioner cannot approve their own draft
    with pytest.raises(services.NotAllowed):
        services.approve(actor(people.outsider_lead), d)
    services.approve(actor(people.lead), d)
    with pytest.raises(services.NotAllowed):
        services.save(actor(people.alice), Draft.objects.get(), {"worries": "late edit"}, Draft.objects.get().revision)


def test_no_one_reviews_a_referral_they_wrote(people, client):
    d = ready_draft(people.lead, people.sefton)  # a lead can assess and draft too
    services.submit(actor(people.lead), d)
    for action in (lambda: services.approve(actor(people.lead), d), lambda: services.return_to_practitioner(actor(people.lead), d, "looks fine to me")):
        with pytest.raises(services.NotAllowed, match="another safeguarding lead"):
            action()
    assert not Draft.objects.waiting_for(actor(people.lead)).filter(pk=d.pk).exists(), "not in their own queue"
    client.force_login(people.lead)
    client.post(reverse("draft-review", args=[d.pk]), {"decision": "approve"})
    assert Draft.objects.get(pk=d.pk).status == "submitted"


def test_queue_is_oldest_first_and_counts_show_on_the_navigation(people, client):
    first = ready_draft(people.alice, people.sefton)
    second = ready_draft(people.bob, people.sefton)
    services.submit(actor(people.bob), second)
    services.submit(actor(people.alice), first)
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
        services.submit(actor(people.alice), d)
    [message] = mail.outbox
    assert message.to == ["lead@example.invalid"]
    assert f"/drafts/{d.pk}/" in message.body
    assert "Zebedee" not in message.body + message.subject


@pytest.mark.django_db
def test_each_state_shows_its_next_step_and_only_it(people, client):
    from referrals import services as referral_services

    d = referral_services.submit(actor(people.alice), ready_draft(people.alice, people.sefton))
    client.force_login(people.lead)
    steps = ["Record that it was sent", "The front door's decision", "Decision: "]

    def shown():
        page = client.get(reverse("draft-detail", args=[d.pk])).content.decode()
        return [s in page for s in steps]

    assert shown() == [False, False, False]
    referral_services.approve(actor(people.lead), d)
    assert shown() == [True, False, False]
    referral_services.mark_sent(actor(people.lead), d, timezone.now(), "secure email", "")
    assert shown() == [False, True, False]
    referral_services.record_decision(actor(people.lead), d, "early_help", timezone.localdate())
    assert shown() == [False, False, True]


@pytest.mark.django_db
def test_after_a_resubmission_the_lead_sees_what_changed_since_they_returned_it(people, client):
    from assessments import services as assessment_services
    from assessments.models import Assessment
    from referrals import services as referral_services
    from tests.factories import plain

    d = referral_services.submit(actor(people.alice), ready_draft(people.alice, people.sefton, level=2))
    client.force_login(people.lead)
    assert 'data-testid="changes"' not in client.get(reverse("draft-detail", args=[d.pk])).content.decode()
    referral_services.return_to_practitioner(actor(people.lead), d, "Say what attendance is like")
    a = Assessment.objects.get(pk=d.assessment.pk)
    added = next(i for i in plain(a.catalogue_version.catalogue, 2) if i not in a.ticks)
    assessment_services.save_ticks(actor(people.alice), a, a.ticks + [added])
    d = Draft.objects.get(pk=d.pk)
    d = referral_services.save(actor(people.alice), d, {"worries": "Attendance is 80% this term"}, d.revision)
    referral_services.submit(actor(people.alice), d)
    page = client.get(reverse("draft-detail", args=[d.pk])).content.decode()
    changes = page.split('data-testid="changes"', 1)[1].split("</dl>", 1)[0]
    assert "Concern added" in changes and "What are we worried about?" in changes
    assert "Now: Attendance is 80% this term" in changes
    assert "Level chosen" not in changes and "Consent" not in changes  # only what changed


@pytest.mark.django_db
def test_the_queue_shows_danger_first_with_the_level_and_how_long_it_has_waited(people, client):
    from assessments import services as assessment_services
    from catalogues.models import CatalogueVersion
    from referrals import services as referral_services
    from tests.factories import PHONED, READY, assessment

    older = referral_services.submit(actor(people.alice), ready_draft(people.alice, people.sefton, level=2))
    Draft.objects.filter(pk=older.pk).update(submitted_at=timezone.now() - timedelta(days=2, hours=3))
    catalogue = CatalogueVersion.objects.current_for_slug("sefton").catalogue
    decisive = next(i.id for i in catalogue.indicators if i.child_protection and i.child_protection.decisive
                    and not i.immediate_danger and not i.retired)
    a = assessment(people.bob, people.sefton, level=2, n=1)
    assessment_services.save_ticks(actor(people.bob), a, a.ticks + [decisive])
    urgent = referral_services.create_from_assessment(actor(people.bob), a)
    urgent = referral_services.save(actor(people.bob), urgent, READY | PHONED | {"chosen_level": 4}, urgent.revision)
    referral_services.submit(actor(people.bob), urgent)
    client.force_login(people.lead)
    rows = client.get(reverse("review-queue")).content.decode().split('data-testid="queue-row"')[1:]
    assert f"Draft {urgent.pk}" in rows[0] and "Child protection" in rows[0] and "Level 4" in rows[0]
    assert f"Draft {older.pk}" in rows[1] and "2 days 3 h" in rows[1] and "Child protection" not in rows[1]


@pytest.mark.django_db
def test_after_submitting_the_practitioner_sees_what_happens_next_not_the_checklist(people, client):
    from referrals import services as referral_services

    d = ready_draft(people.alice, people.sefton)
    client.force_login(people.alice)
    before = client.get(reverse("draft-detail", args=[d.pk])).content.decode()
    assert "Before it is ready" in before and 'data-testid="next-steps"' not in before
    referral_services.submit(actor(people.alice), d)
    after = client.get(reverse("draft-detail", args=[d.pk])).content.decode()
    assert "Before it is ready" not in after and "Your safeguarding lead reviews exactly what you submitted" in after
    client.force_login(people.lead)
    assert 'data-testid="next-steps"' not in client.get(reverse("draft-detail", args=[d.pk])).content.decode()


@pytest.mark.django_db
def test_recording_it_as_sent_starts_from_today(people, client):
    from referrals import services as referral_services

    d = referral_services.submit(actor(people.alice), ready_draft(people.alice, people.sefton))
    referral_services.approve(actor(people.lead), d)
    client.force_login(people.lead)
    page = html(client.get(reverse("draft-detail", args=[d.pk])).content.decode())
    today = timezone.localdate()
    assert [page.find("input", id=f"id_sent_on_{part}").attrs.get("value") for part in ("day", "month", "year")] \
        == [str(today.day), str(today.month), str(today.year)]


def test_the_lead_records_their_own_view_of_the_level_with_a_reason(people, client):
    """A review that can change the decision: the lead's level, kept on the submission they reviewed and
    shown on the draft; a different level without a reason is refused and nothing is recorded."""
    d = services.submit(actor(people.alice), ready_draft(people.alice, people.sefton, level=2))
    client.force_login(people.lead)
    url = reverse("draft-review", args=[d.pk])
    refused = client.post(url, {"decision": "approve", "lead_level": "3"})
    assert refused.status_code == 400
    assert "Say why you see the level differently" in refused.content.decode()
    assert Draft.objects.get(pk=d.pk).status == "submitted"
    client.post(url, {"decision": "approve", "lead_level": "3", "lead_level_reason": "Neglect over two years"})
    submission = Draft.objects.get(pk=d.pk).submissions.get()
    assert (submission.outcome, submission.lead_level, submission.lead_level_reason) == (
        "approved", 3, "Neglect over two years")
    page = html(client.get(reverse("draft-detail", args=[d.pk])).content.decode())
    view = page.find(data_testid="lead-level").all_text()
    level3 = d.catalogue_version.catalogue.levels[2].label
    assert view == f"{people.lead.get_full_name()}'s view of the level: {level3}. Neglect over two years"


def test_a_lead_who_agrees_records_no_level_of_their_own(people, client):
    d = services.submit(actor(people.alice), ready_draft(people.alice, people.sefton, level=2))
    client.force_login(people.lead)
    page = html(client.get(reverse("draft-detail", args=[d.pk])).content.decode())
    options = [o.all_text() for o in page.find("select", name="lead_level").find_all("option")]
    assert options[0].startswith("The same as the practitioner's: Level 2")
    assert not any(o.startswith("Level 2") for o in options[1:]), "their own level is the first choice, once"
    client.post(reverse("draft-review", args=[d.pk]), {"decision": "approve", "lead_level": ""})
    submission = Draft.objects.get(pk=d.pk).submissions.get()
    assert submission.outcome == "approved" and submission.lead_level is None


@pytest.mark.django_db
def test_the_queue_pages_the_longest_waiting_first_in_constant_queries(people, client, django_assert_max_num_queries):
    """Many drafts waiting: 50 a page, the longest waiting first across pages (ordered in the database), and
    the page's queries do not grow with the queue."""
    from catalogues.models import CatalogueVersion
    from referrals import history
    from referrals.views import QUEUE_PAGE

    version = CatalogueVersion.objects.current_for(people.sefton)
    # Concerns raised today: the reviews due after today have not happened, so they wait in the queue.
    history.seed(version, history.Cast(people.school.pk, [people.alice.pk], [people.lead.pk]), 200,
                 end=timezone.localdate(), days=1)
    waiting = sorted(Draft.objects.filter(organisation=people.school, status="submitted"),
                     key=lambda d: (not d.submissions.get(outcome="").urgent, d.submitted_at, d.pk))
    assert len(waiting) > QUEUE_PAGE and waiting[0].submissions.get().urgent, "danger and child protection first"
    client.force_login(people.lead)
    with django_assert_max_num_queries(12):
        first = client.get(reverse("review-queue")).content.decode()
    rows = first.split('data-testid="queue-row"')[1:]
    assert len(rows) == QUEUE_PAGE and f"Draft {waiting[0].pk} " in rows[0]
    assert f"{len(waiting)} drafts waiting" in first
    second = client.get(reverse("review-queue"), {"page": 2}).content.decode().split('data-testid="queue-row"')[1:]
    assert f"Draft {waiting[QUEUE_PAGE].pk} " in second[0]


@pytest.mark.django_db
def test_the_notification_count_is_what_waits_for_review_and_what_came_back(people):
    from referrals.models import Status
    lead = actor(people.lead)
    services.submit(actor(people.alice), ready_draft(people.alice, people.sefton))  # waits for the lead
    services.submit(actor(people.bob), ready_draft(people.bob, people.sefton))  # waits for the lead
    services.submit(actor(people.outsider), ready_draft(people.outsider, people.halton))  # another organisation's
    own = ready_draft(people.lead, people.sefton)
    services.submit(lead, own)  # the lead's own: a second lead reviews it, so it does not wait for this one
    ready_draft(people.lead, people.sefton)  # the lead's unsent draft: nothing to act on
    assert services.notification_count(lead) == 2
    Draft.objects.filter(pk=own.pk).update(status=Status.RETURNED)  # came back to the lead as its author
    assert services.notification_count(lead) == 3
    assert services.notification_count(actor(people.alice)) == 0
    Draft.objects.filter(owner=people.alice).update(status=Status.APPROVED)
    assert services.notification_count(actor(people.alice)) == 1
    assert services.notification_count(lead) == 2
