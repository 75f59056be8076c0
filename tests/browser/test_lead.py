"""The lead's journey in a real browser (PRODUCT.md journeys 2 and 3): a practitioner drafts, prints and
submits; the lead returns it with comments; the practitioner revises; the lead approves."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from catalogues.models import CatalogueVersion
from referrals.models import Draft
from tests.browser.steps import fill_ready_draft, start_assessment
from tests.factories import plain

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_journeys_2_and_3_draft_print_submit_return_revise_approve(people, page_for, sign_in, axe_check):
    page = sign_in(page_for(), "alice")
    start_assessment(page)
    cat = CatalogueVersion.objects.current_for_slug("sefton").catalogue
    for tick in plain(cat, 2, 2):
        page.check(f"#tick-{tick}")
    expect(page.locator("#suggestion").get_by_test_id("suggested-level")).to_contain_text("Level 2")
    page.click("button:has-text('Start a referral draft')")
    page.wait_for_url(re.compile(r"/drafts/\d+/$"))
    fill_ready_draft(page)
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
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Submitted")

    lead.goto(f"/drafts/{draft.pk}/")
    lead.check("#id_decision_0")  # approve
    lead.click("button:has-text('Send review')")
    draft.refresh_from_db()
    assert draft.status == "approved" and draft.gp == "Example Surgery (fictional)"
    assert [e.action for e in draft.events.all()] == ["create", "submitted", "returned", "submitted", "approved"]
