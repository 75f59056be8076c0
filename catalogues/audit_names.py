"""Names of catalogue versions for the audit page."""

from __future__ import annotations

from authorities.actor import Actor

from .models import CatalogueVersion


def names(actor: Actor, object_type: str, ids: set[str]) -> dict[str, str]:
    if object_type != "catalogues.catalogueversion":
        return {}
    found = CatalogueVersion.objects.filter(pk__in=[int(i) for i in ids if i.isdigit()]) \
        .select_related("authority").only("pk", "number", "authority__name")
    return {str(v.pk): f"{v.authority.name} catalogue, " + (f"version {v.number}" if v.number else "draft")
            for v in found}
