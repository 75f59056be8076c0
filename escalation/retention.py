"""What retention removes of escalations: cases closed longer ago than the partnership keeps them."""

from __future__ import annotations

from datetime import datetime

from authorities import audit
from authorities.actor import Actor
from authorities.models import Authority

from .models import EscalationCase


def remove_due(actor: Actor, authority: Authority, cutoff: datetime) -> dict[str, int]:
    n = 0
    for case in EscalationCase.objects.filter(catalogue_version__authority=authority,
                                              status=EscalationCase.Status.CLOSED, closed_at__lt=cutoff):
        audit.record(actor, "retention.delete", case, organisation=case.organisation, purpose="retention",
                     detail={"reason": f"retention: closed more than {authority.retention_days} days ago"})
        case.delete()
        n += 1
    return {"escalations": n}
