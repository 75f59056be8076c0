"""Read helpers for catalogues shared by views and commands."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from authorities.models import Authority

from .contacts import LONDON
from .engine import ContactNow, emergency_contacts
from .models import CatalogueVersion


@dataclass(frozen=True)
class EmergencyRoute:
    authority: str
    text: str
    source: str
    contacts: list[ContactNow]
    slug: str = ""  # the partnership's, for a link to its route on the page


def current_versions() -> list[CatalogueVersion]:
    """The current published version of every authority, in one query."""
    latest: dict[int, CatalogueVersion] = {}
    versions = CatalogueVersion.objects.published().select_related("authority").defer("content")
    for v in versions.order_by("authority_id", "number"):
        latest[v.authority_id] = v
    return sorted(latest.values(), key=lambda v: v.authority.name)


def emergency_routes(first: Authority | None, when: datetime | None = None) -> list[EmergencyRoute]:
    """Every authority's emergency route with whether each contact is open now, the user's own first."""
    when = when or datetime.now(tz=LONDON)
    routes = []
    for v in current_versions():
        cat = v.catalogue
        routes.append(EmergencyRoute(v.authority.name, cat.emergency.text, cat.emergency.source,
                                     list(emergency_contacts(cat, when)), v.authority.slug))
    if first is not None:
        routes.sort(key=lambda r: r.authority != first.name)
    return routes
