"""The service navigation, from one list: each item names its URL and who sees it. The context
processor lives here, at the top, because it reads every app (the notification count)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from authorities import rules
from authorities.actor import Actor
from insight import rules as insight_rules
from referrals.services import notification_count


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    shown: Callable[[Actor], bool] = lambda actor: True


NAVIGATION = [
    NavItem("Assess", "assessment-new"),
    NavItem("My assessments and drafts", "assessment-list"),
    NavItem("Review queue", "review-queue", rules.is_a_lead),
    NavItem("Escalations", "escalation-list"),
    NavItem("Catalogue", "catalogue-admin", rules.can_use_catalogue_admin),
    NavItem("Insight", "insight", insight_rules.can_see_insight),
    NavItem("Audit", "audit-log", rules.can_read_audit),
    NavItem("API tokens", "api-tokens", rules.is_a_lead),
]


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str
    current: bool


def navigation(request: HttpRequest) -> dict:
    """The header's links, count and seat. Worked out only when a template shows them: an htmx fragment
    (a tick's panel, an autosave) renders with this context too and shows none of it."""
    actor = getattr(request, "actor", None)
    if actor is None or not actor.is_person:
        return {}

    def links() -> list[NavLink]:
        return [NavLink(item.label, url, request.path == url) for item in NAVIGATION if item.shown(actor)
                for url in [reverse(item.url_name)]]

    return {
        "nav_links": SimpleLazyObject(links),
        # A callable: the template evaluates it only where it is shown.
        "notifications": lambda: notification_count(actor),
        "notifications_url": lambda: reverse("review-queue" if rules.is_a_lead(actor) else "assessment-list"),
        "seat": actor.primary,
        "is_lead": rules.is_a_lead(actor),
    }
