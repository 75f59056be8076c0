"""The audit trail's one writer: every event names its actor (a person with their role and
organisation, or a scheduled job) and holds ids and codes only, never free text about a child."""

from __future__ import annotations

from typing import Any

from django.db import models

from .actor import Actor
from .models import AuditEvent, Organisation


class MissingActorError(ValueError):
    pass


def record(
    actor: Actor,
    action: str,
    obj: models.Model | None = None,
    *,
    organisation: Organisation | None = None,
    role: str | None = None,
    purpose: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Write one event. `organisation` is the record's (default: the actor's own); `role` is the seat
    the actor holds there unless given (a lead reviewing in an organisation where they also practise)."""
    if not isinstance(actor, Actor):  # a lazy request.actor passes too: it proxies __class__
        raise MissingActorError(f"audit event {action!r} needs an Actor (the request's, or Actor.system(job))")
    if actor.is_system:
        return AuditEvent.objects.create(job=actor.job, organisation=organisation, action=action,
                                         object_type=_type(obj), object_id=_id(obj), purpose=purpose,
                                         detail=detail or {})
    if not actor.is_person:
        raise MissingActorError(f"audit event {action!r} needs a signed-in actor or a named job")
    if organisation is None and actor.primary is not None:
        organisation = actor.primary.organisation
    if role is None:
        seat = actor.seat_in(organisation.pk if organisation else None)
        role = seat.role if seat else ""
    return AuditEvent.objects.create(actor=actor.user, actor_role=role, organisation=organisation, action=action,
                                     object_type=_type(obj), object_id=_id(obj), purpose=purpose,
                                     detail=detail or {})


def record_many(actor: Actor, action: str, model: type[models.Model], rows: list[tuple[Any, int | None, dict]],
                *, purpose: str = "") -> int:
    """A scheduled job's events about many records at once (retention's removals), in one INSERT: each row
    is (the record's id, its organisation's id, detail). Jobs only: a person's actions are recorded one by
    one, as they happen."""
    if not isinstance(actor, Actor) or not actor.is_system:
        raise MissingActorError(f"audit events {action!r} in bulk are for a named job (Actor.system)")
    object_type = model._meta.label_lower
    AuditEvent.objects.bulk_create([
        AuditEvent(job=actor.job, organisation_id=organisation_id, action=action, object_type=object_type,
                   object_id=str(pk), purpose=purpose, detail=detail or {})
        for pk, organisation_id, detail in rows])
    return len(rows)


def _type(obj: models.Model | None) -> str:
    return obj._meta.label_lower if obj is not None else ""


def _id(obj: models.Model | None) -> str:
    return str(obj.pk) if obj is not None else ""
