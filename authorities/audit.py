"""The audit service: the one way to write an audit event. It refuses a write without an actor."""

from __future__ import annotations

from django.db import models

from .models import AuditEvent, Organisation


class MissingActorError(ValueError):
    pass


def record(
    actor,
    action: str,
    obj: models.Model | None = None,
    *,
    role: str = "",
    organisation: Organisation | None = None,
    purpose: str = "",
    detail: dict | None = None,
) -> AuditEvent:
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise MissingActorError(f"audit event {action!r} needs a signed-in actor")
    return AuditEvent.objects.create(
        actor=actor,
        actor_role=role,
        organisation=organisation,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        purpose=purpose,
        detail=detail or {},
    )
