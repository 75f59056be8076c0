"""What an insight page reads: the rollup's figures for its scope and months (one grouped query on an indexed
range, whatever the size of the case tables), the names of leads for the supervision prompt, and, on a
lead's page only, the reasons given for changing a level, read live through the scoped querysets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.db.models import Case, DateField, F, Q, QuerySet, Sum, Value, When
from django.utils import timezone

from authorities.actor import Actor
from authorities.models import Authority, Organisation
from catalogues.models import CatalogueVersion
from referrals.models import Draft

from .dashboard import MONTHLY_MEASURES, Totals
from .measures import mask_child
from .models import Figure, RefreshState
from .rollup import bounds

REASONS_SHOWN = 10


def totals(scope: Organisation | Authority, months: list[date]) -> Totals:
    return Totals(totals_rows(scope, months))


def totals_rows(scope: Organisation | Authority, months: list[date]) -> dict[tuple[str, str, date | None], int]:
    """The scope's figures over the months, summed in SQL: month by month for the measures the page shows
    that way, over the whole range (month None) for the rest."""
    # A partnership's own rows hold its totals (the organisations' rows would count everything twice).
    where = Q(organisation=scope) if isinstance(scope, Organisation) else Q(authority=scope, organisation=None)
    per = Case(When(measure__in=MONTHLY_MEASURES, then=F("month")), default=Value(None), output_field=DateField())
    rows = (Figure.objects.filter(where, month__gte=months[0], month__lte=months[-1]).annotate(per=per)
            .values_list("measure", "key", "per").annotate(n=Sum("count")).order_by())
    return {(measure, key, month): n for measure, key, month, n in rows}


def lead_names(ids: list[int]) -> list[str]:
    if not ids:
        return []
    users = get_user_model().objects.filter(pk__in=ids).only("username", "first_name", "last_name")
    return [u.get_full_name() or u.username for u in users]


def refreshed_at() -> datetime | None:
    state = RefreshState.objects.filter(pk=1).first()
    return state.refreshed_at if state else None


@dataclass(frozen=True)
class Reason:
    draft_id: int
    on: date
    who: str  # "Practitioner" or "Lead"
    from_level: str
    to_level: str
    text: str  # the child's names masked


def override_reasons(actor: Actor, organisation: Organisation, months: list[date]) -> list[Reason]:
    """The most recent reasons given in the range for a level other than the suggestion (the practitioner's)
    or than the practitioner's (the lead's, on review), each with the child's names masked."""
    start, end = bounds(months[0])[0], bounds(months[-1])[1]
    drafts = Draft.objects.for_user_in(actor, organisation.pk)
    chosen, reviewed = practitioners_reasons(drafts, start, end), leads_reasons(drafts, start, end)
    found: list[tuple[datetime, int, str, str, str, int, int | None, int, str]] = []
    for pk, name, child, version, at, suggested, level, reason in chosen:
        found.append((at, pk, "Practitioner", name, child, version, suggested, level, reason))
    for pk, name, child, version, at, as_submitted, level, lead_level, reason in reviewed:
        before = as_submitted if isinstance(as_submitted, int) else level
        found.append((at, pk, "Lead", name, child, version, before, lead_level, reason))
    found.sort(key=lambda r: (r[0], r[1]), reverse=True)
    found = found[:REASONS_SHOWN]
    levels = _level_names({r[5] for r in found})
    return [Reason(draft_id=pk, on=timezone.localdate(at), who=who,
                   from_level=_name(levels, version, before), to_level=_name(levels, version, after),
                   text=mask_child(reason, name, child))
            for at, pk, who, name, child, version, before, after, reason in found]


def practitioners_reasons(drafts: QuerySet[Draft], start: datetime, end: datetime) -> QuerySet:
    """The latest drafts submitted in the range at a level other than the suggestion, with the reason (the
    index draft_org_submitted reads them newest first)."""
    return (drafts.filter(submitted_at__gte=start, submitted_at__lt=end, chosen_level__isnull=False,
                          assessment__suggested_level__isnull=False, level_reason__gt="")
            .exclude(chosen_level=F("assessment__suggested_level"))
            .values_list("pk", "child_name", "assessment__child_name", "assessment__catalogue_version_id",
                         "submitted_at", "assessment__suggested_level", "chosen_level", "level_reason")
            .order_by("-submitted_at", "-pk")[:REASONS_SHOWN])


def leads_reasons(drafts: QuerySet[Draft], start: datetime, end: datetime) -> QuerySet:
    """The latest reviews in the range where the lead gave a level of their own, with the reason (the partial
    index submission_lead_level_reviewed reads only those reviews, newest first)."""
    # One filter() call, so the conditions and the values are of the same submission.
    return (drafts.filter(submissions__reviewed_at__gte=start, submissions__reviewed_at__lt=end,
                          submissions__lead_level__isnull=False, submissions__lead_level_reason__gt="")
            .values_list("pk", "child_name", "assessment__child_name", "assessment__catalogue_version_id",
                         "submissions__reviewed_at", "submissions__record__level__chosen_number",
                         "chosen_level", "submissions__lead_level", "submissions__lead_level_reason")
            .order_by("-submissions__reviewed_at", "-pk")[:REASONS_SHOWN])


def _level_names(version_ids: set[int]) -> dict[int, dict[int, str]]:
    """How each version's document names its levels ("Level 2", "Level 4a")."""
    versions = CatalogueVersion.objects.filter(pk__in=version_ids).defer("content")  # parsed copies are cached
    return {v.pk: {lv.number: lv.short for lv in v.catalogue.levels} for v in versions}


def _name(levels: dict[int, dict[int, str]], version: int, number: int | None) -> str:
    if number is None:
        return "none"
    return levels.get(version, {}).get(number, f"Level {number}")
