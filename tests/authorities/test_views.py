"""The pages of authorities.views: home, the health check, the audit log."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db.utils import OperationalError
from django.urls import reverse

from authorities.models import AuditEvent
from tests.conftest import SIGN_IN
from tests.factories import actor, ready_draft
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
    page = html(client.get(reverse("audit-log"), {"action": "draft.create"}).content.decode())
    rows = [[td.all_text() for td in tr.find_all("td")] for tr in page.find("tbody").find_all("tr")]
    assert "1 event" in page.find("caption").all_text()
    assert len(rows) == 1, "the other organisation's draft is not listed"
    assert rows[0][3] == f"Referral draft {d.pk}: {d.child_name}"
    client.force_login(people.alice)
    assert client.get(reverse("audit-log")).status_code == 404


def test_the_audit_page_is_in_plain_words_with_the_child_named(people, client):
    d = ready_draft(people.alice, people.sefton)
    client.force_login(people.lead)
    page = html(client.get(reverse("audit-log")).content.decode())
    rows = [[td.all_text() for td in tr.find_all("td")] for tr in page.find("tbody").find_all("tr")]
    by_what = {r[2]: r for r in rows}
    created = by_what["Started a referral draft"]
    assert created[1] == f"{people.alice.get_full_name()} Practitioner"
    assert created[3] == f"Referral draft {d.pk}: {d.child_name}"
    assessment = by_what["Started an assessment"]
    assert assessment[3] == f"Assessment {d.assessment_id}: {d.assessment.label}"
    assert not any("." in r[2].split()[0] for r in rows), "no action codes such as draft.create"
    # Looking at it names children, so it is audited too.
    assert AuditEvent.objects.filter(actor=people.lead, action="audit.view").count() == 1


def test_the_audit_page_names_only_records_of_the_organisations_led(people, client):
    """A name comes only for a record of the lead's own organisations, whatever an event row says."""
    from assessments.audit_names import names
    theirs = ready_draft(people.outsider, people.halton)
    assert names(actor(people.lead), "assessments.assessment", {str(theirs.assessment_id)}) == {}
    mine = ready_draft(people.alice, people.sefton)
    assert names(actor(people.lead), "assessments.assessment", {str(mine.assessment_id)}) != {}


def test_the_audit_pages_keep_the_filter(people, client):
    d = ready_draft(people.alice, people.sefton)
    from referrals import services as referral_services
    for _ in range(55):
        referral_services.record_access(actor(people.alice), d, "view")
    client.force_login(people.lead)
    page = html(client.get(reverse("audit-log"), {"action": "draft.view"}).content.decode())
    assert not page.find_all("a", rel="prev"), "the newest page has no newer events"
    older = page.find("a", rel="next").attrs["href"]
    assert older.startswith("?action=draft.view&before=")
    second = html(client.get(reverse("audit-log") + older).content.decode())
    assert "55 events" in second.find("caption").all_text()
    assert len(second.find("tbody").find_all("tr")) == 5 and not second.find_all("a", rel="next")
    newer = second.find("a", rel="prev").attrs["href"]
    assert newer.startswith("?action=draft.view&after=")
    back = html(client.get(reverse("audit-log") + newer).content.decode())
    assert [tr.all_text() for tr in back.find("tbody").find_all("tr")] == \
        [tr.all_text() for tr in page.find("tbody").find_all("tr")]


def test_the_phase_banner_is_inside_a_landmark(people, client):
    """axe's region rule: every piece of content sits in a landmark, the banner with its emergency link too."""
    client.force_login(people.alice)
    page = client.get("/").content.decode()
    assert '<div class="govuk-phase-banner" role="region" aria-label="About this service">' in page
