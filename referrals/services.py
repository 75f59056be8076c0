"""Writes for referral drafts: create, save (with a version check), the review workflow, printing.

Every change runs in a transaction and records both the draft's history (``DraftEvent``) and an
audit event. Who may act is decided by the named rules; what a status allows is decided here, on
the locked row, so no view (and no race between two requests) can skip it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from assessments.services import suggestion_for
from authorities import audit, rules
from authorities.actor import Actor
from authorities.models import Membership, Role
from core.email import send_link
from core.errors import NotAllowed, Problem

from . import checks
from .models import Draft, DraftEvent, Status


class ConflictError(Exception):
    """The draft changed since the editor loaded it."""

    def __init__(self, current: Draft):
        self.current = current
        super().__init__("the draft was changed by someone else")


class NotReady(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(p.message for p in problems))


EDITABLE = {Status.DRAFT, Status.RETURNED}
TEXT_FIELDS = [
    "child_name", "address", "school", "gp", "language_needs", "disability",
    "referrer_name", "referrer_role", "referrer_organisation", "referrer_phone", "referrer_email",
    "worries", "working_well", "needs_to_happen", "child_voice", "strengths", "support_tried",
    "immediate_risks", "level_reason", "parents_aware", "consent", "consent_ground", "consent_agreed_by",
]
FIELDS = [*TEXT_FIELDS, "date_of_birth", "due_date", "chosen_level", "household", "professionals"]


def _record(actor: Actor, draft: Draft, action: str, *, comment: str = "", from_status: str = "",
            role: str | None = None) -> None:
    audit.record(actor, f"draft.{action}", draft, organisation=draft.organisation, role=role)
    if action != "save":  # the history holds creation and transitions; every save is in the audit trail
        DraftEvent.objects.create(draft=draft, actor=actor.user, action=action, from_status=from_status,
                                  to_status=draft.status, comment=comment)


def facts(draft: Draft, suggestion=None) -> checks.DraftFacts:
    """The draft's facts for the checks; pass the assessment's suggestion if the caller has it."""
    suggestion = suggestion or suggestion_for(draft.assessment)
    return checks.DraftFacts(
        chosen_level=draft.chosen_level,
        suggested_level=draft.assessment.suggested_level,
        level_reason=draft.level_reason,
        parents_aware=draft.parents_aware,
        consent=draft.consent,
        consent_ground=draft.consent_ground,
        consent_agreed_by=draft.consent_agreed_by,
        child_name=draft.child_name,
        child_voice=draft.child_voice,
        household=draft.household,
        referrer_phone=draft.referrer_phone,
        referrer_email=draft.referrer_email,
        consultation=draft.assessment.mode == "consultation",
        child_protection=suggestion.child_protection,
    )


def problems(draft: Draft, suggestion=None) -> list[Problem]:
    return checks.pre_submission_problems(draft.catalogue_version.catalogue, facts(draft, suggestion))


def concerns(draft: Draft) -> list[tuple[str, list]]:
    """The ticked indicators, grouped by domain in the catalogue's order and words."""
    catalogue = draft.catalogue_version.catalogue
    ticked = set(draft.assessment.ticks)
    out = []
    for domain in catalogue.domains:
        items = [i for i in catalogue.indicators if i.domain == domain.id and i.id in ticked]
        if items:
            out.append((domain.name, items))
    return out


def create_from_assessment(actor: Actor, assessment) -> Draft:
    seat = actor.primary
    if seat is None or not rules.can_edit(actor, assessment):
        raise NotAllowed("Only the practitioner who made the assessment can turn it into a draft.")
    user = actor.user
    suggestion = suggestion_for(assessment)
    with transaction.atomic():
        draft = Draft.objects.create(
            assessment=assessment, owner=user, organisation=assessment.organisation,
            child_name=assessment.child_name, date_of_birth=assessment.date_of_birth,
            due_date=assessment.due_date,
            referrer_name=user.get_full_name(), referrer_organisation=seat.organisation.name,
            referrer_role=seat.role_label, referrer_email=user.email,
            chosen_level=assessment.chosen_level or suggestion.level_number,
            level_reason=assessment.chosen_reason,
        )
        _record(actor, draft, "create")
    return draft


def save(actor: Actor, draft: Draft, data: dict, expected_revision: int) -> Draft:
    """Save edits if nobody else saved since `expected_revision`; otherwise raise ConflictError."""
    if not rules.can_edit(actor, draft):
        raise NotAllowed("Only the practitioner who wrote this draft can change it.")
    values = {k: data[k] for k in FIELDS if k in data}
    with transaction.atomic():
        updated = Draft.objects.filter(pk=draft.pk, revision=expected_revision, status__in=EDITABLE).update(
            **values, revision=models.F("revision") + 1, updated_at=timezone.now()
        )
        if not updated:
            current = Draft.objects.select_related("assessment__catalogue_version__authority").get(pk=draft.pk)
            if current.status not in EDITABLE:
                raise NotAllowed(f"This draft is {current.get_status_display().lower()} and can no longer be "
                                 "changed.")
            raise ConflictError(current)
        draft.refresh_from_db()
        _record(actor, draft, "save")
    return draft


def _transition(actor: Actor, draft: Draft, allowed_from: set[str], to: str, action: str, *, comment: str = "",
                role: str | None = None, expected_revision: int | None = None,
                check: Callable[[Draft], None] | None = None, **changes) -> Draft:
    """Move the draft to `to` on the locked row: its status, the revision the person saw, and any
    `check` (the blocking problems) are decided there, so two requests cannot both pass."""
    with transaction.atomic():
        locked = (Draft.objects.select_for_update(of=("self",))
                  .select_related("assessment__catalogue_version__authority").get(pk=draft.pk))
        if locked.status not in allowed_from:
            raise NotAllowed(f"This draft is {locked.get_status_display().lower()}: it cannot be {action}.")
        if expected_revision is not None and locked.revision != expected_revision:
            raise ConflictError(locked)
        if check is not None:
            check(locked)
        before = locked.status
        locked.status = to
        for k, v in changes.items():
            setattr(locked, k, v)
        locked.revision += 1
        locked.save()
        _record(actor, locked, action, comment=comment, from_status=before, role=role)
    return locked


def _no_blocking_problems(draft: Draft) -> None:
    blocking = [p for p in problems(draft) if p.blocking]
    if blocking:
        raise NotReady(blocking)


def submit(actor: Actor, draft: Draft, expected_revision: int | None = None) -> Draft:
    if not rules.can_edit(actor, draft):
        raise NotAllowed("Only the practitioner who wrote this draft can submit it.")
    draft = _transition(actor, draft, EDITABLE, Status.SUBMITTED, "submitted", expected_revision=expected_revision,
                        check=_no_blocking_problems, submitted_at=timezone.now())
    leads = Membership.objects.filter(organisation=draft.organisation, role=Role.SAFEGUARDING_LEAD)
    _notify([m.user.email for m in leads.select_related("user").exclude(user_id=actor.pk)],
            "A referral draft is waiting for your review", draft)
    return draft


def _require_reviewer(actor: Actor, draft: Draft) -> str:
    if not rules.leads(actor, draft.organisation_id):
        raise NotAllowed("Only a safeguarding lead of this organisation can review this draft.")
    if not rules.can_review(actor, draft):
        # Review means a second person: another safeguarding lead of the organisation reviews it.
        raise NotAllowed("You wrote this draft, so another safeguarding lead of your organisation must review it.")
    return Role.SAFEGUARDING_LEAD


def approve(actor: Actor, draft: Draft, comment: str = "", expected_revision: int | None = None) -> Draft:
    role = _require_reviewer(actor, draft)
    draft = _transition(actor, draft, {Status.SUBMITTED}, Status.APPROVED, "approved", comment=comment, role=role,
                        expected_revision=expected_revision, check=_no_blocking_problems)
    _notify([draft.owner.email], "Your referral draft was approved", draft)
    return draft


def return_to_practitioner(actor: Actor, draft: Draft, comment: str, expected_revision: int | None = None) -> Draft:
    role = _require_reviewer(actor, draft)
    if not comment.strip():
        raise NotAllowed("Say what needs to change before returning the draft.")
    draft = _transition(actor, draft, {Status.SUBMITTED}, Status.RETURNED, "returned", comment=comment, role=role,
                        expected_revision=expected_revision)
    _notify([draft.owner.email], "Your referral draft was returned with comments", draft)
    return draft


def mark_sent(actor: Actor, draft: Draft, sent_at, how: str, reference: str) -> Draft:
    if not rules.can_record_outcome(actor, draft):
        raise NotAllowed("Only the practitioner or their safeguarding lead can record that the draft was sent.")
    return _transition(actor, draft, {Status.APPROVED}, Status.SENT, "sent", sent_at=sent_at, sent_how=how,
                       sent_reference=reference)


def record_decision(actor: Actor, draft: Draft, decision: str) -> Draft:
    if not rules.can_record_outcome(actor, draft):
        raise NotAllowed("Only the practitioner or their safeguarding lead can record the front door's decision.")
    return _transition(actor, draft, {Status.SENT}, Status.DECIDED, "decision recorded", decision=decision,
                       decision_at=timezone.now())


def record_access(actor: Actor, draft: Draft, action: str, purpose: str = "") -> None:
    """A view, print or export of the draft: audited, never a history entry."""
    audit.record(actor, f"draft.{action}", draft, organisation=draft.organisation, purpose=purpose)


def _notify(addresses: list[str], subject: str, draft: Draft) -> None:
    """Email with a link only: no child details ever leave the application by email."""
    send_link(addresses, subject, f"{subject}.", reverse("draft-detail", args=[draft.pk]))


def notification_count(actor: Actor) -> int:
    """What waits for this person: drafts to review (leads) and drafts that came back (practitioners)."""
    waiting = Draft.objects.waiting_for(actor).count() if actor.lead_organisation_ids else 0
    came_back = Draft.objects.for_user(actor).filter(owner_id=actor.pk,
                                                     status__in=[Status.RETURNED, Status.APPROVED]).count()
    return waiting + came_back
