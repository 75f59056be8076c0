"""Who may see which insight page (named predicates over an actor, unit-tested in tests/insight/test_rules.py):
a safeguarding lead sees their organisation's figures, a catalogue admin their partnership's."""

from __future__ import annotations

from authorities import rules
from authorities.actor import Actor
from authorities.models import Authority, Organisation, Role


def can_see_organisation(actor: Actor, organisation_id: int) -> bool:
    """A lead of the organisation (and only of that one)."""
    return rules.leads(actor, organisation_id)


def can_see_partnership(actor: Actor, authority_id: int) -> bool:
    """A catalogue admin of the partnership."""
    return rules.can_administer_catalogue(actor, authority_id)


def can_see_insight(actor: Actor) -> bool:
    """Has at least one insight page: leads and catalogue admins (the navigation's "Insight")."""
    return rules.is_a_lead(actor) or rules.can_use_catalogue_admin(actor)


def organisations_of(actor: Actor) -> list[Organisation]:
    """The organisations whose page this person may see, by name."""
    found = {s.organisation.pk: s.organisation for s in actor.seats
             if s.role == Role.SAFEGUARDING_LEAD and can_see_organisation(actor, s.organisation.pk)}
    return sorted(found.values(), key=lambda o: o.name)


def partnerships_of(actor: Actor) -> list[Authority]:
    """The partnerships whose page this person may see, by name."""
    found = {s.authority.pk: s.authority for s in actor.seats
             if s.role == Role.CATALOGUE_ADMIN and can_see_partnership(actor, s.authority.pk)}
    return sorted(found.values(), key=lambda a: a.name)
