"""The draft page in a real browser (issue 16): the consent follow-ups revealed only when relevant (and all
shown without JavaScript), the pre-submission check updated by each autosave, household members at the
child's address, the phone-now step first, and a whole draft submitted from the end of the form with
JavaScript off."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from assessments import services as assessment_services
from catalogues.models import CatalogueVersion
from referrals import services
from referrals.models import Draft
from tests.factories import actor, assessment, ready_draft

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _open(page, draft):
    page.goto(f"/drafts/{draft.pk}/")
    expect(page.locator("#draft-form")).to_be_visible()


def test_the_consent_follow_ups_are_revealed_only_when_an_answer_is_no(people, page_for, sign_in, axe_check):
    page = sign_in(page_for(), "alice")
    _open(page, ready_draft(people.alice, people.sefton))  # parents know, explicit consent
    follow_up, ground = page.locator("#conditional-consent-no"), page.get_by_test_id("consent-ground")
    expect(follow_up).to_be_hidden()
    expect(ground).to_be_hidden()
    page.check("#id_consent_2")  # No
    expect(follow_up).to_be_visible()
    expect(page.locator("#id_consent_agreed_by")).to_be_visible()
    expect(ground).to_be_visible()
    axe_check(page, "draft with the consent follow-ups revealed")
    page.check("#id_consent_0")  # yes after all
    expect(follow_up).to_be_hidden()
    expect(ground).to_be_hidden()
    page.check("#id_parents_aware_1")  # the parents do not know: the reason is asked, not who agreed
    expect(ground).to_be_visible()
    expect(follow_up).to_be_hidden()


def test_without_javascript_every_consent_question_is_shown(people, page_for, sign_in):
    page = sign_in(page_for(javascript=False), "alice")
    _open(page, ready_draft(people.alice, people.sefton))
    for selector in ("#id_consent_no_0", "#id_consent_agreed_by", "#id_consent_ground"):
        expect(page.locator(selector)).to_be_visible()


def test_fixing_a_problem_clears_it_from_before_it_is_ready_without_a_reload(people, page_for, sign_in):
    page = sign_in(page_for(), "alice")
    draft = services.create_from_assessment(actor(people.alice), assessment(people.alice, people.sefton))
    _open(page, draft)
    problems = page.get_by_test_id("problems")
    expect(problems).to_contain_text("Describe the child's voice")
    page.evaluate("window.reloadedMarker = 1")  # gone if the page reloads
    page.fill("#id_child_voice", "She says she is hungry at school.")
    page.locator("#id_child_voice").blur()
    expect(page.locator("#save-status")).to_contain_text("Saved at")
    expect(problems).not_to_contain_text("Describe the child's voice")
    assert page.evaluate("window.reloadedMarker") == 1


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_household_member_at_the_childs_address_needs_no_address_typed(people, page_for, sign_in, javascript):
    page = sign_in(page_for(javascript=javascript), "alice")
    draft = ready_draft(people.alice, people.sefton, address="1 Fictional Road, Testtown")
    _open(page, draft)
    # The saved row (from before the box) keeps its own address box; a new row starts at the child's address.
    expect(page.locator("#id_household-0-same_address")).not_to_be_checked()
    expect(page.locator("#id_household-0-address")).to_be_visible()
    expect(page.locator("#id_household-1-same_address")).to_be_checked()
    expect(page.locator("#id_household-1-address")).to_be_hidden()
    page.fill("#id_household-1-name", "Sibling Testperson")
    page.uncheck("#id_household-2-same_address")
    expect(page.locator("#id_household-2-address")).to_be_visible()
    page.fill("#id_household-2-name", "Father Testperson")
    page.fill("#id_household-2-address", "9 Elsewhere Lane")
    if javascript:
        page.locator("#id_household-2-address").blur()
        expect(page.locator("#save-status")).to_contain_text("Saved at")
    else:
        page.click("[data-testid=form-end-buttons] button:has-text('Save draft')")
        expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Draft saved")
    shown = services.current_record(Draft.objects.get(pk=draft.pk))["household"]
    assert [(p["name"], p["address"], p["same_address"]) for p in shown] == [
        ("Parent Testperson", "", False), ("Sibling Testperson", "1 Fictional Road, Testtown", True),
        ("Father Testperson", "9 Elsewhere Lane", False)]


def test_danger_puts_phone_now_first_and_recording_the_call_clears_the_blocking_problem(
        people, page_for, sign_in, axe_check):
    catalogue = CatalogueVersion.objects.current_for_slug("sefton").catalogue
    danger = next(i.id for i in catalogue.indicators if i.immediate_danger and not i.retired)
    a = assessment(people.alice, people.sefton, level=2, n=1)
    assessment_services.save_ticks(actor(people.alice), a, a.ticks + [danger])
    draft = services.create_from_assessment(actor(people.alice), a)
    page = sign_in(page_for(), "alice")
    _open(page, draft)
    step = page.get_by_test_id("phone-now")
    expect(step).to_be_in_viewport()
    expect(step.locator("a[href='tel:999']")).to_be_visible()
    expect(page.get_by_test_id("problems")).to_contain_text("Do not wait for your safeguarding lead's review")
    axe_check(page, "draft with the phone-now step")
    page.fill("#id_phone_call_with", "Jo Duty, Integrated Front Door")
    page.fill("#id_phone_call_at", "00:01")
    page.fill("#id_phone_call_outcome", "Police attending; refer in writing today")
    page.locator("#id_phone_call_outcome").blur()
    expect(page.locator("#save-status")).to_contain_text("Saved at")
    expect(page.get_by_test_id("problems")).not_to_contain_text("Do not wait")
    assert Draft.objects.get(pk=draft.pk).phone_call_with == "Jo Duty, Integrated Front Door"


def test_without_javascript_a_whole_draft_goes_from_the_end_of_the_form(people, page_for, sign_in):
    """Everything typed with JavaScript off, consent refused with the follow-ups, and submitted from the
    buttons at the end of the form (no Save draft first): all of it is in what was submitted."""
    page = sign_in(page_for(javascript=False), "alice")
    draft = services.create_from_assessment(actor(people.alice), assessment(people.alice, people.halton, level=4))
    _open(page, draft)
    level = draft.catalogue_version.catalogue.levels[-1]
    page.fill("#id_child_voice", "He says he is scared at home.")
    page.fill("#id_household-0-name", "Parent Testperson")
    page.fill("#id_referrer_phone", "01234 000000")
    page.check("#id_parents_aware_0")
    page.check("#id_consent_2")  # No
    page.check("#id_consent_no_0")  # they refused
    page.select_option("#id_consent_ground", level.consent.lawful_ground_ids[0])
    page.fill("#id_consent_agreed_by", "Lee Placeholder, safeguarding lead")
    page.click("[data-testid=submit-end]")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Submitted")
    draft.refresh_from_db()
    assert (draft.status, draft.consent, draft.consent_agreed_by) == (
        "submitted", "refused", "Lee Placeholder, safeguarding lead")
    frozen = draft.submissions.get().record
    assert frozen["household"][0]["same_address"] and frozen["consent"]["agreed_by"]
    assert re.search("scared at home", str(frozen["narrative"]))
