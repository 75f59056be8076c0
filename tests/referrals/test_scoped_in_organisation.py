"""`Draft.objects.for_user_in(actor, organisation)`: exactly `for_user`'s drafts of that organisation (the
insight page reads reasons through it, said so PostgreSQL can count the rows), for every persona."""

import pytest

from referrals import services
from referrals.models import Draft, Status
from tests.factories import actor, ready_draft


@pytest.fixture
def drafts(people):
    """In the school: Alice's submitted, returned and unsubmitted drafts, Bob's submitted one and the lead's own
    unsubmitted one; elsewhere, the outsider's submitted draft."""
    submitted = services.submit(actor(people.alice), ready_draft(people.alice, people.sefton))
    returned = services.submit(actor(people.alice), ready_draft(people.alice, people.sefton))
    services.return_to_practitioner(actor(people.lead), returned, "Please add the sibling's school.")
    ready_draft(people.alice, people.sefton)
    services.submit(actor(people.bob), ready_draft(people.bob, people.sefton))
    ready_draft(people.lead, people.sefton)
    services.submit(actor(people.outsider), ready_draft(people.outsider, people.halton))
    assert Draft.objects.get(pk=returned.pk).status == Status.RETURNED
    return submitted


@pytest.mark.parametrize("who", ["alice", "bob", "lead", "outsider", "outsider_lead", "admin"])
@pytest.mark.parametrize("where", ["school", "other_org", "sefton_unit"])
def test_the_same_drafts_as_for_user_in_that_organisation(people, drafts, who, where):
    person, organisation = actor(getattr(people, who)), getattr(people, where)
    expected = set(Draft.objects.for_user(person).filter(organisation_id=organisation.pk).values_list("pk", flat=True))
    assert set(Draft.objects.for_user_in(person, organisation.pk).values_list("pk", flat=True)) == expected


def test_a_lead_sees_their_organisations_submitted_drafts_and_their_own_only(people, drafts):
    lead = actor(people.lead)
    seen = Draft.objects.for_user_in(lead, people.school.pk)
    assert {(d.owner.username, d.status) for d in seen} == {
        ("alice", Status.SUBMITTED), ("alice", Status.RETURNED), ("bob", Status.SUBMITTED), ("lead", Status.DRAFT)}
    assert not Draft.objects.for_user_in(lead, people.other_org.pk).exists()
