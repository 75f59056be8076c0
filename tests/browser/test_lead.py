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


def test_a_lead_closes_concerns_without_a_referral_with_and_without_javascript(people, page_for, sign_in):
    """Journey 7: the answer chosen reveals its own questions (CSS, with JavaScript); with JavaScript off every
    question is shown; on the lead's own draft the close button belongs to the draft's form, so what was
    typed and never saved is frozen with the decision."""
    from django.utils import timezone

    from referrals import services as referral_services
    from tests.factories import actor, ready_draft

    submitted = referral_services.submit(actor(people.alice), ready_draft(people.alice, people.sefton))
    lead = sign_in(page_for(), "lead")
    lead.goto(f"/drafts/{submitted.pk}/")
    close = lead.get_by_test_id("close")
    expect(close.locator("#id_close_closure_reason")).to_be_hidden()
    expect(close.locator("#id_close_advice_from")).to_be_hidden()
    close.locator("#id_close_closure_0").check()  # no referral
    expect(close.locator("#id_close_closure_reason")).to_be_visible()
    expect(close.locator("#id_close_advice_from")).to_be_hidden()
    close.locator("#id_close_closure_reason").fill("Needs met in school (fictional)")
    close.get_by_test_id("close-button").click()
    expect(lead.locator(".govuk-notification-banner--success")).to_contain_text("Closed without a referral")
    expect(lead.get_by_test_id("record-state")).to_contain_text("CLOSED WITHOUT A REFERRAL BY LEAD")
    submitted.refresh_from_db()
    assert (submitted.status, submitted.closure_reason) == ("closed", "Needs met in school (fictional)")

    own = ready_draft(people.lead, people.sefton)
    no_js = sign_in(page_for(javascript=False), "lead")
    no_js.goto(f"/drafts/{own.pk}/")
    for field in ("#id_close_closure_reason", "#id_close_advice_from", "#id_close_advice_said"):
        expect(no_js.locator(field)).to_be_visible()  # nothing hidden without JavaScript
    no_js.fill("#id_worries", "Typed, never saved (fictional)")
    no_js.check("#id_close_closure_1")  # advice sought from the front door
    no_js.fill("#id_close_advice_from", "Duty worker (fictional)")
    today = timezone.localdate()
    no_js.fill("#id_close_advice_on_day", str(today.day))
    no_js.fill("#id_close_advice_on_month", str(today.month))
    no_js.fill("#id_close_advice_on_year", str(today.year))
    no_js.fill("#id_close_advice_said", "Monitor in school (fictional)")
    no_js.get_by_test_id("close-button").click()
    expect(no_js.locator(".govuk-notification-banner--success")).to_contain_text("Closed without a referral")
    own.refresh_from_db()
    assert (own.status, own.closure, own.worries) == ("closed", "advice", "Typed, never saved (fictional)")
    assert any(p["text"] == "Typed, never saved (fictional)" for p in own.submissions.get().record["narrative"])
