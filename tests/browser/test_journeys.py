"""The five journeys of PRODUCT.md in a real browser, with and without JavaScript, and axe on
every main page (WCAG 2.2 AA)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from assessments.models import Assessment
from catalogues.models import CatalogueVersion
from escalation.models import EscalationCase
from referrals.models import Draft

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _plain(catalogue, level, n):
    return [i for i in catalogue.indicators
            if i.level == level and not i.immediate_danger and not (i.child_protection and i.child_protection.decisive) and not i.retired][:n]


def _start_assessment(page, authority_name="Sefton"):
    page.goto("/assessments/new/")
    page.select_option("#id_authority", label=authority_name)
    page.check("#id_mode_1")  # a named child
    page.fill("#id_child_name", "Test Child")
    page.fill("#id_date_of_birth_day", "1")
    page.fill("#id_date_of_birth_month", "2")
    page.fill("#id_date_of_birth_year", "2018")
    page.click("button:has-text('Start')")
    page.wait_for_url(re.compile(r"/assessments/\d+/$"))


def test_journey_1_ticks_update_the_suggestion_live_and_danger_shows_the_emergency_route(
        people, page_for, sign_in, axe_check):
    page = sign_in(page_for(), "alice")
    axe_check(page, "home")
    page.goto("/assessments/new/")
    axe_check(page, "new assessment")
    _start_assessment(page)
    cat = CatalogueVersion.objects.current_for_slug("sefton").catalogue
    panel = page.locator("#suggestion")
    expect(panel).to_contain_text("Tick what you see")
    for ind in _plain(cat, 2, 2):
        page.check(f"#tick-{ind.id}")
    expect(panel.get_by_test_id("suggested-level")).to_contain_text("Level 2")
    expect(panel).to_have_attribute("aria-live", "polite")
    danger = next(i for i in cat.indicators if i.immediate_danger)
    page.check(f"#tick-{danger.id}")
    expect(panel.get_by_role("alert")).to_contain_text("Immediate danger")
    expect(panel.get_by_test_id("suggested-level")).to_contain_text("Level 4")
    axe_check(page, "assessment with ticks")
    page.reload()
    expect(page.locator(f"#tick-{danger.id}")).to_be_checked()  # saved as it happened
    assert Assessment.objects.get().suggested_level == 4


def test_journey_1_filter_narrows_the_list_as_you_type(people, page_for, sign_in):
    page = sign_in(page_for(), "alice")
    _start_assessment(page)
    visible_before = page.locator(".govuk-checkboxes__item:visible").count()
    page.fill("#filter", "school")
    visible_after = page.locator(".govuk-checkboxes__item:visible").count()
    assert 0 < visible_after < visible_before


def test_journey_1_without_javascript(people, page_for, sign_in):
    page = sign_in(page_for(javascript=False), "alice")
    _start_assessment(page)
    cat = CatalogueVersion.objects.current_for_slug("sefton").catalogue
    for ind in _plain(cat, 2, 2):
        page.check(f"#tick-{ind.id}")
    page.click("button:has-text('Save ticks and update the suggestion')")
    expect(page.locator("#suggestion").get_by_test_id("suggested-level")).to_contain_text("Level 2")


def _fill_ready_draft(page):
    page.fill("#id_child_voice", "She says she is hungry at school.")
    page.fill("#id_household-0-name", "Parent Testperson")
    page.fill("#id_household-0-relationship", "Mother")
    page.fill("#id_referrer_phone", "01234 000000")
    page.select_option("#id_parents_aware", "yes")
    page.select_option("#id_consent", "explicit")


def test_journeys_2_and_3_draft_print_submit_return_revise_approve(people, page_for, sign_in, axe_check):
    page = sign_in(page_for(), "alice")
    _start_assessment(page)
    cat = CatalogueVersion.objects.current_for_slug("sefton").catalogue
    for ind in _plain(cat, 2, 2):
        page.check(f"#tick-{ind.id}")
    expect(page.locator("#suggestion").get_by_test_id("suggested-level")).to_contain_text("Level 2")
    page.click("button:has-text('Start a referral draft')")
    page.wait_for_url(re.compile(r"/drafts/\d+/$"))
    _fill_ready_draft(page)
    expect(page.locator("#save-status")).to_contain_text("Saved at")  # autosaved
    axe_check(page, "referral draft")
    with page.expect_download() as download:
        page.click("button:has-text('Download PDF')")
    assert download.value.suggested_filename.endswith(".pdf")
    page.click("button:has-text('Submit to my safeguarding lead')")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Submitted")
    draft = Draft.objects.get()

    lead = sign_in(page_for(), "lead")
    expect(lead.get_by_test_id("notifications")).to_have_text("1")
    lead.goto("/review/")
    axe_check(lead, "review queue")
    lead.click(f"text=Draft {draft.pk}")
    lead.check("#id_decision_1")  # return with comments
    lead.fill("#id_comment", "Please add the GP")
    lead.click("button:has-text('Send review')")
    expect(lead.locator(".govuk-notification-banner--success")).to_contain_text("returned")

    page.goto(f"/drafts/{draft.pk}/")
    expect(page.get_by_test_id("return-comment")).to_contain_text("Please add the GP")
    page.fill("#id_gp", "Example Surgery (fictional)")
    page.click("button:has-text('Save draft')")
    page.click("button:has-text('Submit to my safeguarding lead')")

    lead.goto(f"/drafts/{draft.pk}/")
    lead.check("#id_decision_0")  # approve
    lead.click("button:has-text('Send review')")
    draft.refresh_from_db()
    assert draft.status == "approved" and draft.gp == "Example Surgery (fictional)"
    assert [e.action for e in draft.events.all()] == ["create", "submitted", "returned", "submitted", "approved"]


def test_journey_3_without_javascript_the_draft_saves_with_the_button(people, page_for, sign_in):
    page = sign_in(page_for(javascript=False), "alice")
    _start_assessment(page)
    cat = CatalogueVersion.objects.current_for_slug("sefton").catalogue
    page.check(f"#tick-{_plain(cat, 2, 1)[0].id}")
    page.click("button:has-text('Save ticks and update the suggestion')")
    page.click("button:has-text('Start a referral draft')")
    _fill_ready_draft(page)
    page.click("button:has-text('Save draft')")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Draft saved")
    page.click("button:has-text('Submit to my safeguarding lead')")
    assert Draft.objects.get().status == "submitted"


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_journey_4_escalation_through_the_four_sefton_steps(people, page_for, sign_in, axe_check, javascript):
    page = sign_in(page_for(javascript=javascript), "alice")
    page.goto("/escalations/new/")
    page.fill("#id_our_agency", "Test School (fictional)")
    page.fill("#id_other_agency", "Integrated Front Door")
    page.fill("#id_about", "The referral was judged not to meet the threshold.")
    page.fill("#id_outcome_sought", "A child and family assessment")
    page.click("button:has-text('Start step 1')")
    page.wait_for_url(re.compile(r"/escalations/\d+/$"))
    if javascript:
        axe_check(page, "escalation case")
    for n in (1, 2, 3):
        expect(page.get_by_test_id(f"deadline-{n}")).to_contain_text("due in 2 working days")
        page.fill("#id_participants", "Both professionals")
        page.check("#id_outcome_2")  # not resolved: escalate
        page.click(f"button:has-text('Save step {n}')")
    expect(page.get_by_test_id("deadline-4")).to_contain_text("due in 5 working days")
    page.fill("#id_resolution", "Assessment agreed at the partnership meeting")
    page.click("button:has-text('Close the case')")
    case = EscalationCase.objects.get()
    assert case.status == "closed" and case.steps.count() == 4
    with page.expect_download() as download:
        page.click("text=Agency Escalation Summary Log (PDF)")
    assert download.value.suggested_filename.endswith("summary-log.pdf")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_journey_5_admin_edits_sees_the_diff_and_publishes(people, page_for, sign_in, axe_check, javascript):
    page = sign_in(page_for(javascript=javascript), "catadmin")
    page.goto("/catalogue/")
    page.click("button:has-text('Start a draft')")
    page.wait_for_url("**/catalogue/sefton/draft/")
    first = CatalogueVersion.objects.current_for_slug("sefton").catalogue.indicators[0]
    page.goto(f"/catalogue/sefton/draft/indicators/{first.id}/")
    page.fill("#id_text", "Reworded by the browser test")
    page.click("button:has-text('Save in the draft')")
    expect(page.get_by_test_id("diff")).to_contain_text("Reworded by the browser test")
    if javascript:
        axe_check(page, "catalogue diff")
    page.click("button:has-text('Publish as version')")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("is published")
    assert CatalogueVersion.objects.current_for_slug("sefton").number == 2


def test_sign_in_page_is_accessible_and_usable_at_320px(people, page_for, axe_check):
    page = page_for(width=320)
    page.goto("/sign-in/")
    axe_check(page, "sign-in")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_assessment_page_is_usable_at_320px(people, page_for, sign_in):
    page = sign_in(page_for(width=320), "alice")
    _start_assessment(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
