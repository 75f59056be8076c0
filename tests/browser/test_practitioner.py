"""The practitioner's journeys in a real browser, with and without JavaScript (PRODUCT.md journeys 1, 3
and 4), axe on every main page (WCAG 2.2 AA), and the pages at 320px; the sign-in page is everyone's."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from assessments.models import Assessment
from catalogues.models import CatalogueVersion
from escalation.models import EscalationCase
from referrals.models import Draft
from tests.browser.steps import fill_ready_draft, start_assessment
from tests.factories import plain

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_journey_1_ticks_update_the_suggestion_live_and_danger_shows_the_emergency_route(
        people, page_for, sign_in, axe_check):
    page = sign_in(page_for(), "alice")
    axe_check(page, "home")
    page.goto("/assessments/new/")
    axe_check(page, "new assessment")
    start_assessment(page)
    cat = CatalogueVersion.objects.current_for_slug("sefton").catalogue
    panel = page.locator("#suggestion")
    expect(panel).to_contain_text("Tick what you see")
    for tick in plain(cat, 2, 2):
        page.check(f"#tick-{tick}")
    expect(panel.get_by_test_id("suggested-level")).to_contain_text("Level 2")
    expect(page.get_by_test_id("summary-level")).to_contain_text("Level 2")
    danger = next(i for i in cat.indicators if i.immediate_danger)
    page.check(f"#tick-{danger.id}")
    expect(panel.get_by_role("alert")).to_contain_text("Immediate danger")
    expect(panel.get_by_test_id("suggested-level")).to_contain_text("Level 4")
    route = page.get_by_test_id("danger-route")
    expect(route).to_be_in_viewport()
    expect(route).to_be_focused()
    expect(route).to_contain_text("999")
    axe_check(page, "assessment with ticks")
    page.reload()
    expect(page.locator(f"#tick-{danger.id}")).to_be_checked()  # saved as it happened
    assert Assessment.objects.get().suggested_level == 4


def test_journey_1_filter_narrows_the_list_as_you_type(people, page_for, sign_in):
    page = sign_in(page_for(), "alice")
    start_assessment(page)
    visible_before = page.locator(".govuk-checkboxes__item:visible").count()
    page.fill("#filter", "school")
    expect(page.get_by_test_id("filter-status")).to_contain_text("indicators match")  # the server has answered
    visible_after = page.locator(".govuk-checkboxes__item:visible").count()
    assert 0 < visible_after < visible_before


def test_journey_1_without_javascript(people, page_for, sign_in):
    page = sign_in(page_for(javascript=False), "alice")
    start_assessment(page)
    cat = CatalogueVersion.objects.current_for_slug("sefton").catalogue
    for tick in plain(cat, 2, 2):
        page.check(f"#tick-{tick}")
    page.click("button:has-text('Save ticks and update the suggestion')")
    expect(page.locator("#suggestion").get_by_test_id("suggested-level")).to_contain_text("Level 2")


def test_journey_3_without_javascript_the_draft_saves_with_the_button(people, page_for, sign_in):
    page = sign_in(page_for(javascript=False), "alice")
    start_assessment(page)
    cat = CatalogueVersion.objects.current_for_slug("sefton").catalogue
    page.check(f"#tick-{plain(cat, 2, 1)[0]}")
    page.click("button:has-text('Save ticks and update the suggestion')")
    page.click("button:has-text('Start a referral draft')")
    fill_ready_draft(page)
    page.click("button:has-text('Save draft')")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Draft saved")
    page.click("button:has-text('Submit to my safeguarding lead')")
    assert Draft.objects.get().status == "submitted"


@pytest.mark.parametrize("width", [1280, 375], ids=["desktop", "phone"])
def test_the_danger_route_appears_where_the_person_is_looking_and_takes_focus(people, page_for, sign_in, width):
    """Ticking an immediate-danger item far down the list, on a desktop and on a 375px phone: the route
    to phone now is in the viewport at once, focused, with dialable numbers; it stays in view on scrolling."""
    page = sign_in(page_for(width=width), "alice")
    start_assessment(page)
    cat = CatalogueVersion.objects.current_for_slug("sefton").catalogue
    danger = [i for i in cat.indicators if i.immediate_danger][-1]
    box = page.locator(f"#tick-{danger.id}")
    box.scroll_into_view_if_needed()
    box.check()
    route = page.get_by_test_id("danger-route")
    expect(route).to_be_in_viewport()
    expect(route).to_be_focused()
    assert route.locator("a[href^='tel:']").count() >= 2  # 999 and the front door at least
    page.mouse.wheel(0, 4000)
    expect(route).to_be_in_viewport()
    expect(page.get_by_test_id("summary-level")).to_contain_text("Level 4")


@pytest.mark.parametrize("width", [1280, 375], ids=["desktop", "phone"])
def test_the_route_to_phone_appears_beside_the_ticked_danger_item(people, page_for, sign_in, width):
    """Beside the box just ticked, not only in the bar: 999, the front door and out of hours, dialable;
    hidden again when unticked. A lone child-protection item gets the same route with its own words."""
    page = sign_in(page_for(width=width), "alice")
    start_assessment(page)
    cat = CatalogueVersion.objects.current_for_slug("sefton").catalogue
    danger = [i for i in cat.indicators if i.immediate_danger][-1]
    beside = page.locator(f"#route-{danger.id}")
    expect(beside).to_be_hidden()
    box = page.locator(f"#tick-{danger.id}")
    box.scroll_into_view_if_needed()
    box.check()
    expect(beside).to_be_visible()
    beside.scroll_into_view_if_needed()
    expect(beside).to_contain_text("call 999")
    numbers = beside.locator("a[href^='tel:']").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert "tel:999" in numbers and "tel:01519343555" in numbers  # 999 and Sefton's out-of-hours team
    assert any(n.startswith("tel:0345") or n.startswith("tel:0151934") for n in numbers)  # the front door
    box.uncheck()
    expect(beside).to_be_hidden()
    protection = next(i for i in cat.indicators if i.child_protection and i.child_protection.decisive
                      and not i.immediate_danger)
    page.locator(f"#tick-{protection.id}").check()
    expect(page.locator(f"#route-{protection.id}")).to_contain_text("Child protection: phone the front door today")


def test_without_javascript_the_route_to_phone_is_beside_every_danger_item(people, page_for, sign_in):
    page = sign_in(page_for(javascript=False), "alice")
    start_assessment(page)
    cat = CatalogueVersion.objects.current_for_slug("sefton").catalogue
    danger = next(i for i in cat.indicators if i.immediate_danger)
    expect(page.locator(f"#route-{danger.id}")).to_be_visible()
    expect(page.locator(f"#route-{danger.id} a[href='tel:999']")).to_have_count(1)


def test_the_level_to_judge_follows_the_suggestion_until_a_judgement_is_saved(people, page_for, sign_in):
    page = sign_in(page_for(), "alice")
    start_assessment(page)
    cat = CatalogueVersion.objects.current_for_slug("sefton").catalogue
    expect(page.locator("#id_level")).to_have_value("")
    page.check(f"#tick-{plain(cat, 3, 1)[0]}")
    expect(page.get_by_test_id("summary-level")).to_contain_text("Level 3")
    expect(page.locator("#id_level")).to_have_value("3")
    page.click("button:has-text('Save my judgement')")  # accepting the suggestion needs no reason
    expect(page.get_by_test_id("chosen-level")).to_contain_text("Level 3")
    assert Assessment.objects.get().chosen_level == 3


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_text_still_in_a_field_is_saved_when_submitting_straight_away(people, page_for, sign_in, javascript):
    """Submit clicked while the cursor is still in a field (before any autosave), or without JavaScript
    and without pressing Save draft: the words typed go into what is submitted, nothing is lost."""
    page = sign_in(page_for(javascript=javascript), "alice")
    start_assessment(page)
    cat = CatalogueVersion.objects.current_for_slug("sefton").catalogue
    page.check(f"#tick-{plain(cat, 2, 1)[0]}")
    if not javascript:
        page.click("button:has-text('Save ticks and update the suggestion')")
    page.click("button:has-text('Start a referral draft')")
    page.wait_for_url(re.compile(r"/drafts/\d+/$"))
    fill_ready_draft(page)
    if javascript:
        expect(page.locator("#save-status")).to_contain_text("Saved at")
    page.fill("#id_worries", "Arrives hungry most mornings; typed a moment before submitting.")
    page.locator("[data-testid=submit]").click()  # straight from the field: no change event has saved it
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Submitted")
    draft = Draft.objects.get()
    assert draft.status == "submitted" and draft.worries.startswith("Arrives hungry most mornings")
    assert "Arrives hungry most mornings" in str(draft.submissions.get().record)


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


def test_sign_in_page_is_accessible_and_usable_at_320px(people, page_for, axe_check):
    page = page_for(width=320)
    page.goto("/sign-in/")
    axe_check(page, "sign-in")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_assessment_page_is_usable_at_320px(people, page_for, sign_in):
    page = sign_in(page_for(width=320), "alice")
    start_assessment(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
