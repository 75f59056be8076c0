"""`make bench-explain`: the database's plan for each query an index was added for, on the database that
`make bench-scale` left behind (bench/scale.sqlite3, or DATABASE_URL's PostgreSQL), printed as Markdown for
docs/performance.md. Run it after `make bench-scale`; it reads, never writes."""

from __future__ import annotations

import os
import sys
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_TESTING", "1")  # settings without a secret key or allowed hosts: nothing is served
if not os.environ.get("DATABASE_URL"):
    os.environ["SQLITE_PATH"] = str(ROOT / "bench" / "scale.sqlite3")


def queries() -> list[tuple[str, str, object]]:
    """(what, the index meant to serve it, the queryset), as the pages and jobs build them."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q
    from django.utils import timezone

    from assessments.models import Assessment
    from authorities.actor import Actor
    from authorities.models import AuditEvent, BackgroundTask
    from escalation.models import EscalationCase
    from insight import queries as insight_queries
    from insight.measures import months_up_to
    from insight.models import Figure
    from insight.rollup import bounds
    from referrals.models import Draft, Status

    User = get_user_model()
    lead, practitioner = (Actor.of(User.objects.get(username=name)) for name in ("bench.lead", "bench.practitioner"))
    orgs = lead.lead_organisation_ids
    events = AuditEvent.objects.filter(organisation_id__in=orgs).order_by("-at", "-pk")
    some = events.values_list("at", "pk")[2000]
    month = timezone.now() - timedelta(days=400)
    year = months_up_to(timezone.localdate(), 12)
    start, end = bounds(year[0])[0], bounds(year[-1])[1]
    reasons_of = Draft.objects.for_user_in(lead, next(iter(orgs)))  # as insight.queries.override_reasons
    return [
        ("audit page, newest first", "audit_org_at", events[:51]),
        ("audit page, by action", "audit_org_action_at", events.filter(action="draft.view")[:51]),
        ("audit page, by person", "audit_org_actor_at", events.filter(actor_id=practitioner.pk)[:51]),
        ("audit page, by dates", "audit_org_at", events.filter(at__gte=month, at__lt=month + timedelta(days=90))[:51]),
        ("audit page, an older page (keyset)", "audit_org_at",
         events.filter(at__lte=some[0]).filter(Q(at__lt=some[0]) | Q(at=some[0], pk__lt=some[1]))[:51]),
        ("my assessments", "assessment_owner_updated",
         Assessment.objects.for_user(practitioner).order_by("-updated_at", "-id")[:51]),
        ("my drafts", "draft_owner_updated",
         Draft.objects.for_user(practitioner).filter(owner_id=practitioner.pk).order_by("-updated_at", "-id")[:51]),
        ("review queue", "draft_org_status, then each waiting draft's submission by (draft, number)",
         Draft.objects.waiting_for(lead).in_queue_order()[:51]),
        ("insight rollup: drafts submitted in a month", "draft_submitted_at",
         Draft.objects.filter(submitted_at__gte=month, submitted_at__lt=month + timedelta(days=31))
         .exclude(status=Status.DRAFT).values("organisation_id")),
        ("insight rollup: assessments started in a month", "assessment_created_at",
         Assessment.objects.filter(created_at__gte=month, created_at__lt=month + timedelta(days=31))
         .values("organisation_id")),
        ("escalation list, open cases", "escalation_org_status (and the owner index for their own)",
         EscalationCase.objects.for_user(lead).filter(status=EscalationCase.Status.OPEN)[:51]),
        ("the header's count of returned and approved drafts (every page)", "draft_owner_status",
         Draft.objects.for_user(practitioner).filter(owner_id=practitioner.pk,
                                                     status__in=[Status.RETURNED, Status.APPROVED])),
        ("insight, a partnership's year of totals", "unique_partnership_figure (its rows only)",
         Figure.objects.filter(authority_id=lead.home_authority.pk, organisation=None, month__gte=year[0],
                               month__lte=year[-1]).values("measure", "key", "month")),
        ("insight, a lead's page: practitioners' reasons for another level", "draft_org_submitted",
         insight_queries.practitioners_reasons(reasons_of, start, end)),
        ("insight, a lead's page: leads' reasons for another level", "submission_lead_level_reviewed",
         insight_queries.leads_reasons(reasons_of, start, end)),
        ("API, an organisation's drafts newest first", "draft_org_updated",
         Draft.objects.for_user(lead).filter(organisation_id__in=orgs).order_by("-updated_at", "-pk")[:50]),
        ("API, the count of an organisation's drafts", "draft_org_status (organisation, status, owner: covering)",
         Draft.objects.for_user(lead).filter(organisation_id__in=orgs)),
        ("failed background work", "task_state_updated",
         BackgroundTask.objects.filter(state=BackgroundTask.State.DEAD).order_by("-updated_at", "-pk")[:51]),
    ]


def main() -> None:
    import django

    django.setup()
    from django.db import connection

    print(f"Plans on {connection.vendor} ({'PostgreSQL' if connection.vendor == 'postgresql' else 'SQLite'}):\n")
    for what, index, queryset in queries():
        options = {"analyze": True, "buffers": True} if connection.vendor == "postgresql" else {}
        plan = queryset.explain(**options)  # type: ignore[attr-defined]
        print(f"**{what}** (index: {index})\n\n```\n{plan}\n```\n")


if __name__ == "__main__":
    main()
