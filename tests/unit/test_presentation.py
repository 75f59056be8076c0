"""assessments/presentation.py: the catalogue shaped for the assessment page (sections, levels, the
filter). Pure: no database."""

from __future__ import annotations

from assessments.presentation import sections
from catalogues.engine import is_child_protection, suggest
from tests.factories import catalogue as cat


def test_stokes_disability_descriptors_are_tickable_at_their_levels():
    c = cat("stoke-on-trent")
    assert not [x for x in c.lists if x.kind == "disability_descriptors"]
    disability = [i for i in c.indicators if i.domain == "disability" and not i.retired]
    assert {i.level for i in disability} == {1, 2, 3, 4}
    level3 = next(i for i in disability if i.level == 3)
    assert suggest(c, [level3.id]).level.number == 3
    shown = [i.id for sec in sections(c, unborn=False) if sec.id == "disability" for g in sec.groups
             for i in g.indicators]
    assert set(shown) == {i.id for i in disability}, "on the assessment page, to tick"


def test_halton_disclosure_can_be_found_and_ticked():
    c = cat("halton")
    found = [i for sec in sections(c, unborn=False, query="disclosure") for g in sec.groups for i in g.indicators]
    said = {i.id for i in c.indicators if i.applies_to != "unborn"
            and ("disclosure" in i.text.lower() or "disclosure" in [k.lower() for k in i.keywords])}
    assert said and {i.id for i in found} == said, \
        "searching 'disclosure' finds the indicators that say it, or have it as a search keyword"
    assert all(is_child_protection(i) for i in found)
    assert suggest(c, [found[0].id]).level.number == 4
