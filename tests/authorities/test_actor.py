"""authorities/actor.py: who is acting, a person with their seats or a named scheduled job."""

from __future__ import annotations

import pytest

from authorities.actor import Actor
from authorities.models import Role
from core.errors import NotAllowed
from tests.factories import actor


def test_a_system_actor_has_a_name_and_no_person():
    job = Actor.system("retention")
    assert job.is_system and not job.is_person and job.pk is None
    with pytest.raises(ValueError):
        Actor.system("")


def test_a_scheduled_job_cannot_own_a_record():
    with pytest.raises(NotAllowed):
        _ = Actor.system("retention").person


def test_the_primary_seat_is_the_practitioner_one_and_seat_in_finds_the_role_there(people):
    assert actor(people.lead).primary.role == Role.SAFEGUARDING_LEAD
    both = actor(people.alice)
    assert both.seat_in(people.school.pk).role == Role.PRACTITIONER and both.seat_in(people.other_org.pk) is None
