"""Security headers on every response: the exact Content-Security-Policy, nosniff, the referrer policy,
framing refused, a permissions policy; and no inline script or style in any template (so the CSP holds)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import ROOT

EXPECTED_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'none'",
    "object-src": "'none'",
}


def _csp(response) -> dict:
    parts = [p.strip() for p in response["Content-Security-Policy"].split(";") if p.strip()]
    return {p.split(" ", 1)[0]: p.split(" ", 1)[1] for p in parts}


@pytest.mark.django_db
def test_content_security_policy_is_exactly_this(client):
    assert _csp(client.get(reverse("login"))) == EXPECTED_CSP


@pytest.mark.django_db
def test_security_headers(client):
    response = client.get(reverse("login"))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]


def test_no_inline_script_or_style_in_templates():
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text()
        assert "<script>" not in text and " style=" not in text and "<style" not in text.replace("<style>@", ""), path
        assert "onclick=" not in text and "javascript:" not in text, path
