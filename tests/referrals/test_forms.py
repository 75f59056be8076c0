"""The referral forms (referrals/forms.py): the household and professionals formsets, the fieldsets of
the draft, the review radios, and the date checks."""

from __future__ import annotations

import pytest
from django.urls import reverse

from referrals import services as referral_services
from referrals.models import Draft
from tests.factories import actor, ready_draft
from tests.factories import catalogue as catalogue_file
from tests.pages import html

# --- household and professionals formsets -------------------------------------------------------

def _row(n: int, **values) -> dict:
    return {f"household-{n}-{k}": v for k, v in values.items()}


def _management(total: int, initial: int = 0, prefix: str = "household") -> dict:
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": str(initial),
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "20"}


def test_the_household_formset_saves_rows_and_a_saved_page_offers_blank_rows_to_add_more(people, login):
    d = ready_draft(people.alice, people.sefton)
    client = login(people.alice)
    url = reverse("draft-detail", args=[d.pk])
    data = {"revision": d.revision, "child_name": "Test Child", **_management(3),
            **_row(0, name="Parent Testperson", relationship="Mother", parental_responsibility="yes"),
            **_row(1, name="", relationship=""),  # a blank row is left out
            **_row(2, name="Grandparent Testperson", address="1 Test Street"),
            **_management(2, prefix="professional"), "professional-0-name": "Nurse Testperson",
            "professional-0-role": "School nurse"}
    assert client.post(url, data).status_code == 302
    d.refresh_from_db()
    assert d.household == [
        {"name": "Parent Testperson", "relationship": "Mother", "parental_responsibility": "yes",
         "date_of_birth": "", "address": ""},
        {"name": "Grandparent Testperson", "relationship": "", "parental_responsibility": "", "date_of_birth": "",
         "address": "1 Test Street"}]
    assert d.professionals == [{"name": "Nurse Testperson", "role": "School nurse", "organisation": "",
                                "contact": ""}]

    page = html(client.get(url).content.decode())
    names = [box.attrs["name"] for box in page.find_all("input") if box.attrs.get("name", "").endswith("-name")
             and box.attrs["name"].startswith("household-")]
    assert names == [f"household-{n}-name" for n in range(4)]  # the two saved rows, and two blank ones
    assert page.find(id="id_household-1-name").attrs["value"] == "Grandparent Testperson"
    assert "value" not in page.find(id="id_household-2-name").attrs
    assert page.find("input", name="household-TOTAL_FORMS").attrs["value"] == "4"
    assert page.find("label", for_="id_household-0-relationship").all_text() == "Relationship to the child"

    # Typing into a blank row and saving adds the person (no JavaScript needed).
    d.refresh_from_db()
    more = {"revision": d.revision, "child_name": "Test Child", **_management(4, initial=2),
            **_row(0, name="Parent Testperson"), **_row(1, name="Grandparent Testperson"),
            **_row(2, name="Sibling Testperson")}
    assert client.post(url, more).status_code == 302
    d.refresh_from_db()
    assert [r["name"] for r in d.household] == ["Parent Testperson", "Grandparent Testperson", "Sibling Testperson"]


@pytest.mark.parametrize("htmx", [False, True])
def test_more_than_20_household_rows_are_refused_with_a_clear_message(people, login, htmx):
    d = ready_draft(people.alice, people.sefton)
    before = Draft.objects.get(pk=d.pk).household
    rows = {k: v for n in range(21) for k, v in _row(n, name=f"Person Testperson{n}").items()}
    data = {"revision": d.revision, "child_name": "Test Child", **_management(21), **rows}
    extra = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = login(people.alice).post(reverse("draft-detail", args=[d.pk]), data, **extra)
    body = response.content.decode()
    assert "Enter up to 20 household members and significant adults" in body
    if htmx:
        assert "Not saved" in body
    else:
        assert response.status_code == 400
        link = next(a for a in html(body).find("div", class_="govuk-error-summary").find_all("a")
                    if "Enter up to 20" in a.all_text())
        assert link.attrs["href"] == "#id_household-0-name"
    assert Draft.objects.get(pk=d.pk).household == before


def test_rows_posted_without_the_management_form_are_read_and_a_broken_one_is_a_clear_error(people, login):
    d = ready_draft(people.alice, people.sefton)
    client = login(people.alice)
    url = reverse("draft-detail", args=[d.pk])
    old_page = {"revision": d.revision, "child_name": "Test Child", **_row(0, name="Parent Testperson"),
                **_row(3, name="Neighbour Testperson")}
    assert client.post(url, old_page).status_code == 302
    d.refresh_from_db()
    assert [r["name"] for r in d.household] == ["Parent Testperson", "Neighbour Testperson"]
    broken = {"revision": d.revision, "child_name": "Test Child", "household-TOTAL_FORMS": "many",
              **_row(0, name="Someone Else")}
    response = client.post(url, broken)
    assert response.status_code == 400 and "The rows could not be read: reload the page and try again" in \
        response.content.decode()
    d.refresh_from_db()
    assert [r["name"] for r in d.household] == ["Parent Testperson", "Neighbour Testperson"]


def test_draft_fields_are_grouped_by_the_forms_fieldsets(people, login):
    d = ready_draft(people.alice, people.sefton)
    page = login(people.alice).get(reverse("draft-detail", args=[d.pk])).content.decode()
    headings = [h.all_text() for h in html(page).find("form", id="draft-form").find_all("h2")]
    assert headings == ["Level of need", "Concerns from the assessment",
                        "The child", "Household members and significant adults", "Other professionals involved",
                        "You, the referrer", "What you are worried about", "Level", "Consent", "Save, print or submit"]
    # Each group holds its own fields: the referrer's phone comes after its heading and before the concerns.
    assert page.index("You, the referrer") < page.index('id="id_referrer_phone"') < \
        page.index("What you are worried about") < page.index('id="id_worries"')


def test_the_review_radios_come_from_the_form(people, login):
    d = ready_draft(people.alice, people.sefton)
    referral_services.submit(actor(people.alice), d)
    response = login(people.lead).post(reverse("draft-review", args=[d.pk]), {"comment": ""})
    page = html(response.content.decode())
    assert response.status_code == 400
    radios = [r for r in page.find_all("input", type="radio") if r.attrs.get("name") == "decision"]
    assert [r.attrs["value"] for r in radios] == ["approve", "return"]
    fieldset = radios[0].ancestor("fieldset")
    assert fieldset.find("legend").all_text() == "Your review"
    assert fieldset.attrs["aria-describedby"] == "id_decision-error"
    link = next(a for a in page.find("div", class_="govuk-error-summary").find_all("a")
                if "approve or return" in a.all_text())
    assert link.attrs["href"] == f"#{radios[0].attrs['id']}"


# --- dates ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("field", "value", "message"), [
    ("date_of_birth", "01/01/0001", "Enter a date of birth in the last 25 years"),
    ("date_of_birth", "01/01/2090", "A date of birth cannot be in the future: for an unborn child, enter the "
                                      "expected due date"),
    ("due_date", "01/01/2090", "Enter an expected due date within the next 10 months"),
])
def test_draft_dates_outside_a_sane_range_are_refused_with_what_to_enter(field, value, message):
    from referrals.forms import DraftForm

    form = DraftForm({field: value, "revision": "1"}, catalogue=catalogue_file("halton"))
    assert not form.is_valid()
    assert form.errors[field] == [message]


def test_a_sent_date_in_the_future_is_refused():
    from referrals.forms import SentForm

    form = SentForm({"sent_on": "01/01/2030", "how": "Secure email"})
    assert not form.is_valid() and form.errors["sent_on"] == ["The date sent cannot be in the future"]
    assert SentForm({"sent_on": "01/01/0001", "how": "Secure email"}).errors["sent_on"] == [
        "Enter a date in the last year"]


def test_how_it_was_sent_is_a_choice_of_the_usual_ways():
    from referrals.forms import SentForm

    assert SentForm({"sent_on": "01/01/2026", "how": "Online referral form"}).is_valid()
    assert SentForm({"sent_on": "01/01/2026", "how": "carrier pigeon"}).errors["how"] == ["Choose one of the ways listed"]
    assert SentForm({"sent_on": "01/01/2026"}).errors["how"] == ["Choose how it was sent"]
