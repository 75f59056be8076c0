"""The URL walk: every URL needs sign-in but the allow-list, and every case URL answers 404 to anyone who
may not use it (existence must not leak), a superuser included. Each view's own standard cases are beside
its other tests (tests/<app>/test_views.py and the like)."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from escalation import services as esc_services
from referrals.models import Draft
from tests.conftest import PASSWORD
from tests.factories import actor, ready_draft

ALLOW_LIST = {"login", "healthz"}
EVERY_URL = [
    "home", "healthz", "login", "logout", "two-factor-setup", "two-factor-verify", "audit-log",
    "emergency", "catalogue-admin", "catalogue-draft", "catalogue-draft-start", "catalogue-publish",
    "catalogue-discard", "catalogue-indicator-new", "catalogue-indicator-edit", "catalogue-indicator-action",
    "catalogue-section", "catalogue-upload", "catalogue-download", "catalogue-history",
    "assessment-new", "assessment-detail", "assessment-choose-level", "assessment-indicator-search",
    "assessment-compare", "assessment-compare-match", "assessment-comparison", "assessment-comparison-start",
    "assessment-list", "draft-create", "draft-detail", "draft-pdf", "draft-national", "draft-submit", "draft-review",
    "draft-sent", "draft-decision", "draft-close", "review-queue", "session-clock", "draft-save-sign-out", "your-details",
    "escalation-list", "escalation-new", "escalation-detail", "escalation-step", "escalation-close",
    "escalation-form-pdf", "api-tokens", "api-token-new", "api-token-revoke",
    "insight", "insight-organisation", "insight-organisation-csv", "insight-partnership", "insight-partnership-csv",
    "failed-tasks", "failed-task-retry", "draft-pdf-prepared",
]
# The JSON API answers for itself (a token, or nothing for the public calls): never the sign-in page, and
# every refusal a problem document (tests/api/).
API_URLS = {
    "api-docs", "openapi-json", "api-root", "api-not-found", "partnerships", "versions", "levels", "domains",
    "indicators", "contacts", "suggest_level", "create_assessment", "get_assessment", "save_ticks", "list_drafts",
    "get_draft", "get_approved", "get_national",
}


def _patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            yield from _patterns(p, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield p.name, prefix + str(p.pattern)


def _sample_path(route: str) -> str:
    route = re.sub(r"<uuid:\w+>", "00000000-0000-0000-0000-000000000001", route)
    return "/" + re.sub(r"<(?:\w+:)?\w+>", "1", route)


@pytest.mark.django_db
def test_every_url_needs_sign_in_except_the_allow_list(client):
    seen = []
    for name, route in _patterns():
        path = "/api/v1/no-such-thing" if name == "api-not-found" else _sample_path(route)  # a pattern, not a path
        response = client.get(path)
        if name in API_URLS:
            assert response.status_code in (200, 302, 401, 404, 405), (name, path, response.status_code)
            assert response.status_code == 200 or response["Content-Type"] == "application/problem+json" or \
                response.get("Location") == reverse("api-docs"), (name, path)
        elif name in ALLOW_LIST:
            assert response.status_code == 200, (name, path, response.status_code)
        else:
            assert response.status_code == 302, (name, path, response.status_code)
            assert response["Location"].startswith(reverse("login")), (name, response["Location"])
        seen.append(name)
    assert sorted(seen) == sorted(EVERY_URL + list(API_URLS)), "a new URL? Name it here, and give its view its standard cases"


def case_urls(a, d, case):
    return [
        ("get", reverse("assessment-detail", args=[a.pk]), {}),
        ("post", reverse("assessment-detail", args=[a.pk]), {"tick": []}),
        ("post", reverse("assessment-choose-level", args=[a.pk]), {"level": "2"}),
        ("get", reverse("assessment-indicator-search", args=[a.pk]), {"q": "hungry"}),
        ("get", reverse("assessment-compare", args=[a.pk]), {"partnership": "knowsley"}),
        ("post", reverse("assessment-compare-match", args=[a.pk, "knowsley"]), {"action": "compare"}),
        ("post", reverse("draft-create", args=[a.pk]), {}),
        ("get", reverse("draft-detail", args=[d.pk]), {}),
        ("post", reverse("draft-detail", args=[d.pk]), {"revision": d.revision}),
        ("get", reverse("draft-pdf", args=[d.pk]), {"purpose": "record"}),
        ("get", reverse("draft-national", args=[d.pk]), {"purpose": "record"}),
        ("post", reverse("draft-submit", args=[d.pk]), {}),
        ("post", reverse("draft-save-sign-out", args=[d.pk]), {}),
        ("post", reverse("draft-review", args=[d.pk]), {"decision": "approve"}),
        ("post", reverse("draft-sent", args=[d.pk]), {"sent_on": "01/01/2026", "how": "Secure email"}),
        ("post", reverse("draft-decision", args=[d.pk]), {"decision": "x"}),
        ("post", reverse("draft-close", args=[d.pk]), {"closure": "no_referral"}),
        ("get", reverse("escalation-detail", args=[case.pk]), {}),
        ("post", reverse("escalation-step", args=[case.pk]), {"participants": "x"}),
        ("post", reverse("escalation-close", args=[case.pk]), {"resolution": "x"}),
        ("get", reverse("escalation-form-pdf", args=[case.pk, "summary-log"]), {}),
    ]


def _fixture(people):
    d = ready_draft(people.alice, people.sefton)
    case = esc_services.open_case(actor(people.alice), people.sefton, our_agency="A", other_agency="B", about="x",
                                  outcome_sought="y")
    return d.assessment, d, case


@pytest.mark.django_db
def test_outsiders_get_404_on_every_case_url_and_anonymous_is_sent_to_sign_in(people, client):
    a, d, case = _fixture(people)
    for user in (people.bob, people.outsider, people.outsider_lead, people.admin, people.lead):
        client.force_login(user)
        for method, url, data in case_urls(a, d, case):
            if user is people.lead and "escalation" in url:
                continue  # the lead of the organisation sees its escalations (tests/escalation/test_views.py)
            response = getattr(client, method)(url, data)
            assert response.status_code == 404, (user.username, method, url, response.status_code)
    client.logout()
    for method, url, data in case_urls(a, d, case):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url
    assert Draft.objects.get().status == "draft"  # nothing an outsider did changed anything


@pytest.mark.django_db
def test_a_superuser_is_not_a_back_door(people, client):
    a, d, case = _fixture(people)
    from django.contrib.auth import get_user_model

    root = get_user_model().objects.create_superuser("root", "root@example.invalid", PASSWORD)
    client.force_login(root)
    for method, url, data in case_urls(a, d, case):
        assert getattr(client, method)(url, data).status_code == 404, url
