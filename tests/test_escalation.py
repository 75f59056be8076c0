"""Issue: escalation through the partnership's steps on a working-day clock."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from authorities.actor import Actor
from core.working_days import (
    add_working_days,
    deadline_text,
    is_bank_holiday,
    is_working_day,
    working_days_between,
)
from escalation import services
from escalation.models import EscalationCase
from tests.helpers import ready_draft


def test_christmas_2026_with_the_boxing_day_substitute():
    assert is_bank_holiday(date(2026, 12, 25))  # Friday
    assert is_bank_holiday(date(2026, 12, 28))  # Boxing Day (substitute day), Monday
    assert not is_working_day(date(2026, 12, 26)) and not is_working_day(date(2026, 12, 27))
    assert add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 29)
    assert add_working_days(date(2026, 12, 23), 2) == date(2026, 12, 29)


def test_easter_2027():
    assert is_bank_holiday(date(2027, 3, 26))  # Good Friday
    assert is_bank_holiday(date(2027, 3, 29))  # Easter Monday
    assert add_working_days(date(2027, 3, 25), 1) == date(2027, 3, 30)
    assert working_days_between(date(2027, 3, 25), date(2027, 3, 30)) == 1


def test_june_2022_bank_holidays():
    assert is_bank_holiday(date(2022, 6, 2)) and is_bank_holiday(date(2022, 6, 3))
    assert add_working_days(date(2022, 6, 1), 2) == date(2022, 6, 7)


def test_a_step_started_on_a_friday_afternoon_is_due_on_tuesday():
    assert add_working_days(date(2026, 11, 20), 2) == date(2026, 11, 24)


def test_sefton_clock_is_11_working_days_in_all():
    start = date(2026, 11, 23)
    end = start
    for days in (2, 2, 2, 5):
        end = add_working_days(end, days)
    assert working_days_between(start, end) == 11


def test_deadline_wording():
    monday = date(2026, 11, 23)
    assert deadline_text(date(2026, 11, 25), monday) == "due in 2 working days (Wednesday 25 November 2026)"
    assert deadline_text(monday, monday) == "due today (Monday 23 November 2026)"
    assert deadline_text(date(2026, 11, 19), monday) == "overdue by 2 working days (Thursday 19 November 2026)"


@pytest.mark.django_db
def test_all_four_sefton_steps_with_their_deadlines_then_closed(people, client):
    with time_machine.travel("2026-12-21 10:00 +0000", tick=False) as clock:  # a Monday before Christmas
        client.force_login(people.alice)
        response = client.post(reverse("escalation-new"), {"our_agency": "School", "other_agency": "Front door",
                                                           "about": "Threshold not met", "outcome_sought": "A s17 assessment"})
        case = EscalationCase.objects.get()
        assert response["Location"] == reverse("escalation-detail", args=[case.pk])
        expected = []
        for n, days in enumerate((2, 2, 2, 5), start=1):
            step = case.steps.get(number=n)
            expected.append(add_working_days(step.started_on, days))
            assert step.due_on == expected[-1], n
            if n < 4:
                client.post(reverse("escalation-step", args=[case.pk]),
                            {"participants": "Both", "discussion": "Talked", "outcome": "escalated"})
                clock.shift(timedelta(days=1))
                client.force_login(people.alice)  # a new day, a new session
        assert case.steps.get(number=1).due_on == date(2026, 12, 23)
        # Each step starts when the one before is escalated: Mon 21, Tue 22, Wed 23 December.
        assert case.steps.get(number=2).due_on == date(2026, 12, 23)
        assert case.steps.get(number=3).due_on == date(2026, 12, 24)
        # Five working days from Wed 23 Dec skip Christmas, the Boxing Day substitute and New Year's Day.
        assert case.steps.get(number=4).due_on == date(2027, 1, 4)
        page = client.get(reverse("escalation-detail", args=[case.pk])).content.decode()
        assert "Step 4:" in page and "Independently Chaired" in page
        client.post(reverse("escalation-close", args=[case.pk]), {"resolution": "Agreed assessment",
                                                                   "learning": "Share chronology earlier"})
    case.refresh_from_db()
    assert case.status == "closed" and case.steps.count() == 4
    for form in ("summary-log", "partnership-report"):
        response = client.get(reverse("escalation-form-pdf", args=[case.pk, form]))
        text = " ".join(PdfReader(io.BytesIO(response.content)).pages[0].extract_text().split())
        assert ("Agency Escalation Summary Log" if form == "summary-log" else "Report to the partnership") in text
        assert "Agreed assessment" in text or "Closed" in text


@pytest.mark.django_db
def test_the_last_step_cannot_be_escalated(people):
    case = services.open_case(Actor.of(people.alice), people.sefton, our_agency="A", other_agency="B", about="x",
                              outcome_sought="y")
    for _ in range(3):
        services.record_step(Actor.of(people.alice), case, case.current_step, participants="p", discussion="",
                             agreed_plan="", plan_due_on=None, outcome="escalated")
    with pytest.raises(services.NotAllowed):
        services.record_step(Actor.of(people.alice), case, case.current_step, participants="p", discussion="",
                             agreed_plan="", plan_due_on=None, outcome="escalated")


@pytest.mark.django_db
def test_a_pointer_procedure_gives_one_step_without_a_clock(people):
    case = services.open_case(Actor.of(people.alice), _authority("herefordshire"),
                              our_agency="A", other_agency="B", about="x", outcome_sought="y")
    step = case.current_step
    assert step.number == 1 and step.due_on is None


def _authority(slug):
    from authorities.models import Authority

    return Authority.objects.get(slug=slug)


@pytest.mark.django_db
def test_overdue_cases_come_first_in_the_list(people, client):
    with time_machine.travel("2026-11-02 10:00 +0000", tick=False):
        old = services.open_case(Actor.of(people.alice), people.sefton, our_agency="A", other_agency="Old agency",
                                 about="x", outcome_sought="y")
    with time_machine.travel("2026-11-23 10:00 +0000", tick=False):
        new = services.open_case(Actor.of(people.alice), people.sefton, our_agency="A", other_agency="New agency",
                                 about="x", outcome_sought="y")
        client.force_login(people.alice)
        page = client.get(reverse("escalation-list")).content.decode()
    assert page.index("Old agency") < page.index("New agency")
    assert "overdue by" in page and "Overdue" in page
    assert old.pk != new.pk


@pytest.mark.django_db
def test_escalation_from_a_referral_is_linked_to_it(people, client):
    d = ready_draft(people.alice, people.sefton)
    client.force_login(people.alice)
    page = client.get(reverse("escalation-new"), {"draft": d.pk}).content.decode()
    assert f'name="draft" value="{d.pk}"' in page
    client.post(reverse("escalation-new") + f"?draft={d.pk}", {"draft": d.pk, "our_agency": "A", "other_agency": "B",
                                                               "about": "x", "outcome_sought": "y"})
    assert EscalationCase.objects.get().draft_id == d.pk


@pytest.mark.django_db
def test_reminders_go_to_the_owner_for_steps_due_tomorrow_or_overdue(people):
    people.alice.email = "alice@example.invalid"
    people.alice.save()
    with time_machine.travel("2026-11-20 10:00 +0000", tick=False):  # Friday
        services.open_case(Actor.of(people.alice), people.sefton, our_agency="A", other_agency="B", about="Zebedee",
                           outcome_sought="y")
    with time_machine.travel("2026-11-23 10:00 +0000", tick=False):  # Monday: due Tuesday
        call_command("escalation_reminders", stdout=io.StringIO())
    [message] = mail.outbox
    assert message.to == ["alice@example.invalid"] and "due by the next working day" in message.subject
    assert "Zebedee" not in message.body
    mail.outbox.clear()
    with time_machine.travel("2026-11-26 10:00 +0000", tick=False):
        call_command("escalation_reminders", stdout=io.StringIO())
    assert "overdue" in mail.outbox[0].subject


@pytest.mark.django_db
def test_a_sent_referral_without_a_decision_after_a_working_day_prompts_a_chase(people, client):
    from referrals import services as referral_services

    with time_machine.travel("2026-11-20 09:00 +0000", tick=False):  # Friday
        d = ready_draft(people.alice, people.sefton)
        referral_services.submit(Actor.of(people.alice), d)
        referral_services.approve(Actor.of(people.lead), d)
        from django.utils import timezone

        referral_services.mark_sent(Actor.of(people.alice), d, timezone.now(), "email", "")
        client.force_login(people.alice)
        assert 'data-testid="chase"' not in client.get(reverse("draft-detail", args=[d.pk])).content.decode()
    with time_machine.travel("2026-11-23 09:00 +0000", tick=False):  # Monday: one working day later
        client.force_login(people.alice)
        page = client.get(reverse("draft-detail", args=[d.pk])).content.decode()
        assert 'data-testid="chase"' in page and f"?draft={d.pk}" in page
