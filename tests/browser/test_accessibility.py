"""axe (WCAG 2.2 AA) on every page a person reaches, with JavaScript on and off, on a desktop and on a
375 px phone: zero violations. Each page is visited as the persona who uses it, in the state that shows
the most (a draft waiting for review for the lead, an escalation with a step, a catalogue draft, a referral
sent a week ago with no decision, a concern closed without a referral)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from catalogues import services as catalogue_services
from catalogues.models import CatalogueVersion
from escalation import services as escalation_services
from referrals import services as referral_services
from tests.factories import actor, assessment, plain, ready_draft
from tests.insight.seed import RANGE, seed_known

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONFIGS = [(True, 1280), (False, 1280), (True, 375), (False, 375)]
IDS = ["js-desktop", "nojs-desktop", "js-phone", "nojs-phone"]


def _pages(people) -> dict[str, list[tuple[str, str]]]:
    """Who visits which pages: persona → [(name, url)]."""
    sefton = people.sefton
    danger = assessment(people.alice, sefton, level=2, n=2)
    cat = danger.catalogue_version.catalogue
    from assessments import services as assessment_services
    assessment_services.save_ticks(actor(people.alice), danger,
                                   list(danger.ticks) + [next(i.id for i in cat.indicators if i.immediate_danger)])
    writing = ready_draft(people.alice, sefton)
    waiting = referral_services.submit(actor(people.alice), ready_draft(people.alice, sefton))
    # Sent a week ago with no decision: the chase prompt and the decision form.
    sent = referral_services.submit(actor(people.alice), ready_draft(people.alice, sefton))
    referral_services.approve(actor(people.lead), sent)
    referral_services.mark_sent(actor(people.alice), sent, timezone.now() - timedelta(days=7), "Secure email", "")
    closed = referral_services.submit(actor(people.alice), ready_draft(people.alice, sefton))
    referral_services.close(actor(people.lead), closed, closure="advice", advice_from="Duty worker (fictional)",
                            advice_on=timezone.localdate(), advice_said="Monitor in school (fictional)",
                            single_agency_action="Weekly check-in (fictional)")
    # The lead's own concern, being written: "Close without a referral" below its form.
    leads_own = ready_draft(people.lead, sefton)
    case = escalation_services.open_case(actor(people.alice), sefton, our_agency="Test School (fictional)",
                                         other_agency="Front door", about="The decision", outcome_sought="A review")
    catalogue_services.start_draft(actor(people.admin), sefton)
    knowsley = CatalogueVersion.objects.current_for_slug("knowsley")
    comparison = assessment_services.save_comparison(actor(people.alice), danger, knowsley,
                                                     plain(knowsley.catalogue, 3, 2))
    seed_known(people)  # a known history, so the insight pages show every kind of figure, hidden ones too
    months = f"?from={RANGE['from']}&to={RANGE['to']}"
    return {
        "anonymous": [("sign in", reverse("login")), ("emergency", reverse("emergency"))],
        "alice": [
            ("home", reverse("home")),
            ("new assessment", reverse("assessment-new")),
            ("assessment with danger", reverse("assessment-detail", args=[danger.pk])),
            ("assessment filtered", reverse("assessment-detail", args=[danger.pk]) + "?q=hungry"),
            ("assessment filter finds nothing", reverse("assessment-detail", args=[danger.pk]) + "?q=zzzqqq"),
            ("compare: choose", reverse("assessment-compare", args=[danger.pk])),
            ("compare: matches", reverse("assessment-compare-match", args=[danger.pk, "knowsley"])),
            ("compare: result", reverse("assessment-comparison", args=[danger.pk, comparison.pk])),
            ("my work", reverse("assessment-list")),
            ("referral draft", reverse("draft-detail", args=[writing.pk])),
            ("submitted draft", reverse("draft-detail", args=[waiting.pk])),
            ("sent draft: chase and decision form", reverse("draft-detail", args=[sent.pk])),
            ("closed draft", reverse("draft-detail", args=[closed.pk])),
            ("escalations", reverse("escalation-list")),
            ("new escalation", reverse("escalation-new")),
            ("escalation case", reverse("escalation-detail", args=[case.pk])),
            ("emergency", reverse("emergency")),
            ("not found", "/drafts/999999/"),
        ],
        "lead": [
            ("review queue", reverse("review-queue")),
            ("draft to review, and to close", reverse("draft-detail", args=[waiting.pk])),
            ("own draft, to close", reverse("draft-detail", args=[leads_own.pk])),
            ("closed draft", reverse("draft-detail", args=[closed.pk])),
            ("audit", reverse("audit-log")),
            ("API tokens", reverse("api-tokens")),
            ("new API token", reverse("api-token-new")),
            ("API docs", "/api/v1/docs"),
            ("insight: organisation", reverse("insight-organisation", args=[people.school.pk]) + months),
            ("insight: a range that is not one", reverse("insight-organisation", args=[people.school.pk])
             + "?from=2026-10&to=2026-09"),
        ],
        "catadmin": [
            ("catalogue admin", reverse("catalogue-admin")),
            ("catalogue draft", reverse("catalogue-draft", args=["sefton"])),
            ("catalogue history", reverse("catalogue-history", args=["sefton"])),
            ("catalogue upload", reverse("catalogue-upload", args=["sefton"])),
            ("indicator edit", reverse("catalogue-indicator-edit", args=[
                "sefton", CatalogueVersion.objects.current_for_slug("sefton").catalogue.indicators[0].id])),
            ("insight: partnership", reverse("insight-partnership", args=["sefton"]) + months),
        ],
    }


@pytest.mark.parametrize(("javascript", "width"), CONFIGS, ids=IDS)
def test_every_page_has_no_axe_violations(people, page_for, sign_in, axe_check, javascript, width):
    failures = []
    for persona, pages in _pages(people).items():
        # axe cannot run where JavaScript is disabled, so "JavaScript off" here is the page's own scripts
        # refused (what a browser without them renders), with axe still able to run.
        page = page_for(width=width)
        if not javascript:
            page.route(re.compile(r"\.m?js(\?.*)?$"), lambda route: route.abort())
        if persona != "anonymous":
            sign_in(page, persona)
        for name, url in pages:
            page.goto(url)
            try:
                axe_check(page, f"{name} ({persona})")
            except AssertionError as exc:
                failures.append(str(exc))
    assert not failures, "\n\n".join(failures)
