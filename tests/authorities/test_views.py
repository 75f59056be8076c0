"""The pages of authorities.views: home, the health check, the audit log."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db.utils import OperationalError
from django.urls import reverse

from tests.conftest import SIGN_IN
from tests.factories import ready_draft
from tests.pages import html

pytestmark = pytest.mark.django_db


def test_standard_cases_of_home(people, access):
    assert access("get", "/") == {"colleague": 200, "lead": 200, "outsider": 200, "outsider_lead": 200, "admin": 200,
                                  "anonymous": SIGN_IN, "owner": 200}
    assert access("post", "/", who=["owner"]) == {"owner": 405}


def test_standard_cases_of_the_health_check(people, access):
    url = reverse("healthz")
    assert access("get", url) == {"colleague": 200, "lead": 200, "outsider": 200, "outsider_lead": 200, "admin": 200,
                                  "anonymous": 200, "owner": 200}
    assert access("post", url, who=["anonymous"]) == {"anonymous": 405}


def test_standard_cases_of_the_audit_log(people, access):
    url = reverse("audit-log")
    assert access("get", url) == {"colleague": 404, "lead": 200, "outsider": 404, "outsider_lead": 200, "admin": 404,
                                  "anonymous": SIGN_IN, "owner": 404}
    assert access("post", url, owner=people.lead, who=["owner"]) == {"owner": 405}


def test_home_shows_who_is_signed_in_and_where_to_go(people, login):
    body = login(people.alice).get("/").content.decode()
    assert "Signed in as Alice" in body
    assert "Practitioner, Test School (fictional) (Sefton)" in body
    # The page's own list of what to do (the navigation links to assessing too, on every page).
    todo = html(body).find("main").find_all("ul", class_="govuk-list")[-1]
    assert [(a.all_text(), a.attrs["href"]) for a in todo.find_all("a")] == [
        ("Assess a child's level of need", reverse("assessment-new")),
        ("See my assessments and drafts", reverse("assessment-list")),
        ("A child is in immediate danger", reverse("emergency"))]


def test_health_check_answers_200_without_sign_in(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_health_check_answers_503_when_the_database_fails(client):
    with mock.patch("authorities.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error"


def test_leads_see_their_organisations_events_filtered(people, client):
    d = ready_draft(people.alice, people.sefton)
    ready_draft(people.outsider, people.halton)
    client.force_login(people.lead)
    page = client.get(reverse("audit-log"), {"action": "draft.create"}).content.decode()
    assert f"referrals.draft {d.pk}" in page and "1 event" in page
    assert page.count("referrals.draft ") == 1, "the other organisation's draft is not listed"
    client.force_login(people.alice)
    assert client.get(reverse("audit-log")).status_code == 404


def test_the_phase_banner_is_inside_a_landmark(people, client):
    """axe's region rule: every piece of content sits in a landmark, the banner with its emergency link too."""
    client.force_login(people.alice)
    page = client.get("/").content.decode()
    assert '<div class="govuk-phase-banner" role="region" aria-label="About this service">' in page
