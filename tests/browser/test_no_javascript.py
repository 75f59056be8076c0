"""Keyboard and no-JavaScript users on the assessment page (issue 16): a tick made under one search is saved
when the person searches again, with JavaScript off and on, and after saving, focus carries on from the
Save button under the same filter instead of starting again at the top of the page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from assessments.models import Assessment
from assessments.presentation import find
from catalogues.models import CatalogueVersion
from tests.browser.steps import start_assessment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOOD = "sef-health-l2-02"  # "Concern re diet/ hygiene/ clothing": found by "hungry", not by "absence"

# The tabbable element after the Save button in document order: what Tab must reach next. (Runs in
# Playwright's own world, so it works with the page's scripts off.)
NEXT_AFTER_SAVE = """() => {
  const save = document.getElementById("save-ticks");
  const candidates = Array.from(document.querySelectorAll(
    "a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]"));
  const tabbable = candidates.filter((el) => !el.disabled && el.tabIndex >= 0 && el.getClientRects().length
    && !(el.type === "radio" && !el.checked && el.form
         && Array.from(el.form.elements).some((o) => o.name === el.name && o.type === "radio" && o.checked)));
  const next = tabbable.find((el) => save.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING);
  next.dataset.nextAfterSave = "yes";
  return next.outerHTML.slice(0, 120);
}"""


def _hits(words):
    catalogue = CatalogueVersion.objects.current_for_slug("sefton").catalogue
    return {h.indicator.id for h in find(catalogue, unborn=False, query=words).hits}


def _search_with_enter(page, words):
    page.fill("#filter", words)
    page.locator("#filter").press("Enter")


def _saved(ids):
    return set(Assessment.objects.get().ticks) == ids


def _wait_saved(page, ids):
    for _ in range(50):
        if _saved(ids):
            return
        page.wait_for_timeout(100)
    assert set(Assessment.objects.get().ticks) == ids


def test_without_javascript_a_tick_is_saved_when_the_person_searches_again(people, page_for, sign_in):
    assert FOOD in _hits("hungry") and FOOD not in _hits("absence")
    page = sign_in(page_for(javascript=False), "alice")
    start_assessment(page)
    _search_with_enter(page, "hungry")
    page.wait_for_url(re.compile(r"\?q=hungry"))
    page.check(f"#tick-{FOOD}")
    _search_with_enter(page, "absence")  # not "Save": straight on to the next search
    page.wait_for_url(re.compile(r"\?q=absence"))
    expect(page.locator("#filter")).to_have_value("absence")
    assert _saved({FOOD}), "the tick made under the first search was saved by the second"
    expect(page.get_by_test_id("filter-status")).to_contain_text("1 ticked indicator is hidden by the filter")
    # Back where the person was: the next Tab goes from the search box to the Filter button.
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Filter")).to_be_focused()
    _search_with_enter(page, "")
    page.wait_for_url(re.compile(r"/assessments/\d+/(#filter)?$"))
    expect(page.locator(f"#tick-{FOOD}")).to_be_checked()
    assert _saved({FOOD})


def test_without_javascript_the_filter_button_saves_ticks_and_unticks_too(people, page_for, sign_in):
    page = sign_in(page_for(javascript=False), "alice")
    start_assessment(page)
    _search_with_enter(page, "hungry")
    page.check(f"#tick-{FOOD}")
    page.get_by_role("button", name="Save ticks and update the suggestion").click()
    assert _saved({FOOD})
    page.uncheck(f"#tick-{FOOD}")
    page.fill("#filter", "absence")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r"\?q=absence"))
    assert _saved(set()), "unticked before the search, so unticked"
    expect(page.get_by_test_id("filter-status")).not_to_contain_text("hidden by the filter")


def test_with_javascript_the_live_filter_still_filters_in_place_and_ticks_autosave(people, page_for, sign_in):
    page = sign_in(page_for(), "alice")
    start_assessment(page)
    _search_with_enter(page, "hungry")
    expect(page.get_by_test_id("filter-status")).to_contain_text("indicators match")
    page.check(f"#tick-{FOOD}")
    _wait_saved(page, {FOOD})
    _search_with_enter(page, "absence")
    expect(page.get_by_test_id("filter-status")).to_contain_text("1 ticked indicator is hidden by the filter")
    expect(page.locator(f"#tick-{FOOD}")).to_be_hidden()
    assert "q=" not in page.url, "filtered in place, no reload"
    page.fill("#filter", "")
    expect(page.locator(f"#tick-{FOOD}")).to_be_visible()
    expect(page.locator(f"#tick-{FOOD}")).to_be_checked()
    assert _saved({FOOD})


def test_with_javascript_a_tick_still_on_its_way_is_saved_by_a_new_search_on_a_filtered_page(
        people, page_for, sign_in):
    """A page the server filtered (a link with ?q=, or the back button) searches again through the server.
    On a slow connection the tick's autosave may not have reached the server when the person presses Enter:
    the search itself carries the ticks, so the tick is not lost with the page."""
    page = sign_in(page_for(), "alice")
    start_assessment(page)
    page.goto(page.url + "?q=hungry")
    held = []  # the autosave, held back as a slow network would (never sent: lost with the page)

    def slow_autosave(route):
        if route.request.method == "POST" and route.request.headers.get("hx-request"):
            held.append(route)
        else:
            route.continue_()

    page.route(re.compile(r"/assessments/\d+/(\?.*)?$"), slow_autosave)
    page.check(f"#tick-{FOOD}")
    page.wait_for_timeout(200)
    assert held, "the tick's autosave was sent"
    _search_with_enter(page, "absence")
    page.wait_for_url(re.compile(r"\?q=absence"))
    expect(page.get_by_test_id("filter-status")).to_contain_text("1 ticked indicator is hidden by the filter")
    assert _saved({FOOD})
    page.unroute(re.compile(r"/assessments/\d+/(\?.*)?$"))


@pytest.mark.parametrize("partnership", ["Sefton", "Herefordshire"])  # Herefordshire: guidance between Save
def test_without_javascript_saving_keeps_the_filter_and_tab_goes_on_from_the_save_button(  # and the panel
        people, page_for, sign_in, partnership):
    catalogue = CatalogueVersion.objects.current_for_slug(partnership.lower()).catalogue
    tick = find(catalogue, unborn=False, query="hungry").hits[0].indicator.id
    page = sign_in(page_for(javascript=False), "alice")
    start_assessment(page, partnership)
    _search_with_enter(page, "hungry")
    page.wait_for_url(re.compile(r"\?q=hungry"))
    page.check(f"#tick-{tick}")
    page.get_by_role("button", name="Save ticks and update the suggestion").click()
    page.wait_for_url(re.compile(r"\?q=hungry#save-ticks$"))
    assert _saved({tick})
    expect(page.locator("#filter")).to_have_value("hungry")
    expect(page.locator(f"#tick-{tick}")).to_be_checked()
    page.evaluate(NEXT_AFTER_SAVE)
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    expect(focused).to_have_attribute("data-next-after-save", "yes")
    if partnership == "Herefordshire":
        expect(focused).to_have_text(re.compile(r"\w"))  # the guidance just below the list, not the panel
        assert focused.evaluate("el => el.tagName") == "SUMMARY"
    assert not focused.evaluate("el => !!el.closest('#suggestion')"), "not into the suggestion panel"
    # And from there, Shift+Tab is back on the Save button: the person is where they were.
    page.keyboard.press("Shift+Tab")
    expect(page.locator("#save-ticks")).to_be_focused()
