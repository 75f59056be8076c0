"""The live indicator filter in a real browser (issue 16): it really hides what does not match (GOV.UK's
`display: flex` no longer wins over `hidden`), finds practitioners' words in any order, marks the matches,
says what to try when nothing matches, and never loses a tick."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from assessments.models import Assessment
from assessments.presentation import find
from catalogues.models import CatalogueVersion
from tests.browser.steps import start_assessment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ITEMS = "#indicators .govuk-checkboxes__item"


def _sefton():
    return CatalogueVersion.objects.current_for_slug("sefton").catalogue


def _filter(page, words):
    """Type as a person does, then wait for the count to be announced."""
    page.fill("#filter", "")
    page.locator("#filter").press_sequentially(words, delay=20)


def _saved(page, ids):
    """Wait for the ticks form's autosave (htmx, on change) to have saved exactly these ticks."""
    for _ in range(50):
        if set(Assessment.objects.get().ticks) == ids:
            return
        page.wait_for_timeout(100)
    assert set(Assessment.objects.get().ticks) == ids


def test_typing_hungry_leaves_only_the_matching_items_visible_and_marked(people, page_for, sign_in, axe_check):
    page = sign_in(page_for(), "alice")
    start_assessment(page)
    everything = page.locator(f"{ITEMS}:visible").count()
    expected = find(_sefton(), unborn=False, query="hungry")
    _filter(page, "hungry")
    expect(page.get_by_test_id("filter-status")).to_contain_text(f"{len(expected.hits)} indicators match")
    visible = page.locator(f"{ITEMS}:visible")
    expect(visible).to_have_count(len(expected.hits))
    assert 3 <= len(expected.hits) < everything
    labels = visible.all_inner_texts()
    assert any("Neglect where food, warmth and other basics often not available" in t for t in labels)
    assert any("diet/ hygiene/ clothing" in t for t in labels)
    # Every visible item shows what matched; the level headings and sections with nothing left are gone.
    assert visible.locator("mark").count() >= len(expected.hits)
    expect(page.locator("#indicators mark", has_text="food").first).to_be_visible()
    assert page.locator("#indicators .app-section:visible").count() < page.locator("#indicators .app-section").count()
    expect(page.locator("#indicators h3:visible")).to_have_count(
        page.locator("#indicators .app-indicator-list:visible").count())
    axe_check(page, "assessment page, filtered live")


def test_words_in_any_order_find_mental_health(people, page_for, sign_in):
    page = sign_in(page_for(), "alice")
    start_assessment(page)
    _filter(page, "health mental")
    expect(page.get_by_test_id("filter-status")).to_contain_text("indicators match")
    visible = page.locator(f"{ITEMS}:visible")
    expect(visible.filter(has_text="Mental Health concerns – child is struggling")).to_have_count(1)
    expect(page.locator("#indicators mark:visible", has_text="Mental Health").first).to_be_visible()
    assert visible.count() == len(find(_sefton(), unborn=False, query="health mental").hits)


def test_nonsense_says_what_to_try_and_a_suggestion_filters(people, page_for, sign_in, axe_check):
    page = sign_in(page_for(), "alice")
    start_assessment(page)
    _filter(page, "hungy")
    hint = page.get_by_test_id("filter-hint")
    expect(hint).to_be_visible()
    expect(hint).to_contain_text("No indicator matches “hungy”")
    expect(page.locator(f"{ITEMS}:visible")).to_have_count(0)
    expect(page.get_by_test_id("filter-status")).to_contain_text("No indicator matches. Try: hungry")
    axe_check(page, "assessment page, nothing found")
    hint.get_by_role("link", name="hungry", exact=True).click()
    expect(page.locator("#filter")).to_have_value("hungry")
    expect(hint).to_be_hidden()
    expect(page.locator(f"{ITEMS}:visible").first).to_be_visible()
    assert "/assessments/" in page.url and "q=" not in page.url, "filtered in place, no reload"


def test_a_ticked_item_stays_ticked_through_filtering_and_clearing(people, page_for, sign_in):
    page = sign_in(page_for(), "alice")
    start_assessment(page)
    everything = page.locator(f"{ITEMS}:visible").count()
    cat = _sefton()
    other = next(i for i in cat.indicators if i.text == "Good level of personal hygiene")
    page.check(f"#tick-{other.id}")
    _saved(page, {other.id})
    _filter(page, "hungry")
    expect(page.get_by_test_id("filter-status")).to_contain_text("1 ticked indicator is hidden by the filter")
    expect(page.locator(f"#tick-{other.id}")).to_be_hidden()
    expect(page.locator(f"#tick-{other.id}")).to_be_checked()
    food = next(i for i in cat.indicators if i.text.startswith("Neglect where food"))
    page.check(f"#tick-{food.id}")  # a tick while filtered saves the hidden tick too
    _saved(page, {other.id, food.id})
    page.fill("#filter", "")
    expect(page.locator(f"{ITEMS}:visible")).to_have_count(everything)
    expect(page.locator("#indicators mark")).to_have_count(0)
    expect(page.locator(f"#tick-{other.id}")).to_be_checked()
    expect(page.locator(f"#tick-{food.id}")).to_be_checked()
    page.reload()
    expect(page.locator(f"#tick-{other.id}")).to_be_checked()
    expect(page.locator(f"#tick-{food.id}")).to_be_checked()


def test_enter_filters_in_place(people, page_for, sign_in):
    page = sign_in(page_for(), "alice")
    start_assessment(page)
    page.fill("#filter", "unwashed")
    page.locator("#filter").press("Enter")
    expect(page.get_by_test_id("filter-status")).to_contain_text("indicators match")
    expect(page.locator(f"{ITEMS}:visible")).to_have_count(len(find(_sefton(), unborn=False, query="unwashed").hits))
    assert "q=" not in page.url


def test_without_javascript_the_filter_button_finds_the_same_and_marks_it(people, page_for, sign_in):
    page = sign_in(page_for(javascript=False), "alice")
    start_assessment(page)
    page.fill("#filter", "hungry")
    page.click("button:has-text('Filter')")
    expected = find(_sefton(), unborn=False, query="hungry")
    expect(page.locator(f"{ITEMS}:visible")).to_have_count(len(expected.hits))
    expect(page.locator("#indicators mark", has_text="food").first).to_be_visible()
    expect(page.get_by_test_id("filter-status")).to_contain_text(f"{len(expected.hits)} indicators match")
