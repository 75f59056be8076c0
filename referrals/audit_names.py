"""Names of referral drafts for the audit page of the lead of their organisation."""

from __future__ import annotations

from authorities.actor import Actor

from .models import Draft


def names(actor: Actor, object_type: str, ids: set[str]) -> dict[str, str]:
    if object_type != "referrals.draft":
        return {}
    found = Draft.objects.audited_by(actor).filter(pk__in=[int(i) for i in ids if i.isdigit()]) \
        .only("pk", "child_name")
    return {str(d.pk): f"Referral draft {d.pk}: {d.child_name or 'no child named yet'}" for d in found}
