"""Read helpers for catalogues shared by views and commands."""

from __future__ import annotations

from dataclasses import dataclass

from authorities.models import Authority

from .catalogue_schema import Contact
from .models import CatalogueVersion


@dataclass(frozen=True)
class EmergencyRoute:
    authority: str
    text: str
    source: str
    contacts: list[Contact]


def current_versions() -> list[CatalogueVersion]:
    """The current published version of every authority, in one query."""
    latest: dict[int, CatalogueVersion] = {}
    versions = CatalogueVersion.objects.published().select_related("authority").defer("content")
    for v in versions.order_by("authority_id", "number"):
        latest[v.authority_id] = v
    return sorted(latest.values(), key=lambda v: v.authority.name)


def emergency_routes(first: Authority | None) -> list[EmergencyRoute]:
    """Every authority's emergency route, the user's own first."""
    routes = []
    for v in current_versions():
        cat = v.catalogue
        by_id = {c.id: c for c in cat.contacts}
        routes.append(
            EmergencyRoute(
                v.authority.name,
                cat.emergency.text,
                cat.emergency.source,
                [by_id[i] for i in cat.emergency.contact_ids] + [c for c in cat.contacts if c.role == "out_of_hours" and c.id not in cat.emergency.contact_ids],
            )
        )
    if first is not None:
        routes.sort(key=lambda r: r.authority != first.name)
    return routes
