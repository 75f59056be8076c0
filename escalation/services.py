"""Writes for escalation cases: open, record a step, escalate to the next step, close. Audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from authorities import audit, rules
from authorities.actor import Actor
from authorities.models import Authority, BackgroundTask
from authorities.tasks import send_email
from catalogues.models import CatalogueVersion
from core.errors import NotAllowed
from core.working_days import add_working_days, is_working_day
from referrals.models import Draft

from .models import EscalationCase, EscalationStep
from .procedure import due_date, steps_of


def _audit(actor: Actor, case: EscalationCase, action: str, purpose: str = "") -> None:
    audit.record(actor, f"escalation.{action}", case, organisation=case.organisation, purpose=purpose)


def open_case(actor: Actor, authority: Authority, *, draft: Draft | None = None, today: date | None = None,
              **fields: Any) -> EscalationCase:
    seat = actor.primary
    if seat is None or not rules.can_start_work(actor):
        raise NotAllowed("You need a role in an organisation to open an escalation.")
    version = draft.catalogue_version if draft else CatalogueVersion.objects.current_for(authority)
    if version is None:
        raise NotAllowed(f"{authority.name} has no published catalogue yet, so no escalation procedure.")
    today = today or timezone.localdate()
    first = steps_of(version.catalogue)[0]
    with transaction.atomic():
        case = EscalationCase.objects.create(owner=actor.person, organisation=seat.organisation,
                                             catalogue_version=version, draft=draft, **fields)
        EscalationStep.objects.create(case=case, number=1, title=first.title, started_on=today,
                                      due_on=due_date(first, today))
        _audit(actor, case, "open")
    return case


def record_step(actor: Actor, case: EscalationCase, step: EscalationStep, *, participants: str, discussion: str,
                agreed_plan: str, plan_due_on, outcome: str, today: date | None = None) -> EscalationStep | None:
    """Save what happened at a step; "escalated" starts the next step's clock. Returns the next step."""
    if not rules.can_record_outcome(actor, case):
        raise NotAllowed("Only the person who opened the escalation or their safeguarding lead can record a step.")
    if case.status != EscalationCase.Status.OPEN or step.outcome:
        raise NotAllowed("This step is already closed.")
    today = today or timezone.localdate()
    specs = steps_of(case.catalogue_version.catalogue)
    nxt = None
    with transaction.atomic():
        step.participants, step.discussion, step.agreed_plan = participants, discussion, agreed_plan
        step.plan_due_on, step.outcome = plan_due_on, outcome
        if outcome:
            step.completed_on = today
        step.save()
        if outcome == EscalationStep.Outcome.ESCALATED:
            if step.number >= len(specs):
                raise NotAllowed("This is the last step of the procedure: its decision is final. Close the case.")
            spec = specs[step.number]
            nxt = EscalationStep.objects.create(case=case, number=spec.number, title=spec.title, started_on=today,
                                                due_on=due_date(spec, today))
        _audit(actor, case, "escalate" if nxt else "record_step")
    return nxt


def close_case(actor: Actor, case: EscalationCase, resolution: str, learning: str) -> EscalationCase:
    if not rules.can_record_outcome(actor, case):
        raise NotAllowed("Only the person who opened the escalation or their safeguarding lead can close it.")
    if case.status == EscalationCase.Status.CLOSED:
        raise NotAllowed("This case is already closed.")
    with transaction.atomic():
        case.status, case.resolution, case.learning = EscalationCase.Status.CLOSED, resolution, learning
        case.closed_at = timezone.now()
        case.save()
        current = case.current_step
        if current and not current.outcome:
            current.outcome, current.completed_on = EscalationStep.Outcome.RESOLVED, timezone.localdate()
            current.save()
        _audit(actor, case, "close")
    return case


def record_access(actor: Actor, case: EscalationCase, action: str, purpose: str = "") -> None:
    _audit(actor, case, action, purpose)


def steps_needing_reminders(today: date) -> list[EscalationStep]:
    """Open steps due on the next working day, or overdue."""
    tomorrow = add_working_days(today, 1)
    return list(
        EscalationStep.objects.filter(case__status=EscalationCase.Status.OPEN, outcome="", due_on__isnull=False,
                                      due_on__lte=tomorrow).select_related("case__owner")
    )


@dataclass
class ReminderRun:
    queued: int = 0
    already: int = 0  # reminded today already: the key (reminder:<step>:<day>) is the "last reminded" mark
    failed: int = 0  # failed on every try (known at once only when tasks run in-process)


def queue_reminders(today: date) -> ReminderRun:
    """Queue an email to each responsible person about each of their steps due by the next working day or
    overdue: a link only, never child details. Once per step per day, however often the job runs; each
    email is its own background task, retried on its own, so one failure never holds up the rest."""
    run = ReminderRun()
    if not is_working_day(today):
        return run
    keys = []
    for step in steps_needing_reminders(today):
        owner = step.case.owner
        if not owner.email:
            continue
        state = "is overdue" if step.due_on is not None and step.due_on < today else "is due by the next working day"
        key = f"reminder:step-{step.pk}:{today.isoformat()}"
        keys.append(key)
        # Ids only in the key: enough to find the step, nothing about the child.
        if send_email.enqueue(key, addresses=[owner.email], subject=f"Escalation step {step.number} {state}",
                              text=f"Step {step.number} ({step.title}) of an escalation you lead {state}.",
                              path=reverse("escalation-detail", args=[step.case.pk])):
            run.queued += 1
        else:
            run.already += 1
    run.failed = BackgroundTask.objects.filter(key__in=keys, state=BackgroundTask.State.DEAD).count()
    return run
