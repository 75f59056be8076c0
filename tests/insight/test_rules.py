"""Who may see which insight page (insight/rules.py)."""

from __future__ import annotations

import pytest

from authorities.actor import Actor
from authorities.models import Membership, Organisation, Role
from insight import rules
from tests.factories import actor

pytestmark = pytest.mark.django_db


def test_a_lead_sees_their_organisation_only(people):
    lead = actor(people.lead)
    assert rules.can_see_organisation(lead, people.school.pk)
    assert not rules.can_see_organisation(lead, people.other_org.pk)
    assert not rules.can_see_partnership(lead, people.sefton.pk)
    assert rules.can_see_insight(lead)
    assert rules.organisations_of(lead) == [people.school] and rules.partnerships_of(lead) == []


def test_a_catalogue_admin_sees_their_partnership_only(people):
    admin = actor(people.admin)
    assert rules.can_see_partnership(admin, people.sefton.pk)
    assert not rules.can_see_partnership(admin, people.halton.pk)
    assert not rules.can_see_organisation(admin, people.sefton_unit.pk)  # an admin is not the unit's lead
    assert rules.can_see_insight(admin)
    assert rules.partnerships_of(admin) == [people.sefton] and rules.organisations_of(admin) == []


@pytest.mark.parametrize("persona", ["alice", "bob", "outsider"])
def test_practitioners_see_no_insight(people, persona):
    who = actor(getattr(people, persona))
    assert not rules.can_see_insight(who)
    assert not rules.can_see_organisation(who, people.school.pk)
    assert not rules.can_see_partnership(who, people.sefton.pk)


def test_nobody_signed_in_and_a_job_see_nothing(people):
    for who in (Actor(), Actor.system("insight")):
        assert not rules.can_see_insight(who)
        assert not rules.can_see_organisation(who, people.school.pk)


def test_a_practitioner_seat_in_an_organisation_is_not_a_lead_seat(people):
    # alice practises at the school and leads another organisation: she sees only the one she leads.
    other = Organisation.objects.create(authority=people.sefton, name="Another School (fictional)")
    Membership.objects.create(user=people.alice, organisation=other, role=Role.SAFEGUARDING_LEAD)
    alice = actor(people.alice)
    assert rules.organisations_of(alice) == [other]
    assert not rules.can_see_organisation(alice, people.school.pk)
