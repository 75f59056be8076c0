"""authorities/rules.py: the named access rules, each on its own: who may do what, whatever the view or
service. Pure: actors are built by hand, no database."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from authorities import rules
from authorities.actor import Actor, Seat
from authorities.models import Authority, Organisation, Role

SCHOOL, CLINIC = 1, 2


def _org(pk: int, authority_pk: int = 10) -> Organisation:
    return Organisation(pk=pk, name=f"Org {pk} (fictional)", authority=Authority(pk=authority_pk, slug=f"a{authority_pk}"))


def _actor(pk: int, *seats: tuple[int, str], authority_pk: int = 10) -> Actor:
    user = SimpleNamespace(pk=pk, is_authenticated=True)
    built = tuple(Seat(_org(org, authority_pk), role) for org, role in seats)
    leads = frozenset(s.organisation.pk for s in built if s.role == Role.SAFEGUARDING_LEAD)
    return Actor(user=user, seats=built, _lead_orgs=leads)


ALICE = _actor(1, (SCHOOL, Role.PRACTITIONER))
LEAD = _actor(2, (SCHOOL, Role.SAFEGUARDING_LEAD))
LEAD_WHO_ALSO_PRACTISES = _actor(3, (SCHOOL, Role.PRACTITIONER), (SCHOOL, Role.SAFEGUARDING_LEAD))
OUTSIDER_LEAD = _actor(4, (CLINIC, Role.SAFEGUARDING_LEAD))
ADMIN = _actor(5, (SCHOOL, Role.CATALOGUE_ADMIN), authority_pk=10)
NOBODY = Actor()
JOB = Actor.system("retention")


def _record(owner: int, org: int = SCHOOL):
    return SimpleNamespace(owner_id=owner, organisation_id=org)


@pytest.mark.parametrize("actor, owner, expected", [(ALICE, 1, True), (ALICE, 2, False), (NOBODY, 1, False),
                                                     (JOB, 1, False)])
def test_is_owner_and_can_edit(actor, owner, expected):
    assert rules.is_owner(actor, _record(owner)) is expected
    assert rules.can_edit(actor, _record(owner)) is expected


@pytest.mark.parametrize("actor, draft, expected", [
    (LEAD, _record(1), True),                      # a lead of the organisation, someone else's draft
    (LEAD_WHO_ALSO_PRACTISES, _record(3), False),  # never their own
    (LEAD_WHO_ALSO_PRACTISES, _record(1), True),
    (OUTSIDER_LEAD, _record(1), False),            # another organisation's lead
    (ALICE, _record(2), False),                    # a practitioner
    (NOBODY, _record(1), False),
])
def test_can_review(actor, draft, expected):
    assert rules.can_review(actor, draft) is expected


@pytest.mark.parametrize("actor, draft, expected", [
    (LEAD, _record(1), True),                      # a lead of the organisation, someone else's draft
    (LEAD_WHO_ALSO_PRACTISES, _record(3), True),   # their own concern: a lead may close it (DSL assessed it)
    (OUTSIDER_LEAD, _record(1), False),            # another organisation's lead
    (ALICE, _record(1), False),                    # a practitioner, even the author
    (ADMIN, _record(1), False),
    (NOBODY, _record(1), False),
    (JOB, _record(1), False),
])
def test_can_close(actor, draft, expected):
    assert rules.can_close(actor, draft) is expected


@pytest.mark.parametrize("actor, record, expected", [
    (ALICE, _record(1), True), (LEAD, _record(1), True), (OUTSIDER_LEAD, _record(1), False),
    (ALICE, _record(9), False),
])
def test_can_record_outcome(actor, record, expected):
    assert rules.can_record_outcome(actor, record) is expected


def test_lead_only_pages_and_catalogue_admin():
    assert rules.is_a_lead(LEAD) and rules.can_read_audit(LEAD)
    assert not rules.is_a_lead(ALICE) and not rules.can_read_audit(ALICE) and not rules.can_read_audit(JOB)
    assert rules.can_administer_catalogue(ADMIN, 10) and not rules.can_administer_catalogue(ADMIN, 11)
    assert not rules.can_administer_catalogue(LEAD, 10)
    assert rules.can_use_catalogue_admin(ADMIN) and not rules.can_use_catalogue_admin(ALICE)


def test_starting_work_needs_a_seat():
    assert rules.can_start_work(ALICE) and not rules.can_start_work(NOBODY) and not rules.can_start_work(JOB)

