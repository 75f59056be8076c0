"""Template tags for pages of lower layers that mention drafts (templates may load them; Python in the
lower app never imports this one, so the layers still point down)."""

from __future__ import annotations

from django import template

from referrals import services
from referrals.models import Draft

register = template.Library()


@register.simple_tag(takes_context=True)
def open_draft(context, assessment) -> Draft | None:
    """The person's draft from this assessment still being written, through the scoped queryset."""
    request = context.get("request")
    actor = getattr(request, "actor", None)
    if actor is None or assessment is None:
        return None
    return services.open_draft_for(actor, assessment)
