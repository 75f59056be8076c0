"""The escalation_reminders command: the owner hears of steps due by the next working day or overdue,
without the child's details."""

from __future__ import annotations

import io
import smtplib
from datetime import date

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends import locmem
from django.core.management import CommandError, call_command

from authorities import background
from authorities.models import BackgroundTask
from escalation import services
from tests.factories import actor

# Committed for real (transaction=True), as under cron: each email's task runs when its row commits, before the
# command counts what failed.
pytestmark = pytest.mark.django_db(transaction=True)


def test_reminders_go_to_the_owner_for_steps_due_tomorrow_or_overdue(people):
    people.alice.email = "alice@example.invalid"
    people.alice.save()
    with time_machine.travel("2026-11-20 10:00 +0000", tick=False):  # Friday
        services.open_case(actor(people.alice), people.sefton, our_agency="A", other_agency="B", about="Zebedee",
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


class FlakyBackend(locmem.EmailBackend):
    """The test outbox behind an SMTP-like relay that refuses an address as many times as `refusals` says
    (for ever with a large number)."""

    refusals: dict[str, int] = {}

    def send_messages(self, messages):
        for message in messages:
            for address in message.to:
                if self.refusals.get(address, 0) > 0:
                    self.refusals[address] -= 1
                    raise smtplib.SMTPRecipientsRefused({address: (550, b"mailbox unavailable")})
        return super().send_messages(messages)


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = f"{__name__}.FlakyBackend"
    FlakyBackend.refusals = {}


@pytest.fixture
def three_due_reminders(people):
    """Three owners with a step due tomorrow (Tuesday)."""
    owners = [people.alice, people.bob, people.lead]
    for owner in owners:
        owner.email = f"{owner.username}@example.invalid"
        owner.save()
        with time_machine.travel("2026-11-20 10:00 +0000", tick=False):  # Friday
            services.open_case(actor(owner), people.sefton, our_agency="A", other_agency="B", about="Zebedee",
                               outcome_sought="y")
    with time_machine.travel("2026-11-23 10:00 +0000", tick=False):
        return [step.case.owner.email for step in services.steps_needing_reminders(date(2026, 11, 23))]


def _remind(day: str = "2026-11-23 10:00 +0000") -> tuple[str, CommandError | None]:
    """The cron job, with the background tasks run in-process as they are without a broker."""
    out = io.StringIO()
    with time_machine.travel(day, tick=False):
        try:
            call_command("escalation_reminders", stdout=out)
        except CommandError as exc:
            return out.getvalue(), exc
    return out.getvalue(), None


def test_a_reminder_failing_in_the_middle_does_not_stop_the_others_and_the_command_fails(
        flaky, three_due_reminders, caplog):
    first, broken, last = three_due_reminders
    FlakyBackend.refusals = {broken: 99}
    output, error = _remind()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([first, last])
    assert output.strip() == "3 reminder(s) queued, 0 already sent or queued today, 1 failed"
    # CommandError is what makes `manage.py` exit non-zero, so cron reports the failure.
    assert error is not None and error.returncode == 1 and "1 reminder(s) could not be sent" in str(error)
    [dead] = BackgroundTask.objects.filter(state=BackgroundTask.State.DEAD)
    assert dead.attempts == background.ATTEMPTS and dead.error == "SMTPRecipientsRefused"
    assert "failed on every try" in caplog.text
    assert "Zebedee" not in caplog.text and broken not in caplog.text


def test_a_reminder_refused_once_is_retried_and_sent(flaky, three_due_reminders):
    FlakyBackend.refusals = {three_due_reminders[1]: 1}
    output, error = _remind()
    assert error is None and output.strip() == "3 reminder(s) queued, 0 already sent or queued today, 0 failed"
    assert sorted(m.to[0] for m in mail.outbox) == sorted(three_due_reminders)


def test_each_step_is_reminded_once_a_working_day_however_often_the_job_runs(flaky, three_due_reminders):
    _remind()
    output, error = _remind("2026-11-23 16:00 +0000")
    assert error is None and output.strip() == "0 reminder(s) queued, 3 already sent or queued today, 0 failed"
    assert len(mail.outbox) == 3
    _remind("2026-11-24 10:00 +0000")  # Tuesday: due today, reminded again
    assert len(mail.outbox) == 6
