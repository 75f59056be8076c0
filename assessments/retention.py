"""What retention removes of assessments: ones with no draft, untouched longer than the partnership
keeps them (an assessment behind a draft stays as long as the draft)."""

from __future__ import annotations

from datetime import datetime

from authorities.actor import Actor
from authorities.models import Authority
from authorities.retention import remove_in_batches

from .models import Assessment


def remove_due(actor: Actor, authority: Authority, cutoff: datetime) -> dict[str, int]:
    due = Assessment.objects.filter(catalogue_version__authority=authority, updated_at__lt=cutoff,
                                    drafts__isnull=True)
    return {"assessments": remove_in_batches(
        actor, due, f"retention: untouched for more than {authority.retention_days} days")}
