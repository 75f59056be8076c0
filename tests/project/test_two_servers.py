"""Two application servers (gunicorn, as deployed) on one PostgreSQL, started by the test: whatever a person
or an attacker does on one, the other sees. Sessions, a published catalogue, a concurrent edit, the sign-in
lockout and the API's rate limit all live in the shared database, never in one server's memory.

PostgreSQL only (the SQLite demo is one process): it runs in `make test`'s PostgreSQL pass."""

from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection

from assessments.models import Assessment
from authorities.models import Authority, Membership, Organisation, Role
from catalogues import services as catalogue_services
from catalogues.models import CatalogueVersion
from referrals.models import Draft
from tests.factories import actor, ready_draft
from tests.referrals.test_concurrency import _form_data

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="two servers share one PostgreSQL: runs in make test's PostgreSQL pass"),
    pytest.mark.django_db(transaction=True),
]

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct-horse-battery-staple-7"  # noqa: S105 - a fictional account in a throwaway database


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server on port {port} exited: {process.stdout.read() if process.stdout else ''}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the server on port {port} did not answer within 30 seconds")


@pytest.fixture
def servers(transactional_db):
    """Two gunicorn servers, two workers each, on the test database; stopped at the end."""
    db = connection.settings_dict
    url = f"postgresql://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_TESTING": "1", "DJANGO_SECURE": "0", "DJANGO_2FA_ROLES": "none",
           "DJANGO_ALLOWED_HOSTS": "127.0.0.1", "DJANGO_SECRET_KEY": "two-servers-one-secret-" + "k" * 40}
    ports = [_free_port(), _free_port()]
    processes = [subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for port in ports]
    try:
        for port, process in zip(ports, processes, strict=True):
            _wait_until_up(port, process)
        yield ports
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)


class Browser:
    """Cookies and HTTP/1.1, pointed at one server or the other (`at`)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def at(self, port: int) -> Browser:
        self.port = port
        return self

    def request(self, method: str, path: str, data: dict | None = None, headers: dict | None = None
                ) -> tuple[int, str, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        sent = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), **(headers or {})}
        body = None
        if data is not None:
            body = urlencode({**data, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}, doseq=True)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=sent)
        reply = conn.getresponse()
        text = reply.read().decode()
        for header in reply.msg.get_all("Set-Cookie") or []:
            name, value = re.match(r"([^=]+)=([^;]*)", header).groups()
            self.cookies[name] = value
        conn.close()
        return reply.status, text, reply.getheader("Location") or ""

    def get(self, path: str) -> tuple[int, str, str]:
        return self.request("GET", path)

    def post(self, path: str, data: dict, **headers) -> tuple[int, str, str]:
        return self.request("POST", path, data, headers)

    def sign_in(self, username: str, password: str = PASSWORD) -> int:
        self.get("/sign-in/")  # the CSRF cookie
        return self.post("/sign-in/", {"username": username, "password": password, "next": "/"})[0]


@pytest.fixture
def people(transactional_db):
    sefton = Authority.objects.get(slug="sefton")
    school = Organisation.objects.create(authority=sefton, name="Two Servers School (fictional)")
    made = {}
    for name, role in (("alice", Role.PRACTITIONER), ("bob", Role.PRACTITIONER), ("cat", Role.CATALOGUE_ADMIN)):
        made[name] = get_user_model().objects.create_user(username=name, password=PASSWORD)
        Membership.objects.create(user=made[name], organisation=school, role=role)
    return made


def test_signed_in_on_one_server_and_carrying_on_on_the_other(servers, people):
    one, other = servers
    browser = Browser(one)
    assert browser.sign_in("alice") == 302
    status, page, _ = browser.at(other).get("/")
    assert status == 200 and "Signed in as alice" in page and "Two Servers School (fictional)" in page
    status, _, location = browser.at(other).post("/sign-out/", {})
    assert status == 302
    status, _, location = browser.at(one).get("/")
    assert status == 302 and location.startswith("/sign-in/"), "signed out on one server is signed out on both"


def test_a_catalogue_published_on_one_server_is_used_at_once_on_the_other(servers, people):
    one, other = servers
    sefton = Authority.objects.get(slug="sefton")
    practitioner = Browser(other)
    practitioner.sign_in("alice")
    new = {"authority": sefton.pk, "mode": "consultation"}
    assert practitioner.post("/assessments/new/", new)[0] == 302  # the other server has version 1 parsed now
    admin = Browser(one)
    admin.sign_in("cat")
    assert admin.post(f"/catalogue/{sefton.slug}/draft/start/", {})[0] == 302
    draft = CatalogueVersion.objects.get(authority=sefton, status=CatalogueVersion.Status.DRAFT)
    retired = draft.catalogue.indicators[0]
    catalogue_services.retire_indicator(actor(people["cat"]), draft, retired.id)
    assert admin.post(f"/catalogue/{sefton.slug}/draft/publish/", {})[0] == 302
    published = CatalogueVersion.objects.current_for(sefton)
    assert published.pk == draft.pk and published.number == 2
    status, _, location = practitioner.post("/assessments/new/", new)
    assessment = Assessment.objects.get(pk=int(location.rstrip("/").split("/")[-1]))
    assert assessment.catalogue_version_id == published.pk
    status, page, _ = practitioner.get(location)
    assert status == 200 and f'value="{retired.id}"' not in page


def test_an_edit_on_one_server_conflicts_with_a_stale_edit_on_the_other(servers, people):
    one, other = servers
    draft = ready_draft(people["alice"], Authority.objects.get(slug="sefton"))
    browser = Browser(one)
    browser.sign_in("alice")
    stale = draft.revision
    status, _, _ = browser.post(f"/drafts/{draft.pk}/", _form_data(draft, worries="Seen on server one."))
    assert status == 302
    status, page, _ = browser.at(other).post(f"/drafts/{draft.pk}/", _form_data(draft, worries="Typed on two.",
                                                                               revision=stale))
    assert status == 409 and "Typed on two." in page, "the conflict page keeps what was typed"
    assert Draft.objects.get(pk=draft.pk).worries == "Seen on server one."


def test_the_sign_in_lockout_counts_failures_on_both_servers(servers, people):
    one, other = servers
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        assert Browser(servers[n % 2]).sign_in("bob", "wrong-password") == 200
    assert Browser(other).sign_in("bob", "wrong-password") == 429, "the fifth failure locks, whichever server"
    assert Browser(one).sign_in("bob") == 429 and Browser(other).sign_in("bob") == 429
    # One record of bob's failures, counted by both servers (the locked-out tries count too).
    assert AccessAttempt.objects.get(username="bob").failures_since_start >= settings.AXES_FAILURE_LIMIT
    assert Browser(other).sign_in("alice") == 302, "others still sign in"


def test_the_api_rate_limit_counts_requests_on_both_servers(servers, people):
    limit = settings.API_PUBLIC_REQUESTS_PER_MINUTE
    if time.time() % 60 > 45:  # the limit is per clock minute: start this early in one
        time.sleep(61 - time.time() % 60)
    statuses = [Browser(servers[n % 2]).get("/api/v1/partnerships")[0] for n in range(limit)]
    assert statuses == [200] * limit, "half the limit on each server, all of it in all"
    assert Browser(servers[0]).get("/api/v1/partnerships")[0] == 429
    assert Browser(servers[1]).get("/api/v1/partnerships")[0] == 429
