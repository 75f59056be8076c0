"""The demo's year of fictional history (referrals/history.py via seed_demo_history): enough assessments,
referrals, reviews, closures and decisions for the insight pages to show something on first run, every
record coherent (nothing dated after today, each status with what it needs), and never outside demo mode."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.utils import timezone

from assessments.models import Assessment
from authorities.models import AuditEvent, Organisation
from referrals.models import Draft, Status, Submission
from referrals.outcomes import STAGE_OF_OUTCOME

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    with override_settings(DEMO=True):
        call_command("seed_demo", stdout=StringIO())
        call_command("seed_demo_history", "--per-organisation", "60", stdout=StringIO())
        call_command("seed_demo_history", "--per-organisation", "60", stdout=StringIO())  # adds nothing
    return Draft.objects.all()


def test_each_demo_organisation_gets_a_year_of_fictional_history_once(seeded):
    today = timezone.localdate()
    for org in Organisation.objects.filter(memberships__role="safeguarding_lead").distinct():
        made = Assessment.objects.filter(organisation=org)
        assert made.count() == 60, org.name
        assert all("(fictional)" in a.child_name for a in made)
        first, last = min(a.created_at for a in made), max(a.created_at for a in made)
        assert timezone.localdate(last) <= today and timezone.localdate(first) >= today - timedelta(days=366)
        assert (today - timezone.localdate(first)).days > 180  # spread over the year, not one week
    assert AuditEvent.objects.filter(action="demo.history_seeded", job="demo history").count() == \
        Organisation.objects.filter(memberships__role="safeguarding_lead").distinct().count()


def test_every_record_is_coherent_and_nothing_happens_after_today(seeded):
    today = timezone.localdate()
    statuses = set(seeded.values_list("status", flat=True))
    assert {Status.DECIDED, Status.CLOSED, Status.SENT} <= statuses  # every measure has something to show
    for draft in seeded.select_related("assessment"):
        subs = list(draft.submissions.order_by("number"))
        assert subs and draft.assessment.locked, draft.pk
        last = subs[-1]
        assert draft.submitted_at == last.submitted_at and draft.assessment.created_at <= last.submitted_at
        if draft.status == Status.SUBMITTED:
            assert last.outcome == Submission.Outcome.WAITING and last.reviewed_at is None
            continue
        assert last.reviewed_at is not None and last.submitted_at <= last.reviewed_at
        assert timezone.localdate(last.reviewed_at) <= today
        if draft.status == Status.CLOSED:
            assert last.outcome == Submission.Outcome.CLOSED and draft.closure and draft.closed_by_id
            continue
        assert last.outcome == Submission.Outcome.APPROVED
        if draft.status in (Status.SENT, Status.DECIDED):
            assert timezone.localdate(last.reviewed_at) <= timezone.localdate(draft.sent_at) <= today
        if draft.status == Status.DECIDED:
            assert draft.decision_outcome in STAGE_OF_OUTCOME
            assert timezone.localdate(draft.sent_at) <= draft.decision_on <= today
        else:
            assert not draft.decision_outcome and draft.decision_on is None


def test_the_health_visiting_lead_never_changes_anything_a_prompt_for_supervision(seeded):
    """The demo shows the insight page's supervision prompt: one lead approves everything as it came."""
    for draft in seeded.select_related("organisation"):
        changed = draft.submissions.exclude(outcome__in=["", "approved"]).exists() or \
            draft.submissions.exclude(lead_level=None).exists()
        if not draft.organisation.is_school:
            assert not changed, draft.pk


@override_settings(DEMO=False, DEBUG=False)
def test_it_refuses_outside_demo_mode():
    with pytest.raises(CommandError, match="only in demo mode"):
        call_command("seed_demo_history", stdout=StringIO())


def test_steps_due_after_the_end_have_not_happened_yet(people):
    """A week of history ending today: reviews, sendings and decisions that would fall after today are left
    waiting (in the queue, approved, or sent without a decision), never dated in the future."""
    from catalogues.models import CatalogueVersion
    from referrals import history

    version = CatalogueVersion.objects.current_for(people.sefton)
    today = timezone.localdate()
    history.seed(version, history.Cast(people.school.pk, [people.alice.pk], [people.lead.pk]), 300, end=today, days=7)
    drafts = Draft.objects.filter(organisation=people.school)
    assert drafts.filter(status=Status.SENT).exists() and drafts.filter(status=Status.SUBMITTED).exists()
    assert not drafts.filter(decision_on__gt=today).exists()
    assert not drafts.filter(sent_at__date__gt=today).exists()
    assert not Submission.objects.filter(draft__in=drafts, reviewed_at__date__gt=today).exists()
