"""Names of what an insight event looked at, for the audit page: an organisation's or a partnership's figures."""

from __future__ import annotations

from authorities.actor import Actor
from authorities.models import Authority, Organisation

# What the audit page says for insight's action codes (authorities/audit_presenter.py gathers them).
ACTIONS: dict[str, str] = {
    "insight.view": "Viewed the insight dashboard",
    "insight.csv": "Downloaded the insight figures (CSV)",
    "insight.refresh": "Rebuilt the insight figures",
}


def names(actor: Actor, object_type: str, ids: set[str]) -> dict[str, str]:
    wanted = [int(i) for i in ids if i.isdigit()]
    if object_type == "authorities.organisation":
        return {str(o.pk): f"Insight figures for {o.name}"
                for o in Organisation.objects.filter(pk__in=wanted).only("pk", "name")}
    if object_type == "authorities.authority":
        return {str(a.pk): f"Insight figures for the {a.name} partnership"
                for a in Authority.objects.filter(pk__in=wanted).only("pk", "name")}
    return {}
