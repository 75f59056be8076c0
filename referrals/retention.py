"""What retention removes of referral drafts: ones never submitted (or returned and abandoned),
untouched longer than the partnership keeps them. Submitted and later drafts are records: kept."""

from __future__ import annotations

from datetime import datetime

from authorities import audit
from authorities.actor import Actor
from authorities.models import Authority

from .models import Draft, Status


def remove_due(actor: Actor, authority: Authority, cutoff: datetime) -> dict[str, int]:
    n = 0
    for draft in Draft.objects.filter(assessment__catalogue_version__authority=authority,
                                      status__in=[Status.DRAFT, Status.RETURNED], updated_at__lt=cutoff):
        audit.record(actor, "retention.delete", draft, organisation=draft.organisation, purpose="retention",
                     detail={"reason": f"retention: untouched for more than {authority.retention_days} days",
                             "status": draft.status})
        draft.delete()
        n += 1
    return {"drafts": n}
