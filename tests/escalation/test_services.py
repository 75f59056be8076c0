"""escalation/services.py: opening a case on the partnership's procedure, recording its steps."""

from __future__ import annotations

import pytest

from core.errors import NotAllowed
from escalation import services
from tests.factories import actor

pytestmark = pytest.mark.django_db


def _authority(slug):
    from authorities.models import Authority

    return Authority.objects.get(slug=slug)


def test_the_last_step_cannot_be_escalated(people):
    case = services.open_case(actor(people.alice), people.sefton, our_agency="A", other_agency="B", about="x",
                              outcome_sought="y")
    for _ in range(3):
        services.record_step(actor(people.alice), case, case.current_step, participants="p", discussion="",
                             agreed_plan="", plan_due_on=None, outcome="escalated")
    with pytest.raises(services.NotAllowed):
        services.record_step(actor(people.alice), case, case.current_step, participants="p", discussion="",
                             agreed_plan="", plan_due_on=None, outcome="escalated")


def test_a_pointer_procedure_gives_one_step_without_a_clock(people):
    case = services.open_case(actor(people.alice), _authority("herefordshire"),
                              our_agency="A", other_agency="B", about="x", outcome_sought="y")
    step = case.current_step
    assert step.number == 1 and step.due_on is None


def test_opening_an_escalation_without_a_catalogue_is_refused(people, newcomer):
    with pytest.raises(NotAllowed, match="no published catalogue"):
        services.open_case(actor(people.alice), newcomer, our_agency="A", other_agency="B",
                                      about="x")
