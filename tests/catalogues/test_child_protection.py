"""The child-protection review of every catalogue: a child-protection concern is never routed to Early
Help or to "ask the family", whatever the level it is listed at; consent never blocks its referral.
Pure: the catalogue files and the engine, no database."""

from __future__ import annotations

import re

import pytest

from catalogues.engine import is_child_protection, suggest
from referrals.checks import NOT_SOUGHT, REFUSED, pre_submission_problems
from tests.factories import SLUGS, draft_facts
from tests.factories import catalogue as cat


def top(c) -> int:
    return max(lv.number for lv in c.levels)


def by_text(c, words: str):
    """The live indicators whose wording contains `words` (case-insensitive)."""
    found = [i for i in c.indicators if words.lower() in i.text.lower() and not i.retired]
    assert found, f"no indicator in {c.authority.slug} says {words!r}"
    return found


def _cp(level: int, consent: str, ground: str = ""):
    """A child-protection referral at `level`, the parents not told."""
    return draft_facts(chosen_level=level, suggested_level=level, consent=consent, consent_ground=ground,
                       child_protection=True, parents_aware="no", child_voice="Said so")


# --- every child-protection indicator, alone -------------------------------------------------

def protection_cases():
    return [(slug, i.id) for slug in SLUGS for i in cat(slug).indicators if is_child_protection(i) and not i.retired]


@pytest.mark.parametrize(("slug", "indicator_id"), protection_cases())
def test_a_lone_child_protection_tick_is_the_top_level_at_the_front_door_and_consent_never_blocks_it(
        slug, indicator_id):
    c = cat(slug)
    s = suggest(c, [indicator_id])
    assert s.level.number == top(c)
    assert s.route_kind == "front_door" and s.level.response.route_kind == "front_door"
    assert s.child_protection and s.reasons[0].id == indicator_id
    # The referral goes ahead whatever the family says, on a reason the guidance gives (when it gives any).
    level = s.level
    for consent in (REFUSED, NOT_SOUGHT):
        problems = [p for p in pre_submission_problems(c, _cp(level.number, consent)) if p.blocking]
        assert all(p.place == "consent_ground" for p in problems), problems
        for p in problems:
            assert "ask the family" not in p.message and "will not accept" not in p.message
        if level.consent.lawful_ground_ids:
            ground = level.consent.lawful_ground_ids[0]
            assert [p for p in pre_submission_problems(c, _cp(level.number, consent, ground)) if p.blocking] == []


def test_every_catalogue_has_child_protection_indicators_that_are_decisive_and_many_top_level_ones():
    for slug in SLUGS:
        c = cat(slug)
        at_top = [i for i in c.indicators if i.level == top(c) and not i.retired]
        decisive = [i for i in at_top if i.child_protection.decisive]
        assert len(decisive) >= 10, slug
        assert len(decisive) < len(at_top) or slug == "halton", "some top-level needs are child in need, not s47"


# The reviewer's reproduced cases, by the documents' own words.
REPRODUCED = {
    "knowsley": ["At risk of Child Sexual Exploitation", "sexually exploitative relationship",
                 "Sexual activity under the age of 13", "Conception to a child under the age of 14",
                 "Fabricated or Induced Illness"],
    "sefton": ["Under 13 engaged in sexual activity", "Fabricated Induced Illness", "home alone"],
    "halton": ["Suffering or at risk of suffering physical, emotional or sexual abuse"],
}


@pytest.mark.parametrize("slug", sorted(REPRODUCED))
def test_the_reproduced_child_protection_cases_are_decisive(slug):
    c = cat(slug)
    for words in REPRODUCED[slug]:
        for ind in by_text(c, words):
            if "risk of" in words.lower() and ind.level < top(c) and not is_child_protection(ind):
                continue  # Knowsley grades CSE risk at every level: low and medium risk are not s47
            s = suggest(c, [ind.id])
            assert s.level.number == top(c), (ind.id, ind.text)
            assert s.child_protection and s.route_kind == "front_door", ind.id


# Concerns every document treats as child protection, searched in each catalogue's own words.
KINDS = {
    "fgm": ["female genital mutilation", "fgm"],
    "forced marriage": ["forced marriage"],
    "fabricated illness": ["fabricat"],
    "sexual abuse": ["sexual abuse", "sexually abused"],
    "trafficking": ["traffick"],
}


@pytest.mark.parametrize("slug", SLUGS)
def test_named_child_protection_concerns_are_decisive_at_the_top_level_and_reachable(slug):
    """Every top-level mention is decisive; where a document grades a concern (early indication of
    FGM risk at Level 3, say), its lower grades keep their level but the concern itself is decisive."""
    c = cat(slug)
    for kind, words in KINDS.items():
        found = [i for i in c.indicators if not i.retired and any(w in i.text.lower() for w in words)]
        for ind in found:
            if ind.level == top(c):
                assert is_child_protection(ind), (kind, ind.id, ind.text)
        if found and kind != "sexual abuse":
            assert any(is_child_protection(i) for i in found), (slug, kind)


def test_fii_is_not_shared_with_the_family_first_in_knowsley():
    c = cat("knowsley")
    [fii] = by_text(c, "Fabricated or Induced Illness")
    s = suggest(c, [fii.id])
    assert s.level.consent.consent == "not_required" or s.level.consent.lawful_ground_ids
    assert "consent is not required for a safeguarding referral" in s.child_protection_consent.lower()


@pytest.mark.parametrize("slug", SLUGS)
def test_immediate_danger_is_child_protection_and_its_sentence_speaks_of_danger_or_risk_now(slug):
    for ind in cat(slug).indicators:
        if ind.immediate_danger:
            assert is_child_protection(ind), ind.id
            words = (ind.immediate_danger.sentence + " " + ind.text).lower()
            assert re.search(r"immediate|danger|imminent|left alone|home alone|abandon|emergency", words), ind.id
