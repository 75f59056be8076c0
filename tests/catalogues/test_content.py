"""What the catalogues carry, read from the files: every level and domain, and what each partnership's
document says that the others do not (consent grounds, escalation stages, links)."""

from __future__ import annotations

import pytest

from tests.factories import CATALOGUE_FILES, SLUGS
from tests.factories import catalogue as cat


@pytest.mark.parametrize("path", CATALOGUE_FILES, ids=SLUGS)
def test_each_catalogue_covers_every_level_and_domain(path):
    c = cat(path.stem)
    assert [lv.number for lv in c.levels] == [1, 2, 3, 4]
    for lv in c.levels:
        assert lv.response.text and lv.consent.text
        assert any(i.level == lv.number for i in c.indicators), f"no indicator at level {lv.number}"
    for d in c.domains:
        assert any(i.domain == d.id for i in c.indicators), f"domain {d.id} has no indicator"
    assert any(i.immediate_danger for i in c.indicators)
    assert c.worked_examples


def test_herefordshire_gives_loss_of_evidence_as_a_ground_at_the_top_level():
    c = cat("herefordshire")
    texts = {g.id: g.text.lower() for g in c.consent_grounds}
    l4 = c.levels[-1].consent
    assert any("loss of evidence" in texts[g] for g in l4.lawful_ground_ids)


def test_knowsley_says_consent_is_not_required_for_a_safeguarding_referral():
    c = cat("knowsley")
    assert "consent is not required for a safeguarding referral" in c.rules.child_protection_consent.sentence


def test_stokes_escalation_keeps_its_stages():
    esc = cat("stoke-on-trent").escalation
    assert esc.kind == "steps" and len(esc.steps) >= 2
    text = " ".join(s.text for s in esc.steps).lower()
    assert "line manager" in text
    assert esc.url and esc.url.startswith("https://")


def test_herefordshire_appendix_2_items_carry_their_links():
    c = cat("herefordshire")
    [appendix] = [x for x in c.lists if x.id == "her-appendix2-guidance"]
    assert [i for i in appendix.items if i.url], "Appendix 2 gives links"
    for item in appendix.items:
        if item.url:
            assert item.url.startswith("https://")
