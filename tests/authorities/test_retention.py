"""The apply_retention command: what is due is removed, and an audit event names the job and the reason."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from authorities.models import AuditEvent
from referrals.models import Draft
from tests.factories import ready_draft

pytestmark = pytest.mark.django_db


def test_retention_removes_what_is_due_and_leaves_an_audit_event(people):
    old = ready_draft(people.alice, people.sefton)
    fresh = ready_draft(people.alice, people.sefton)
    Draft.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=400))
    call_command("apply_retention", stdout=io.StringIO())
    assert list(Draft.objects.values_list("pk", flat=True)) == [fresh.pk]
    event = AuditEvent.objects.get(action="retention.delete", object_id=str(old.pk))
    assert event.purpose == "retention" and "365 days" in event.detail["reason"]
