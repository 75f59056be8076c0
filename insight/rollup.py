"""What the rollup counts, read from the case tables a month at a time (services.refresh writes it).

A scheduled job over every partnership, like retention, so it reads the case tables whole (named in
tests/project/test_architecture.py): it returns counts only, keyed by organisation, partnership, measure and
key. SQL groups and counts where it can; Python does what SQL cannot do portably: ticks to national codes
(through each catalogue version), working days (England's bank holidays), and levels to national stages.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.db.models import Case, CharField, Count, F, Max, Min, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from assessments.models import Assessment
from catalogues.models import CatalogueVersion
from core.working_days import working_days_between
from referrals.models import Draft, Submission

from .measures import add_months, compare_levels, day_bucket, frontdoor_vs_level, month_start
from .models import Measure

FigureKey = tuple[int | None, int, str, str]  # organisation id (None: the partnership's total), partnership id, measure, key
CHUNK = 2000


def bounds(month: date) -> tuple[datetime, datetime]:
    """The month as UK-time instants: from midnight on its first day to midnight on the next month's."""
    zone = timezone.get_current_timezone()
    return (timezone.make_aware(datetime.combine(month, time.min), zone),
            timezone.make_aware(datetime.combine(add_months(month, 1), time.min), zone))


def months_with_data() -> list[date]:
    """Every month from the earliest event in the case tables to the latest (or this month)."""
    found = [Assessment.objects.aggregate(first=Min("created_at"), last=Max("created_at")),
             Submission.objects.aggregate(first=Min("submitted_at"), last=Max("reviewed_at")),
             Draft.objects.aggregate(first=Min("decision_on"), last=Max("decision_on")),
             Draft.objects.aggregate(first=Min("closed_at"), last=Max("closed_at"))]
    days = [_day(v) for row in found for v in row.values() if v is not None]
    if not days:
        return []
    first, last = month_start(min(days)), month_start(max([*days, timezone.localdate()]))
    months = [first]
    while months[-1] < last:
        months.append(add_months(months[-1], 1))
    return months


def _day(value: date | datetime) -> date:
    return timezone.localdate(value) if isinstance(value, datetime) else value


class Versions:
    """What the catalogue versions say, read once per run: each indicator's national codes and each level's
    national stages (a catalogue is parsed once per version, not once per assessment)."""

    def __init__(self) -> None:
        self._codes: dict[int, dict[str, tuple[str, ...]]] = {}
        self._bands: dict[int, dict[int, tuple[str, ...]]] = {}

    def codes(self, version_id: int) -> dict[str, tuple[str, ...]]:
        if version_id not in self._codes:
            self._read(version_id)
        return self._codes[version_id]

    def bands(self, version_id: int) -> dict[int, tuple[str, ...]]:
        if version_id not in self._bands:
            self._read(version_id)
        return self._bands[version_id]

    def _read(self, version_id: int) -> None:
        catalogue = CatalogueVersion.objects.only("pk", "content", "content_hash").get(pk=version_id).catalogue
        self._codes[version_id] = {i.id: tuple(i.codes) for i in catalogue.indicators if i.codes}
        self._bands[version_id] = {lv.number: tuple(lv.bands) for lv in catalogue.levels}


def figures_for(month: date, versions: Versions | None = None) -> Counter[FigureKey]:
    """Every figure of one month (only the non-zero ones)."""
    versions = versions or Versions()
    start, end = bounds(month)
    figures: Counter[FigureKey] = Counter()
    _assessments(figures, start, end)
    _first_submissions(figures, start, end)
    _sent(figures, start, end)
    _closed(figures, start, end)
    _decisions(figures, month, add_months(month, 1) - timedelta(days=1), versions)
    _reviews(figures, start, end)
    _codes(figures, start, end, versions)
    return figures


def with_partnership_totals(figures: Counter[FigureKey]) -> Counter[FigureKey]:
    """The organisations' figures and, for each partnership, their sums under no organisation: what the
    partnership's page reads (a year of a few hundred rows, not every organisation's)."""
    out = Counter(figures)
    for (org, auth, measure, key), n in figures.items():
        if org is not None:
            out[(None, auth, measure, key)] += n
    return out


def _add(figures: Counter[FigureKey], rows: Iterable[dict], measure: str, key_field: str | None = None) -> None:
    for row in rows:
        figures[(row["org"], row["auth"], measure, str(row[key_field]) if key_field else "")] += row["n"]


def _assessments(figures: Counter[FigureKey], start: datetime, end: datetime) -> None:
    rows = (Assessment.objects.filter(created_at__gte=start, created_at__lt=end)
            .values(org=F("organisation_id"), auth=F("catalogue_version__authority_id"))
            .annotate(n=Count("pk")).order_by())
    _add(figures, rows, Measure.ASSESSMENTS)


def _first_submissions(figures: Counter[FigureKey], start: datetime, end: datetime) -> None:
    """Drafts first submitted this month, and the practitioner's level against the suggestion on each."""
    chosen, suggested = "draft__chosen_level", "draft__assessment__suggested_level"
    rows = (Submission.objects.filter(number=1, submitted_at__gte=start, submitted_at__lt=end)
            .annotate(against=Case(When(Q(**{f"{chosen}__isnull": True}) | Q(**{f"{suggested}__isnull": True}),
                                        then=Value("")),
                                   When(**{chosen: F(suggested)}, then=Value("same")),
                                   When(**{f"{chosen}__gt": F(suggested)}, then=Value("higher")),
                                   default=Value("lower"), output_field=CharField()))
            .values("against", org=F("draft__organisation_id"), auth=F("draft__assessment__catalogue_version__authority_id"))
            .annotate(n=Count("pk")).order_by())
    for row in rows:
        figures[(row["org"], row["auth"], Measure.REFERRALS_SUBMITTED, "")] += row["n"]
        if row["against"]:
            figures[(row["org"], row["auth"], Measure.PRACTITIONER_VS_SUGGESTED, row["against"])] += row["n"]


def _drafts():
    return Draft.objects.values(org=F("organisation_id"), auth=F("assessment__catalogue_version__authority_id"))


def _sent(figures: Counter[FigureKey], start: datetime, end: datetime) -> None:
    rows = _drafts().filter(sent_at__gte=start, sent_at__lt=end).annotate(n=Count("pk")).order_by()
    _add(figures, rows, Measure.REFERRALS_SENT)


def _closed(figures: Counter[FigureKey], start: datetime, end: datetime) -> None:
    rows = (Draft.objects.filter(closed_at__gte=start, closed_at__lt=end).exclude(closure="")
            .values("closure", org=F("organisation_id"), auth=F("assessment__catalogue_version__authority_id"))
            .annotate(n=Count("pk")).order_by())
    _add(figures, rows, Measure.CLOSED, "closure")


def _decisions(figures: Counter[FigureKey], first_day: date, last_day: date, versions: Versions) -> None:
    """Decisions made this month: by outcome, the working days since sending, and the front door's stage
    against the level the referral went at (the lead's if they gave one on approving, else the
    practitioner's)."""
    approved = (Submission.objects.filter(draft=OuterRef("pk"), outcome=Submission.Outcome.APPROVED)
                .order_by("-number").values("lead_level")[:1])
    rows = (Draft.objects.filter(decision_on__gte=first_day, decision_on__lte=last_day).exclude(decision_outcome="")
            .annotate(went_at=Coalesce(Subquery(approved), F("chosen_level")))
            .values_list("organisation_id", "assessment__catalogue_version__authority_id",
                         "assessment__catalogue_version_id", "decision_outcome", "decision_on", "sent_at", "went_at")
            .order_by())
    for org, auth, version_id, outcome, decided_on, sent_at, went_at in rows.iterator(chunk_size=CHUNK):
        figures[(org, auth, Measure.DECIDED, outcome)] += 1
        bands = versions.bands(version_id).get(went_at, ()) if went_at is not None else ()
        figures[(org, auth, Measure.FRONTDOOR_VS_LEVEL, frontdoor_vs_level(outcome, bands))] += 1
        if sent_at is not None:
            days = working_days_between(timezone.localdate(sent_at), decided_on)
            figures[(org, auth, Measure.DECISION_DAYS, day_bucket(days))] += 1


def _reviews(figures: Counter[FigureKey], start: datetime, end: datetime) -> None:
    """Reviews made this month: working days since submitting, the lead's level against the practitioner's
    as submitted, and per lead how many reviews and how many returned, closed or changed the level."""
    rows = (Submission.objects.filter(reviewed_at__gte=start, reviewed_at__lt=end).exclude(outcome="")
            .values_list("draft__organisation_id", "draft__assessment__catalogue_version__authority_id",
                         "reviewed_by_id", "outcome", "lead_level", "record__level__chosen_number",
                         "draft__chosen_level", "submitted_at", "reviewed_at")
            .order_by())
    for org, auth, lead, outcome, lead_level, as_submitted, chosen, submitted_at, reviewed_at in \
            rows.iterator(chunk_size=CHUNK):
        days = working_days_between(timezone.localdate(submitted_at), timezone.localdate(reviewed_at))
        figures[(org, auth, Measure.REVIEW_DAYS, day_bucket(days))] += 1
        # The practitioner's level as the lead saw it (in the frozen record), else the draft's now.
        practitioner = as_submitted if isinstance(as_submitted, int) else chosen
        against = "same" if lead_level is None else compare_levels(lead_level, practitioner)
        if against is not None:
            figures[(org, auth, Measure.LEAD_VS_PRACTITIONER, "agrees" if against == "same" else against)] += 1
        if lead is not None:
            figures[(org, auth, Measure.LEAD_REVIEWS, str(lead))] += 1
            if outcome != Submission.Outcome.APPROVED or lead_level is not None:
                figures[(org, auth, Measure.LEAD_CHANGES, str(lead))] += 1


def _codes(figures: Counter[FigureKey], start: datetime, end: datetime, versions: Versions) -> None:
    """Assessments started this month with a ticked concern carrying each national code, each code once per
    assessment (the codes come from the catalogue version the assessment was made with)."""
    rows = (Assessment.objects.filter(created_at__gte=start, created_at__lt=end)
            .values_list("organisation_id", "catalogue_version__authority_id", "catalogue_version_id", "ticks")
            .order_by())
    for org, auth, version_id, ticks in rows.iterator(chunk_size=CHUNK):
        codes_of = versions.codes(version_id)
        found = {code for tick in ticks or () for code in codes_of.get(tick, ())}
        for code in found:
            figures[(org, auth, Measure.CODE, code)] += 1
