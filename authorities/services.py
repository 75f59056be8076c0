"""Writes for people: which sessions are whose, and ending them when a user is disabled."""

from __future__ import annotations

from django.contrib.sessions.models import Session
from django.db import transaction

from core.errors import NotAllowed

from . import audit, background, rules
from .actor import Actor
from .models import BackgroundTask, Profile, UserSession


def remember_session(user, session_key: str | None) -> None:
    if session_key:
        UserSession.objects.update_or_create(session_key=session_key, defaults={"user": user})


def end_sessions(user) -> int:
    """End every session of a user on the server (used when a user is disabled)."""
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    deleted, _ = Session.objects.filter(session_key__in=keys).delete()
    UserSession.objects.filter(user=user).delete()
    return deleted


def save_profile(actor: Actor, *, job_title: str, phone: str) -> Profile:
    """The person's own details that start every new referral draft (their job title and phone)."""
    profile, _ = Profile.objects.update_or_create(user=actor.person,
                                                  defaults={"job_title": job_title, "phone": phone})
    audit.record(actor, "profile.update")
    return profile


def profile_of(user) -> Profile:
    """The person's saved details, or an unsaved blank profile (nothing written just by looking)."""
    return Profile.objects.filter(user=user).first() or Profile(user=user)


def retry_background_task(actor: Actor, pk: int) -> BackgroundTask:
    """An operator puts a task that failed on every try back in the queue, with a fresh count of tries."""
    if not rules.can_operate_service(actor):
        raise NotAllowed("Only the service's operators can try failed background work again.")
    with transaction.atomic():
        task = BackgroundTask.objects.select_for_update().get(pk=pk)
        if task.state != BackgroundTask.State.DEAD:
            raise NotAllowed("This task is not waiting to be tried again: it has been done or is already queued.")
        background.retry_dead(task)
        audit.record(actor, "task.retry", task, detail={"task": task.name})
    return task
