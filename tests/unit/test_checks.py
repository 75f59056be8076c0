"""referrals/checks.py: the consent rules of every level of every partnership, and the pre-submission
check. Pure: the checks read `DraftFacts`, not a model."""

from __future__ import annotations

import pytest

from referrals.checks import NOT_SOUGHT, DraftFacts, consent_problems, pre_submission_problems
from tests.factories import READY, SLUGS, draft_facts
from tests.factories import catalogue as cat

facts = draft_facts


def _at(level: int, consent: str, ground: str = "", cp: bool = True, aware: str = "no") -> DraftFacts:
    """A draft at `level` whose ticks are (or, with cp=False, are not) a child-protection concern."""
    return draft_facts(chosen_level=level, suggested_level=level, consent=consent, consent_ground=ground,
                       child_protection=cp, parents_aware=aware, child_voice="Said so")


# --- consent rules, for every level of every partnership -------------------------------------

@pytest.mark.parametrize("slug", SLUGS)
def test_explicit_consent_satisfies_every_level(slug):
    c = cat(slug)
    for lv in c.levels:
        assert consent_problems(c, lv, facts(chosen_level=lv.number)) == [], (slug, lv.number)


@pytest.mark.parametrize("slug", SLUGS)
def test_going_ahead_without_consent_follows_each_levels_rule(slug):
    c = cat(slug)
    for lv in c.levels:
        rule = lv.consent
        without = consent_problems(c, lv, facts(chosen_level=lv.number, consent="not_sought"))
        if rule.refused_without_consent:
            assert any("will not accept this request without consent" in p.message
                       and rule.refused_without_consent.sentence in p.message for p in without), (slug, lv.number)
        elif rule.consent == "required" and not rule.lawful_ground_ids:
            assert any("Consent is needed at this level" in p.message and rule.text in p.message
                       for p in without), (slug, lv.number)
        elif rule.consent == "not_required":
            assert without == [], (slug, lv.number)
        else:
            assert [p.place for p in without] == ["consent_ground"], (slug, lv.number)
            ok = facts(chosen_level=lv.number, consent="not_sought", consent_ground=rule.lawful_ground_ids[0])
            assert consent_problems(c, lv, ok) == [], (slug, lv.number)


@pytest.mark.parametrize("slug", SLUGS)
def test_no_consent_message_asks_for_an_agreement_or_explicit_consent_the_document_does_not_give(slug):
    c = cat(slug)
    for lv in c.levels:
        for consent in ("explicit", "implicit", "refused", "not_sought"):
            for aware in ("yes", "no"):
                for problem in consent_problems(c, lv, facts(chosen_level=lv.number, consent=consent,
                                                              parents_aware=aware)):
                    assert problem.place != "consent_agreed_by", (slug, lv.number, consent)
                    assert "manager" not in problem.message.split("The guidance:")[0], (slug, lv.number, consent)
                    if "explicit" in problem.message.split("The guidance:")[0]:
                        assert lv.consent.explicit is not None, (slug, lv.number, consent)
        implicit = consent_problems(c, lv, facts(chosen_level=lv.number, consent="implicit"))
        assert bool(implicit) == (lv.consent.explicit is not None), (slug, lv.number)
        if implicit:
            assert lv.consent.explicit.sentence in implicit[0].message


def test_halton_refuses_requests_without_consent_below_level_4():
    c = cat("halton")
    for n in (2, 3):
        problems = consent_problems(c, c.levels[n - 1], facts(chosen_level=n, consent="refused"))
        assert problems and "will not accept this request without consent" in problems[0].message
        assert "discuss a child protection referral" in problems[0].message
    l4 = c.levels[3]
    assert l4.consent.consent == "best_practice" and l4.consent.lawful_ground_ids
    assert [p.place for p in consent_problems(c, l4, facts(chosen_level=4, consent="not_sought"))] == [
        "consent_ground"]


def test_a_ground_from_another_level_is_refused_with_the_grounds_this_level_gives():
    c = cat("halton")
    l4 = c.levels[3]
    problems = consent_problems(c, l4, facts(chosen_level=4, consent="not_sought", consent_ground="no-such-ground"))
    assert problems[0].place == "consent_ground" and "not one the guidance gives at Level 4" in problems[0].message
    first = next(g for g in c.consent_grounds if g.id == l4.consent.lawful_ground_ids[0])
    assert first.text in problems[0].message


def test_consent_never_blocks_a_child_protection_referral_even_where_a_level_requires_consent():
    """A catalogue whose top level said "consent required" (none does today) still lets a
    child-protection referral go ahead; a child-in-need referral at that level is stopped."""
    c = cat("sefton")
    strict = c.levels[-1].consent.model_copy(update={"consent": "required", "lawful_ground_ids": [],
                                                     "inform_parents": None})
    level = c.levels[-1].model_copy(update={"consent": strict})
    assert [p.place for p in consent_problems(c, level, _at(level.number, NOT_SOUGHT, cp=False))] == ["consent"]
    assert consent_problems(c, level, _at(level.number, NOT_SOUGHT, cp=True)) == []


def test_parents_not_told_needs_the_reason_the_guidance_gives_where_it_says_to_tell_them():
    c = cat("herefordshire")
    level = c.levels[-1]
    assert level.consent.inform_parents is not None
    told_not = _at(level.number, "explicit", cp=False, aware="no")
    [problem] = consent_problems(c, level, told_not)
    assert problem.place == "consent_ground" and level.consent.inform_parents.sentence in problem.message
    assert consent_problems(c, level, _at(level.number, "explicit", level.consent.lawful_ground_ids[0],
                                          cp=False, aware="no")) == []


# --- the pre-submission check ----------------------------------------------------------------

def test_pre_submission_check_lists_what_is_missing_or_weak():
    c = cat("halton")
    messages = [p.message for p in pre_submission_problems(c, facts(
        chosen_level=None, child_name="J. S.", child_voice="", household=[], referrer_phone="", consent=""))]
    assert "Enter the child's full name, not initials" in messages
    assert any(m.startswith("Describe the child's voice") for m in messages)
    assert "Add at least one household member or significant adult" in messages
    assert "Enter a phone number or email address the front door can reach you on" in messages
    assert "Choose the level of need" in messages
    assert pre_submission_problems(c, facts()) == []
    assert [p.message for p in pre_submission_problems(c, facts(consent=""))] == [
        "Record whether consent was given, refused or not sought"]
    assert [p.place for p in pre_submission_problems(c, facts(chosen_level=3))] == ["level_reason"]


def test_choosing_a_lower_level_than_a_child_protection_suggestion_warns_without_blocking():
    c = cat("sefton")
    lower = facts(chosen_level=3, suggested_level=4, level_reason="Discussed with our DSL", child_voice="Said so",
                  child_protection=True)
    [warning] = [p for p in pre_submission_problems(c, lower) if p.place == "chosen_level"]
    assert not warning.blocking and "child-protection concern" in warning.message
    assert not [p for p in pre_submission_problems(c, lower) if p.blocking]


def test_ready_fixture_is_complete():
    assert {"child_voice", "household", "consent"} <= set(READY)
