"""The front door's decision (referrals.services.record_decision and the draft page's form): its outcome in the
Standard Safeguarding Dataset's vocabulary and the day it was made, checked, stored, shown, chased after a
working day without one, and exported as the SSD's outcome flags."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from jsonschema import Draft202012Validator

from authorities.models import AuditEvent
from referrals import national
from referrals import services as referral_services
from referrals.models import Draft, FrontDoorOutcome
from tests.factories import actor, ready_draft
from tests.pages import html

pytestmark = pytest.mark.django_db
SCHEMA = json.loads(national.SCHEMA_FILE.read_text(encoding="utf-8"))


def _sent(people, on: datetime | None = None, user=None) -> Draft:
    user = user or people.alice
    d = referral_services.submit(actor(user), ready_draft(user, people.sefton))
    referral_services.approve(actor(people.lead), d)
    return referral_services.mark_sent(actor(user), d, on or timezone.now(), "Secure email", "REF-1")


def _day(d: date, prefix: str = "decided_on") -> dict:
    return {f"{prefix}_day": d.day, f"{prefix}_month": d.month, f"{prefix}_year": d.year}


def _errors(response) -> list[tuple[str, str]]:
    summary = html(response.content.decode()).find(class_="govuk-error-summary")
    return [(a.attrs["href"], a.all_text()) for a in summary.find_all("a")]


def test_the_form_offers_the_ssd_outcomes_and_the_date(people, client):
    d = _sent(people)
    client.force_login(people.alice)
    page = html(client.get(reverse("draft-detail", args=[d.pk])).content.decode())
    form = page.find(data_testid="decision-form")
    radios = [(r.attrs["value"], page.find("label", for_=r.attrs["id"]).all_text())
              for r in form.find_all("input", name="outcome")]
    assert radios == [(o.value, o.label) for o in FrontDoorOutcome]
    assert [i.attrs["name"] for i in form.find_all("input") if i.attrs["name"].startswith("decided_on")] == [
        "decided_on_day", "decided_on_month", "decided_on_year"]
    assert form.find("textarea", name="notes")
    assert page.find("h2", id="front-door-decision").all_text() == "The front door's decision"


@pytest.mark.parametrize(("posted", "expected"), [
    ({}, [("#id_outcome_0", "Choose what the front door decided"),
          ("#id_decided_on_day", "Enter the date the front door decided")]),
    ({"outcome": "maybe", "decided_on": "today"},
     [("#id_outcome_0", "Choose one of the decisions listed"),
      ("#id_decided_on_day", "Enter a real date in the format day/month/year, for example 27/3/2015.")]),
    ({"outcome": "nfa", "decided_on": "1/1/2099"}, [("#id_decided_on_day", "The date they decided cannot be in the future")]),
], ids=["nothing", "not-an-outcome-nor-a-date", "in-the-future"])
def test_an_outcome_and_a_real_date_are_required(people, client, posted, expected):
    d = _sent(people)
    client.force_login(people.alice)
    response = client.post(reverse("draft-decision", args=[d.pk]), posted)
    assert response.status_code == 400
    assert _errors(response) == expected
    assert Draft.objects.get(pk=d.pk).status == "sent"
    assert AuditEvent.objects.filter(action="draft.view", purpose="invalid_decision").exists()


def test_the_decision_cannot_come_before_the_referral_was_sent(people, client):
    with time_machine.travel("2026-11-18 10:00 +0000", tick=False):
        d = _sent(people, datetime(2026, 11, 17, 12, 0).astimezone())
        client.force_login(people.alice)
        response = client.post(reverse("draft-decision", args=[d.pk]), {"outcome": "nfa", **_day(date(2026, 11, 16))})
        assert response.status_code == 400
        assert _errors(response) == [("#id_decided_on_day", "The date they decided cannot be before the date it was "
                                                            "sent (17 November 2026)")]
        with pytest.raises(referral_services.NotAllowed, match="before the date it was sent"):
            referral_services.record_decision(actor(people.alice), d, "nfa", date(2026, 11, 16))
        with pytest.raises(referral_services.NotAllowed, match="cannot be in the future"):
            referral_services.record_decision(actor(people.alice), d, "nfa", date(2026, 11, 19))
        with pytest.raises(referral_services.NotAllowed, match="Choose what the front door decided"):
            referral_services.record_decision(actor(people.alice), d, "referred somewhere", date(2026, 11, 17))
        assert Draft.objects.get(pk=d.pk).status == "sent"


def test_the_decision_is_stored_audited_by_code_and_shown(people, client):
    with time_machine.travel("2026-11-20 10:00 +0000", tick=False):
        d = _sent(people, datetime(2026, 11, 18, 12, 0).astimezone())
        client.force_login(people.lead)
        response = client.post(reverse("draft-decision", args=[d.pk]), {
            "outcome": "strategy_s47", **_day(date(2026, 11, 19)), "notes": "Strategy discussion today (fictional)"})
        assert response.status_code == 302
        d = Draft.objects.get(pk=d.pk)
        assert (d.status, d.decision_outcome, d.decision_on, d.decision) == (
            "decided", "strategy_s47", date(2026, 11, 19), "Strategy discussion today (fictional)")
        assert d.decision_at == timezone.now()
        event = AuditEvent.objects.get(action="draft.decision recorded")
        assert event.detail == {"outcome": "strategy_s47"}  # the code only, never what they said
        assert [e.action for e in d.events.all()][-1] == "decision recorded"
        page = html(client.get(reverse("draft-detail", args=[d.pk])).content.decode())
        assert page.find(data_testid="decision").all_text().replace(" ,", ",") == \
            "Decision: Strategy discussion or section 47 enquiry, on 19 November 2026."
        assert page.find(data_testid="decision-notes").all_text() == "Strategy discussion today (fictional)"
        assert not page.find_all(data_testid="decision-form")
        client.force_login(people.alice)
        mine = html(client.get(reverse("assessment-list")).content.decode())
        assert mine.find(data_testid="decided-outcome").all_text() == "Strategy discussion or section 47 enquiry"


def test_after_a_working_day_without_a_decision_the_chase_prompt_links_to_the_form(people, client):
    with time_machine.travel("2026-11-20 09:00 +0000", tick=False):  # Friday
        d = _sent(people)
        client.force_login(people.alice)
        page = html(client.get(reverse("draft-detail", args=[d.pk])).content.decode())
        assert not page.find_all(data_testid="chase")
        assert not html(client.get(reverse("assessment-list")).content.decode()).find_all(data_testid="chase-tag")
    with time_machine.travel("2026-11-23 09:00 +0000", tick=False):  # Monday: one working day later
        client.force_login(people.alice)  # a new session: the one from Friday has timed out
        page = html(client.get(reverse("draft-detail", args=[d.pk])).content.decode())
        link = page.find(data_testid="chase").find(data_testid="chase-record")
        assert link.attrs["href"] == "#front-door-decision" and link.all_text() == "record their decision"
        assert page.find(id="front-door-decision").ancestor("main") is not None
        mine = html(client.get(reverse("assessment-list")).content.decode())
        row = next(r for r in mine.find_all("tr") if f"Draft {d.pk}" in r.all_text())
        assert row.find(data_testid="chase-tag").all_text() == "Chase the decision"
        referral_services.record_decision(actor(people.alice), d, "early_help", date(2026, 11, 23))
        assert not html(client.get(reverse("draft-detail", args=[d.pk])).content.decode()).find_all(
            data_testid="chase")
        assert not html(client.get(reverse("assessment-list")).content.decode()).find_all(data_testid="chase-tag")


def test_my_work_asks_the_same_queries_however_many_drafts_need_chasing(people, client):
    def queries() -> int:
        with CaptureQueriesContext(connection) as seen:
            assert client.get(reverse("assessment-list")).status_code == 200
        return len(seen)

    with time_machine.travel("2026-11-16 09:00 +0000", tick=False):  # Monday
        _sent(people)
    with time_machine.travel("2026-11-20 09:00 +0000", tick=False):
        client.force_login(people.alice)
        one = queries()
    with time_machine.travel("2026-11-16 09:00 +0000", tick=False):
        _sent(people)
        _sent(people)
    with time_machine.travel("2026-11-20 09:00 +0000", tick=False):
        client.force_login(people.alice)
        page = client.get(reverse("assessment-list")).content.decode()
        assert page.count('data-testid="chase-tag"') == 3
        assert queries() == one


@pytest.mark.parametrize("outcome", FrontDoorOutcome.values)
def test_each_outcome_exports_its_ssd_flags_validated_against_the_schema(people, client, outcome):
    d = _sent(people, datetime(2026, 11, 2, 12, 0).astimezone())
    referral_services.record_decision(actor(people.lead), d, outcome, date(2026, 11, 3))
    client.force_login(people.lead)
    export = json.loads(client.get(reverse("draft-national", args=[d.pk]), {"purpose": "record"}).content)
    assert list(Draft202012Validator(SCHEMA).iter_errors(export)) == []
    contact_y, referral_y = national.outcomes.SSD_FLAGS[outcome]
    contact = export["ssd_contacts"]["cont_contact_outcome_json"]
    referral = export["ssd_cin_episodes"]["cine_referral_outcome_json"]
    assert {k for k, v in contact.items() if v == "Y"} == contact_y and set(contact.values()) <= {"Y", "N"}
    assert {k for k, v in referral.items() if v == "Y"} == referral_y and set(referral.values()) <= {"Y", "N"}
    assert export["extensions"]["front_door_decision"]["outcome"] == outcome
    assert export["extensions"]["front_door_decision"]["decided_on"] == "2026-11-03"
    assert export["format_version"] == 2
