"""Names of escalations for the audit page of the lead of their organisation."""

from __future__ import annotations

from authorities.actor import Actor

from .models import EscalationCase


def names(actor: Actor, object_type: str, ids: set[str]) -> dict[str, str]:
    if object_type != "escalation.escalationcase":
        return {}
    found = EscalationCase.objects.audited_by(actor).filter(pk__in=[int(i) for i in ids if i.isdigit()]) \
        .only("pk", "other_agency")
    return {str(c.pk): f"Escalation {c.pk}: disagreement with {c.other_agency}" for c in found}
