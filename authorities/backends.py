"""Signing in and reading the signed-in user on each request."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from .models import Membership


class UserWithSeatsBackend(ModelBackend):
    """Django's password backend, but a request's user is read with their seats (memberships, organisations,
    partnerships) in one query, which the request's Actor then uses. Read on every request, never kept
    between requests, so a role taken away stops at once (docs/performance.md: one statement fewer on
    every signed-in page)."""

    def get_user(self, user_id):
        rows = list(Membership.objects.filter(user_id=user_id).select_related("user", "organisation__authority"))
        if not rows:  # no seat (a service operator): the user alone
            return super().get_user(user_id)
        user = rows[0].user
        for row in rows:
            row.user = user
        user.seats_read_with_user = rows  # type: ignore[attr-defined]  # read by Actor.of, this request only
        return user if self.user_can_authenticate(user) else None
