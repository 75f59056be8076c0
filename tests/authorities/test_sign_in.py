"""Signing in and out (authorities.views.SignInView): the session key changes, a planted session does not
survive, failures say nothing about which part was wrong, and five of them lock the sign-in."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from tests.conftest import PASSWORD, SIGN_IN

pytestmark = pytest.mark.django_db


def _sign_in(client, username="alice", password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_standard_cases_of_the_sign_in_page(people, access):
    url = reverse("login")
    assert access("get", url, who=["anonymous"]) == {"anonymous": 200}
    # DELETE, not PUT: Django's FormView answers PUT as a POST (the form again, 200).
    assert access("delete", url, who=["anonymous"]) == {"anonymous": 405}


def test_standard_cases_of_signing_out(people, access):
    url = reverse("logout")
    assert access("get", url, who=["owner", "anonymous"]) == {"owner": 405, "anonymous": SIGN_IN}
    assert access("post", url, who=["owner"]) == {"owner": SIGN_IN}  # signed out, back to the sign-in page


def test_sign_in_rotates_the_session_key_and_sign_out_ends_it(people, client):
    client.get(reverse("login"))
    before = client.cookies.get("sessionid")
    response = client.post(reverse("login"), {"username": "alice", "password": "a-long-test-password-1"})
    assert response.status_code == 302
    key = client.cookies["sessionid"].value
    assert before is None or before.value != key
    assert Session.objects.filter(session_key=key).exists()
    client.post(reverse("logout"))
    assert not Session.objects.filter(session_key=key).exists()


def test_a_session_planted_in_the_browser_does_not_survive_signing_in(people, client):
    """An attacker signs the browser into their own account; the victim then signs in as themselves."""
    client.force_login(people.outsider)
    planted = client.cookies["sessionid"].value
    form = client.get(reverse("login"))
    assert form.status_code == 200, "the sign-in form is shown, not a redirect into the planted account"
    response = client.post(reverse("login"), {"username": "alice", "password": "a-long-test-password-1"})
    assert response.status_code == 302
    key = client.cookies["sessionid"].value
    assert key != planted and not Session.objects.filter(session_key=planted).exists()
    assert client.get(reverse("home")).context["user"] == people.alice


def test_sign_in_locks_after_five_failures_with_a_generic_message(people, client):
    for _ in range(5):
        response = _sign_in(client, password="wrong-password")
    response = _sign_in(client)  # right password, but locked
    body = response.content.decode()
    assert "You cannot sign in at the moment" in body
    assert client.get("/").status_code == 302


def test_wrong_password_message_does_not_say_which_part_is_wrong(people, client):
    body = _sign_in(client, password="wrong-password").content.decode()
    assert "Enter a correct username and password" in body
