"""Sign-in lockout and throttling (django-axes, authorities/client_ip.py) behind a real reverse proxy started by the test, on loopback.

Each client connects from its own loopback address (127.0.0.2, 127.0.0.3…); the proxy on 127.0.0.1
appends the peer's address to X-Forwarded-For, as nginx's $proxy_add_x_forwarded_for does, and the
application trusts that proxy only (TRUSTED_PROXIES)."""

from __future__ import annotations

import http.client
import http.server
import re
import threading
from urllib.parse import urlencode, urlsplit

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model

from authorities.models import Authority, Membership, Organisation, Role
from tests.conftest import PASSWORD

HOP_HEADERS = {"connection", "keep-alive", "transfer-encoding", "content-length"}


class _Proxy(http.server.ThreadingHTTPServer):
    upstream: tuple[str, int]


class _ProxyHandler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _forward(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_HEADERS}
        prior = self.headers.get("X-Forwarded-For")
        headers["X-Forwarded-For"] = f"{prior}, {self.client_address[0]}" if prior else self.client_address[0]
        upstream = http.client.HTTPConnection(*self.server.upstream, timeout=10)
        upstream.request(self.command, self.path, body=body or None, headers=headers)
        reply = upstream.getresponse()
        data = reply.read()
        self.send_response(reply.status)
        for k, v in reply.getheaders():
            if k.lower() not in HOP_HEADERS:
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        upstream.close()

    do_GET = do_POST = _forward


@pytest.fixture
def proxy(live_server, settings):
    parts = urlsplit(live_server.url)
    server = _Proxy(("127.0.0.1", 0), _ProxyHandler)
    server.upstream = (parts.hostname, parts.port)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    yield server.server_address
    server.shutdown()
    server.server_close()


def sign_in(target: tuple[str, int], source: str, username: str, password: str, forwarded_for: str = "") -> int:
    """A browser's sign-in from `source`: fetch the form (CSRF cookie and token), then post it."""
    conn = http.client.HTTPConnection(*target, timeout=10, source_address=(source, 0))
    extra = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    conn.request("GET", "/sign-in/", headers={"Host": "localhost", **extra})
    page = conn.getresponse()
    html = page.read().decode()
    cookie = re.search(r"csrftoken=([^;]+)", page.getheader("Set-Cookie") or "").group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    body = urlencode({"csrfmiddlewaretoken": token, "username": username, "password": password, "next": "/"})
    conn.request("POST", "/sign-in/", body=body, headers={
        "Host": "localhost", "Cookie": f"csrftoken={cookie}", "Content-Type": "application/x-www-form-urlencoded",
        "Referer": "http://localhost/sign-in/", **extra})
    reply = conn.getresponse()
    reply.read()
    conn.close()
    return reply.status


@pytest.fixture
def users(transactional_db):
    org = Organisation.objects.create(authority=Authority.objects.get(slug="sefton"), name="Lockout School (fictional)")
    made = {}
    for name in ("lead", "alice", "bob", "carol"):
        made[name] = get_user_model().objects.create_user(username=name, password=PASSWORD)
        Membership.objects.create(user=made[name], organisation=org, role=Role.PRACTITIONER)
    return made


def test_five_bad_sign_ins_lock_that_username_at_that_address_only(proxy, users):
    for _ in range(4):
        assert sign_in(proxy, "127.0.0.2", "lead", "wrong-password") == 200  # the form again, with an error
    assert sign_in(proxy, "127.0.0.2", "lead", "wrong-password") == 429  # the fifth locks
    assert sign_in(proxy, "127.0.0.2", "lead", PASSWORD) == 429, "the guesser is locked out of that username"
    assert sign_in(proxy, "127.0.0.3", "lead", PASSWORD) == 302, "the real person elsewhere still signs in"
    assert sign_in(proxy, "127.0.0.2", "alice", PASSWORD) == 302, "others behind the same address still sign in"
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.2"}


def test_a_forwarded_for_header_from_the_client_is_not_believed(proxy, live_server, users):
    parts = urlsplit(live_server.url)
    direct = (parts.hostname, parts.port)
    # Straight to the application (not through the trusted proxy): the header is ignored.
    for n in range(5):
        sign_in(direct, "127.0.0.2", "lead", "wrong-password", forwarded_for=f"10.9.8.{n}")
    assert sign_in(direct, "127.0.0.2", "lead", PASSWORD, forwarded_for="10.9.8.99") == 429
    # Through the proxy, a forged hop sits left of the address the proxy saw: the proxy's one counts.
    sign_in(proxy, "127.0.0.3", "bob", "wrong-password", forwarded_for="10.1.1.1")
    assert AccessAttempt.objects.get(username="bob").ip_address == "127.0.0.3"


def test_many_failures_from_one_address_throttle_it_whatever_the_usernames(proxy, users, settings):
    settings.SIGN_IN_FAILURES_PER_ADDRESS = 6
    for name in ("lead", "bob", "carol"):
        for _ in range(2):
            assert sign_in(proxy, "127.0.0.2", name, "wrong-password") == 200
    assert sign_in(proxy, "127.0.0.2", "alice", PASSWORD) == 429, "throttled before any password is checked"
    assert not AccessAttempt.objects.filter(username="alice").exists()
    assert sign_in(proxy, "127.0.0.3", "alice", PASSWORD) == 302
