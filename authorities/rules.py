"""Named access rules: who may do what to a record. Each is a plain predicate over an actor and the
record's ownership fields, unit-tested on its own. State rules (what a status allows) live in each
app's services; the scoped querysets (`for_user`) decide what can be reached at all."""

from __future__ import annotations

from typing import Any

from .actor import Actor
from .models import Role


def is_owner(actor: Actor, record: Any) -> bool:
    """The person who made the record (an assessment, a draft, an escalation)."""
    return actor.pk is not None and record.owner_id == actor.pk


def leads(actor: Actor, organisation_id: int) -> bool:
    """A safeguarding lead of the organisation the record belongs to."""
    return organisation_id in actor.lead_organisation_ids


def can_start_work(actor: Actor) -> bool:
    """Anyone with a seat in an organisation can start an assessment or an escalation."""
    return actor.primary is not None


def can_edit(actor: Actor, record: Any) -> bool:
    """Only the author edits their assessment or draft (while its state allows it)."""
    return is_owner(actor, record)


def can_review(actor: Actor, draft: Any) -> bool:
    """A second person: a lead of the draft's organisation who did not write it."""
    return leads(actor, draft.organisation_id) and not is_owner(actor, draft)


def can_close(actor: Actor, draft: Any) -> bool:
    """Closing a concern without a referral (a decision not to refer, Keeping Children Safe in Education):
    a safeguarding lead of the draft's organisation, never a practitioner. Whether it is a second person's
    review or the lead's own concern is decided by the draft's state in referrals.services.close."""
    return leads(actor, draft.organisation_id)


def can_record_outcome(actor: Actor, record: Any) -> bool:
    """Recording that a draft was sent or decided, or a step of an escalation: its author or their lead."""
    return is_owner(actor, record) or leads(actor, record.organisation_id)


def is_a_lead(actor: Actor) -> bool:
    """A safeguarding lead of at least one organisation: has a review queue."""
    return bool(actor.lead_organisation_ids)


def can_read_audit(actor: Actor) -> bool:
    """Leads read the audit trail of the organisations they lead (and only those)."""
    return is_a_lead(actor)


def can_administer_catalogue(actor: Actor, authority_id: int) -> bool:
    return authority_id in actor.admin_authority_ids


def can_use_catalogue_admin(actor: Actor) -> bool:
    return actor.has_role(Role.CATALOGUE_ADMIN)


def can_operate_service(actor: Actor) -> bool:
    """The service's operators (Django superusers, made with `createsuperuser`): they see background work that
    failed on every try, and try it again. It holds ids and addresses, never a child's details."""
    return actor.is_person and bool(actor.user.is_superuser)  # type: ignore[union-attr]
