"""The child's NHS number on the draft: optional and never required, checked with its check digit (spaces
allowed as typed), "not known / asking would delay the referral" as an answer, and printed only when given."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from referrals import services as referral_services
from tests.factories import actor, ready_draft
from tests.pages import html

pytestmark = pytest.mark.django_db
VALID = "9990000018"  # the 999 range is never issued: a test number


def _post(client, d, **fields):
    return client.post(reverse("draft-detail", args=[d.pk]), {"revision": d.revision, "child_name": "Test Child",
                                                             **fields})


def test_a_number_typed_with_spaces_is_saved_as_10_digits_and_shown_spaced(people, login):
    d = ready_draft(people.alice, people.sefton)
    client = login(people.alice)
    assert _post(client, d, nhs_number="999 000 0018").status_code == 302
    d.refresh_from_db()
    assert (d.nhs_number, d.nhs_number_unknown) == (VALID, False)
    page = html(client.get(reverse("draft-detail", args=[d.pk])).content.decode())
    assert page.find(id="id_nhs_number").attrs["value"] == "999 000 0018"


@pytest.mark.parametrize("typed, says", [
    ("999 000 0019", "This is not a valid NHS number"),
    ("999 000 001", "NHS number must be 10 digits: you entered 9"),
    ("NHS 999", "NHS number must contain only numbers"),
])
def test_a_wrong_number_is_refused_saying_what_to_fix_and_nothing_is_saved(people, login, typed, says):
    d = ready_draft(people.alice, people.sefton)
    client = login(people.alice)
    response = _post(client, d, nhs_number=typed)
    assert response.status_code == 400
    page = html(response.content.decode())
    summary = next(e for e in page.iter() if "govuk-error-summary" in e.classes())
    assert says in summary.all_text()
    assert summary.find("a").attrs["href"] == "#id_nhs_number"
    assert says in page.find(id="id_nhs_number-error").all_text()  # beside the field too
    assert page.find(id="id_nhs_number").attrs["value"] == typed  # what was typed, to correct
    d.refresh_from_db()
    assert d.nhs_number == ""


def test_not_known_is_an_answer_and_a_number_given_later_replaces_it(people, login):
    d = ready_draft(people.alice, people.sefton)
    client = login(people.alice)
    assert _post(client, d, nhs_number="", nhs_number_unknown="on").status_code == 302
    d.refresh_from_db()
    assert (d.nhs_number, d.nhs_number_unknown) == ("", True)
    assert _post(client, d, nhs_number=VALID, nhs_number_unknown="on").status_code == 302
    d.refresh_from_db()
    assert (d.nhs_number, d.nhs_number_unknown) == (VALID, False)


def test_it_is_never_required_to_submit(people):
    d = ready_draft(people.alice, people.sefton)
    assert d.nhs_number == "" and not d.nhs_number_unknown
    assert not [p for p in referral_services.problems(d) if "NHS" in p.message]
    assert referral_services.submit(actor(people.alice), d).status == "submitted"


def _pdf_text(client, d) -> str:
    content = client.get(reverse("draft-pdf", args=[d.pk]), {"purpose": "review"}).content
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages).split())


def test_the_record_and_the_pdf_show_it_only_when_given(people, login):
    given = referral_services.submit(actor(people.alice), ready_draft(people.alice, people.sefton, nhs_number=VALID))
    not_known = referral_services.submit(actor(people.alice), ready_draft(people.alice, people.sefton,
                                                                          nhs_number_unknown=True))
    assert given.submissions.get().record["child"]["nhs_number"] == "999 000 0018"
    assert not_known.submissions.get().record["child"]["nhs_number"] == ""
    client = login(people.lead)
    shown = html(client.get(reverse("draft-detail", args=[given.pk])).content.decode())
    assert shown.find(data_testid="nhs-number").all_text() == "999 000 0018"
    assert "NHS number 999 000 0018" in _pdf_text(client, given)
    absent = html(client.get(reverse("draft-detail", args=[not_known.pk])).content.decode())
    assert absent.find_all(data_testid="nhs-number") == []
    assert "NHS number" not in _pdf_text(client, not_known)
