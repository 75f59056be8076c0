"""The rollup (insight/rollup.py, services.refresh): the known set's figures, month by month, as rows."""

from __future__ import annotations

from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db.models import QuerySet

from authorities.models import AuditEvent
from core.errors import NotAllowed
from insight import rollup, services
from insight.models import Figure, RefreshState
from referrals.models import Submission
from tests.factories import actor
from tests.insight.seed import (
    OCTOBER,
    SEPTEMBER,
    at,
    make_assessment,
    make_draft,
    make_submission,
    refresh,
    seed_known,
)

pytestmark = pytest.mark.django_db


def figures(month: date, **where) -> dict[tuple[str, str], int]:
    """The organisations' figures of the month (where says which), summed by measure and key."""
    found: dict[tuple[str, str], int] = {}
    for f in Figure.objects.filter(month=month, organisation__isnull=False, **where):
        found[(f.measure, f.key)] = found.get((f.measure, f.key), 0) + f.count
    return found


def test_the_known_set_gives_the_known_figures(people):
    made = seed_known(people)
    quinn, lead = str(made["quinn"].pk), str(people.lead.pk)
    assert figures(SEPTEMBER, organisation=people.school, authority=people.sefton) == {
        ("assessments", ""): 20,
        ("referrals_submitted", ""): 15,
        ("practitioner_vs_suggested", "same"): 9, ("practitioner_vs_suggested", "higher"): 6,
        ("lead_vs_practitioner", "agrees"): 10, ("lead_vs_practitioner", "higher"): 3,
        ("lead_vs_practitioner", "lower"): 2,
        ("review_days", "0"): 10, ("review_days", "2"): 5,
        ("lead_reviews", quinn): 10, ("lead_reviews", lead): 5, ("lead_changes", lead): 5,
        ("closed", "no_referral"): 5,
        ("code", "14A"): 12, ("code", "10A"): 6, ("code", "1A"): 3, ("code", "2A"): 3,
    }
    assert figures(OCTOBER, organisation=people.school, authority=people.sefton) == {
        ("referrals_sent", ""): 12,
        ("decided", "nfa"): 5, ("decided", "early_help"): 5, ("decided", "strategy_s47"): 2,
        ("frontdoor_vs_level", "same"): 7, ("frontdoor_vs_level", "lower"): 5,
        ("decision_days", "1"): 6, ("decision_days", "3"): 6,
    }
    # The school's cross-border assessments count for Halton's guidance; the clinic's are the clinic's.
    assert figures(SEPTEMBER, organisation=people.school, authority=people.halton) == {("assessments", ""): 5}
    assert figures(SEPTEMBER, organisation=people.other_org) == {("assessments", ""): 7}


def partnership_totals(month: date, authority) -> dict[tuple[str, str], int]:
    return {(f.measure, f.key): f.count for f in Figure.objects.filter(month=month, authority=authority,
                                                                       organisation=None)}


def test_each_partnership_has_its_totals_as_rows_of_its_own(people):
    seed_known(people)
    for month in (SEPTEMBER, OCTOBER):
        for authority in (people.sefton, people.halton):
            assert partnership_totals(month, authority) == figures(month, authority=authority)
    # Halton's guidance: the Halton clinic's 7 and the Sefton school's 5 cross-border; Sefton's: the school's.
    assert partnership_totals(SEPTEMBER, people.halton) == {("assessments", ""): 12}
    assert partnership_totals(SEPTEMBER, people.sefton)[("assessments", "")] == 20


def test_the_migration_writes_the_totals_of_figures_already_built(people):
    from importlib import import_module

    from django.apps import apps

    seed_known(people)
    built = {m: partnership_totals(m, people.sefton) for m in (SEPTEMBER, OCTOBER)}
    Figure.objects.filter(organisation=None).delete()
    import_module("insight.migrations.0003_partnership_totals").write_partnership_totals(apps, None)
    assert {m: partnership_totals(m, people.sefton) for m in (SEPTEMBER, OCTOBER)} == built


def test_refresh_swaps_a_month_whole_and_says_when(people):
    seed_known(people)
    before = Figure.objects.filter(month=OCTOBER).count()
    Figure.objects.create(organisation=people.school, authority=people.sefton, month=OCTOBER, measure="assessments",
                          count=99)  # a stale figure
    with time_machine.travel(datetime(2026, 12, 5, 2, 0, tzinfo=ZoneInfo("Europe/London")), tick=False):
        written = refresh(OCTOBER)
    assert written == before == Figure.objects.filter(month=OCTOBER).count()
    assert not Figure.objects.filter(month=OCTOBER, measure="assessments").exists()
    assert figures(SEPTEMBER)[("assessments", "")] == 32  # other months untouched
    state = RefreshState.objects.get()
    assert state.refreshed_at == datetime(2026, 12, 5, 2, 0, tzinfo=ZoneInfo("Europe/London"))
    assert (state.first_month, state.last_month) == (OCTOBER, OCTOBER)


def test_refresh_is_audited_as_the_job(people):
    seed_known(people)
    event = AuditEvent.objects.filter(action="insight.refresh").latest("id")
    assert event.job == "insight" and event.actor is None
    assert event.detail["months"] == ["2026-09", "2026-10"] and event.detail["figures"] == Figure.objects.count()


def test_only_the_scheduled_job_rebuilds_the_figures(people):
    with pytest.raises(NotAllowed):
        services.refresh(actor(people.lead), [SEPTEMBER])
    assert not AuditEvent.objects.filter(action="insight.refresh").exists()


def test_months_are_uk_months(people):
    # 23:30 UTC on 31 August is 00:30 on 1 September in London (summer time): a September assessment.
    make_assessment(people.alice, people.school, people.sefton,
                    created=datetime(2026, 8, 31, 23, 30, tzinfo=ZoneInfo("UTC")))
    refresh(date(2026, 8, 1), SEPTEMBER)
    assert figures(SEPTEMBER) == {("assessments", ""): 1} and figures(date(2026, 8, 1)) == {}


def test_a_lead_who_returns_or_closes_changes_something_and_agrees_on_the_level(people):
    a = make_assessment(people.alice, people.school, people.sefton, created=at(date(2026, 9, 1)), suggested=2)
    d = make_draft(a, chosen=2, status="draft", submitted=at(date(2026, 9, 1)))
    make_submission(d, submitted=at(date(2026, 9, 1)), outcome="returned", reviewer=people.lead,
                    reviewed=at(date(2026, 9, 2)))
    make_submission(d, number=2, submitted=at(date(2026, 9, 3)), outcome="closed", reviewer=people.lead,
                    reviewed=at(date(2026, 9, 4)))
    refresh(SEPTEMBER)
    found = figures(SEPTEMBER)
    assert found[("lead_reviews", str(people.lead.pk))] == 2 and found[("lead_changes", str(people.lead.pk))] == 2
    assert found[("lead_vs_practitioner", "agrees")] == 2
    assert found[("referrals_submitted", "")] == 1  # first submissions only
    assert found[("review_days", "1")] == 2


def test_the_level_the_referral_went_at_is_the_leads_when_they_gave_one(people):
    a = make_assessment(people.alice, people.school, people.sefton, created=at(date(2026, 9, 1)), suggested=2)
    d = make_draft(a, chosen=2, status="decided", submitted=at(date(2026, 9, 1)), sent=at(date(2026, 9, 2)),
                   decided_on=date(2026, 9, 3), outcome="cin_assessment")
    make_submission(d, submitted=at(date(2026, 9, 1)), outcome="approved", reviewer=people.lead,
                    reviewed=at(date(2026, 9, 1)), lead_level=4)
    refresh(SEPTEMBER)
    assert figures(SEPTEMBER)[("frontdoor_vs_level", "same")] == 1  # Sefton's Level 4 covers a s17 assessment
    QuerySet.update(Submission.objects.filter(draft=d), lead_level=None)
    refresh(SEPTEMBER)
    assert figures(SEPTEMBER)[("frontdoor_vs_level", "higher")] == 1  # at the practitioner's Level 2 (early help)


def test_every_month_with_data_is_rebuilt_when_none_are_named(people):
    make_assessment(people.alice, people.school, people.sefton, created=at(date(2026, 6, 15)))
    with time_machine.travel(datetime(2026, 8, 10, 12, 0, tzinfo=ZoneInfo("Europe/London")), tick=False):
        assert rollup.months_with_data() == [date(2026, 6, 1), date(2026, 7, 1), date(2026, 8, 1)]
        refresh()
    assert figures(date(2026, 6, 1)) == {("assessments", ""): 1}


def test_the_command_rebuilds_the_last_13_months_by_default(people):
    make_assessment(people.alice, people.school, people.sefton, created=at(date(2025, 12, 15)))
    make_assessment(people.alice, people.school, people.sefton, created=at(date(2025, 11, 15)))
    out = StringIO()
    with time_machine.travel(datetime(2026, 12, 5, 2, 0, tzinfo=ZoneInfo("Europe/London")), tick=False):
        call_command("refresh_insight", stdout=out)
    assert "for Dec 2025 to Dec 2026" in out.getvalue()
    assert figures(date(2025, 12, 1)) == {("assessments", ""): 1} and figures(date(2025, 11, 1)) == {}
    with time_machine.travel(datetime(2026, 12, 5, 2, 0, tzinfo=ZoneInfo("Europe/London")), tick=False):
        call_command("refresh_insight", "--since", "2025-11", stdout=out)
    assert figures(date(2025, 11, 1)) == {("assessments", ""): 1}


@pytest.mark.parametrize("since", ["November", "2999-01"])
def test_the_command_refuses_a_bad_month(since):
    with pytest.raises(CommandError, match="--since"):
        call_command("refresh_insight", "--since", since, stdout=StringIO())
