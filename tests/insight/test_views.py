"""The insight pages and their CSV: the known set's numbers on the page and in the download, suppression,
scoping (a lead their organisation, an admin their partnership, anyone else 404), the audit events, and a
page whose queries do not grow with the data."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from authorities.models import AuditEvent, Organisation
from insight import services
from tests.conftest import SIGN_IN
from tests.factories import actor
from tests.insight import seed
from tests.insight.seed import RANGE, at, make_assessment, make_draft, make_submission, refresh, seed_known
from tests.pages import html, text_of

pytestmark = pytest.mark.django_db


def org_url(people, name="insight-organisation"):
    return reverse(name, args=[people.school.pk])


def partnership_url(slug="sefton", name="insight-partnership"):
    return reverse(name, args=[slug])


def table(body: str, table_id: str) -> dict[str, tuple[str, ...]]:
    found = html(body).find("table", id=f"table-{table_id}")
    rows = {}
    for tr in found.find("tbody").find_all("tr"):
        cells = [c.all_text() for c in tr.children if c.tag in ("th", "td")]
        rows[cells[0]] = tuple(cells[1:])
    return rows


def csv_of(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def long_form(rows: list[list[str]], section: str) -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {}
    for s, row, column, value in rows[1:]:
        if s == section:
            found.setdefault(row, {})[column] = value
    return found


@pytest.fixture
def known(people):
    return seed_known(people)


def test_the_schools_page_shows_the_known_figures(people, known, login):
    body = login(people.lead).get(org_url(people), RANGE).content.decode()
    assert table(body, "over-time") == seed.KNOWN_OVER_TIME
    assert table(body, "agreement") == seed.KNOWN_AGREEMENT
    assert table(body, "outcomes") == seed.KNOWN_OUTCOMES
    assert table(body, "turnaround") == seed.KNOWN_TURNAROUND
    assert table(body, "turnaround-days") == seed.KNOWN_DAYS
    assert [(code, cells[1]) for code, cells in table(body, "codes").items()] == seed.KNOWN_CODES
    assert table(body, "codes")["14A"][0] == "Socially unacceptable behaviour"
    assert table(body, "closures") == {"No referral – reason recorded": ("5",), "Advice sought from the front door": ("0",),
                                       "All closed without a referral": ("5",)}
    assert text_of(body, "not-in-need").startswith(f"{seed.KNOWN_NOT_IN_NEED} of the referrals the front door decided")
    assert "30.8%" in text_of(body, "not-in-need")
    assert table(body, "not-in-need") == {
        "This organisation: decided with no further action or advice only": (seed.KNOWN_NOT_IN_NEED,),
        "England, 2024–25: assessed as not in need (DfE)": ("30.8%",)}
    # Quinn reviewed 10 and approved each as it came; the school's other lead changed all 5 of theirs.
    assert text_of(body, "quiet-leads") == "Quinn Reviewer"


def test_the_partnership_page_counts_sefton_guidance_only_and_names_no_lead(people, known, login):
    body = login(people.admin).get(partnership_url(), RANGE).content.decode()
    over_time = table(body, "over-time")
    assert over_time["Sep 2026"] == ("20", "15", "0", "5")  # not the school's 5 with Halton's guidance
    assert table(body, "agreement") == seed.KNOWN_AGREEMENT
    assert "Leads in this partnership to talk with: fewer than 5" in text_of(body, "quiet-leads")
    assert "Quinn" not in body and "Reviewer" not in body
    # No free text on a partnership's page: no reasons, no child.
    assert 'id="reasons"' not in body and "Jamie" not in body and "social worker" not in body


def test_halton_partnership_page_counts_the_cross_border_assessments(people, known, client):
    from authorities.models import Membership, Role
    from tests.conftest import _user

    halton_admin = _user("haltonadmin", people.other_org, Role.CATALOGUE_ADMIN)
    assert Membership.objects.filter(user=halton_admin).exists()
    client.force_login(halton_admin)
    body = client.get(partnership_url("halton"), RANGE).content.decode()
    assert table(body, "over-time")["Sep 2026"] == ("12", "0", "0", "0")


def test_the_csv_has_every_table_in_long_form_with_the_same_numbers(people, known, login):
    response = login(people.lead).get(org_url(people, "insight-organisation-csv"), RANGE)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == \
        f'attachment; filename="insight-organisation-{people.school.pk}-2026-09-to-2026-10.csv"'
    rows = csv_of(response)
    assert rows[0] == ["section", "row", "column", "value"]
    about = long_form(rows, "About these figures")
    assert about["Scope"] == {"": "Test School (fictional)"} and about["From"] == {"": "2026-09"}
    over_time = long_form(rows, "Each month")
    assert over_time["Sep 2026"] == {"Assessments": "25", "Referrals submitted": "15", "Referrals sent": "0",
                                     "Closed, no referral": "5"}
    assert over_time["Total"]["Referrals sent"] == "12"
    agreement = long_form(rows, "Agreement between levels")
    assert agreement["Front door's decision against the referral's level"]["Agreement"] == "58.3%"
    assert agreement["Lead's level against the practitioner's"]["Higher"] == "fewer than 5"
    assert long_form(rows, "Decisions by outcome")["No further action"] == {"Decisions": "fewer than 5"}
    assert long_form(rows, "Turnaround in working days")["From sending to the front door's decision"] == {
        "Median": "1 working day", "Within 1 working day": "50.0%", "Total": "12"}
    assert long_form(rows, "Leads to talk with in supervision") == {
        "Quinn Reviewer": {"In this period": "At least 10 reviews, none returned, closed or changed"}}
    # Free text never leaves in a download, masked or not.
    assert "Jamie" not in response.content.decode() and "social worker" not in response.content.decode()


def test_the_csv_escapes_what_a_spreadsheet_would_run(people, known, login):
    Organisation.objects.filter(pk=people.school.pk).update(name='=HYPERLINK("https://evil.example","Open")')
    known["quinn"].first_name = "@SUM(1+9)*cmd|' /C calc'!A0"
    known["quinn"].save()
    rows = csv_of(login(people.lead).get(org_url(people, "insight-organisation-csv"), RANGE))
    assert long_form(rows, "About these figures")["Scope"] == {"": '\'=HYPERLINK("https://evil.example","Open")'}
    names = list(long_form(rows, "Leads to talk with in supervision"))
    assert names == ["'@SUM(1+9)*cmd|' /C calc'!A0 Reviewer"]
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row)


def test_small_numbers_are_suppressed_on_the_page(people, login):
    for n in range(3):
        make_assessment(people.alice, people.school, people.sefton, created=at(date(2026, 9, 2), 9, n))
    a = make_assessment(people.alice, people.school, people.sefton, created=at(date(2026, 9, 2), 10), suggested=2)
    d = make_draft(a, chosen=3, status="decided", submitted=at(date(2026, 9, 2)), sent=at(date(2026, 9, 3)),
                   decided_on=date(2026, 9, 4), outcome="nfa")
    make_submission(d, submitted=at(date(2026, 9, 2)), outcome="approved", reviewer=people.lead,
                    reviewed=at(date(2026, 9, 2), 15))
    refresh(date(2026, 9, 1), date(2026, 10, 1))
    body = login(people.lead).get(org_url(people), RANGE).content.decode()
    small = ("fewer than 5", "fewer than 5", "fewer than 5", "0")
    assert table(body, "over-time")["Sep 2026"] == small and table(body, "over-time")["Total"] == small
    assert set(table(body, "agreement")["Practitioner's level against the suggested level"]) == {
        "0", "fewer than 5", "not shown (fewer than 5)"}
    assert table(body, "turnaround")["From submission to the lead's review"] == (
        "not shown (fewer than 5)", "not shown (fewer than 5)", "fewer than 5")
    assert table(body, "not-in-need")["This organisation: decided with no further action or advice only"] == (
        "not shown (fewer than 5)",)
    # The charts draw no bar for a hidden count, and say why.
    chart = html(body).find("svg", data_testid="chart-assessments")
    assert chart.find_all("rect") == []
    assert "fewer than 5" in chart.all_text()


def test_the_charts_are_named_images_with_the_numbers_beneath(people, known, login):
    page = html(login(people.lead).get(org_url(people), RANGE).content.decode())
    svgs = page.find_all("svg")
    assert len(svgs) == 9
    for svg in svgs:
        assert svg.attrs["role"] == "img"
        heading, desc = svg.attrs["aria-labelledby"].split()
        assert page.find(id=heading).tag == "h3" and page.find(id=desc).tag == "desc"
        assert "table below" in page.find(id=desc).all_text()
    bars = page.find("svg", data_testid="chart-assessments").find_all("rect")
    assert [b.attrs["width"] for b in bars] == ["75.0%"]  # September's 25; October's 0 draws nothing


def test_the_leads_page_quotes_reasons_with_the_childs_names_masked(people, known, login):
    body = login(people.lead).get(org_url(people), RANGE).content.decode()
    reasons = html(body).find(data_testid="reasons")
    items = reasons.find_all("li")
    assert len(items) == 10  # 6 practitioners' and 5 leads' reasons: the 10 most recent
    text = reasons.all_text()
    assert "Jamie" not in text and "Smith" not in text and "jamie" not in text
    assert "[child] [child] told me her dad hits her, and [child] is scared to go home." in text
    assert "Lead , 9 Sep 2026: Level 3 to Level 4" in text and "Lead , 9 Sep 2026: Level 3 to Level 2" in text
    assert "Practitioner , 7 Sep 2026: Level 2 to Level 3" in text
    drafts = known["drafts"]
    assert reverse("draft-detail", args=[drafts[14].pk]) in body
    assert "Jamie" not in body  # nowhere on the page


def test_a_leads_page_shows_only_reasons_of_their_organisation(people, known, client):
    from authorities.models import Role
    from tests.conftest import _user

    # A lead of another organisation in the same partnership: none of the school's reasons.
    other = Organisation.objects.create(authority=people.sefton, name="Other School (fictional)")
    other_lead = _user("otherlead", other, Role.SAFEGUARDING_LEAD)
    client.force_login(other_lead)
    body = client.get(reverse("insight-organisation", args=[other.pk]), RANGE).content.decode()
    assert text_of(body, "reasons") == "None in this period."
    assert table(body, "over-time")["Total"] == ("0", "0", "0", "0")


def test_a_lead_sees_only_their_organisation(people, access):
    assert access("get", org_url(people)) == {
        "colleague": 404, "lead": 200, "outsider": 404, "outsider_lead": 404, "admin": 404,
        "anonymous": SIGN_IN, "owner": 404}
    other = reverse("insight-organisation", args=[people.other_org.pk])
    assert access("get", other, who=["lead", "outsider_lead"]) == {"lead": 404, "outsider_lead": 200}
    assert access("get", reverse("insight-organisation", args=[999999]), who=["lead"]) == {"lead": 404}


def test_an_admin_sees_only_their_partnership(people, access):
    assert access("get", partnership_url()) == {
        "colleague": 404, "lead": 404, "outsider": 404, "outsider_lead": 404, "admin": 200,
        "anonymous": SIGN_IN, "owner": 404}
    assert access("get", partnership_url("halton"), who=["admin"]) == {"admin": 404}
    assert access("get", partnership_url("no-such-place"), who=["admin"]) == {"admin": 404}


def test_the_downloads_are_scoped_like_the_pages(people, access):
    assert access("get", org_url(people, "insight-organisation-csv")) == {
        "colleague": 404, "lead": 200, "outsider": 404, "outsider_lead": 404, "admin": 404,
        "anonymous": SIGN_IN, "owner": 404}
    assert access("get", partnership_url(name="insight-partnership-csv")) == {
        "colleague": 404, "lead": 404, "outsider": 404, "outsider_lead": 404, "admin": 200,
        "anonymous": SIGN_IN, "owner": 404}
    assert access("get", partnership_url("halton", "insight-partnership-csv"), who=["admin"]) == {"admin": 404}


def test_insight_takes_each_person_to_their_page(people, client, access):
    assert access("get", reverse("insight"), who=["owner", "outsider", "anonymous"]) == {
        "owner": 404, "outsider": 404, "anonymous": SIGN_IN}
    client.force_login(people.lead)
    assert client.get(reverse("insight"))["Location"] == org_url(people)
    client.force_login(people.admin)
    assert client.get(reverse("insight"))["Location"] == partnership_url()


def test_someone_with_both_roles_chooses(people, client):
    from authorities.models import Membership, Role

    Membership.objects.create(user=people.lead, organisation=people.sefton_unit, role=Role.CATALOGUE_ADMIN)
    client.force_login(people.lead)
    page = html(client.get(reverse("insight")).content.decode())
    links = [a.attrs["href"] for a in page.find("main").find_all("a")]
    assert org_url(people) in links and partnership_url() in links


def test_the_navigation_shows_insight_to_leads_and_admins_only(people, client):
    for user, shown in ((people.lead, True), (people.admin, True), (people.alice, False)):
        client.force_login(user)
        assert (f'href="{reverse("insight")}"' in client.get(reverse("home")).content.decode()) is shown


def test_every_view_and_download_is_audited_with_its_scope(people, known, login):
    client = login(people.lead)
    client.get(org_url(people), RANGE)
    client.get(org_url(people, "insight-organisation-csv"), RANGE)
    view, download = AuditEvent.objects.filter(action__startswith="insight.", actor=people.lead).order_by("id")
    assert (view.action, download.action) == ("insight.view", "insight.csv")
    for event in (view, download):
        assert event.organisation == people.school and event.actor_role == "safeguarding_lead"
        assert (event.object_type, event.object_id) == ("authorities.organisation", str(people.school.pk))
        assert event.detail["organisation"] == people.school.pk and event.detail["months"] == ["2026-09", "2026-10"]
    # The page quoted reasons from these drafts (the 10 most recent reasons: the 5 leads' and the practitioners'
    # on the 5 drafts submitted last): their ids are in the event, ids only.
    assert view.detail["drafts"] == [d.pk for d in known["drafts"][10:15]]
    assert "drafts" not in download.detail
    assert "Jamie" not in str(view.detail) + str(download.detail)


def test_an_admins_view_is_audited_with_the_partnership(people, login):
    client = login(people.admin)
    client.get(partnership_url(), RANGE)
    client.get(partnership_url(name="insight-partnership-csv"), RANGE)
    events = list(AuditEvent.objects.filter(action__startswith="insight.", actor=people.admin).order_by("id"))
    assert [e.action for e in events] == ["insight.view", "insight.csv"]
    for e in events:
        assert e.detail == {"partnership": "sefton", "months": ["2026-09", "2026-10"]}
        assert e.organisation == people.sefton_unit and e.actor_role == "catalogue_admin"
        assert (e.object_type, e.object_id) == ("authorities.authority", str(people.sefton.pk))


def test_refused_pages_write_no_insight_event(people, access):
    access("get", org_url(people), who=["outsider_lead", "admin", "owner"])
    access("get", partnership_url(), who=["lead", "owner"])
    assert not AuditEvent.objects.filter(action__startswith="insight.").exists()


def test_the_audit_page_says_what_was_looked_at(people, known, login):
    client = login(people.lead)
    client.get(org_url(people), RANGE)
    body = client.get(reverse("audit-log")).content.decode()
    assert "Viewed the insight dashboard" in body and "Insight figures for Test School (fictional)" in body


@pytest.mark.parametrize(("query", "message"), [
    ({"from": "2026-10", "to": "2026-09"}, "The end month must be the same as or after the start month (Oct 2026)"),
    ({"from": "2023-01", "to": "2026-01"}, "Choose a range of 36 months or fewer"),
    ({"from": "September", "to": "2026-10"}, "Enter the start month as a year and month, for example 2026-01"),
    ({"from": "2026-09", "to": "2026-13"}, "Enter the end month as a year and month, for example 2026-01"),
])
def test_a_bad_range_says_what_to_fix(people, login, query, message):
    client = login(people.lead)
    response = client.get(org_url(people), query)
    assert response.status_code == 400
    page = html(response.content.decode())
    assert message in page.find(class_="govuk-error-summary").all_text()
    assert page.find("title").all_text().startswith("Error:")
    assert not page.find_all("table")  # no figures for a range that is not one
    download = client.get(org_url(people, "insight-organisation-csv"), query)
    assert download.status_code == 400 and message in download.content.decode()


def test_the_default_range_is_the_last_12_months(people, login):
    with time_machine.travel("2026-12-05 10:00 +00:00", tick=False):
        page = html(login(people.lead).get(org_url(people)).content.decode())
    rows = [tr.find("th").all_text() for tr in page.find("table", id="table-over-time").find("tbody").find_all("tr")]
    assert rows[0] == "Jan 2026" and rows[-2] == "Dec 2026" and len(rows) == 13
    assert page.find("input", name="from").attrs["value"] == "2026-01"
    assert page.find("input", name="to").attrs["value"] == "2026-12"


def test_a_page_before_any_refresh_says_so(people, login):
    body = login(people.lead).get(org_url(people), RANGE).content.decode()
    assert "The figures have not been built yet" in text_of(body, "as-of")
    refresh(date(2026, 9, 1))
    body = login(people.lead).get(org_url(people), RANGE).content.decode()
    assert text_of(body, "as-of").startswith("Figures as of ")


def _grow(people, n: int) -> None:
    for k in range(n):
        a = make_assessment(people.alice, people.school, people.sefton, created=at(date(2026, 9, 1 + k % 28)),
                            suggested=2, child_name="Sam Jones")
        d = make_draft(a, chosen=3, level_reason="Sam Jones needs more", status="approved",
                       submitted=at(date(2026, 9, 1 + k % 28), 11))
        make_submission(d, submitted=at(date(2026, 9, 1 + k % 28), 11), outcome="approved", reviewer=people.lead,
                        reviewed=at(date(2026, 9, 1 + k % 28), 12), lead_level=4, reason="Sam needs more",
                        as_submitted=3)
    refresh(date(2026, 9, 1))


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as seen:
        assert client.get(url, RANGE).status_code == 200
    return len(seen.captured_queries)


@pytest.mark.parametrize("who", ["lead", "admin"])
def test_the_pages_queries_do_not_grow_with_the_data(people, login, who, django_assert_max_num_queries):
    url = org_url(people) if who == "lead" else partnership_url()
    client = login(getattr(people, who))
    _grow(people, 10)
    _queries(client, url)  # parsed catalogues cached, as in a warm worker
    small = _queries(client, url)
    _grow(people, 190)
    with django_assert_max_num_queries(small):
        assert client.get(url, RANGE).status_code == 200


def test_a_view_event_holds_ids_and_months_only(people):
    services.record_view(actor(people.lead), people.school, [date(2026, 9, 1)])
    assert AuditEvent.objects.get(action="insight.view").detail == {"organisation": people.school.pk,
                                                                     "months": ["2026-09", "2026-09"]}
