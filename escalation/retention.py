"""What retention removes of escalations: cases closed longer ago than the partnership keeps them."""

from __future__ import annotations

from datetime import datetime

from authorities.actor import Actor
from authorities.models import Authority
from authorities.retention import remove_in_batches

from .models import EscalationCase


def remove_due(actor: Actor, authority: Authority, cutoff: datetime) -> dict[str, int]:
    due = EscalationCase.objects.filter(catalogue_version__authority=authority,
                                        status=EscalationCase.Status.CLOSED, closed_at__lt=cutoff)
    return {"escalations": remove_in_batches(
        actor, due, f"retention: closed more than {authority.retention_days} days ago")}
