"""Builders for insight tests: assessments, drafts and submissions with the dates and fields of the past set
directly through the ORM (the services stamp "now"), and one known set whose figures are worked out by hand
in KNOWN below.

The known set, in Sefton's guidance at the test school (September and October 2026):
- 20 assessments on 7 September; 5 more by the school with Halton's guidance (a cross-border child); 7 by
  the Halton clinic.
- 15 referrals first submitted on Monday 7 September: 9 at the suggested Level 2, 6 at Level 3 (higher).
- Reviewed: 10 by a second lead (Quinn Reviewer) the same day, approved as they came; 5 by `lead` on Wednesday
  9 September, each giving a different level (3 higher, 2 lower): 5 changes.
- 12 sent on Thursday 1 October; decided on Friday 2 October (6, one working day) or Tuesday 6 October (6,
  three working days): no further action 5, early help 5, strategy discussion 2.
- 5 concerns closed by the lead without a referral (no referral) on 8 September.
- Ticks: 12 assessments with a 14A indicator (one with two), 6 with a 10A one, 3 with an indicator coded
  1A and 2A.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone

from assessments.models import Assessment
from authorities.actor import Actor
from authorities.models import Membership, Role
from catalogues.models import CatalogueVersion
from insight import services
from referrals.models import Draft, Status, Submission

SEPTEMBER, OCTOBER = date(2026, 9, 1), date(2026, 10, 1)
RANGE = {"from": "2026-09", "to": "2026-10"}
CHILD = "Jamie Smith"
REASON = "Jamie Smith told me her dad hits her, and jamie is scared to go home."


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def make_assessment(user, organisation, authority, *, created: datetime, ticks=(), suggested=None,
                    child_name="Test Child") -> Assessment:
    version = CatalogueVersion.objects.current_for(authority)
    a = Assessment.objects.create(owner=user, organisation=organisation, catalogue_version=version,
                                  child_name=child_name, ticks=list(ticks), suggested_level=suggested)
    QuerySet.update(Assessment.objects.filter(pk=a.pk), created_at=created)
    return a


def make_draft(assessment: Assessment, *, chosen=None, level_reason="", status=Status.DRAFT, submitted=None,
               sent=None, decided_on=None, outcome="", closed=None, closure="", closed_by=None) -> Draft:
    return Draft.objects.create(
        assessment=assessment, owner=assessment.owner, organisation=assessment.organisation, status=status,
        child_name=assessment.child_name, chosen_level=chosen, level_reason=level_reason, submitted_at=submitted,
        sent_at=sent, decision_on=decided_on, decision_outcome=outcome, closed_at=closed, closure=closure,
        closed_by=closed_by)


def make_submission(draft: Draft, *, submitted: datetime, number=1, outcome="", reviewer=None, reviewed=None,
                    lead_level=None, reason="", as_submitted=None) -> Submission:
    record = {"level": {"chosen_number": as_submitted}} if as_submitted is not None else {}
    s = Submission.objects.create(draft=draft, number=number, submitted_by=draft.owner, record=record,
                                  content_hash="0" * 64, outcome=outcome, reviewed_by=reviewer, reviewed_at=reviewed,
                                  lead_level=lead_level, lead_level_reason=reason)
    QuerySet.update(Submission.objects.filter(pk=s.pk), submitted_at=submitted)  # frozen: past the model's guard
    return s


def second_lead(people):
    user = get_user_model().objects.create_user(username="quinn", first_name="Quinn", last_name="Reviewer")
    Membership.objects.create(user=user, organisation=people.school, role=Role.SAFEGUARDING_LEAD)
    return user


def refresh(*months: date) -> int:
    return services.refresh(Actor.system("insight"), list(months) or None)


def seed_known(people) -> dict:
    """The known set above, refreshed; returns the drafts by name for tests that look at one."""
    quinn = second_lead(people)
    sep7, sep8, sep9 = date(2026, 9, 7), date(2026, 9, 8), date(2026, 9, 9)
    oct1, oct2, oct6 = date(2026, 10, 1), date(2026, 10, 2), date(2026, 10, 6)
    assessments = []
    for n in range(20):
        ticks = []
        if n < 12:
            ticks.append("sef-sebi-l2-03")  # 14A
        if n == 0:
            ticks.append("sef-sebi-l2-15")  # 14A again: counted once
        if n < 6:
            ticks.append("sef-learn-l2-21")  # 10A
        if 12 <= n < 15:
            ticks.append("sef-health-l2-08")  # 1A and 2A
        assessments.append(make_assessment(people.alice, people.school, people.sefton, created=at(sep7, 9, n),
                                           ticks=ticks, suggested=2, child_name=CHILD if n >= 9 else "Test Child"))
    for n in range(5):
        make_assessment(people.alice, people.school, people.halton, created=at(sep7, 11, n))
    for n in range(7):
        make_assessment(people.outsider, people.other_org, people.halton, created=at(sep7, 12, n))

    drafts = []
    outcomes = ["nfa"] * 5 + ["early_help"] * 5 + ["strategy_s47"] * 2
    for n in range(15):
        chosen = 2 if n < 9 else 3
        submitted = at(sep7, 10, n)
        decided = n < 12
        d = make_draft(assessments[n], chosen=chosen, level_reason=REASON if chosen == 3 else "",
                       status=Status.DECIDED if decided else Status.APPROVED, submitted=submitted,
                       sent=at(oct1, 9) if decided else None,
                       decided_on=(oct2 if n < 6 else oct6) if decided else None,
                       outcome=outcomes[n] if decided else "")
        if n < 10:
            make_submission(d, submitted=submitted, outcome="approved", reviewer=quinn, reviewed=at(sep7, 15, n))
        else:
            make_submission(d, submitted=submitted, outcome="approved", reviewer=people.lead,
                            reviewed=at(sep9, 11, n), lead_level=4 if n < 13 else 2, as_submitted=3,
                            reason=f"Lead's view on draft {n}: Jamie needs a social worker.")
        drafts.append(d)
    for n in range(15, 20):
        make_draft(assessments[n], chosen=2, status=Status.CLOSED, closed=at(sep8, 14, n), closure="no_referral",
                   closed_by=people.lead)
    refresh(SEPTEMBER, OCTOBER)
    return {"drafts": drafts, "quinn": quinn}


# The known set's figures, worked out by hand (see the module's docstring): what the school's page shows.
KNOWN_OVER_TIME = {
    "Sep 2026": ("25", "15", "0", "5"),
    "Oct 2026": ("0", "0", "12", "0"),
    "Total": ("25", "15", "12", "5"),
}
KNOWN_AGREEMENT = {
    "Practitioner's level against the suggested level": ("9", "6", "0", "15", "60.0%"),
    "Lead's level against the practitioner's": ("10", "fewer than 5", "fewer than 5", "15", "66.7%"),
    "Front door's decision against the referral's level": ("7", "0", "5", "12", "58.3%"),
}
KNOWN_OUTCOMES = {
    "No further action": ("fewer than 5",),  # 5, hidden beside the 2 strategy discussions (secondary)
    "Advice and information given": ("0",),
    "Early help": ("5",),
    "Child in need assessment (section 17)": ("0",),
    "Strategy discussion or section 47 enquiry": ("fewer than 5",),
    "Already an open case": ("0",),
    "All decisions": ("12",),
}
KNOWN_TURNAROUND = {
    "From submission to the lead's review": ("same working day", "66.7%", "15"),
    "From sending to the front door's decision": ("1 working day", "50.0%", "12"),
}
KNOWN_DAYS = {
    "Same working day": ("10", "0"), "1 working day": ("0", "6"), "2 working days": ("5", "0"),
    "3 working days": ("0", "6"), "4 working days": ("0", "0"), "5 or more working days": ("0", "0"),
    "Total": ("15", "12"),
}
KNOWN_CODES = [("14A", "12"), ("10A", "6"), ("1A", "fewer than 5"), ("2A", "fewer than 5")]
KNOWN_NOT_IN_NEED = "41.7%"


def utc(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)
