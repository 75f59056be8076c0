"""The catalogue admin's journey in a real browser, with and without JavaScript (PRODUCT.md journey 5):
edit an indicator in a draft, see the diff, publish."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from catalogues.models import CatalogueVersion

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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
