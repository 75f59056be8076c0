"""Writes for assessments: start, save ticks (with a version check), choose a level. Each writes its
audit event; who may act is decided with the named rules."""

from __future__ import annotations

from django.db import models, transaction
from django.utils import timezone

from authorities import audit, rules
from authorities.actor import Actor
from authorities.models import Authority
from catalogues import compare
from catalogues.engine import Context, Suggestion, suggest
from catalogues.models import CatalogueVersion
from core.errors import NotAllowed

from .models import Assessment, Comparison

LOCKED_MESSAGE = ("This assessment is part of a referral that has been submitted for review, so it cannot change: "
                  "what your safeguarding lead reviews must stay as it was. If it needs to change, ask your lead "
                  "to return the draft to you, or start a new assessment.")


class Locked(NotAllowed):
    """The assessment is frozen behind a submitted, approved or sent referral."""

    def __init__(self) -> None:
        super().__init__(LOCKED_MESSAGE)


class StaleTicks(Exception):
    """The ticks were saved from another tab or device since this page was loaded."""

    def __init__(self, current: Assessment):
        self.current = current
        super().__init__("the assessment was saved elsewhere since this page was loaded")


def context_for(assessment: Assessment) -> Context:
    return Context(unborn=assessment.unborn)


def suggestion_for(assessment: Assessment) -> Suggestion:
    return suggest(assessment.catalogue_version.catalogue, assessment.ticks, context_for(assessment))


def start_assessment(actor: Actor, authority: Authority, **child) -> Assessment:
    seat = actor.primary
    if seat is None or not rules.can_start_work(actor):
        raise NotAllowed("You need a role in an organisation to start an assessment.")
    version = CatalogueVersion.objects.current_for(authority)
    if version is None:
        raise NotAllowed(f"{authority.name} has no published catalogue yet.")
    with transaction.atomic():
        assessment = Assessment.objects.create(owner=actor.person, organisation=seat.organisation,
                                               catalogue_version=version, **child)
        audit.record(actor, "assessment.create", assessment, organisation=seat.organisation)
    return assessment


def save_ticks(actor: Actor, assessment: Assessment, tick_ids: list[str], ratings: dict[str, str] | None = None,
               *, expected_revision: int | None = None) -> Suggestion:
    """Replace the ticks, recompute the suggestion, save. With `expected_revision`, refuse (StaleTicks)
    when someone saved since that revision, so one tab never silently overwrites another."""
    if not rules.can_edit(actor, assessment):
        raise NotAllowed("Only the practitioner who made this assessment can change its ticks.")
    catalogue = assessment.catalogue_version.catalogue
    known = catalogue.indicators_by_id
    ticks = [t for t in dict.fromkeys(tick_ids) if t in known]
    ratings = assessment.disability_ratings if ratings is None else ratings
    suggestion = suggest(catalogue, ticks, context_for(assessment))
    now = timezone.now()
    with transaction.atomic():
        rows = Assessment.objects.filter(pk=assessment.pk, locked=False)
        if expected_revision is not None:
            rows = rows.filter(revision=expected_revision)
        if not rows.update(ticks=ticks, disability_ratings=ratings, suggested_level=suggestion.level_number,
                           revision=models.F("revision") + 1, updated_at=now):
            current = Assessment.objects.select_related("catalogue_version__authority").get(pk=assessment.pk)
            if current.locked:
                raise Locked()
            raise StaleTicks(current)
        audit.record(actor, "assessment.tick", assessment, organisation=assessment.organisation,
                     detail={"ticks": len(ticks)})
    if expected_revision is None:
        assessment.refresh_from_db(fields=["ticks", "disability_ratings", "suggested_level", "revision", "updated_at"])
    else:  # the update matched that revision, so the row now holds exactly this: no need to read it back
        assessment.ticks, assessment.disability_ratings, assessment.suggested_level = ticks, ratings, \
            suggestion.level_number
        assessment.revision, assessment.updated_at = expected_revision + 1, now
    return suggestion


def choose_level(actor: Actor, assessment: Assessment, level: int | None, reason: str) -> None:
    if not rules.can_edit(actor, assessment):
        raise NotAllowed("Only the practitioner who made this assessment can record their judgement.")
    with transaction.atomic():
        if not Assessment.objects.filter(pk=assessment.pk, locked=False).update(
            chosen_level=level, chosen_reason=reason, revision=models.F("revision") + 1, updated_at=timezone.now()
        ):
            raise Locked()
        audit.record(actor, "assessment.choose_level", assessment, organisation=assessment.organisation,
                     detail={"level": level})
    assessment.refresh_from_db(fields=["chosen_level", "chosen_reason", "revision", "updated_at"])


def record_view(actor: Actor, assessment: Assessment, action: str = "assessment.view", purpose: str = "") -> None:
    audit.record(actor, action, assessment, organisation=assessment.organisation, purpose=purpose)


# --- comparing with another partnership (docs/comparing-partnerships.md) ------------------------------------

def other_partnerships(assessment: Assessment) -> list[CatalogueVersion]:
    """The current published version of every other partnership (as ``current_for`` picks it), by name:
    what the assessment can be compared with. One query; the catalogues are parsed only when used."""
    current: dict[int, CatalogueVersion] = {}
    for version in (CatalogueVersion.objects.published().exclude(authority_id=assessment.authority.pk)
                    .select_related("authority").defer("content").order_by("authority__name", "-number")):
        current.setdefault(version.authority_id, version)
    return list(current.values())


def proposals_for(assessment: Assessment, other_version: CatalogueVersion) -> tuple[compare.Proposal, ...]:
    return compare.propose(assessment.catalogue_version.catalogue, assessment.ticks, other_version.catalogue,
                           unborn=assessment.unborn)


def _reachable(actor: Actor, assessment: Assessment) -> None:
    if not Assessment.objects.for_user(actor).filter(pk=assessment.pk).exists():
        raise NotAllowed("Only the practitioner who made this assessment can compare it.")


def save_comparison(actor: Actor, assessment: Assessment, other_version: CatalogueVersion,
                    confirmed_ids: list[str]) -> Comparison:
    """Save how the other partnership's guidance sees the assessment's ticks: the proposals made now and
    the counterparts confirmed (ids the other version does not know are left out). The assessment itself
    is not changed: not its ticks, its level or its revision."""
    _reachable(actor, assessment)
    if other_version.status != "published" or other_version.authority_id == assessment.authority.pk:
        raise NotAllowed("Compare with another partnership's published guidance.")
    other = other_version.catalogue
    known = {i.id for i in other.indicators}
    confirmed = [t for t in dict.fromkeys(confirmed_ids) if t in known]
    proposals = proposals_for(assessment, other_version)
    context = context_for(assessment)
    home_level = suggestion_for(assessment).level_number
    other_level = suggest(other, confirmed, context).level_number
    with transaction.atomic():
        comparison = Comparison.objects.create(
            assessment=assessment, other_version=other_version, home_ticks=list(assessment.ticks),
            home_level=home_level, proposed=[p.as_json() for p in proposals], confirmed=confirmed,
            other_level=other_level, made_by=actor.person)
        audit.record(actor, "assessment.compare", assessment, organisation=assessment.organisation,
                     detail={"comparison": comparison.pk, "with": other_version.authority.slug,
                             "version": other_version.number, "confirmed": len(confirmed),
                             "home_level": home_level, "other_level": other_level})
    return comparison


def comparison_result(comparison: Comparison) -> compare.Comparison:
    """Both suggestions as saved: recomputed from the saved ticks and the two versions (they never change)."""
    assessment = comparison.assessment
    home, other = assessment.catalogue_version.catalogue, comparison.other_version.catalogue
    proposals = compare.propose(home, comparison.home_ticks, other, unborn=assessment.unborn)
    return compare.compare(home, comparison.home_ticks, other, comparison.confirmed, proposals,
                           context_for(assessment))


def start_from_comparison(actor: Actor, comparison: Comparison) -> Assessment:
    """A new assessment with the other partnership's guidance, the confirmed ticks and the same child, so
    that a cross-border referral goes to that partnership's front door with its consent rule. The home
    assessment is not changed; starting twice gives back the first one while it exists."""
    home = comparison.assessment
    _reachable(actor, home)
    if comparison.started_id is not None and Assessment.objects.for_user(actor).filter(
            pk=comparison.started_id).exists():
        return Assessment.objects.for_user(actor).get(pk=comparison.started_id)
    child = {"mode": home.mode, "child_name": home.child_name, "date_of_birth": home.date_of_birth,
             "due_date": home.due_date, "reference": home.reference}
    with transaction.atomic():
        started = start_assessment(actor, comparison.other_version.authority, **child)
        save_ticks(actor, started, comparison.confirmed)
        Comparison.objects.filter(pk=comparison.pk).update(started=started)
        audit.record(actor, "assessment.compare", home, organisation=home.organisation, purpose="start_other",
                     detail={"comparison": comparison.pk, "started": started.pk})
    comparison.started = started
    return started
