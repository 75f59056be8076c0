"""catalogues/compare.py: proposing counterparts in another partnership's guidance, and both suggestions.

Small synthetic catalogues (the real ones with a few indicators of our own, tagged here) so the ranking is
tested whatever the shipped tags are; one test on the real catalogues asserts only what holds whatever
the tags."""

from __future__ import annotations

import pytest

from catalogues import compare
from catalogues.level_schemes import corresponding
from catalogues.schema import Catalogue, Indicator
from tests.factories import SLUGS, catalogue


def ind(id_: str, text: str, level: int = 2, codes=(), concepts=(), **kw) -> Indicator:
    return Indicator(id=id_, text=text, level=level, domain="test", source="test", codes=list(codes),
                     concepts=list(concepts), **kw)


def with_indicators(slug: str, *indicators: Indicator) -> Catalogue:
    return catalogue(slug).model_copy(update={"indicators": list(indicators)})


HOME_TICK = ind("h-da", "Parents argue and there is violence at home", 2, codes=["3B"], concepts=["food"])


def test_a_shared_code_comes_first_then_a_shared_concept_then_similar_wording():
    home = with_indicators("sefton", HOME_TICK)
    other = with_indicators(
        "knowsley",
        ind("o-words", "Parents argue and there is violence at home", 2),  # same words, no tags
        ind("o-concept", "Parents argue and there is violence", 2, concepts=["food"]),  # closer words
        ind("o-code", "Police called to the home", 2, codes=["3B"]),
    )
    (p,) = compare.propose(home, ["h-da"], other)
    assert [c.indicator.id for c in p.candidates] == ["o-code", "o-concept", "o-words"]
    assert [c.why for c in p.candidates] == [
        "same census code 3B – Domestic abuse: concerns about a parent or carer",
        "same concern: food and diet",
        "similar wording (100%)",
    ]
    assert p.best is not None and p.best.indicator.id == "o-code"


def test_among_shared_codes_the_closer_wording_wins_and_more_codes_in_common_win_first():
    home = with_indicators("sefton", ind("h", "Domestic abuse incidents witnessed by the child", 2,
                                          codes=["3B", "3A"]))
    other = with_indicators(
        "knowsley",
        ind("far", "Police called to the home", 2, codes=["3B"]),
        ind("near", "Child witnesses domestic abuse incidents", 2, codes=["3B"]),
    )
    (p,) = compare.propose(home, ["h"], other)
    assert [c.indicator.id for c in p.candidates] == ["near", "far"]

    both = with_indicators("knowsley", *other.indicators, ind("two", "Police called to the home", 2,
                                                                codes=["3A", "3B"]))
    (p,) = compare.propose(home, ["h"], both)
    assert p.candidates[0].indicator.id == "two"
    assert p.candidates[0].why == ("same census codes 3B – Domestic abuse: concerns about a parent or carer; "
                                   "3A – Domestic abuse: concerns about the child being the subject")


def test_a_candidate_at_the_level_of_the_same_national_stage_is_preferred():
    home = with_indicators("sefton", ind("h", "Frequent missing episodes", 2, codes=["10A"]))
    same_words = "Episodes of going missing from home"
    levels = [lv.number for lv in catalogue("knowsley").levels]
    stage = {lv.number for lv in corresponding(home, 2, catalogue("knowsley"))}
    elsewhere = next(n for n in reversed(levels) if n not in stage)
    other = with_indicators("knowsley", ind("elsewhere", same_words, elsewhere, codes=["10A"]),
                            ind("same-stage", same_words, min(stage), codes=["10A"]))
    (p,) = compare.propose(home, ["h"], other)
    assert [c.indicator.id for c in p.candidates] == ["same-stage", "elsewhere"]
    assert p.candidates[0].same_stage and not p.candidates[1].same_stage


def test_a_need_met_at_the_first_level_is_no_counterpart_of_a_concern_while_a_concern_is_offered():
    home = with_indicators("sefton", ind("h", "Failing to reach developmental milestones", 3,
                                         concepts=["development"]))
    other = with_indicators("knowsley",
                            ind("met", "Reaching developmental milestones", 1, concepts=["development"]),
                            ind("need", "Delay in development noticed by the health visitor", 2,
                                concepts=["development"]))
    (p,) = compare.propose(home, ["h"], other)
    assert [c.indicator.id for c in p.candidates] == ["need", "met"]
    assert not p.candidates[1].same_kind


def test_a_tick_with_no_counterpart_says_so_rather_than_guessing():
    home = with_indicators("sefton", ind("h", "Previous permanent exclusions from school", 3))
    other = with_indicators("knowsley", ind("o", "Parent has a long-term illness", 3, codes=["6B"]),
                            ind("o2", "Child is hungry at school", 2, concepts=["food"]))
    (p,) = compare.propose(home, ["h"], other)
    assert p.candidates == ()
    assert p.no_match == "Knowsley's guidance has no indicator for this"
    assert compare.proposed_ids([p]) == []


def test_retired_indicators_and_those_for_the_other_kind_of_child_are_not_offered():
    home = with_indicators("sefton", ind("h", "Domestic abuse in the home", 2, codes=["3B"]))
    other = with_indicators(
        "knowsley",
        ind("retired", "Domestic abuse in the home", 2, codes=["3B"], retired=True),
        ind("unborn", "Domestic abuse during pregnancy", 2, codes=["3B"], applies_to="unborn"),
        ind("born", "Domestic abuse witnessed", 2, codes=["3B"], applies_to="born"),
    )
    assert [c.indicator.id for c in compare.propose(home, ["h"], other)[0].candidates] == ["born"]
    assert [c.indicator.id for c in compare.propose(home, ["h"], other, unborn=True)[0].candidates] == ["unborn"]


def test_proposals_follow_the_ticks_and_each_counterpart_is_ticked_once():
    home = with_indicators("sefton", ind("a", "Domestic abuse", 2, codes=["3B"]),
                           ind("b", "Violence between parents", 3, codes=["3B"]))
    other = with_indicators("knowsley", ind("o", "Domestic abuse between parents", 3, codes=["3B"]))
    proposals = compare.propose(home, ["b", "unknown", "a", "b"], other)
    assert [p.home.id for p in proposals] == ["b", "a"]
    assert compare.proposed_ids(proposals) == ["o"]
    assert proposals[0].as_json() == {"home": "b", "candidates": ["o"],
                                      "why": ["same census code 3B – Domestic abuse: concerns about a parent or carer"]}


def test_wording_alone_needs_a_close_match():
    assert compare.similarity("Concern re diet/ hygiene/ clothing", "Concerns about diet, hygiene, clothing") >= 90
    assert compare.similarity("Permanently excluded from school", "Parent has a long-term illness") \
        < compare.WORDING_MIN


def _two_levels_apart():
    home = with_indicators("sefton", ind("h2", "Some worries about the diet", 2, concepts=["food"]))
    top = max(lv.number for lv in catalogue("halton").levels)
    other = with_indicators("halton", ind("o-top", "Child not fed for days", top, concepts=["food"]))
    return home, other


def test_compare_gives_both_suggestions_from_the_engine_and_says_how_they_differ():
    home, other = _two_levels_apart()
    proposals = compare.propose(home, ["h2"], other)
    result = compare.compare(home, ["h2"], other, compare.proposed_ids(proposals), proposals)
    top = max(lv.number for lv in other.levels)
    assert result.home.suggestion.level_number == 2
    assert result.other.suggestion.level_number == top
    assert not result.same_stage
    said = {d.topic: d for d in result.differences}
    assert said["stage"].said.startswith("Halton's guidance places these concerns at a higher national stage: "
                                         "Child protection")
    # Quoted, not paraphrased: each side's own passage.
    assert said["stage"].other == other.levels[-1].description
    assert said["route"].home == home.levels[1].response.text
    assert said["route"].other == other.levels[-1].response.text
    assert result.unmatched == ()


def test_compare_says_which_ticks_have_no_confirmed_counterpart():
    home, other = _two_levels_apart()
    proposals = compare.propose(home, ["h2"], other)
    result = compare.compare(home, ["h2"], other, [], proposals)
    assert result.other.suggestion.level is None
    assert [i.id for i in result.unmatched] == ["h2"]
    assert [d.said for d in result.differences] == [
        "1 of your ticks has no counterpart confirmed in Halton's guidance, so its suggestion does not weigh it."]


def test_the_consent_difference_quotes_both_rules():
    home = with_indicators("sefton", ind("h", "Worry", 2, concepts=["food"]))
    other = with_indicators("halton", ind("o", "Worry", 2, concepts=["food"]))
    hc, oc = home.levels[1].consent, other.levels[1].consent
    if (hc.consent, bool(hc.refused_without_consent)) == (oc.consent, bool(oc.refused_without_consent)):
        pytest.skip("the two rules agree at this level")
    result = compare.compare(home, ["h"], other, ["o"], compare.propose(home, ["h"], other))
    consent = next(d for d in result.differences if d.topic == "consent")
    assert (consent.home, consent.other) == (hc.text, oc.text)
    if oc.refused_without_consent:
        assert "will not be accepted" in consent.said


@pytest.mark.parametrize("slug", SLUGS)
def test_on_the_real_catalogues_a_same_code_counterpart_is_always_offered_and_every_proposal_says_why(slug):
    """Whatever the shipped tags: each tick gets one proposal; where the other catalogue has an indicator
    sharing a code, the best proposal shares a code; every candidate says why, and one found by wording
    alone is close enough."""
    home = catalogue(slug)
    ticks = [i.id for i in home.indicators if not i.retired and i.applies_to != "unborn"][::9]
    for other_slug in SLUGS:
        if other_slug == slug:
            continue
        other = catalogue(other_slug)
        live = [i for i in other.indicators if not i.retired and i.applies_to != "unborn"]
        proposals = compare.propose(home, ticks, other)
        assert [p.home.id for p in proposals] == ticks
        for p in proposals:
            if any(set(p.home.codes) & set(i.codes) for i in live):
                assert p.best is not None and p.best.basis == "code", (slug, other_slug, p.home.id)
            assert bool(p.candidates) != bool(p.no_match)
            for c in p.candidates:
                assert c.why
                assert c.basis != "wording" or c.wording >= compare.WORDING_MIN
