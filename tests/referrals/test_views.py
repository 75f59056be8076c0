"""The referral draft pages (referrals.views): made from an assessment, edited (autosave, the conflict
page), submitted; each reached by its owner, and by the organisation's lead once submitted."""

from __future__ import annotations

import pytest
from django.urls import reverse

from referrals import services
from referrals.checks import route_for
from referrals.models import Draft
from tests.conftest import SIGN_IN
from tests.factories import actor, assessment, ready_draft
from tests.pages import html

pytestmark = pytest.mark.django_db

# Everyone but the owner and the lead: the lead sees a draft once it is submitted (below).
OTHERS = ["colleague", "lead", "outsider", "outsider_lead", "admin", "anonymous"]
OTHERS_404 = {"colleague": 404, "lead": 404, "outsider": 404, "outsider_lead": 404, "admin": 404,
              "anonymous": SIGN_IN}


# --- the standard cases ------------------------------------------------------------------------

def test_standard_cases_of_making_a_draft(people, access):
    a = assessment(people.alice, people.sefton)
    url = reverse("draft-create", args=[a.pk])
    assert access("post", url, who=OTHERS) == OTHERS_404
    assert not Draft.objects.exists()
    assert access("get", url, who=["owner"]) == {"owner": 405}
    assert access("post", url, who=["owner"]) == {"owner": 302}
    assert Draft.objects.get().assessment_id == a.pk


def test_standard_cases_of_a_draft(people, access):
    d = ready_draft(people.alice, people.sefton)
    url = reverse("draft-detail", args=[d.pk])
    assert access("get", url) == OTHERS_404 | {"owner": 200}
    assert access("post", url, {"revision": d.revision, "worries": "not theirs"}, who=OTHERS) == OTHERS_404
    assert Draft.objects.get(pk=d.pk).worries == d.worries
    assert access("put", url, who=["owner"]) == {"owner": 405}
    services.submit(actor(people.alice), d)
    assert access("get", url, who=["lead", "outsider_lead", "colleague"]) == {
        "lead": 200, "outsider_lead": 404, "colleague": 404}


def test_standard_cases_of_printing(people, access):
    d = ready_draft(people.alice, people.sefton)
    url = reverse("draft-pdf", args=[d.pk]) + "?purpose=record"
    assert access("get", url) == OTHERS_404 | {"owner": 200}
    # POST is the draft form's "Save and download PDF": with no purpose it goes back to the draft to choose one.
    assert access("post", url.split("?")[0], who=["owner"]) == {"owner": 302}
    assert access("put", url, who=["owner"]) == {"owner": 405}


def test_standard_cases_of_submitting(people, access):
    d = ready_draft(people.alice, people.sefton)
    url = reverse("draft-submit", args=[d.pk])
    assert access("post", url, who=OTHERS) == OTHERS_404
    assert Draft.objects.get(pk=d.pk).status == "draft"
    assert access("get", url, who=["owner"]) == {"owner": 405}
    assert access("post", url, who=["owner"]) == {"owner": 302}
    assert Draft.objects.get(pk=d.pk).status == "submitted"


def test_standard_cases_of_reviewing(people, access):
    d = services.submit(actor(people.alice), ready_draft(people.alice, people.sefton))
    url = reverse("draft-review", args=[d.pk])
    data = {"decision": "approve", "comment": ""}
    others = ["colleague", "outsider", "outsider_lead", "admin", "anonymous"]
    assert access("post", url, data, who=others) == {p: OTHERS_404[p] for p in others}
    assert access("post", url, data, who=["owner"]) == {"owner": 302}  # refused, with a message on the page
    assert Draft.objects.get(pk=d.pk).status == "submitted"
    assert access("get", url, who=["lead"]) == {"lead": 405}
    assert access("post", url, data, who=["lead"]) == {"lead": 302}
    assert Draft.objects.get(pk=d.pk).status == "approved"


@pytest.mark.parametrize(("name", "data"), [("draft-sent", {"sent_on": "01/01/2026", "how": "Secure email"}),
                                            ("draft-decision", {"outcome": "early_help",
                                                                "decided_on": "01/01/2026"})],
                         ids=["sent", "decision"])
def test_standard_cases_of_recording_what_happened_next(people, access, name, data):
    d = ready_draft(people.alice, people.sefton)
    url = reverse(name, args=[d.pk])
    assert access("post", url, data, who=OTHERS) == OTHERS_404
    assert Draft.objects.get(pk=d.pk).status == "draft"
    assert access("get", url, who=["owner"]) == {"owner": 405}


def test_lead_sees_drafts_of_their_organisation_only_once_submitted(people, client):
    d = ready_draft(people.alice, people.sefton)
    client.force_login(people.lead)
    assert client.get(reverse("draft-detail", args=[d.pk])).status_code == 404
    services.submit(actor(people.alice), d)
    assert client.get(reverse("draft-detail", args=[d.pk])).status_code == 200
    client.force_login(people.outsider_lead)
    assert client.get(reverse("draft-detail", args=[d.pk])).status_code == 404


# --- making and editing a draft ----------------------------------------------------------------

def test_draft_is_prefilled_from_the_assessment(people, login):
    a = assessment(people.alice, people.halton, level=3, n=2, child_name="Poppy Example")
    client = login(people.alice)
    response = client.post(reverse("draft-create", args=[a.pk]))
    d = Draft.objects.get()
    assert response["Location"] == reverse("draft-detail", args=[d.pk])
    assert (d.child_name, d.chosen_level, d.catalogue_version.pk) == ("Poppy Example", 3, a.catalogue_version_id)
    assert d.referrer_name == "Alice" and d.referrer_organisation == "Test School (fictional)"
    page = client.get(response["Location"]).content.decode()
    cat = a.catalogue_version.catalogue
    for tick in a.ticks:
        text = next(i.text for i in cat.indicators if i.id == tick)
        assert text.replace("'", "&#x27;") in page
    title = route_for(cat, 3)["title"]
    assert html(page).find("h1").all_text() == title and title.startswith(("Referral – ", "Early Help request – "))


def test_halton_draft_without_consent_below_level_4_cannot_be_submitted(people, login):
    d = ready_draft(people.alice, people.halton, level=2, consent="refused")
    response = login(people.alice).post(reverse("draft-submit", args=[d.pk]))
    assert response.status_code == 400
    assert "will not accept this request without consent" in response.content.decode()
    d.refresh_from_db()
    assert d.status == "draft"


def test_level_4_without_consent_needs_a_lawful_ground_and_no_ones_agreement(people, login):
    d = ready_draft(people.alice, people.halton, level=4, consent="not_sought")
    client = login(people.alice)
    assert client.post(reverse("draft-submit", args=[d.pk])).status_code == 400
    ground = d.catalogue_version.catalogue.levels[3].consent.lawful_ground_ids[0]
    d = services.save(actor(people.alice), d, {"consent_ground": ground}, d.revision)
    assert client.post(reverse("draft-submit", args=[d.pk])).status_code == 302
    d.refresh_from_db()
    assert d.status == "submitted"


def test_autosave_returns_the_status_and_new_revision(people, login):
    d = ready_draft(people.alice, people.sefton)
    client = login(people.alice)
    data = {"revision": d.revision, "child_name": "Test Child", "worries": "Changed through autosave",
            "chosen_level": "2", "household-0-name": "Parent Testperson"}
    response = client.post(reverse("draft-detail", args=[d.pk]), data, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and "Saved at" in body
    d.refresh_from_db()
    assert d.worries == "Changed through autosave"
    assert f'value="{d.revision}" id="id_revision" hx-swap-oob="true"' in body
    assert d.household == [{"name": "Parent Testperson", "relationship": "", "parental_responsibility": "",
                            "date_of_birth": "", "address": ""}]


def test_concurrent_edits_are_detected_and_nothing_typed_is_lost(people, client):
    d = ready_draft(people.alice, people.sefton)
    url = reverse("draft-detail", args=[d.pk])
    stale = d.revision
    client.force_login(people.alice)
    first = client.post(url, {"revision": stale, "child_name": "Test Child", "worries": "First tab's words"})
    assert first.status_code == 302
    second = client.post(url, {"revision": stale, "child_name": "Test Child", "worries": "Second tab's words"})
    assert second.status_code == 409
    body = second.content.decode()
    assert "Someone else changed this draft" in body
    assert "Second tab&#x27;s words" in body  # what they typed is on the page, to save again
    d.refresh_from_db()
    assert d.worries == "First tab's words"  # no silent overwrite
    resave = client.post(url, {"revision": d.revision, "child_name": "Test Child", "worries": "Second tab's words"})
    assert resave.status_code == 302
    d.refresh_from_db()
    assert d.worries == "Second tab's words"


def test_a_late_autosave_after_submit_is_refused_in_the_status_line_and_keeps_the_submitted_message(people, login):
    d = ready_draft(people.alice, people.sefton, level=2, worries="As submitted")
    client = login(people.alice)
    assert client.post(reverse("draft-submit", args=[d.pk])).status_code == 302
    late = client.post(reverse("draft-detail", args=[d.pk]), {"revision": d.revision, "worries": "late"},
                       HTTP_HX_REQUEST="true")
    assert late.status_code == 409 and "Not saved: this draft has been submitted" in late.content.decode()
    page = client.get(reverse("draft-detail", args=[d.pk])).content.decode()
    assert "Submitted to your safeguarding lead for review." in page and "can no longer be changed." not in page
    d.refresh_from_db()
    assert d.worries == "As submitted"


def test_starting_a_draft_again_continues_the_one_being_written(people, client):
    a = assessment(people.alice, people.sefton)
    client.force_login(people.alice)
    first = client.post(reverse("draft-create", args=[a.pk]))
    again = client.post(reverse("draft-create", args=[a.pk]), follow=True)
    [d] = Draft.objects.filter(assessment=a)
    assert first["Location"] == reverse("draft-detail", args=[d.pk])
    assert again.redirect_chain[-1][0] == reverse("draft-detail", args=[d.pk])
    assert f"You are already writing draft {d.pk}" in again.content.decode()
