"""A Knowsley child assessed by a Sefton teacher, compared with Sefton's guidance in a real browser (with
JavaScript): the matches checked and adjusted, both suggestions side by side, the comparison saved with
the assessment, and a Sefton assessment started from it for the referral."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from assessments.models import Assessment, Comparison
from catalogues.models import CatalogueVersion
from tests.browser.steps import start_assessment
from tests.factories import plain

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_compare_a_knowsley_assessment_with_seftons_guidance(people, page_for, sign_in, axe_check):
    knowsley = CatalogueVersion.objects.current_for_slug("knowsley").catalogue
    sefton = CatalogueVersion.objects.current_for_slug("sefton").catalogue
    page = sign_in(page_for(), "alice")
    start_assessment(page, "Knowsley")
    home_url = page.url
    for tick in plain(knowsley, 2, 2):
        page.check(f"#tick-{tick}")
    expect(page.locator("#suggestion")).to_contain_text("You ticked 2")  # both saved
    expect(page.locator("#suggestion").get_by_test_id("suggested-level")).to_contain_text("Level 2")
    home = Assessment.objects.get()
    before = (home.ticks, home.suggested_level)

    page.get_by_test_id("compare-link").click()
    page.get_by_label("Sefton Safeguarding Children Partnership").check()
    page.click("button:has-text('Continue')")
    page.wait_for_url(re.compile(r"/compare/sefton/$"))
    expect(page.get_by_test_id("proposal")).to_have_count(2)
    axe_check(page, "comparison matches")

    # The practitioner unticks the proposals and finds the Sefton indicator they mean instead.
    for box_id in page.locator("input[name=match]:checked").evaluate_all("boxes => boxes.map(b => b.id)"):
        page.locator(f"#{box_id}").uncheck()
    offered = set(page.locator("input[name=match]").evaluate_all("boxes => boxes.map(b => b.value)"))
    wanted = next(i for i in sefton.indicators if i.id in plain(sefton, 3) and i.id not in offered)
    page.fill("#compare-q", wanted.text)
    page.click("button:has-text('Find')")
    page.locator(f"#found-{wanted.id}").check()
    page.get_by_test_id("compare").click()
    page.wait_for_url(re.compile(r"/comparisons/\d+/$"))

    expect(page.get_by_test_id("side-1")).to_contain_text("Knowsley")
    expect(page.get_by_test_id("side-1").get_by_test_id("level")).to_contain_text("Level 2")
    expect(page.get_by_test_id("side-2")).to_contain_text("Sefton")
    expect(page.get_by_test_id("side-2").get_by_test_id("level")).to_contain_text(sefton.levels[2].label)
    expect(page.get_by_test_id("matches")).to_contain_text(wanted.text)
    axe_check(page, "comparison result")
    comparison = Comparison.objects.get()
    assert comparison.confirmed == [wanted.id] and comparison.other_level == 3
    assert (Assessment.objects.get(pk=home.pk).ticks, Assessment.objects.get(pk=home.pk).suggested_level) == before

    page.get_by_test_id("start-other").click()
    page.wait_for_url(re.compile(r"/assessments/\d+/$"))
    assert page.url != home_url
    expect(page.locator(f"#tick-{wanted.id}")).to_be_checked()
    expect(page.locator(".govuk-caption-l").first).to_contain_text("Sefton")

    page.goto(home_url)
    expect(page.get_by_test_id("comparisons")).to_contain_text("Compared with Sefton on")
    expect(page.get_by_test_id("comparisons")).to_contain_text("Level 3 there")
    assert Assessment.objects.get(pk=home.pk).catalogue_version.authority.slug == "knowsley"


def test_the_knowsley_childs_emergency_page_and_escalation_follow_knowsley(people, page_for, sign_in):
    """A Sefton teacher, a Knowsley child: the emergency route and the escalation procedure are Knowsley's,
    reached from the child's assessment (the teacher's own partnership would put Sefton first)."""
    page = sign_in(page_for(), "alice")
    start_assessment(page, "Knowsley")
    page.click("text=Child in immediate danger?")
    expect(page.get_by_test_id("shown-first")).to_contain_text("Knowsley")
    expect(page.locator("main h2.govuk-heading-m").first).to_contain_text("Knowsley")
    page.go_back()
    page.get_by_test_id("escalation-link").click()
    expect(page.locator(".govuk-caption-l").first).to_contain_text("Knowsley")
    knowsley = CatalogueVersion.objects.current_for_slug("knowsley").catalogue
    if knowsley.escalation is not None:
        expect(page.locator("main")).to_contain_text(knowsley.escalation.source)
