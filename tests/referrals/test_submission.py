"""referrals/record.py and the submission: what the lead approves is exactly what is sent: submission freezes the record, the assessment
behind it is read-only, the review is recorded on the frozen submission, and a return reopens both."""

from __future__ import annotations

import pytest

from assessments import services as assessment_services
from assessments.models import Assessment
from referrals import record, services
from referrals.models import Draft, DraftEvent, FrozenError, Submission
from tests.factories import actor, plain, ready_draft

pytestmark = pytest.mark.django_db


def _submitted(people, level=3):
    d = ready_draft(people.alice, people.sefton, level=level)
    return services.submit(actor(people.alice), d)


def test_submitting_freezes_the_record_as_it_printed_with_its_hash(people):
    d = _submitted(people)
    [s] = Submission.objects.filter(draft=d)
    assert s.record == services.current_record(d) and s.content_hash == record.content_hash(s.record)
    assert s.record["level"]["chosen"].startswith("Level 3") and s.record["ticks"] == sorted(d.assessment.ticks)
    assert DraftEvent.objects.get(draft=d, action="submitted").submission == s


def test_the_assessment_behind_a_submitted_draft_is_read_only_with_a_reason(people):
    d = _submitted(people)
    a = Assessment.objects.get(pk=d.assessment.pk)
    catalogue = a.catalogue_version.catalogue
    with pytest.raises(assessment_services.Locked, match="ask your lead to return the draft"):
        assessment_services.save_ticks(actor(people.alice), a, plain(catalogue, 1, 1))
    with pytest.raises(assessment_services.Locked):
        assessment_services.choose_level(actor(people.alice), a, 1, "changed my mind")
    a.refresh_from_db()
    assert a.ticks == d.assessment.ticks and a.chosen_level is None


def test_what_prints_after_approval_is_the_approved_submission_whatever_happens_to_the_live_record(people):
    d = _submitted(people, level=3)
    frozen = Submission.objects.get(draft=d)
    services.approve(actor(people.lead), d, expected_hash=frozen.content_hash)
    # Even a change that went round the services (a bug, a database edit) does not reach the print.
    a = Assessment.objects.get(pk=d.assessment.pk)
    Assessment.objects.filter(pk=a.pk).update(ticks=plain(a.catalogue_version.catalogue, 1, 1), suggested_level=1)
    Draft.objects.filter(pk=d.pk).update(worries="changed after approval", chosen_level=1)
    shown, state, digest = services.printable(Draft.objects.get(pk=d.pk))
    assert shown == frozen.record and digest == frozen.content_hash
    assert shown["level"]["chosen"].startswith("Level 3") and "changed after approval" not in str(shown)
    assert state.startswith("APPROVED BY LEAD ON ")
    frozen.refresh_from_db()
    assert (frozen.outcome, frozen.reviewed_by) == ("approved", people.lead)
    assert DraftEvent.objects.get(draft=d, action="approved").submission == frozen


def test_a_submission_never_changes(people):
    s = Submission.objects.get(draft=_submitted(people))
    s.record = {"tampered": True}
    with pytest.raises(FrozenError):
        s.save()
    with pytest.raises(FrozenError):
        Submission.objects.filter(pk=s.pk).update(record={})


def test_approving_a_submission_other_than_the_one_reviewed_is_a_conflict(people):
    d = _submitted(people)
    with pytest.raises(services.ConflictError):
        services.approve(actor(people.lead), d, expected_hash="0" * 64)
    assert Draft.objects.get(pk=d.pk).status == "submitted"
    assert Submission.objects.get(draft=d).outcome == ""


def test_returning_reopens_the_draft_and_the_assessment_and_a_new_submission_is_made(people):
    d = _submitted(people)
    services.return_to_practitioner(actor(people.lead), d, "Add the school's attendance figures")
    a = Assessment.objects.get(pk=d.assessment.pk)
    assert not a.locked
    assessment_services.save_ticks(actor(people.alice), a, a.ticks + plain(a.catalogue_version.catalogue, 2, 3)[2:])
    d = Draft.objects.get(pk=d.pk)
    d = services.save(actor(people.alice), d, {"worries": "Attendance 80% this term"}, d.revision)
    d = services.submit(actor(people.alice), d)
    first, second = Submission.objects.filter(draft=d).order_by("number")
    assert (first.outcome, second.outcome, second.number) == ("returned", "", 2)
    assert "Attendance 80% this term" in str(second.record) and "Attendance 80% this term" not in str(first.record)
    assert Assessment.objects.get(pk=a.pk).locked


def test_printing_before_submission_says_it_is_a_draft(people):
    d = ready_draft(people.alice, people.sefton)
    shown, state, digest = services.printable(d)
    assert state == "DRAFT — NOT APPROVED" and digest == record.content_hash(shown)


def test_approval_rechecks_blocking_problems_on_the_locked_row(people):
    """Even if a write got round the freeze (a bug, a database edit), approval refuses what the rules refuse."""
    from referrals.models import Draft as DraftModel

    d = services.submit(actor(people.outsider), ready_draft(people.outsider, people.halton, level=2))
    DraftModel.objects.filter(pk=d.pk).update(consent="refused")  # Halton below Level 4 refuses this
    with pytest.raises(services.NotReady):
        services.approve(actor(people.outsider_lead), d)
    assert DraftModel.objects.get(pk=d.pk).status == "submitted"
