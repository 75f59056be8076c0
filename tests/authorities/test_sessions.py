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


# --- the session clock, "Stay signed in" and "Save and sign out" (ADR 0006) ---------------------------------

def test_every_signed_in_page_says_how_long_is_left_and_where_the_session_clock_is(people, client):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        _sign_in(client)
        clock.shift(timedelta(minutes=5))
        response = client.get("/")
        assert response["X-Session-Seconds-Left"] == "900"  # the visit restarted the idle clock
        page = response.content.decode()
        assert 'data-session-seconds="900"' in page and 'data-session-warning-seconds="120"' in page
        assert f'data-session-url="{reverse("session-clock")}"' in page and "js/session.mjs" in page
        assert 'id="session-dialog"' in page and "Stay signed in" in page
    anonymous = client.__class__().get(reverse("login")).content.decode()
    assert "session.mjs" not in anonymous and "data-session-seconds" not in anonymous


def test_asking_how_long_is_left_is_not_activity(people, client):
    """The page's check after coming back must not keep a session alive on its own."""
    with time_machine.travel(timezone.now(), tick=False) as clock:
        _sign_in(client)
        clock.shift(timedelta(minutes=10))
        response = client.get(reverse("session-clock"))
        assert response.status_code == 200 and response["X-Session-Seconds-Left"] == "300"
        assert response.json()["signed_in"] is True and response.json()["csrf_token"]
        clock.shift(timedelta(minutes=6))
        response = client.get(reverse("session-clock"))
        assert response.status_code == 401  # not a redirect to the sign-in page: the script reads it
    assert client.get("/").status_code == 302


def test_stay_signed_in_restarts_the_idle_clock_and_needs_the_csrf_token(people, client):
    from django.test import Client

    d = ready_draft(people.alice, people.sefton, worries="Kept safe")
    strict = Client(enforce_csrf_checks=True)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        strict.force_login(people.alice)
        page = strict.get(reverse("draft-detail", args=[d.pk]))
        token = page.context["csrf_token"]
        clock.shift(timedelta(minutes=14))
        assert strict.post(reverse("session-clock")).status_code == 403  # no token: refused
        response = strict.post(reverse("session-clock"), HTTP_X_CSRFTOKEN=str(token))
        assert response.status_code == 204 and response["X-Session-Seconds-Left"] == "900"
        clock.shift(timedelta(minutes=14))  # 28 minutes after the page was opened
        assert strict.get(reverse("draft-detail", args=[d.pk])).status_code == 200
        clock.shift(timedelta(minutes=16))
        assert strict.post(reverse("session-clock"), HTTP_X_CSRFTOKEN=str(token)).status_code == 401


def test_stay_signed_in_cannot_pass_the_12_hour_limit(people, client):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        _sign_in(client)
        for _ in range(12 * 6 - 1):
            clock.shift(timedelta(minutes=10))
            client.post(reverse("session-clock"))
        clock.shift(timedelta(minutes=9))
        response = client.post(reverse("session-clock"))
        assert response.status_code == 204 and response["X-Session-Seconds-Left"] == "60"


def test_the_session_clock_sends_someone_signed_out_to_sign_in(client):
    response = client.get(reverse("session-clock"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.post(reverse("session-clock")).status_code == 302


def _draft_post(draft, **over) -> dict:
    data = {"revision": draft.revision, "child_name": draft.child_name, "chosen_level": draft.chosen_level,
            "child_voice": draft.child_voice, "referrer_phone": draft.referrer_phone,
            "parents_aware": draft.parents_aware, "consent": draft.consent,
            "household-0-name": draft.household[0]["name"]}
    return data | over


def test_save_and_sign_out_saves_what_was_typed_then_signs_out(people, client):
    d = ready_draft(people.alice, people.sefton, worries="Before")
    _sign_in(client)
    response = client.post(reverse("draft-save-sign-out", args=[d.pk]), _draft_post(d, worries="Typed last"),
                           follow=True)
    assert Draft.objects.get(pk=d.pk).worries == "Typed last"
    assert response.redirect_chain[-1][0] == reverse("login")
    assert "Your draft is saved and you are signed out." in response.content.decode()
    assert client.get(reverse("draft-detail", args=[d.pk])).status_code == 302  # signed out


def test_save_and_sign_out_that_cannot_save_keeps_the_person_signed_in(people, client):
    d = ready_draft(people.alice, people.sefton, worries="Before")
    _sign_in(client)
    response = client.post(reverse("draft-save-sign-out", args=[d.pk]), _draft_post(d, worries="x" * 6001))
    assert response.status_code == 400 and "x" * 6001 in response.content.decode()  # what was typed is shown again
    assert Draft.objects.get(pk=d.pk).worries == "Before"
    assert client.get(reverse("draft-detail", args=[d.pk])).status_code == 200  # still signed in


def test_save_and_sign_out_is_on_the_draft_page(people, client):
    d = ready_draft(people.alice, people.sefton)
    client.force_login(people.alice)
    page = client.get(reverse("draft-detail", args=[d.pk])).content.decode()
    assert f'formaction="{reverse("draft-save-sign-out", args=[d.pk])}"' in page


def test_the_sign_in_page_after_a_time_out_says_where_the_unsaved_text_is(client):
    page = client.get(reverse("login") + "?timed_out=1").content.decode()
    assert "anything typed after your last save was not saved" in page
    assert "still open in another tab, what you typed is still on it" in page
    page = client.get(reverse("login") + "?signed_out=1").content.decode()
    assert "anything typed after your last save was not saved" in page and "without activity" not in page


def test_an_autosave_after_signing_out_elsewhere_says_not_saved_not_the_sign_in_page(people, client):
    """Signed out in another tab (or by the page's own check): the answer is the plain "Not saved", 401."""
    d = ready_draft(people.alice, people.sefton, worries="Before")
    _sign_in(client)
    client.post(reverse("logout"))
    response = client.post(reverse("draft-detail", args=[d.pk]), _draft_post(d, worries="After"),
                           HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 401 and "Not saved: you have been signed out" in page
    assert "<form" not in page and f"signed_out=1&amp;next={reverse('draft-detail', args=[d.pk])}" in page
    assert Draft.objects.get(pk=d.pk).worries == "Before"
    assert client.get(reverse("draft-detail", args=[d.pk])).status_code == 302  # a full page still redirects
