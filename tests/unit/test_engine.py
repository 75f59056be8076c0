"""catalogues/engine.py: the level engine, on the real catalogues. Pure: no database."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catalogues.engine import Context, emergency_contacts, is_child_protection, suggest
from referrals.checks import route_for
from tests.factories import SLUGS, indicator, plain
from tests.factories import catalogue as cat

LONDON = ZoneInfo("Europe/London")


def test_no_ticks_no_suggestion():
    s = suggest(cat("halton"), [])
    assert s.level is None and s.flags == () and s.reasons == ()


def test_unknown_ids_are_ignored():
    s = suggest(cat("halton"), ["no-such-id"])
    assert s.level is None


@pytest.mark.parametrize("slug", SLUGS)
def test_immediate_danger_shows_the_emergency_route_first(slug):
    c = cat(slug)
    danger = next(i for i in c.indicators if i.immediate_danger)
    s = suggest(c, [plain(c, 1)[0], danger.id])
    assert s.level.number == 4
    assert s.flags[0].kind == "immediate_danger"
    assert s.flags[0].sentence == danger.immediate_danger.sentence
    assert "Do not delay action to seek consent" in s.flags[0].message
    assert {x.contact.id for x in s.emergency_contacts} >= set(c.emergency.contact_ids)
    assert s.immediate_danger is True
    assert danger in s.reasons


def test_a_lone_top_level_factor_in_knowsley_stays_top_level_with_the_caution_as_a_prompt():
    c = cat("knowsley")
    one = plain(c, 4)[0]
    s = suggest(c, [plain(c, 2)[0], one])
    assert s.level.number == 4, "the caution is conditional and permissive: it never lowers the level"
    [flag] = [f for f in s.flags if f.kind == "caution"]
    assert flag.sentence == c.rules.top_level_caution.sentence and one in flag.indicator_ids
    assert "may not automatically require a referral" in flag.sentence
    # Two top-level factors: the caution's condition ("one factor") no longer holds.
    assert not [f for f in suggest(c, plain(c, 4, 2)).flags if f.kind == "caution"]


def test_the_caution_never_applies_to_a_child_protection_concern():
    c = cat("knowsley")
    cp = next(i for i in c.indicators if is_child_protection(i) and i.level == 4)
    s = suggest(c, [plain(c, 2)[0], cp.id])
    assert s.level.number == 4 and not [f for f in s.flags if f.kind == "caution"]


@pytest.mark.parametrize("slug", ["sefton", "halton", "herefordshire", "stoke-on-trent"])
def test_a_lone_top_level_factor_is_the_top_level_with_no_caution_where_the_document_gives_none(slug):
    c = cat(slug)
    assert c.rules.top_level_caution is None
    s = suggest(c, [plain(c, 4)[0]])
    assert s.level.number == 4 and not [f for f in s.flags if f.kind == "caution"]


def test_the_suggestion_is_the_highest_level_ticked():
    c = cat("sefton")
    ticks = [plain(c, 1)[0], plain(c, 2)[0], plain(c, 3)[0]]
    s = suggest(c, ticks)
    assert s.level.number == 3 and [i.id for i in s.reasons] == [plain(c, 3)[0]]


def test_cumulative_concern_prompts_the_next_level():
    c = cat("knowsley")
    by_domain = {}
    for i in plain(c, 2):
        by_domain.setdefault(indicator(c, i).domain, []).append(i)
    d1, d2 = list(by_domain)[:2]
    ticks = [by_domain[d1][0], by_domain[d1][1], by_domain[d2][0]]
    s = suggest(c, ticks)
    assert s.level.number == 2
    [flag] = [f for f in s.flags if f.kind == "cumulative"]
    assert "may amount to Level 3" in flag.message and flag.sentence == c.rules.cumulative.sentence
    # The numbers are the product's, not the guidance's, and the prompt says so.
    assert "this product's own rule; the guidance gives no number" in flag.message
    # Two ticks are not "several".
    assert not [f for f in suggest(c, ticks[:2]).flags if f.kind == "cumulative"]


@pytest.mark.parametrize("slug", ["knowsley", "herefordshire"])
def test_judgement_reminders_are_shown_with_their_source(slug):
    c = cat(slug)
    s = suggest(c, [plain(c, 2)[0]])
    texts = [f.message for f in s.flags if f.kind == "judgement"]
    assert texts == [r.text for r in c.rules.judgement_reminders] and texts


def test_herefordshire_says_criteria_are_neither_exhaustive_nor_weighted():
    texts = " ".join(r.text for r in cat("herefordshire").rules.judgement_reminders).lower()
    assert "exhaustive" in texts and "weighted" in texts


def test_counts_by_level_and_domain():
    c = cat("halton")
    ticks = [plain(c, 2)[0], plain(c, 2)[1], plain(c, 3)[0]]
    s = suggest(c, ticks)
    assert s.counts_by_level == {1: 0, 2: 2, 3: 1, 4: 0}
    assert sum(s.counts_by_domain.values()) == 3


def test_pathway_and_consent_come_from_the_suggested_level():
    c = cat("halton")
    s = suggest(c, [plain(c, 2)[0]])
    assert s.response == c.levels[1].response
    assert s.consent.refused_without_consent  # Halton: no Early Help request without consent


def _at(y, m, d, hh, mm):
    return datetime(y, m, d, hh, mm, tzinfo=LONDON)


def test_contact_open_now_comes_first():
    c = cat("halton")
    ticks = [plain(c, 4)[0]]
    office = suggest(c, ticks, Context(now=_at(2026, 11, 23, 10, 0)))  # a Monday morning
    night = suggest(c, ticks, Context(now=_at(2026, 11, 23, 22, 0)))
    christmas = suggest(c, ticks, Context(now=_at(2026, 12, 25, 11, 0)))

    def names(s):
        return [(x.contact.id, x.open_now) for x in s.contacts]
    assert ("hal-icart", True) in names(office) and ("hal-edt", False) in names(office)
    assert names(office).index(("hal-icart", True)) < names(office).index(("hal-edt", False))
    assert names(night).index(("hal-edt", True)) < names(night).index(("hal-icart", False))
    assert ("hal-icart", False) in names(christmas) and ("hal-edt", True) in names(christmas)
    assert names(office)[0] == ("hal-999", True)  # always open


@pytest.mark.parametrize("slug", SLUGS)
def test_worked_examples_give_their_expected_level(slug):
    c = cat(slug)
    for ex in c.worked_examples:
        got = suggest(c, ex.ticks, Context(unborn=ex.context.unborn)).level_number
        assert got == ex.expected_level, ex.id


@pytest.mark.parametrize("slug", SLUGS)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_adding_a_tick_never_lowers_the_suggested_level(slug, data):
    c = cat(slug)
    ids = [i.id for i in c.indicators]
    ticks = data.draw(st.lists(st.sampled_from(ids), max_size=25, unique=True))
    extra = data.draw(st.sampled_from(ids))
    before = suggest(c, ticks).level_number or 0
    after = suggest(c, [*ticks, extra]).level_number or 0
    assert after >= before


# --- the emergency route -----------------------------------------------------------------------

@pytest.mark.parametrize("slug", SLUGS)
def test_the_emergency_route_names_999_the_front_door_and_the_out_of_hours_team(slug):
    c = cat(slug)
    by_id = {x.id: x for x in c.contacts}
    assert "front_door" in [by_id[i].role for i in c.emergency.contact_ids], slug
    if any(x.role == "out_of_hours" for x in c.contacts):
        assert "out_of_hours" in [by_id[i].role for i in c.emergency.contact_ids], slug
    shown = suggest(c, [next(i.id for i in c.indicators if i.immediate_danger)]).emergency_contacts
    assert shown[0].contact.phone == "999" and shown[0].open_now is True, "999 first, always"
    assert [x for x in shown if x.contact.role == "front_door"]


@pytest.mark.parametrize("slug", SLUGS)
def test_someone_is_always_reachable_in_the_emergency_route(slug):
    """At any hour of a fortnight over Christmas, some emergency contact shows open (or 999 is there)."""
    c = cat(slug)
    for day in range(20, 31):
        for hour in range(0, 24, 3):
            when = datetime(2026, 12, day, hour, 30, tzinfo=LONDON)
            states = [x.open_now for x in emergency_contacts(c, when)]
            assert True in states, (slug, when)


# --- routing an unborn baby ----------------------------------------------------------------------

def test_knowsley_routes_any_concern_about_an_unborn_baby_to_mash():
    c = cat("knowsley")
    assert "unborn baby, a referral should be made to MASH" in c.rules.unborn_route.sentence
    low = next(i for i in c.indicators if i.level == 2 and not is_child_protection(i))
    s = suggest(c, [low.id], Context(unborn=True))
    assert s.route_kind == "front_door" and s.contacts[0].contact.id in c.rules.unborn_route.contact_ids
    assert [f for f in s.flags if f.kind == "unborn"]
    route = route_for(c, s.level_number, unborn=True)
    assert route["kind"] == "front_door" and route["title"].startswith("Referral")
    # A born child with the same tick keeps the level's own route.
    assert suggest(c, [low.id]).route_kind == "early_help"
    unborn_examples = [ex for ex in c.worked_examples if ex.context.unborn]
    assert unborn_examples
