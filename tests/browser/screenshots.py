"""`make screenshots`: PNGs of the main pages into docs/screenshots/ (run explicitly, not in the suite)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from catalogues.models import CatalogueVersion
from referrals import services as referral_services
from tests.factories import actor, plain, ready_draft

OUT = Path(__file__).resolve().parent.parent.parent / "docs" / "screenshots"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_screenshots(people, page_for, sign_in):
    OUT.mkdir(parents=True, exist_ok=True)
    page = page_for(width=1200)
    page.goto("/sign-in/")
    page.screenshot(path=OUT / "sign-in.png", full_page=True)
    sign_in(page, "alice")
    page.goto("/assessments/new/")
    page.screenshot(path=OUT / "new-assessment.png", full_page=True)
    page.select_option("#id_authority", label="Knowsley")
    page.check("#id_mode_1")
    page.fill("#id_child_name", "Sample Fictional-Child")
    page.fill("#id_date_of_birth_day", "1")
    page.fill("#id_date_of_birth_month", "2")
    page.fill("#id_date_of_birth_year", "2018")
    page.click("button:has-text('Start')")
    page.wait_for_url(re.compile(r"/assessments/\d+/$"))
    cat = CatalogueVersion.objects.current_for_slug("knowsley").catalogue
    for tid in plain(cat, 3, 2) + plain(cat, 4, 1):
        page.check(f"#tick-{tid}")
    page.wait_for_timeout(500)
    page.screenshot(path=OUT / "assessment.png")
    d = ready_draft(people.alice, people.sefton)
    page.goto(f"/drafts/{d.pk}/")
    page.screenshot(path=OUT / "referral-draft.png")
    referral_services.submit(actor(people.alice), d)
    lead = sign_in(page_for(width=1200), "lead")
    lead.goto("/review/")
    lead.screenshot(path=OUT / "review-queue.png")
    phone = page_for(width=360)
    sign_in(phone, "alice")
    phone.goto(page.url)
    phone.screenshot(path=OUT / "draft-on-a-phone.png")

    # The search in practitioners' words, and the route to phone beside a ticked danger item (Sefton).
    from tests.browser.steps import start_assessment
    sefton = CatalogueVersion.objects.current_for_slug("sefton").catalogue
    page = page_for(width=1200)
    sign_in(page, "alice")
    start_assessment(page, "Sefton")
    page.fill("#filter", "hungry")
    page.wait_for_timeout(800)
    page.screenshot(path=OUT / "search.png")
    page.fill("#filter", "")
    danger = next(i for i in sefton.indicators if i.immediate_danger)
    box = page.locator(f"#tick-{danger.id}")
    box.scroll_into_view_if_needed()
    box.check()
    page.wait_for_timeout(800)
    page.locator(f"#route-{danger.id}").scroll_into_view_if_needed()
    page.screenshot(path=OUT / "danger-route.png")

    # A Knowsley child compared with Sefton's guidance: both suggestions side by side.
    page = page_for(width=1200)
    sign_in(page, "alice")
    start_assessment(page, "Knowsley")
    for tid in plain(cat, 3, 2):
        page.check(f"#tick-{tid}")
    page.wait_for_timeout(500)
    page.get_by_test_id("compare-link").click()
    page.get_by_label("Sefton Safeguarding Children Partnership").check()
    page.click("button:has-text('Continue')")
    page.get_by_test_id("compare").click()
    page.wait_for_url(re.compile(r"/comparisons/\d+/$"))
    page.screenshot(path=OUT / "comparison.png")


def test_insight_screenshots(people, page_for, sign_in):
    """The lead's insight page over a year of fictional history, on a desktop and on a phone."""
    from django.utils import timezone

    from authorities.actor import Actor
    from insight import services as insight_services
    from referrals import history

    OUT.mkdir(parents=True, exist_ok=True)
    version = CatalogueVersion.objects.current_for(people.sefton)
    history.seed(version, history.Cast(people.school.pk, [people.alice.pk, people.bob.pk], [people.lead.pk]), 400,
                 end=timezone.localdate())
    insight_services.refresh(Actor.system("insight"))
    lead = sign_in(page_for(width=1200), "lead")
    lead.goto(f"/insight/organisation/{people.school.pk}/")
    lead.get_by_role("heading", name="Over time").scroll_into_view_if_needed()
    lead.screenshot(path=OUT / "insight.png")
    phone = sign_in(page_for(width=375), "lead")
    phone.goto(f"/insight/organisation/{people.school.pk}/")
    phone.screenshot(path=OUT / "insight-on-a-phone.png")
