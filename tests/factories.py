"""Building blocks for tests, one of each: the catalogue files, the plain indicators of a level, the
acting user, and an assessment and a draft made through the real services.

Fixtures (the personas, `login`, `access`) are in conftest.py; these are plain functions, so that
helpers and the browser tests can use them too.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path

from assessments import services as assessment_services
from authorities.actor import Actor
from catalogues.engine import is_child_protection
from catalogues.files import read_catalogue_file
from catalogues.schema import Catalogue
from referrals import services as referral_services

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE_DIR = ROOT / "fixtures" / "catalogues"
CATALOGUE_FILES = sorted(CATALOGUE_DIR.glob("*.json"))
SLUGS = [p.stem for p in CATALOGUE_FILES]


@cache
def catalogue(slug: str) -> Catalogue:
    """The catalogue file of a partnership as shipped (no database)."""
    return read_catalogue_file(CATALOGUE_DIR / f"{slug}.json")


def plain(catalogue: Catalogue, level: int, n: int | None = None) -> list[str]:
    """Ids of the live indicators at `level` that are not child-protection concerns (so neither immediate
    danger nor decisive), in the catalogue's order: the first `n`, or all of them."""
    found = [i.id for i in catalogue.indicators if i.level == level and not is_child_protection(i) and not i.retired]
    return found if n is None else found[:n]


def indicator(catalogue: Catalogue, indicator_id: str):
    return next(i for i in catalogue.indicators if i.id == indicator_id)


def actor(user) -> Actor:
    """Who acts, for a service call: `actor(people.alice)`."""
    return Actor.of(user)


def assessment(user, authority, level=2, n=2, **child):
    """An assessment of a named child (unless `child` says otherwise) with `n` plain ticks at `level`."""
    child = {"mode": "named", "child_name": "Test Child", "date_of_birth": date(2018, 2, 1)} | child
    a = assessment_services.start_assessment(actor(user), authority, **child)
    assessment_services.save_ticks(actor(user), a, plain(a.catalogue_version.catalogue, level, n))
    return a


READY = {
    "child_name": "Test Child", "child_voice": "Says she is hungry at school.",
    "household": [{"name": "Parent Testperson", "relationship": "Mother", "parental_responsibility": "yes",
                   "date_of_birth": "", "address": ""}],
    "referrer_phone": "01234 000000", "parents_aware": "yes", "consent": "explicit",
}


# The call made before the review, for a draft with danger or a child-protection concern.
PHONED = {"phone_call_with": "Duty social worker, Integrated Front Door", "phone_call_outcome": "Refer today",
          "phone_call_at": datetime(2026, 1, 5, 9, 30, tzinfo=UTC)}


def ready_draft(user, authority, level=2, **over):
    """A draft with everything the pre-submission check asks for, made from a fresh assessment."""
    a = assessment(user, authority, level=level, n=2)
    d = referral_services.create_from_assessment(actor(user), a)
    return referral_services.save(actor(user), d, READY | {"chosen_level": level} | over, d.revision)


def draft_facts(**over):
    """What the pre-submission checks read, for a complete draft at Level 2 with explicit consent; `over`
    changes any of it (`chosen_level=4, consent="not_sought"`)."""
    from referrals.checks import DraftFacts

    base = dict(chosen_level=2, suggested_level=2, level_reason="", parents_aware="yes", consent="explicit",
                consent_ground="", consent_agreed_by="", child_name="Test Child", child_voice="Told me about it",
                household=[{"name": "Parent Testperson"}], referrer_phone="01234", referrer_email="",
                # the call made before the review where there is danger (checked only then)
                phone_call_with="Duty social worker", phone_call_made=True, phone_call_outcome="Advised to refer")
    return DraftFacts(**(base | over))
