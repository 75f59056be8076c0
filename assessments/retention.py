"""What retention removes of assessments: ones with no draft, untouched longer than the partnership
keeps them (an assessment behind a draft stays as long as the draft)."""

from __future__ import annotations

from datetime import datetime

from authorities import audit
from authorities.actor import Actor
from authorities.models import Authority

from .models import Assessment


def remove_due(actor: Actor, authority: Authority, cutoff: datetime) -> dict[str, int]:
    n = 0
    for a in Assessment.objects.filter(catalogue_version__authority=authority, updated_at__lt=cutoff,
                                       drafts__isnull=True):
        audit.record(actor, "retention.delete", a, organisation=a.organisation, purpose="retention",
                     detail={"reason": f"retention: untouched for more than {authority.retention_days} days"})
        a.delete()
        n += 1
    return {"assessments": n}
