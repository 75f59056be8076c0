"""Tokens for the API tests: `issue(user, scopes=..., days=...)` returns (token, secret); `bearer(secret)`
is the header the test client sends."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from api import services
from api.models import Scope
from tests.factories import actor

ALL_SCOPES = list(Scope.values)


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()  # the per-address counters of the public calls
    yield
    cache.clear()


@pytest.fixture
def issue(people):
    made = iter(range(1000))

    def _issue(user=None, scopes=ALL_SCOPES, days=30, organisation=None):
        user = user or people.lead
        organisation = organisation or services.lead_organisations(actor(user))[0]
        return services.issue(actor(user), organisation, f"token {next(made)}", list(scopes),
                              timezone.now() + timedelta(days=days))

    return _issue
