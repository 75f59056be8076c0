"""The escalation_reminders command: the owner hears of steps due by the next working day or overdue,
without the child's details."""

from __future__ import annotations

import io

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from escalation import services
from tests.factories import actor

pytestmark = pytest.mark.django_db


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
