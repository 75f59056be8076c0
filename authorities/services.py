"""Writes for people and records: sessions, retention. Every deletion leaves an audit event."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from . import audit
from .models import Authority, UserSession

SYSTEM_USERNAME = "system-retention"


def remember_session(user, session_key: str | None) -> None:
    if session_key:
        UserSession.objects.update_or_create(session_key=session_key, defaults={"user": user})


def end_sessions(user) -> int:
    """End every session of a user on the server (used when a user is disabled)."""
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    deleted, _ = Session.objects.filter(session_key__in=keys).delete()
    UserSession.objects.filter(user=user).delete()
    return deleted


def system_user():
    """The actor of scheduled jobs: cannot sign in."""
    user, created = get_user_model().objects.get_or_create(
        username=SYSTEM_USERNAME, defaults={"is_active": False, "first_name": "Scheduled", "last_name": "job"})
    if created:
        user.set_unusable_password()
        user.save()
    return user


def apply_retention(now=None) -> dict[str, int]:
    """Delete what each authority's retention period says is due; an audit event records each removal."""
    from escalation.models import EscalationCase
    from referrals.models import Draft, Status
    from thresholds.models import Assessment

    now = now or timezone.now()
    actor = system_user()
    counts = {"drafts": 0, "escalations": 0, "assessments": 0}
    for authority in Authority.objects.all():
        cutoff = now - timedelta(days=authority.retention_days)
        why = f"retention: untouched for more than {authority.retention_days} days"
        with transaction.atomic():
            for draft in Draft.objects.filter(authority=authority, status__in=[Status.DRAFT, Status.RETURNED],
                                              updated_at__lt=cutoff):
                audit.record(actor, "retention.delete", draft, organisation=draft.organisation, purpose="retention",
                             detail={"reason": why, "status": draft.status})
                draft.delete()
                counts["drafts"] += 1
            for case in EscalationCase.objects.filter(authority=authority, status="closed", closed_at__lt=cutoff):
                audit.record(actor, "retention.delete", case, organisation=case.organisation, purpose="retention",
                             detail={"reason": f"retention: closed more than {authority.retention_days} days ago"})
                case.delete()
                counts["escalations"] += 1
            for a in Assessment.objects.filter(authority=authority, updated_at__lt=cutoff, drafts__isnull=True):
                audit.record(actor, "retention.delete", a, organisation=a.organisation, purpose="retention",
                             detail={"reason": why})
                a.delete()
                counts["assessments"] += 1
    return counts
