"""The one place the insight figures are written, and where looking at them is recorded in the audit trail."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from authorities import audit
from authorities.actor import Actor
from authorities.models import Authority, Organisation, Role
from core.errors import NotAllowed

from . import rollup
from .measures import month_start
from .models import Figure, RefreshState

JOB = "insight"


def refresh(actor: Actor, months: list[date] | None = None) -> int:
    """Rebuild the figures of `months` (None: every month with data) from the case tables; returns how many
    figures were written. Each month is read, then swapped in one short transaction (its old figures
    deleted, the new ones written), so a dashboard never sees a month half rebuilt. A scheduled job's work."""
    if not actor.is_system:
        raise NotAllowed("The figures are rebuilt by the scheduled job (manage.py refresh_insight).")
    wanted = sorted({month_start(m) for m in months}) if months is not None else rollup.months_with_data()
    versions = rollup.Versions()
    written = 0
    for month in wanted:
        counts = rollup.with_partnership_totals(rollup.figures_for(month, versions))
        rows = [Figure(organisation_id=org, authority_id=auth, month=month, measure=measure, key=key, count=n)
                for (org, auth, measure, key), n in counts.items() if n > 0]
        with transaction.atomic():
            Figure.objects.filter(month=month).delete()
            Figure.objects.bulk_create(rows, batch_size=1000)
        written += len(rows)
    RefreshState.objects.update_or_create(pk=1, defaults={
        "refreshed_at": timezone.now(), "first_month": wanted[0] if wanted else None,
        "last_month": wanted[-1] if wanted else None})
    audit.record(actor, "insight.refresh", detail={"months": [f"{m:%Y-%m}" for m in wanted], "figures": written})
    return written


def record_view(actor: Actor, scope: Organisation | Authority, months: list[date], *, csv: bool = False,
                drafts: list[int] | None = None, purpose: str = "") -> None:
    """A dashboard shown or its figures downloaded: the scope (the organisation or the partnership), the
    months, and the drafts whose override reasons the lead's page quoted (ids only)."""
    detail: dict[str, object] = {"months": [f"{months[0]:%Y-%m}", f"{months[-1]:%Y-%m}"] if months else []}
    organisation: Organisation | None
    if isinstance(scope, Organisation):
        detail["organisation"] = scope.pk
        organisation, role = scope, Role.SAFEGUARDING_LEAD
    else:
        detail["partnership"] = scope.slug
        seat = next((s for s in actor.seats if s.role == Role.CATALOGUE_ADMIN
                     and s.organisation.authority_id == scope.pk), None)
        organisation, role = (seat.organisation if seat else None), Role.CATALOGUE_ADMIN
    if drafts:
        detail["drafts"] = drafts
    audit.record(actor, "insight.csv" if csv else "insight.view", scope, organisation=organisation, role=role,
                 purpose=purpose, detail=detail)
