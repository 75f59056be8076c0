"""Names of assessments for the audit page of the lead of their organisation."""

from __future__ import annotations

from authorities.actor import Actor

from .models import Assessment


def names(actor: Actor, object_type: str, ids: set[str]) -> dict[str, str]:
    if object_type != "assessments.assessment":
        return {}
    found = Assessment.objects.audited_by(actor).filter(pk__in=[int(i) for i in ids if i.isdigit()]) \
        .only("pk", "mode", "child_name", "reference")
    return {str(a.pk): f"Assessment {a.pk}: {a.label}" for a in found}
