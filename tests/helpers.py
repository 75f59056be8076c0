"""Building blocks for tests: an assessment and a draft made through the real services."""

from __future__ import annotations

from datetime import date

from assessments import services as assessment_services
from authorities.actor import Actor
from referrals import services as referral_services


def plain(catalogue, level, n=1):
    return [i.id for i in catalogue.indicators
            if i.level == level and not i.immediate_danger and not (i.child_protection and i.child_protection.decisive) and not i.retired][:n]


def assessment(user, authority, level=2, n=2, **child):
    actor = Actor.of(user)
    child = {"mode": "named", "child_name": "Test Child", "date_of_birth": date(2018, 2, 1)} | child
    a = assessment_services.start_assessment(actor, authority, **child)
    assessment_services.save_ticks(actor, a, plain(a.catalogue_version.catalogue, level, n))
    return a


READY = {
    "child_name": "Test Child", "child_voice": "Says she is hungry at school.",
    "household": [{"name": "Parent Testperson", "relationship": "Mother", "parental_responsibility": "yes",
                   "date_of_birth": "", "address": ""}],
    "referrer_phone": "01234 000000", "parents_aware": "yes", "consent": "explicit",
}


def ready_draft(user, authority, level=2, **over):
    a = assessment(user, authority, level=level, n=2)
    d = referral_services.create_from_assessment(Actor.of(user), a)
    return referral_services.save(Actor.of(user), d, READY | {"chosen_level": level} | over, d.revision)
