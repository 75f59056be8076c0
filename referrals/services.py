"""Writes for referral drafts: create, save (with a version check), the review workflow, printing.

Every change runs in a transaction and records both the draft's history (``DraftEvent``) and an
audit event. Who may do what is checked here, so no view can skip it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from authorities import access, audit
from authorities.models import Membership, Role
from thresholds.services import suggestion_for

from . import checks
from .models import Draft, DraftEvent, Status


class ConflictError(Exception):
    """The draft changed since the editor loaded it."""

    def __init__(self, current: Draft):
        self.current = current
        super().__init__("the draft was changed by someone else")


class NotAllowed(Exception):
    """The user may see the draft but may not make this change (shown as a clear message)."""


class NotReady(Exception):
    def __init__(self, problems: list[checks.Problem]):
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


def _seat(user, draft: Draft, role: str | None = None):
    for seat in access.seats(user):
        if seat.organisation.pk == draft.organisation_id and (role is None or seat.role == role):
            return seat
    return None


def _record(user, draft: Draft, action: str, *, comment: str = "", from_status: str = "", role: str = "",
            purpose: str = "") -> None:
    seat = _seat(user, draft)
    audit.record(user, f"draft.{action}", draft, role=role or (seat.role if seat else ""),
                 organisation=draft.organisation, purpose=purpose)
    if action != "save":  # the history holds creation and transitions; every save is in the audit trail
        DraftEvent.objects.create(draft=draft, actor=user, action=action, from_status=from_status,
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


def problems(draft: Draft, suggestion=None) -> list[checks.Problem]:
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


def create_from_assessment(user, assessment) -> Draft:
    seat = access.primary_seat(user)
    if assessment.owner_id != user.pk or seat is None:
        raise NotAllowed("Only the practitioner who made the assessment can turn it into a draft.")
    suggestion = suggestion_for(assessment)
    with transaction.atomic():
        draft = Draft.objects.create(
            assessment=assessment, owner=user, organisation=assessment.organisation,
            authority=assessment.authority, catalogue_version=assessment.catalogue_version,
            child_name=assessment.child_name, date_of_birth=assessment.date_of_birth,
            due_date=assessment.due_date,
            referrer_name=user.get_full_name(), referrer_organisation=seat.organisation.name,
            referrer_role=seat.role_label, referrer_email=user.email,
            chosen_level=assessment.chosen_level or suggestion.level_number,
            level_reason=assessment.chosen_reason,
        )
        _record(user, draft, "create", role=seat.role)
    return draft


def save(user, draft: Draft, data: dict, expected_revision: int) -> Draft:
    """Save edits if nobody else saved since `expected_revision`; otherwise raise ConflictError."""
    if draft.owner_id != user.pk:
        raise NotAllowed("Only the practitioner who wrote this draft can change it.")
    if draft.status not in EDITABLE:
        raise NotAllowed(f"This draft is {draft.get_status_display().lower()} and can no longer be changed.")
    values = {k: data[k] for k in FIELDS if k in data}
    with transaction.atomic():
        updated = Draft.objects.filter(pk=draft.pk, revision=expected_revision).update(
            **values, revision=models.F("revision") + 1, updated_at=timezone.now()
        )
        if not updated:
            raise ConflictError(Draft.objects.get(pk=draft.pk))
        draft.refresh_from_db()
        _record(user, draft, "save")
    return draft


def _transition(user, draft: Draft, allowed_from: set[str], to: str, action: str, *, comment: str = "",
                role: str = "", **changes) -> Draft:
    with transaction.atomic():
        locked = Draft.objects.select_for_update().get(pk=draft.pk)
        if locked.status not in allowed_from:
            raise NotAllowed(f"This draft is {locked.get_status_display().lower()}: it cannot be {action}.")
        before = locked.status
        locked.status = to
        for k, v in changes.items():
            setattr(locked, k, v)
        locked.revision += 1
        locked.save()
        _record(user, locked, action, comment=comment, from_status=before, role=role)
    return locked


def submit(user, draft: Draft) -> Draft:
    if draft.owner_id != user.pk:
        raise NotAllowed("Only the practitioner who wrote this draft can submit it.")
    blocking = [p for p in problems(draft) if p.blocking]
    if blocking:
        raise NotReady(blocking)
    draft = _transition(user, draft, EDITABLE, Status.SUBMITTED, "submitted", submitted_at=timezone.now())
    leads = Membership.objects.filter(organisation=draft.organisation, role=Role.SAFEGUARDING_LEAD)
    _notify([m.user.email for m in leads.select_related("user") if m.user.email],
            "A referral draft is waiting for your review", draft)
    return draft


def _lead_seat(user, draft: Draft):
    seat = _seat(user, draft, Role.SAFEGUARDING_LEAD)
    if seat is None:
        raise NotAllowed("Only a safeguarding lead of this organisation can review this draft.")
    if draft.owner_id == user.pk:
        # Review means a second person: another safeguarding lead of the organisation reviews it.
        raise NotAllowed("You wrote this draft, so another safeguarding lead of your organisation must review it.")
    return seat


def approve(user, draft: Draft, comment: str = "") -> Draft:
    seat = _lead_seat(user, draft)
    draft = _transition(user, draft, {Status.SUBMITTED}, Status.APPROVED, "approved", comment=comment, role=seat.role)
    _notify([draft.owner.email], "Your referral draft was approved", draft)
    return draft


def return_to_practitioner(user, draft: Draft, comment: str) -> Draft:
    seat = _lead_seat(user, draft)
    if not comment.strip():
        raise NotAllowed("Say what needs to change before returning the draft.")
    draft = _transition(user, draft, {Status.SUBMITTED}, Status.RETURNED, "returned", comment=comment, role=seat.role)
    _notify([draft.owner.email], "Your referral draft was returned with comments", draft)
    return draft


def mark_sent(user, draft: Draft, sent_at, how: str, reference: str) -> Draft:
    if draft.owner_id != user.pk and _seat(user, draft, Role.SAFEGUARDING_LEAD) is None:
        raise NotAllowed("Only the practitioner or their safeguarding lead can record that the draft was sent.")
    return _transition(user, draft, {Status.APPROVED}, Status.SENT, "sent", sent_at=sent_at, sent_how=how,
                       sent_reference=reference)


def record_decision(user, draft: Draft, decision: str) -> Draft:
    if draft.owner_id != user.pk and _seat(user, draft, Role.SAFEGUARDING_LEAD) is None:
        raise NotAllowed("Only the practitioner or their safeguarding lead can record the front door's decision.")
    return _transition(user, draft, {Status.SENT}, Status.DECIDED, "decision recorded", decision=decision,
                       decision_at=timezone.now())


def record_access(user, draft: Draft, action: str, purpose: str = "") -> None:
    """A view, print or export of the draft: audited, never a history entry."""
    audit.record(user, f"draft.{action}", draft, role=(s.role if (s := _seat(user, draft)) else ""),
                 organisation=draft.organisation, purpose=purpose)


def _notify(addresses: list[str], subject: str, draft: Draft) -> None:
    """Email with a link only: no child details ever leave the application by email."""
    addresses = [a for a in addresses if a]
    if not addresses:
        return
    link = settings.SITE_URL.rstrip("/") + reverse("draft-detail", args=[draft.pk])
    body = f"{subject}.\n\nSign in to see it: {link}\n\nThis email holds no details of the child by design."
    transaction.on_commit(lambda: send_mail(subject, body, None, addresses, fail_silently=True))


def notification_count(user) -> int:
    """What waits for this user: drafts to review (leads) and drafts that came back (practitioners)."""
    waiting = Draft.objects.waiting_for(user).count() if access.lead_organisation_ids(user) else 0
    came_back = Draft.objects.filter(owner=user, status__in=[Status.RETURNED, Status.APPROVED]).count()
    return waiting + came_back
