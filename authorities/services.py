"""Writes for people: which sessions are whose, and ending them when a user is disabled."""

from __future__ import annotations

from django.contrib.sessions.models import Session

from .models import UserSession


def remember_session(user, session_key: str | None) -> None:
    if session_key:
        UserSession.objects.update_or_create(session_key=session_key, defaults={"user": user})


def end_sessions(user) -> int:
    """End every session of a user on the server (used when a user is disabled)."""
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    deleted, _ = Session.objects.filter(session_key__in=keys).delete()
    UserSession.objects.filter(user=user).delete()
    return deleted
