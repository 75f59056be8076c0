"""Every free-text field has a length limit, shown as a GOV.UK character count and enforced with a
message that says what to shorten; nothing is half-saved; the PDF has a page cap a valid draft never meets."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from authorities.actor import Actor
from referrals import services
from referrals.models import Draft
from tests.factories import ready_draft

pytestmark = pytest.mark.django_db
NARRATIVE = ["worries", "strengths", "needs_to_happen", "child_voice", "support_tried",
             "immediate_risks"]


def _post(draft, **over) -> dict:
    data = {"revision": draft.revision, "child_name": draft.child_name, "chosen_level": draft.chosen_level,
            "child_voice": draft.child_voice, "referrer_phone": draft.referrer_phone,
            "parents_aware": draft.parents_aware, "consent": draft.consent,
            "household-0-name": draft.household[0]["name"]}
    return data | over


def test_a_too_long_field_is_refused_with_what_to_shorten_and_nothing_is_saved(people, client):
    d = ready_draft(people.alice, people.sefton)
    client.force_login(people.alice)
    response = client.post(reverse("draft-detail", args=[d.pk]), _post(d, worries="x" * 6001, gp="New surgery"))
    page = response.content.decode()
    assert response.status_code == 400
    assert "What are we worried about? must be 6,000 characters or fewer: you have entered 6001" in page
    after = Draft.objects.get(pk=d.pk)
    assert (after.worries, after.gp, after.revision) == (d.worries, d.gp, d.revision)
    ok = client.post(reverse("draft-detail", args=[d.pk]), _post(d, worries="x" * 6000))
    assert ok.status_code == 302 and len(Draft.objects.get(pk=d.pk).worries) == 6000


def test_an_autosave_over_the_limit_says_not_saved_in_the_status_line(people, client):
    d = ready_draft(people.alice, people.sefton)
    client.force_login(people.alice)
    response = client.post(reverse("draft-detail", args=[d.pk]), _post(d, address="y" * 1001),
                           HTTP_HX_REQUEST="true")
    assert "Not saved" in response.content.decode() and "must be 1,000 characters or fewer" in response.content.decode()
    assert Draft.objects.get(pk=d.pk).address == d.address


def test_textareas_show_a_character_count(people, client):
    d = ready_draft(people.alice, people.sefton)
    client.force_login(people.alice)
    page = client.get(reverse("draft-detail", args=[d.pk])).content.decode()
    assert 'data-module="govuk-character-count" data-maxlength="6000"' in page
    assert 'id="id_worries-info" class="govuk-hint govuk-character-count__message"' in page
    assert 'aria-describedby="id_worries-info"' in page and ' maxlength="6000"' not in page


def test_an_escalation_over_the_limit_is_refused(people, client):
    client.force_login(people.alice)
    response = client.post(reverse("escalation-new"), {"our_agency": "A", "other_agency": "B", "about": "z" * 5001,
                                                       "outcome_sought": "An answer"})
    assert response.status_code == 400 and "must be 5,000 characters or fewer" in response.content.decode()


def test_a_draft_at_every_limit_prints_within_the_page_cap(people, client, settings,
                                                           django_capture_on_commit_callbacks):
    d = ready_draft(people.alice, people.sefton)
    full = {f: ("word " * 1200)[:Draft._meta.get_field(f).max_length] for f in NARRATIVE}
    full |= {"address": "a" * 1000, "language_needs": "b " * 1000, "disability": "c " * 1000}
    d = services.save(Actor.of(people.alice), d, full, d.revision)
    client.force_login(people.alice)
    # That long, it is prepared in the background (docs/adr/0009), then downloaded.
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.get(reverse("draft-pdf", args=[d.pk]), {"purpose": "review"})
    assert asked.status_code == 302
    response = client.get(asked["Location"], {"download": "1"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert len(PdfReader(io.BytesIO(response.content)).pages) <= settings.PDF_MAX_PAGES


def test_past_the_page_cap_the_pdf_is_refused_with_what_to_do(people, client, settings):
    settings.PDF_MAX_PAGES = 1
    d = ready_draft(people.alice, people.sefton, worries="Long. " * 900)
    client.force_login(people.alice)
    response = client.get(reverse("draft-pdf", args=[d.pk]), {"purpose": "review"})
    assert response.status_code == 413
    assert "shorten the longest sections" in response.content.decode()
