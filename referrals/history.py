"""Fictional case history in bulk: assessments, referrals, reviews and decisions spread over past months,
for the demo's insight pages (`seed_demo_history`) and the bench's scale run (bench/run.py).

Written straight to the tables with bulk inserts and the dates of the past, which the services cannot do
(they stamp "now", one audit event per step): so this is never used for real work, and every child is
named "Demo Child … (fictional)". The levels are the engine's own for the ticks drawn, so the figures
look like a partnership's, and a fixed seed makes the same history every time.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from assessments.models import Assessment
from catalogues.engine import Suggestion, suggest
from catalogues.models import CatalogueVersion
from core.working_days import add_working_days

from . import record
from .models import Closure, Draft, FrontDoorOutcome, Status, Submission
from .outcomes import STAGE_OF_OUTCOME

REFERENCE = "DEMO-HISTORY"  # marks every seeded assessment, so a second run can tell it has run

# What the front door decided, by the national stage of the level the referral went at (weights).
OUTCOMES_BY_STAGE: dict[str, list[tuple[str, int]]] = {
    "universal": [("nfa", 5), ("advice", 4), ("early_help", 1)],
    "early_help": [("early_help", 6), ("nfa", 2), ("advice", 2), ("cin_assessment", 1)],
    "child_in_need": [("cin_assessment", 6), ("early_help", 2), ("nfa", 2), ("strategy_s47", 1),
                      ("existing_case", 1)],
    "child_protection": [("strategy_s47", 7), ("cin_assessment", 2), ("existing_case", 1)],
}


@dataclass(frozen=True)
class Cast:
    """Who the history is about: the organisation, its practitioners (who write) and leads (who review)."""

    organisation_id: int
    practitioner_ids: Sequence[int]
    lead_ids: Sequence[int]
    leads_change_things: bool = True  # False: the leads approve everything as it came (a supervision prompt)


# The dates bulk inserts must keep: auto_now / auto_now_add would replace them with now.
STAMPED = [(Assessment, "created_at"), (Assessment, "updated_at"), (Draft, "created_at"), (Draft, "updated_at"),
           (Submission, "submitted_at")]


@contextmanager
def _dates_of_the_past() -> Iterator[None]:
    fields: list[Any] = [model._meta.get_field(name) for model, name in STAMPED]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, now, add in saved:
            f.auto_now, f.auto_now_add = now, add


def _at(day: date, rng: random.Random) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(rng.randint(8, 17), rng.randint(0, 59))))


def _weighted(rng: random.Random, options: list[tuple[str, int]]) -> str:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


def seed(version: CatalogueVersion, cast: Cast, count: int, *, end: date, days: int = 365, seed: int = 1,
         batch: int = 2000) -> dict[str, int]:
    """`count` assessments spread over the `days` before `end`, about two thirds of them referred. Returns
    how many of each record were made. Bounded memory: written `batch` assessments at a time."""
    rng = random.Random(seed)  # noqa: S311 - a repeatable fictional history, nothing secret
    catalogue = version.catalogue
    levels = {lv.number: lv for lv in catalogue.levels}
    by_level: dict[int, list[str]] = {n: [i.id for i in catalogue.indicators if i.level == n and not i.retired]
                                      for n in levels}
    top = max(levels)
    made = {"assessments": 0, "drafts": 0, "submissions": 0}
    n = 0
    while n < count:
        size = min(batch, count - n)
        plans = [_plan(rng, version.pk, catalogue, levels, by_level, top, cast, end, days, n + k) for k in range(size)]
        with transaction.atomic(), _dates_of_the_past():
            assessments = Assessment.objects.bulk_create([p.assessment for p in plans])
            referred = [p for p in plans if p.draft is not None]
            for p, a in zip(plans, assessments, strict=True):
                if p.draft is not None:
                    p.draft.assessment = a
            Draft.objects.bulk_create([p.draft for p in referred if p.draft is not None])
            subs = [s for p in referred for s in p.submissions(catalogue, version.number or 0)]
            Submission.objects.bulk_create(subs)
        made["assessments"] += len(assessments)
        made["drafts"] += len(referred)
        made["submissions"] += len(subs)
        n += size
    return made


@dataclass
class _Plan:
    assessment: Assessment
    draft: Draft | None
    suggestion: Suggestion
    reviews: list[tuple[str, int | None, datetime, datetime | None, int | None]]  # outcome, reviewer, submitted, reviewed, level

    def submissions(self, catalogue, version_number: int) -> list[Submission]:
        """The frozen record, built as submitting builds it (so every page and print shows it), once for all
        the draft's submissions."""
        assert self.draft is not None
        frozen = record.build(self.draft, catalogue=catalogue, version_number=version_number,
                              suggestion=self.suggestion, ticks=self.assessment.ticks, unborn=False)
        digest = record.content_hash(frozen)
        urgent = self.suggestion.child_protection or self.suggestion.immediate_danger
        return [Submission(draft=self.draft, number=k + 1, submitted_at=submitted, submitted_by_id=self.draft.owner_id,
                           record=frozen, content_hash=digest, urgent=urgent, outcome=outcome,
                           reviewed_by_id=reviewer, reviewed_at=reviewed, lead_level=level,
                           lead_level_reason="A different level on review (fictional)." if level else "")
                for k, (outcome, reviewer, submitted, reviewed, level) in enumerate(self.reviews)]


def _plan(rng, version_id: int, catalogue, levels, by_level, top, cast: Cast, end: date, days: int, n: int) -> _Plan:
    created_day = end - timedelta(days=rng.randrange(days))
    created = _at(created_day, rng)
    # Most concerns are lower levels; each draws a few indicators of its level and, sometimes, one below.
    true_level = rng.choices(sorted(levels), weights=[4, 5, 3, 2][:len(levels)] + [1] * max(0, len(levels) - 4))[0]
    pool = by_level.get(true_level) or by_level[min(levels)]
    ticks = rng.sample(pool, min(len(pool), rng.randint(1, 4)))
    if true_level > 1 and by_level.get(true_level - 1) and rng.random() < 0.4:
        ticks.append(rng.choice(by_level[true_level - 1]))
    suggestion = suggest(catalogue, ticks)
    suggested = suggestion.level_number
    chosen = suggested
    if rng.random() < 0.15:  # the practitioner's judgement differs, now and then, by one level
        chosen = max(1, min(top, suggested + rng.choice((-1, 1))))
    owner = rng.choice(cast.practitioner_ids)
    name = f"Demo Child {n + 1:06d} (fictional)"
    assessment = Assessment(owner_id=owner, organisation_id=cast.organisation_id,
                            catalogue_version_id=version_id, child_name=name,
                            reference=REFERENCE, ticks=ticks, suggested_level=suggested, chosen_level=chosen,
                            chosen_reason="Practitioner's judgement (fictional)." if chosen != suggested else "",
                            locked=False, created_at=created, updated_at=created)
    if chosen == 1 or rng.random() < 0.3:
        return _Plan(assessment, None, suggestion, [])  # kept in the setting: no referral written
    submitted = created + timedelta(hours=rng.randint(1, 30))
    lead = rng.choice(cast.lead_ids)
    reviews: list[tuple[str, int | None, datetime, datetime | None, int | None]] = []
    review_lag = rng.choices([0, 1, 2, 3, 6], weights=[5, 8, 3, 1, 1])[0]
    reviewed = _at(add_working_days(timezone.localdate(submitted), review_lag), rng)
    reviewed = max(reviewed, submitted + timedelta(minutes=20))
    changes = cast.leads_change_things
    # Nothing happens after the end: a review, a sending or a decision due later has not happened yet.
    now = timezone.make_aware(datetime.combine(end, time(23, 59)))
    resubmitted = reviewed + timedelta(hours=rng.randint(2, 40))
    if changes and rng.random() < 0.08 and resubmitted <= now:  # returned once, submitted again, reviewed
        reviews.append(("returned", lead, submitted, reviewed, None))
        submitted, reviewed = resubmitted, resubmitted + timedelta(hours=rng.randint(1, 30))
    lead_level = None
    if changes and rng.random() < 0.1:
        lead_level = max(1, min(top, chosen + rng.choice((-1, 1))))
    closing = changes and rng.random() < 0.12
    reviewed_yet = reviewed <= now
    if reviewed_yet:
        reviews.append(("closed" if closing else "approved", lead, submitted, reviewed, lead_level))
    else:
        reviews.append(("", None, submitted, None, None))  # waiting in the lead's queue
    assessment.locked = True  # what was submitted cannot change underneath the record
    draft = Draft(assessment=assessment, owner_id=owner, organisation_id=cast.organisation_id, child_name=name,
                  revision=len(reviews) + 1, created_at=created, updated_at=min(reviewed, now),
                  submitted_at=submitted, chosen_level=chosen, level_reason=assessment.chosen_reason,
                  referrer_organisation="(fictional)", worries="Seeded demo history (fictional).")
    if not reviewed_yet:
        draft.status = Status.SUBMITTED
        return _Plan(assessment, draft, suggestion, reviews)
    if closing:
        draft.status, draft.closure, draft.closed_by_id, draft.closed_at = Status.CLOSED, \
            _weighted(rng, [(Closure.NO_REFERRAL, 3), (Closure.ADVICE, 2)]), lead, reviewed
        if draft.closure == Closure.ADVICE:
            draft.advice_from, draft.advice_on = "Front door duty worker (fictional)", timezone.localdate(reviewed)
            draft.advice_said = "Advice given: monitor in school (fictional)."
        else:
            draft.closure_reason = "Needs met in school (fictional)."
        draft.single_agency_action = "Weekly check-in with a trusted adult (fictional)."
        return _Plan(assessment, draft, suggestion, reviews)
    draft.status = Status.APPROVED
    sent_day = add_working_days(timezone.localdate(reviewed), rng.choice((0, 0, 0, 1)))
    if rng.random() > 0.95 or sent_day > end:
        return _Plan(assessment, draft, suggestion, reviews)  # approved, not yet recorded as sent
    draft.status, draft.sent_at, draft.sent_how = Status.SENT, _at(sent_day, rng), "phone"
    decided_on = add_working_days(sent_day, rng.choices([0, 1, 2, 4], weights=[4, 5, 2, 1])[0])
    if rng.random() > 0.9 or decided_on > end:
        return _Plan(assessment, draft, suggestion, reviews)  # no decision recorded yet: the chase prompt shows
    outcome = _weighted(rng, OUTCOMES_BY_STAGE[levels[lead_level or chosen].band])
    assert outcome in STAGE_OF_OUTCOME and outcome in FrontDoorOutcome.values
    draft.status, draft.decision_outcome, draft.decision_on = Status.DECIDED, outcome, decided_on
    draft.decision_at = _at(decided_on, rng)
    return _Plan(assessment, draft, suggestion, reviews)
