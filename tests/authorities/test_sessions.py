"""Sessions (authorities.middleware): they end after 15 idle minutes or 12 hours in all, without losing
what was typed; disabling a user ends theirs; signed-in pages are never cached."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment
from referrals.models import Draft
from tests.conftest import PASSWORD
from tests.factories import assessment, ready_draft

pytestmark = pytest.mark.django_db


def _sign_in(client, username="alice", password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_idle_sessions_end_after_15_minutes_without_losing_the_draft(people, client):
    d = ready_draft(people.alice, people.sefton, worries="Kept safe")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        _sign_in(client)
        assert client.get(reverse("draft-detail", args=[d.pk])).status_code == 200
        clock.shift(timedelta(minutes=14))
        assert client.get(reverse("draft-detail", args=[d.pk])).status_code == 200
        clock.shift(timedelta(minutes=16))
        response = client.get(reverse("draft-detail", args=[d.pk]))
        assert response.status_code == 302 and "timed_out=1" in response["Location"]
        assert f"next=/drafts/{d.pk}/" in response["Location"]
    assert Draft.objects.get().worries == "Kept safe"


def test_sessions_end_after_12_hours_in_all(people, client):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        _sign_in(client)
        for _ in range(12 * 6):  # active every 10 minutes
            clock.shift(timedelta(minutes=10))
            assert client.get("/").status_code == 200
        clock.shift(timedelta(minutes=1))
        response = client.get("/")
        assert response.status_code == 302 and "timed_out=1" in response["Location"]


def test_htmx_requests_after_timeout_say_plainly_they_were_not_saved(people, client):
    """Not the sign-in page injected into the draft, and never "your work was saved" when it was not."""
    a = assessment(people.alice, people.sefton)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        _sign_in(client)
        clock.shift(timedelta(minutes=20))
        response = client.post(reverse("assessment-detail", args=[a.pk]), {"tick": []}, HTTP_HX_REQUEST="true")
        page = response.content.decode()
        assert response.status_code == 401 and "HX-Redirect" not in response
        assert "Not saved: you have been signed out" in page and "was saved" not in page
        login = f"{reverse('login')}?timed_out=1&amp;next={reverse('assessment-detail', args=[a.pk])}"
        assert f'href="{login}"' in page
        signed_out = client.get(reverse("login") + "?timed_out=1").content.decode()
        assert "anything typed after your last save was not saved" in signed_out
    assert Assessment.objects.get().ticks == a.ticks


def test_disabling_a_user_ends_their_sessions(people, client):
    _sign_in(client)
    assert Session.objects.count() == 1
    people.alice.is_active = False
    people.alice.save()
    assert Session.objects.count() == 0
    assert client.get("/").status_code == 302


def test_signed_in_pages_are_not_cached(people, client):
    client.force_login(people.alice)
    assert client.get("/")["Cache-Control"] == "no-store"
