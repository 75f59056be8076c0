"""The session in a real browser (ADR 0006): the warning before the idle sign-out and "Stay signed in";
signing out from a draft saves it first, with and without JavaScript; text typed after a time-out is
never called saved, stays on the page, and is saved once the person has signed in again in another tab.

The live server runs in this process, so `settings` sets the idle limit in seconds for each test."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from referrals.models import Draft
from tests.conftest import PASSWORD
from tests.factories import ready_draft

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _worries(pk: int) -> str:
    return Draft.objects.get(pk=pk).worries


def test_the_warning_comes_before_the_time_out_and_stay_signed_in_extends_it(people, page_for, sign_in, settings):
    settings.SESSION_IDLE_SECONDS = 14
    settings.SESSION_WARNING_SECONDS = 5
    d = ready_draft(people.alice, people.sefton, worries="Before")
    page = sign_in(page_for(), "alice")
    signed_in = time.monotonic()  # the idle clock may count from here (it is written at most every second)
    page.goto(f"/drafts/{d.pk}/")
    dialog = page.get_by_test_id("session-dialog")
    expect(dialog).to_be_visible(timeout=14000)
    assert time.monotonic() - signed_in < 14 - 2, "the warning must come before the end"
    expect(dialog).to_contain_text("You will be signed out soon")
    expect(dialog).to_contain_text("Text you type after you are signed out is not saved")
    assert page.evaluate("document.getElementById('session-dialog').contains(document.activeElement)")
    dialog.get_by_role("button", name="Stay signed in").click()
    expect(dialog).to_be_hidden()
    # Past the first deadline (counted from the page load, the latest it could be): the session is still alive.
    page.wait_for_timeout(max(0.0, signed_in + 14 + 1.5 - time.monotonic()) * 1000)
    page.fill("#id_worries", "Typed after the first deadline")
    page.press("#id_worries", "Tab")
    expect(page.locator("#save-status")).to_contain_text("Saved at")
    assert _worries(d.pk) == "Typed after the first deadline"


def test_signing_out_from_a_draft_saves_what_was_typed_first(people, page_for, sign_in):
    d = ready_draft(people.alice, people.sefton, worries="Before")
    page = sign_in(page_for(), "alice")
    page.goto(f"/drafts/{d.pk}/")
    page.fill("#id_worries", "Typed, then signed out at once")  # still in the field: no autosave yet
    page.locator("#sign-out-form button").click()
    page.wait_for_url("**/sign-in/")
    assert _worries(d.pk) == "Typed, then signed out at once"
    sign_in(page, "alice")
    page.goto(f"/drafts/{d.pk}/")
    expect(page.locator("#id_worries")).to_have_value("Typed, then signed out at once")


def test_without_javascript_save_and_sign_out_keeps_what_was_typed(people, page_for, sign_in):
    d = ready_draft(people.alice, people.sefton, worries="Before")
    page = sign_in(page_for(javascript=False), "alice")
    page.goto(f"/drafts/{d.pk}/")
    page.fill("#id_worries", "Typed without JavaScript")
    page.get_by_test_id("save-sign-out").click()
    page.wait_for_url("**/sign-in/")
    expect(page.get_by_text("Your draft is saved and you are signed out.")).to_be_visible()
    assert _worries(d.pk) == "Typed without JavaScript"
    page.goto(f"/drafts/{d.pk}/")
    page.wait_for_url("**/sign-in/**")  # signed out for real


def test_text_typed_after_the_time_out_is_not_called_saved_and_is_saved_after_signing_in_again(
        people, page_for, sign_in, settings):
    settings.SESSION_IDLE_SECONDS = 6
    settings.SESSION_WARNING_SECONDS = 3
    d = ready_draft(people.alice, people.sefton, worries="Before")
    page = sign_in(page_for(), "alice")
    page.goto(f"/drafts/{d.pk}/")
    dialog = page.get_by_test_id("session-dialog")
    expect(dialog.get_by_role("heading", name="You have been signed out")).to_be_visible(timeout=10000)
    expect(dialog).to_contain_text("Anything you typed after your last save has not been saved")
    dialog.get_by_role("button", name="Close and go back to the page").click()

    page.fill("#id_worries", "Typed after the time-out")
    page.press("#id_worries", "Tab")
    status = page.get_by_test_id("signed-out")
    expect(status).to_contain_text("Not saved: you have been signed out")
    expect(page.locator("#save-status")).not_to_contain_text("Saved at")
    assert _worries(d.pk) == "Before"
    expect(page.locator("#id_worries")).to_have_value("Typed after the time-out")

    settings.SESSION_IDLE_SECONDS = 300  # the new session outlives the rest of the test
    with page.context.expect_page() as opened:
        status.get_by_role("link", name="Sign in again in a new tab").click()
    other = opened.value
    expect(other.get_by_test_id("timed-out")).to_contain_text("anything typed after your last save was not saved")
    other.fill("#id_username", "alice")
    other.fill("#id_password", PASSWORD)
    other.click("button:has-text('Sign in')")
    other.wait_for_url(f"**/drafts/{d.pk}/")

    # Back to the first tab: it saves what was typed there, with the CSRF token that signing in renewed.
    page.bring_to_front()
    page.click("h1")
    expect(page.locator("#save-status")).to_contain_text("Saved at")
    assert _worries(d.pk) == "Typed after the time-out"


def test_the_warning_and_the_signed_out_message_pass_axe(people, page_for, sign_in, settings, axe_check):
    settings.SESSION_IDLE_SECONDS = 8
    settings.SESSION_WARNING_SECONDS = 4
    page = sign_in(page_for(), "alice")
    page.goto("/")
    dialog = page.get_by_test_id("session-dialog")
    expect(dialog.get_by_role("heading", name="You will be signed out soon")).to_be_visible(timeout=8000)
    expect(page.get_by_role("dialog", name="You will be signed out soon")).to_be_visible()
    axe_check(page, "session warning")
    expect(page.get_by_role("dialog", name="You have been signed out")).to_be_visible(timeout=8000)
    axe_check(page, "signed out")


def test_typing_counts_as_activity_it_is_saved_instead_of_interrupting(people, page_for, sign_in, settings):
    """Someone writing a long account in one box, without leaving it, is there: save it, do not warn."""
    settings.SESSION_IDLE_SECONDS = 10
    settings.SESSION_WARNING_SECONDS = 5
    d = ready_draft(people.alice, people.sefton, worries="Before")
    page = sign_in(page_for(), "alice")
    started = time.monotonic()
    page.goto(f"/drafts/{d.pk}/")
    page.fill("#id_worries", "Still writing this")  # and still in the box
    page.wait_for_timeout(max(0.0, started + 10 + 1.5 - time.monotonic()) * 1000)  # past the first deadline
    expect(page.get_by_test_id("session-dialog")).to_be_hidden()
    expect(page.locator("#save-status")).to_contain_text("Saved at")
    assert _worries(d.pk) == "Still writing this"
    expect(page.locator("#id_worries")).to_be_focused()
