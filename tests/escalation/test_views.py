"""The escalation pages (escalation.views): open a case, record each step on the partnership's
working-day clock, close it, print its record forms; the owner and their organisation's lead only."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from core.working_days import add_working_days
from escalation import services
from escalation.models import EscalationCase
from referrals import checks
from tests.conftest import SIGN_IN
from tests.factories import actor, ready_draft
from tests.pages import html

pytestmark = pytest.mark.django_db


def _case(people, owner=None):
    return services.open_case(actor(owner or people.alice), people.sefton, our_agency="A", other_agency="B",
                              about="x", outcome_sought="y")


# --- the standard cases ------------------------------------------------------------------------

NOT_THEIRS = {"colleague": 404, "outsider": 404, "outsider_lead": 404, "admin": 404, "anonymous": SIGN_IN}


def test_standard_cases_of_the_list(people, access):
    url = reverse("escalation-list")
    assert access("get", url) == {"colleague": 200, "lead": 200, "outsider": 200, "outsider_lead": 200, "admin": 200,
                                  "anonymous": SIGN_IN, "owner": 200}
    assert access("post", url, who=["owner"]) == {"owner": 405}


def test_standard_cases_of_opening_one(people, access):
    url = reverse("escalation-new")
    assert access("get", url, who=["colleague", "lead", "outsider", "anonymous", "owner"]) == {
        "colleague": 200, "lead": 200, "outsider": 200, "anonymous": SIGN_IN, "owner": 200}
    assert access("put", url, who=["owner"]) == {"owner": 405}


def test_standard_cases_of_a_case(people, access):
    case = _case(people)
    url = reverse("escalation-detail", args=[case.pk])
    assert access("get", url) == NOT_THEIRS | {"lead": 200, "owner": 200}
    assert access("post", url, who=["owner"]) == {"owner": 405}
    pdf = reverse("escalation-form-pdf", args=[case.pk, "summary-log"])
    assert access("get", pdf) == NOT_THEIRS | {"lead": 200, "owner": 200}
    assert access("post", pdf, who=["owner"]) == {"owner": 405}


@pytest.mark.parametrize(("name", "data"), [
    ("escalation-step", {"participants": "Both", "discussion": "", "outcome": "escalated"}),
    ("escalation-close", {"resolution": "Agreed", "learning": ""}),
], ids=["step", "close"])
def test_standard_cases_of_recording_a_step_or_closing(people, access, name, data):
    case = _case(people)
    url = reverse(name, args=[case.pk])
    assert access("post", url, data, who=[*NOT_THEIRS]) == NOT_THEIRS
    case.refresh_from_db()
    assert (case.status, case.steps.count()) == ("open", 1), "nothing anyone else posted changed it"
    assert access("get", url, who=["owner"]) == {"owner": 405}
    assert access("post", url, data, who=["owner"]) == {"owner": 302}
    done = ("open", 2) if name == "escalation-step" else ("closed", 1)
    case.refresh_from_db()
    assert (case.status, case.steps.count()) == done
    # The organisation's lead may record it too.
    other = _case(people)
    assert access("post", reverse(name, args=[other.pk]), data, who=["lead"]) == {"lead": 302}
    other.refresh_from_db()
    assert (other.status, other.steps.count()) == done


def test_the_lead_of_the_organisation_sees_its_escalations(people, login):
    ours = _case(people)
    theirs = services.open_case(actor(people.outsider), people.halton, our_agency="C", other_agency="D", about="x",
                                outcome_sought="y")
    page = login(people.lead).get(reverse("escalation-list")).content.decode()
    assert f"Escalation {ours.pk}" in page and f"Escalation {theirs.pk}" not in page


def test_all_four_sefton_steps_with_their_deadlines_then_closed(people, client):
    with time_machine.travel("2026-12-21 10:00 +0000", tick=False) as clock:  # a Monday before Christmas
        client.force_login(people.alice)
        response = client.post(reverse("escalation-new"), {"our_agency": "School", "other_agency": "Front door",
                                                           "about": "Threshold not met", "outcome_sought": "A s17 assessment"})
        case = EscalationCase.objects.get()
        assert response["Location"] == reverse("escalation-detail", args=[case.pk])
        expected = []
        for n, days in enumerate((2, 2, 2, 5), start=1):
            step = case.steps.get(number=n)
            expected.append(add_working_days(step.started_on, days))
            assert step.due_on == expected[-1], n
            if n < 4:
                client.post(reverse("escalation-step", args=[case.pk]),
                            {"participants": "Both", "discussion": "Talked", "outcome": "escalated"})
                clock.shift(timedelta(days=1))
                client.force_login(people.alice)  # a new day, a new session
        assert case.steps.get(number=1).due_on == date(2026, 12, 23)
        # Each step starts when the one before is escalated: Mon 21, Tue 22, Wed 23 December.
        assert case.steps.get(number=2).due_on == date(2026, 12, 23)
        assert case.steps.get(number=3).due_on == date(2026, 12, 24)
        # Five working days from Wed 23 Dec skip Christmas, the Boxing Day substitute and New Year's Day.
        assert case.steps.get(number=4).due_on == date(2027, 1, 4)
        page = client.get(reverse("escalation-detail", args=[case.pk])).content.decode()
        assert "Step 4:" in page and "Independently Chaired" in page
        client.post(reverse("escalation-close", args=[case.pk]), {"resolution": "Agreed assessment",
                                                                   "learning": "Share chronology earlier"})
    case.refresh_from_db()
    assert case.status == "closed" and case.steps.count() == 4
    for form, title in (("summary-log", "Agency Escalation Summary Log"),
                        ("partnership-report", "Report to the partnership")):
        response = client.get(reverse("escalation-form-pdf", args=[case.pk, form]))
        text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages).split())
        assert title in text
        assert "Status Closed" in text and "Resolution Agreed assessment" in text
        assert "Learning Share chronology earlier" in text
        assert [f"Step {n}:" in text for n in (1, 2, 3, 4)] == [True] * 4


def test_overdue_cases_come_first_in_the_list(people, client):
    with time_machine.travel("2026-11-02 10:00 +0000", tick=False):
        old = services.open_case(actor(people.alice), people.sefton, our_agency="A", other_agency="Old agency",
                                 about="x", outcome_sought="y")
    with time_machine.travel("2026-11-23 10:00 +0000", tick=False):
        new = services.open_case(actor(people.alice), people.sefton, our_agency="A", other_agency="New agency",
                                 about="x", outcome_sought="y")
        client.force_login(people.alice)
        page = html(client.get(reverse("escalation-list")).content.decode())
    rows = [[td.all_text() for td in tr.find_all("td")] for tr in page.find("tbody").find_all("tr")]
    assert [(r[0], r[1], r[3]) for r in rows] == [
        (f"Escalation {old.pk} (Sefton)", "Old agency", "Overdue overdue by 13 working days (Wednesday 4 November 2026)"),
        (f"Escalation {new.pk} (Sefton)", "New agency", "due in 2 working days (Wednesday 25 November 2026)"),
    ]


def test_escalation_from_a_referral_is_linked_to_it(people, client):
    d = ready_draft(people.alice, people.sefton)
    client.force_login(people.alice)
    page = client.get(reverse("escalation-new"), {"draft": d.pk}).content.decode()
    assert f'name="draft" value="{d.pk}"' in page
    # Prefilled: our agency, and the agency disagreed with is the service the referral went to.
    form = html(page).find("main")
    route = checks.route_for(d.catalogue_version.catalogue, d.chosen_level)
    assert form.find("input", name="other_agency").attrs["value"] == route["contacts"][0].name
    assert form.find("input", name="our_agency").attrs["value"] == actor(people.alice).primary.organisation.name
    client.post(reverse("escalation-new") + f"?draft={d.pk}", {"draft": d.pk, "our_agency": "A", "other_agency": "B",
                                                               "about": "x", "outcome_sought": "y"})
    assert EscalationCase.objects.get().draft_id == d.pk


def test_a_sent_referral_without_a_decision_after_a_working_day_prompts_a_chase(people, client):
    from referrals import services as referral_services

    with time_machine.travel("2026-11-20 09:00 +0000", tick=False):  # Friday
        d = ready_draft(people.alice, people.sefton)
        referral_services.submit(actor(people.alice), d)
        referral_services.approve(actor(people.lead), d)
        from django.utils import timezone

        referral_services.mark_sent(actor(people.alice), d, timezone.now(), "email", "")
        client.force_login(people.alice)
        assert 'data-testid="chase"' not in client.get(reverse("draft-detail", args=[d.pk])).content.decode()
    with time_machine.travel("2026-11-23 09:00 +0000", tick=False):  # Monday: one working day later
        client.force_login(people.alice)
        page = client.get(reverse("draft-detail", args=[d.pk])).content.decode()
        assert 'data-testid="chase"' in page and f"?draft={d.pk}" in page


def test_escalating_is_offered_until_the_last_step_which_says_why_if_it_is_posted(people, login):
    alice = actor(people.alice)
    case = services.open_case(alice, people.sefton, our_agency="A", other_agency="B", about="x",
                                         outcome_sought="y")
    client = login(people.alice)
    url = reverse("escalation-detail", args=[case.pk])

    def outcomes():
        page = html(client.get(url).content.decode())
        radios = [r for r in page.find_all("input", type="radio") if r.attrs.get("name") == "outcome"]
        assert "checked" in radios[0].attrs  # still in progress, unless they say otherwise
        return [page.find("label", for_=r.attrs["id"]).all_text() for r in radios]

    assert outcomes() == ["Still in progress", "Resolved at this step", "Not resolved: escalate to step 2"]
    for _ in range(3):
        services.record_step(alice, case, case.current_step, participants="p", discussion="",
                                        agreed_plan="", plan_due_on=None, outcome="escalated")
    assert outcomes() == ["Still in progress", "Resolved at this step"]
    response = client.post(reverse("escalation-step", args=[case.pk]), {"participants": "Both", "outcome": "escalated"})
    assert response.status_code == 400
    assert "This is the last step of the procedure: its decision is final. Close the case." in response.content.decode()
    assert case.steps.count() == 4 and not case.current_step.outcome


def test_an_escalation_for_a_partnership_without_a_catalogue_is_not_found(people, client, newcomer):
    client.force_login(people.alice)
    assert client.get(reverse("escalation-new"), {"authority": newcomer.pk}).status_code == 404
    assert client.get(reverse("escalation-new"), {"authority": people.sefton.pk}).status_code == 200


OPEN = {"our_agency": "A", "other_agency": "B", "about": "x", "outcome_sought": "y"}


def test_an_escalation_not_from_a_draft_follows_the_partnership_chosen(people, client):
    """A Sefton practitioner, a Knowsley child: the page offers every partnership, starts from the child's
    (the assessment page links with it), shows that procedure, and the case opens under it."""
    from assessments import services as assessment_services
    from authorities.models import Authority

    knowsley = Authority.objects.get(slug="knowsley")
    client.force_login(people.alice)
    a = assessment_services.start_assessment(actor(people.alice), knowsley, mode="consultation")
    detail = client.get(reverse("assessment-detail", args=[a.pk])).content.decode()
    assert f'href="{reverse("escalation-new")}?partnership=knowsley"' in detail

    page = html(client.get(reverse("escalation-new"), {"partnership": "knowsley"}).content.decode())
    select = page.find("select", name="partnership")
    options = {o.attrs["value"]: o for o in select.find_all("option")}
    assert set(options) == {"halton", "herefordshire", "knowsley", "sefton", "stoke-on-trent"}
    assert "selected" in options["knowsley"].attrs and "selected" not in options["sefton"].attrs
    assert page.find("input", name="partnership", type="hidden").attrs["value"] == "knowsley"
    main = page.find("main").all_text()
    escalation = a.catalogue_version.catalogue.escalation
    assert escalation is not None
    assert f"{knowsley.partnership}: the procedure" in main and escalation.source in main

    client.post(reverse("escalation-new"), {"partnership": "knowsley", **OPEN})
    case = EscalationCase.objects.get()
    assert case.catalogue_version.authority == knowsley and case.draft is None


def test_without_a_choice_the_users_own_partnership_applies(people, client):
    client.force_login(people.alice)
    page = html(client.get(reverse("escalation-new")).content.decode())
    assert page.find("select", name="partnership").find("option", selected="").attrs["value"] == "sefton"
    client.post(reverse("escalation-new"), OPEN)
    assert EscalationCase.objects.get().catalogue_version.authority == people.sefton


def test_from_a_draft_the_drafts_partnership_is_fixed(people, client):
    from authorities.models import Authority

    knowsley = Authority.objects.get(slug="knowsley")
    d = ready_draft(people.alice, knowsley)
    client.force_login(people.alice)
    page = client.get(reverse("escalation-new"), {"draft": d.pk}).content.decode()
    assert 'name="partnership"' not in page and knowsley.partnership in page
    # A partnership posted alongside a draft does not move the case away from the draft's.
    client.post(reverse("escalation-new"), {"draft": d.pk, "partnership": "halton", **OPEN})
    assert EscalationCase.objects.get().catalogue_version == d.catalogue_version


def test_an_unknown_partnership_is_not_found(people, client, newcomer):
    client.force_login(people.alice)
    assert client.get(reverse("escalation-new"), {"partnership": "nowhere"}).status_code == 404
    assert client.post(reverse("escalation-new"), {"partnership": "newcomer", **OPEN}).status_code == 404
    assert not EscalationCase.objects.exists()


def test_the_list_pages_in_deadline_order_with_constant_queries(people, client, django_assert_max_num_queries):
    """Pages of 50, ordered in the database (overdue first): the 51st most urgent case is on page 2, the
    page's query count does not grow with the cases, and the closed list pages separately."""
    from escalation import views

    with time_machine.travel("2026-11-02 10:00 +0000", tick=False):
        oldest = services.open_case(actor(people.alice), people.sefton, our_agency="A", other_agency="Oldest",
                                    about="x", outcome_sought="y")
    with time_machine.travel("2026-11-23 10:00 +0000", tick=False):
        for n in range(views.PAGE):
            services.open_case(actor(people.alice), people.sefton, our_agency="A", other_agency=f"Newer {n}",
                               about="x", outcome_sought="y")
        client.force_login(people.alice)
        with django_assert_max_num_queries(12):
            first = html(client.get(reverse("escalation-list")).content.decode())
        rows = first.find("tbody").find_all("tr")
        assert len(rows) == views.PAGE and rows[0].find_all("td")[1].all_text() == "Oldest"
        assert "page 1 of 2" in first.find("caption").all_text()
        link = first.find("nav", aria_label="Pages of open escalations").find("a", rel="next").attrs["href"]
        second = html(client.get(reverse("escalation-list") + link).content.decode())
    assert link == "?open=2"
    assert [tr.find_all("td")[1].all_text() for tr in second.find("tbody").find_all("tr")] == ["Newer 49"]
    assert oldest.pk
