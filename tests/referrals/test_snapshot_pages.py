"""The snapshot on the pages: every printed page says what state the referral is in and which record
it is; the lead reviews the frozen submission and approves that one; submit carries the revision."""

from __future__ import annotations

import html
import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from assessments.models import Assessment
from authorities.actor import Actor
from referrals import services
from referrals.models import Draft, Submission
from tests.factories import plain, ready_draft

pytestmark = pytest.mark.django_db


def _pages(response) -> list[str]:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return [page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages]


def _pdf(client, draft, purpose="review"):
    return _pages(client.get(reverse("draft-pdf", args=[draft.pk]), {"purpose": purpose}))


def test_every_printed_page_says_the_state_and_the_record(people, client):
    d = ready_draft(people.alice, people.sefton, level=3, worries="Long text. " * 400)  # several pages
    client.force_login(people.alice)
    pages = _pdf(client, d)
    digest = services.printable(d)[2][:12]
    assert len(pages) > 1
    assert all("DRAFT — NOT APPROVED" in p and f"Record {digest}" in p for p in pages)

    d = services.submit(Actor.of(people.alice), d)
    submission = Submission.objects.get(draft=d)
    client.force_login(people.lead)
    assert all("SUBMITTED FOR REVIEW" in p and "NOT YET APPROVED" in p and f"Record {submission.short_hash}" in p
               for p in _pdf(client, d))
    services.approve(Actor.of(people.lead), d, expected_hash=submission.content_hash)
    assert all("APPROVED BY LEAD ON" in p and f"Record {submission.short_hash}" in p
               for p in _pdf(client, Draft.objects.get(pk=d.pk), "send"))


def test_the_pdf_sent_after_approval_is_the_approved_submission(people, client):
    d = services.submit(Actor.of(people.alice), ready_draft(people.alice, people.sefton, level=3))
    services.approve(Actor.of(people.lead), d)
    a = Assessment.objects.get(pk=d.assessment.pk)
    Assessment.objects.filter(pk=a.pk).update(ticks=plain(a.catalogue_version.catalogue, 1, 1), suggested_level=1)
    client.force_login(people.lead)
    text = " ".join(_pdf(client, Draft.objects.get(pk=d.pk), "send"))
    chosen = Submission.objects.get(draft=d).record["level"]["chosen"]
    assert chosen.startswith("Level 3") and chosen in " ".join(text.split())


def test_the_lead_reviews_the_frozen_submission_and_the_form_carries_its_hash(people, client):
    d = services.submit(Actor.of(people.alice), ready_draft(people.alice, people.sefton, level=3))
    submission = Submission.objects.get(draft=d)
    client.force_login(people.lead)
    page = client.get(reverse("draft-detail", args=[d.pk])).content.decode()
    assert f'value="{submission.content_hash}"' in page and 'data-testid="record-state"' in page
    assert html.escape(submission.record["level"]["chosen"]) in page
    # A review posted for another submission (e.g. a page left open across a return and resubmission).
    response = client.post(reverse("draft-review", args=[d.pk]), {"decision": "approve", "submission": "a" * 64})
    assert response.status_code == 302 and Draft.objects.get(pk=d.pk).status == "submitted"
    client.post(reverse("draft-review", args=[d.pk]), {"decision": "approve", "submission": submission.content_hash})
    assert Draft.objects.get(pk=d.pk).status == "approved"


def test_a_submit_from_a_stale_page_is_refused(people, client):
    d = ready_draft(people.alice, people.sefton, level=2)
    seen = d.revision
    services.save(Actor.of(people.alice), d, {"worries": "changed in another tab"}, d.revision)
    client.force_login(people.alice)
    response = client.post(reverse("draft-submit", args=[d.pk]), {"revision": seen})
    assert response.status_code == 302 and Draft.objects.get(pk=d.pk).status == "draft"
    assert "changed since you loaded the page" in client.get(response["Location"]).content.decode()


def test_ticking_a_locked_assessment_is_refused_with_a_reason_and_nothing_changes(people, client):
    d = services.submit(Actor.of(people.alice), ready_draft(people.alice, people.sefton, level=3))
    a = Assessment.objects.get(pk=d.assessment.pk)
    client.force_login(people.alice)
    page = client.get(reverse("assessment-detail", args=[a.pk])).content.decode()
    assert 'data-testid="locked"' in page and "Save ticks and update the suggestion" not in page
    response = client.post(reverse("assessment-detail", args=[a.pk]), {"tick": [], "revision": a.revision},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 409 and "ask your lead to return the draft" in response.content.decode()
    response = client.post(reverse("assessment-choose-level", args=[a.pk]), {"level": "1", "reason": "x"})
    assert response.status_code == 409
    assert Assessment.objects.get(pk=a.pk).ticks == a.ticks and Assessment.objects.get(pk=a.pk).chosen_level is None


def test_a_tick_saved_from_a_second_tab_does_not_overwrite_the_first(people, client):
    from tests.factories import assessment

    a = assessment(people.alice, people.sefton, level=2, n=1)
    catalogue = a.catalogue_version.catalogue
    first, second = plain(catalogue, 2, 3)[1:3]
    client.force_login(people.alice)
    loaded_at = a.revision  # both tabs loaded the page at this revision
    url = reverse("assessment-detail", args=[a.pk])
    ok = client.post(url, {"tick": a.ticks + [first], "revision": loaded_at}, HTTP_HX_REQUEST="true")
    assert ok.status_code == 200
    stale = client.post(url, {"tick": a.ticks + [second], "revision": loaded_at}, HTTP_HX_REQUEST="true")
    assert stale.status_code == 409 and "changed in another tab" in stale.content.decode()
    assert Assessment.objects.get(pk=a.pk).ticks == a.ticks + [first]
    no_js = client.post(url, {"tick": a.ticks + [second], "revision": loaded_at})
    assert no_js.status_code == 409
    boxes = {m.group(1): "checked" in m.group(0) for m in re.finditer(r'<input[^>]*value="([^"]+)"[^>]*>',
                                                                         no_js.content.decode())}
    assert boxes[first] and not boxes[second], "the saved ticks are shown, to make the change again"
