"""What retention removes of referral drafts: ones never submitted (or returned and abandoned),
untouched longer than the partnership keeps them. Submitted and later drafts are records: kept, and so is a
concern closed without a referral (a decision not to refer is recorded as carefully as a referral)."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from authorities.actor import Actor
from authorities.models import Authority
from authorities.retention import remove_in_batches

from .models import Draft, PreparedPdf, Status
from .services import PREPARED_PDF_LIFETIME


def remove_due(actor: Actor, authority: Authority, cutoff: datetime) -> dict[str, int]:
    due = Draft.objects.filter(assessment__catalogue_version__authority=authority,
                               status__in=[Status.DRAFT, Status.RETURNED], updated_at__lt=cutoff)
    n = remove_in_batches(actor, due, f"retention: untouched for more than {authority.retention_days} days",
                          fields=("status",), detail=lambda row: {"status": row["status"]})
    # Prints prepared in the background and never downloaded: they hold the child's details.
    PreparedPdf.objects.filter(draft__assessment__catalogue_version__authority=authority,
                               created_at__lt=timezone.now() - PREPARED_PDF_LIFETIME).delete()
    return {"drafts": n}
