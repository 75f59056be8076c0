"""Races against a real server, with real threads: a submit and an autosave that land together never
get a draft past the partnership's consent rule, and the frozen record matches the draft's state."""

from __future__ import annotations

import http.client
import re
import threading
from urllib.parse import urlencode, urlsplit

import pytest
from django.conf import settings
from django.test import Client

from referrals.models import Draft, Submission
from referrals.record import CONSENT_LABELS
from tests.factories import ready_draft

TRIES = 12


class Browser:
    """A signed-in browser talking HTTP to the live server (its own connection per request)."""

    def __init__(self, live_server, user):
        client = Client()
        client.force_login(user)
        self.session = client.cookies[settings.SESSION_COOKIE_NAME].value
        parts = urlsplit(live_server.url)
        self.host, self.port = parts.hostname, parts.port
        self.csrf = ""

    def request(self, method: str, path: str, data: dict | None = None, htmx: bool = False) -> tuple[int, str]:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={self.session}; csrftoken={self.csrf}",
                   "Referer": f"http://{self.host}:{self.port}{path}"}
        body = None
        if data is not None:
            body = urlencode({**data, "csrfmiddlewaretoken": self.csrf}, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if htmx:
            headers["HX-Request"] = "true"
        conn.request(method, path, body=body, headers=headers)
        reply = conn.getresponse()
        text = reply.read().decode()
        cookie = re.search(r"csrftoken=([^;]+)", reply.getheader("Set-Cookie") or "")
        if cookie:
            self.csrf = cookie.group(1)
        conn.close()
        return reply.status, text


def _form_data(draft: Draft, **over) -> dict:
    fields = ["child_name", "address", "school", "gp", "language_needs", "disability", "referrer_name",
              "referrer_role", "referrer_organisation", "referrer_phone", "referrer_email", "worries",
              "strengths", "needs_to_happen", "child_voice", "support_tried", "immediate_risks",
              "level_reason", "parents_aware", "consent", "consent_ground", "consent_agreed_by"]
    data = {f: getattr(draft, f) for f in fields} | {"chosen_level": draft.chosen_level, "revision": draft.revision}
    data["date_of_birth"] = draft.date_of_birth.strftime("%d/%m/%Y") if draft.date_of_birth else ""
    for n, person in enumerate(draft.household):
        data |= {f"household-{n}-{k}": v for k, v in person.items()}
    return data | over


def race(browser: Browser, draft: Draft) -> dict:
    """Post Submit and an autosave that refuses consent at the same moment, from two threads."""
    barrier = threading.Barrier(2)
    results: dict = {}

    def submit():
        barrier.wait()
        results["submit"] = browser.request("POST", f"/drafts/{draft.pk}/submit/", {"revision": draft.revision})[0]

    def autosave():
        barrier.wait()
        results["save"] = browser.request("POST", f"/drafts/{draft.pk}/", _form_data(draft, consent="refused"),
                                          htmx=True)[0]

    threads = [threading.Thread(target=submit), threading.Thread(target=autosave)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


@pytest.mark.django_db(transaction=True)
def test_submit_racing_an_autosave_never_gets_past_the_consent_rule(live_server, people):
    for _ in range(TRIES):
        # Halton below Level 4 refuses a request without consent ("refused_without_consent").
        draft = ready_draft(people.outsider, people.halton, level=2)
        browser = Browser(live_server, people.outsider)
        browser.request("GET", f"/drafts/{draft.pk}/")  # the CSRF cookie, as a page load gives it
        results = race(browser, draft)
        final = Draft.objects.get(pk=draft.pk)
        submitted = final.status == "submitted"
        assert not (submitted and final.consent == "refused"), results
        if submitted:
            frozen = Submission.objects.get(draft=final)
            assert frozen.record["consent"]["consent"] == CONSENT_LABELS[final.consent]
            assert results["save"] in (200, 409), results  # refused visibly, or saved before the submit
        else:
            assert final.consent == "refused" and not Submission.objects.filter(draft=final).exists()
