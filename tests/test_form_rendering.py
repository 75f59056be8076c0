"""GOV.UK forms rendered by Django: field templates, the date input, the people formsets, the ticks form."""

from __future__ import annotations

from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django import forms
from django.urls import reverse

from assessments.models import Assessment
from authorities.actor import Actor
from catalogues.files import read_catalogue_file
from core.forms import Checkboxes, DayMonthYearField, Radios, birth_date_field
from referrals import services as referral_services
from referrals.models import Draft
from tests.helpers import assessment, plain, ready_draft

CATALOGUES = Path(__file__).resolve().parent.parent / "fixtures" / "catalogues"
VOID = {"input", "br", "meta", "link", "img", "hr", "source", "col", "area", "base", "wbr"}


# --- a small HTML reader: elements with their attributes, parents and text ----------------------

class Element:
    def __init__(self, tag: str, attrs: dict[str, str], parent: Element | None):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Element] = []
        self.parts: list[str | Element] = []  # text and child elements, in order

    def iter(self):
        yield self
        for child in self.children:
            yield from child.iter()

    def find_all(self, tag: str | None = None, **attrs) -> list[Element]:
        return [e for e in self.iter() if (tag is None or e.tag == tag)
                and all(e.attrs.get(k.rstrip("_").replace("_", "-")) == v for k, v in attrs.items())]

    def find(self, tag: str | None = None, **attrs) -> Element:
        found = self.find_all(tag, **attrs)
        assert found, f"no <{tag} {attrs}>"
        return found[0]

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def ancestor(self, tag: str) -> Element | None:
        e = self.parent
        while e is not None and e.tag != tag:
            e = e.parent
        return e

    def all_text(self) -> str:
        return " ".join(" ".join(p if isinstance(p, str) else p.all_text() for p in self.parts).split())


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.current = Element("root", {}, None)

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(element)
        self.current.parts.append(element)
        if tag not in VOID:
            self.current = element

    def handle_endtag(self, tag):
        e = self.current
        while e is not None and e.tag != tag:
            e = e.parent
        if e is not None and e.parent is not None:
            self.current = e.parent

    def handle_data(self, data):
        self.current.parts.append(data)


def html(text: str) -> Element:
    reader = _Reader()
    reader.feed(text)
    return reader.root


def by_id(page: Element, id_: str) -> Element:
    return page.find(id=id_)


# --- each field template ----------------------------------------------------------------------

class Everything(forms.Form):
    name = forms.CharField(label="Full name", help_text="As on their passport")
    notes = forms.CharField(widget=forms.Textarea, label="Notes", help_text="Anything else")
    colour = forms.ChoiceField(choices=[("", "Choose"), ("red", "Red")], label="Colour", help_text="One colour")
    size = forms.ChoiceField(choices=[("s", "Small"), ("l", "Large")], widget=Radios, label="Size",
                             help_text="Pick one size")
    tags = forms.MultipleChoiceField(choices=[("a", "Alpha"), ("b", "Beta")], widget=Checkboxes, label="Tags",
                                     help_text="Pick any")
    agree = forms.BooleanField(label="I agree", help_text="Tick to agree")
    when = DayMonthYearField(label="When", help_text="For example, 27/3/2015")


def _group(form: forms.Form, name: str) -> Element:
    return html(form[name].as_field_group())


@pytest.mark.parametrize(("name", "tag", "css", "error_css"), [
    ("name", "input", "govuk-input", "govuk-input--error"),
    ("notes", "textarea", "govuk-textarea", "govuk-textarea--error"),
    ("colour", "select", "govuk-select", "govuk-select--error"),
])
def test_a_labelled_control_has_its_label_hint_error_and_aria_describedby(name, tag, css, error_css):
    label = Everything.base_fields[name].label
    clean = _group(Everything(), name)
    control = clean.find(tag, name=name)
    assert css in control.classes() and error_css not in control.classes()
    assert clean.find("label", for_=control.attrs["id"]).all_text() == label
    assert clean.find(id=f"id_{name}-hint").classes() == {"govuk-hint"}
    assert control.attrs["aria-describedby"] == f"id_{name}-hint"
    assert not clean.find_all(id=f"id_{name}-error")

    wrong = _group(Everything({}), name)
    control = wrong.find(tag, name=name)
    assert "govuk-form-group--error" in wrong.find("div").classes()
    assert {css, error_css} <= control.classes()
    assert control.attrs["aria-describedby"] == f"id_{name}-hint id_{name}-error"
    error = wrong.find(id=f"id_{name}-error")
    assert "govuk-error-message" in error.classes() and "This field is required." in error.all_text()


@pytest.mark.parametrize(("name", "kind", "first"), [
    ("size", "radios", "id_size_0"), ("tags", "checkboxes", "id_tags_0"), ("when", "date-input", "id_when_day"),
])
def test_radios_checkboxes_and_dates_are_a_fieldset_with_a_legend_described_by_hint_and_error(name, kind, first):
    form = Everything({"when_day": "31", "when_month": "2", "when_year": "2020"})
    group = _group(form, name)
    fieldset = group.find("fieldset")
    assert "govuk-fieldset" in fieldset.classes()
    assert fieldset.find("legend").all_text() == Everything.base_fields[name].label
    assert fieldset.attrs["aria-describedby"] == f"id_{name}-hint id_{name}-error"
    assert fieldset.find(id=f"id_{name}-hint").all_text() == Everything.base_fields[name].help_text
    assert fieldset.find(id=f"id_{name}-error")
    assert fieldset.find("div", class_=f"govuk-{kind}")
    inputs = fieldset.find_all("input")
    assert inputs and inputs[0].attrs["id"] == first == form[name].anchor_id
    for box in inputs:  # every option or box has its own label
        assert group.find("label", for_=box.attrs["id"]).all_text()
    assert not group.find_all("label", for_="")


def test_radios_and_checkboxes_show_the_choices_made():
    form = Everything({"size": "l", "tags": ["b"]})
    assert "checked" in _group(form, "size").find(id="id_size_1").attrs
    assert "checked" not in _group(form, "size").find(id="id_size_0").attrs
    assert "checked" in _group(form, "tags").find(id="id_tags_1").attrs
    small = html(Radios(small=True, choices=[("a", "A")]).render("x", None, {"id": "id_x"}))
    assert "govuk-radios--small" in small.find("div").classes()


def test_a_single_checkbox_has_its_label_beside_the_box():
    group = _group(Everything({}), "agree")
    box = group.find("input", name="agree")
    assert box.attrs["type"] == "checkbox" and "govuk-checkboxes__input" in box.classes()
    assert box.parent.classes() == {"govuk-checkboxes__item"}
    assert group.find("label", for_="id_agree").all_text() == "I agree"
    assert box.attrs["aria-describedby"] == "id_agree-hint id_agree-error"


# --- the date input ---------------------------------------------------------------------------

class Born(forms.Form):
    born = birth_date_field(label="Date of birth", help_text="For example, 27/3/2015")


def test_the_date_input_round_trips_through_three_boxes():
    form = Born({"born_day": "1", "born_month": "2", "born_year": "2018"})
    assert form.is_valid() and form.cleaned_data["born"] == date(2018, 2, 1)
    shown = _group(Born(initial={"born": date(2018, 2, 1)}), "born")
    values = {box.attrs["name"]: box.attrs.get("value") for box in shown.find_all("input")}
    assert values == {"born_day": "1", "born_month": "2", "born_year": "2018"}
    assert [label.all_text() for label in shown.find_all("label")] == ["Day", "Month", "Year"]
    assert "govuk-input--width-4" in shown.find(id="id_born_year").classes()
    assert Born({"born_day": "", "born_month": "", "born_year": ""}).is_valid()  # optional: all empty is none


@pytest.mark.parametrize(("data", "message"), [
    ({"born_day": "31", "born_month": "2", "born_year": "2018"},
     "Enter a real date in the format day/month/year, for example 27/3/2015."),
    ({"born_day": "", "born_month": "2", "born_year": "2018"},
     "Enter a real date in the format day/month/year, for example 27/3/2015."),
    ({"born_day": "1", "born_month": "1", "born_year": "1990"}, "Enter a date of birth in the last 25 years"),
    ({"born": (date.today() + timedelta(days=3)).strftime("%d/%m/%Y")},
     "A date of birth cannot be in the future: for an unborn child, enter the expected due date"),
])
def test_the_date_input_keeps_its_checks_and_messages_and_shows_what_was_typed(data, message):
    form = Born(data)
    assert not form.is_valid() and form.errors["born"] == [message]
    shown = _group(form, "born")
    assert shown.find(id="id_born-error").all_text() == f"Error: {message}"
    assert all("govuk-input--error" in box.classes() for box in shown.find_all("input"))
    if "born_day" in data:
        assert shown.find(id="id_born_day").attrs.get("value", "") == data["born_day"]


def test_one_box_as_older_pages_post_it_is_still_read():
    for typed in ("27/3/2015", "27-3-2015", "27 3 2015", "2015-03-27"):
        form = Born({"born": typed})
        assert form.is_valid() and form.cleaned_data["born"] == date(2015, 3, 27), typed


@pytest.mark.django_db
def test_a_date_error_is_summarised_with_a_link_to_the_day_box(people, login):
    response = login(people.alice).post(reverse("assessment-new"), {
        "authority": people.sefton.pk, "mode": "named", "child_name": "Test Child",
        "date_of_birth_day": "31", "date_of_birth_month": "2", "date_of_birth_year": "2018"})
    page = html(response.content.decode())
    summary = page.find("div", class_="govuk-error-summary")
    link = next(a for a in summary.find_all("a") if "Enter a real date" in a.all_text())
    assert link.attrs["href"] == "#id_date_of_birth_day"
    assert page.find(id="id_date_of_birth_day").attrs["value"] == "31"
    assert not Assessment.objects.exists()


@pytest.mark.django_db
def test_a_radio_error_is_summarised_with_a_link_to_the_first_radio(people, login):
    response = login(people.alice).post(reverse("assessment-new"), {"authority": people.sefton.pk})
    page = html(response.content.decode())
    link = next(a for a in page.find("div", class_="govuk-error-summary").find_all("a")
                if "consultation or about a named child" in a.all_text())
    assert link.attrs["href"] == "#id_mode_0"
    first = page.find(id="id_mode_0")
    assert first.attrs["type"] == "radio" and first.ancestor("fieldset").find("legend").all_text() == \
        "Who is this about?"


# --- household and professionals formsets -------------------------------------------------------

def _row(n: int, **values) -> dict:
    return {f"household-{n}-{k}": v for k, v in values.items()}


def _management(total: int, initial: int = 0, prefix: str = "household") -> dict:
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": str(initial),
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "20"}


@pytest.mark.django_db
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


@pytest.mark.django_db
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


@pytest.mark.django_db
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


@pytest.mark.django_db
def test_draft_fields_are_grouped_by_the_forms_fieldsets(people, login):
    d = ready_draft(people.alice, people.sefton)
    page = login(people.alice).get(reverse("draft-detail", args=[d.pk])).content.decode()
    headings = [h.all_text() for h in html(page).find("form", id="draft-form").find_all("h2")]
    assert headings == ["The child", "Household members and significant adults", "Other professionals involved",
                        "You, the referrer", "What you are worried about", "Level", "Consent"]
    # Each group holds its own fields: the referrer's phone comes after its heading and before the concerns.
    assert page.index("You, the referrer") < page.index('id="id_referrer_phone"') < \
        page.index("What you are worried about") < page.index('id="id_worries"')


@pytest.mark.django_db
def test_the_review_radios_come_from_the_form(people, login):
    d = ready_draft(people.alice, people.sefton)
    referral_services.submit(Actor.of(people.alice), d)
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


# --- the ticks form ---------------------------------------------------------------------------

def _submitted(form: Element) -> list[tuple[str, str]]:
    """What a browser would post from the form: hidden and text inputs, checked boxes, selected options."""
    out = []
    for e in form.iter():
        name = e.attrs.get("name")
        if not name:
            continue
        if e.tag == "input" and e.attrs.get("type") in ("checkbox", "radio"):
            if "checked" in e.attrs:
                out.append((name, e.attrs.get("value", "on")))
        elif e.tag == "input":
            out.append((name, e.attrs.get("value", "")))
        elif e.tag == "select":
            chosen = [o for o in e.find_all("option") if "selected" in o.attrs] or e.find_all("option")[:1]
            out.extend((name, o.attrs.get("value", "")) for o in chosen)
    return out


@pytest.mark.django_db
def test_unticking_a_shown_box_under_a_filter_unticks_it_and_keeps_the_ticks_the_filter_hides(people, login):
    a = assessment(people.alice, people.halton, level=2, n=0)
    cat = a.catalogue_version.catalogue
    shown_one, hidden_one = plain(cat, 2, 1)[0], plain(cat, 3, 1)[0]
    query = next(i.text for i in cat.indicators if i.id == shown_one).lower()
    assert query not in next(i.text for i in cat.indicators if i.id == hidden_one).lower()
    client = login(people.alice)
    url = reverse("assessment-detail", args=[a.pk])
    client.post(url, {"tick": [shown_one, hidden_one]})
    assert Assessment.objects.get(pk=a.pk).ticks == [shown_one, hidden_one]

    form = html(client.get(url, {"q": query}).content.decode()).find("form", id="ticks-form")
    box = form.find(id=f"tick-{shown_one}")
    assert box.attrs["type"] == "checkbox" and "checked" in box.attrs
    assert not form.find_all(id=f"tick-{hidden_one}"), "the filter hides it"
    del box.attrs["checked"]  # the practitioner unticks the box they can see
    data: dict[str, list[str]] = {}
    for name, value in _submitted(form):
        data.setdefault(name, []).append(value)
    assert client.post(url, data).status_code == 302
    assert Assessment.objects.get(pk=a.pk).ticks == [hidden_one]


@pytest.mark.django_db
@pytest.mark.parametrize("htmx", [False, True])
def test_the_ticks_form_refuses_an_unknown_id_or_a_bad_revision_without_saving(people, login, htmx):
    a = assessment(people.alice, people.halton, level=2, n=1)
    ticks = list(a.ticks)
    client = login(people.alice)
    url = reverse("assessment-detail", args=[a.pk])
    extra = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    for data in ({"tick": ["sef-health-l4-06"]}, {"tick": ticks, "revision": "not a number"},
                 {"tick": ticks, "revision": "99999999999999999999"}):
        response = client.post(url, data, **extra)
        assert response.status_code == 400, data
        assert "There is a problem" in response.content.decode()
    assert "not in this assessment&#x27;s guidance" in client.post(url, {"tick": ["nope"]}).content.decode()
    assert Assessment.objects.get(pk=a.pk).ticks == ticks


@pytest.mark.django_db
def test_the_ticks_form_saves_the_matrix_ratings_from_its_selects(people, login):
    from authorities.models import Authority

    knowsley = Authority.objects.get(slug="knowsley")
    a = assessment(people.alice, knowsley, level=2, n=0)
    area = a.catalogue_version.catalogue.disability_matrix.areas[0]
    client = login(people.alice)
    url = reverse("assessment-detail", args=[a.pk])
    select = html(client.get(url).content.decode()).find("select", name=f"rating-{area.id}")
    assert [o.attrs["value"] for o in select.find_all("option")] == ["", "low", "moderate", "high"]
    assert client.post(url, {f"rating-{area.id}": "high"}).status_code == 302
    assert Assessment.objects.get(pk=a.pk).disability_ratings == {area.id: "high"}
    assert client.post(url, {f"rating-{area.id}": "extreme"}).status_code == 400
    assert Assessment.objects.get(pk=a.pk).disability_ratings == {area.id: "high"}
    page = html(client.get(url).content.decode())
    chosen = [o for o in page.find("select", name=f"rating-{area.id}").find_all("option") if "selected" in o.attrs]
    assert [o.attrs["value"] for o in chosen] == ["high"]


# --- Level.label ------------------------------------------------------------------------------

def test_level_label_names_a_level_as_the_pages_always_have():
    halton = read_catalogue_file(CATALOGUES / "halton.json")
    assert halton.levels[1].label == "Level 2 – Some Complex/Unmet Needs and Low Risk"
    assert [lv.label.split(" – ")[0] for lv in halton.levels] == ["Level 1", "Level 2", "Level 3", "Level 4"]


@pytest.mark.django_db
def test_the_level_label_heads_each_group_of_indicators_and_names_the_level_choices(people, login):
    a = assessment(people.alice, people.halton, level=2, n=1)
    page = html(login(people.alice).get(reverse("assessment-detail", args=[a.pk])).content.decode())
    headings = {h.all_text() for h in page.find("div", id="indicators").find_all("h3")}
    assert "Level 2 – Some Complex/Unmet Needs and Low Risk" in headings
    options = [o.all_text() for o in page.find("select", name="level").find_all("option")]
    assert options == [lv.label for lv in a.catalogue_version.catalogue.levels]


# --- escalation: presenters and the outcome radios ----------------------------------------------

@pytest.mark.django_db
def test_escalating_is_offered_until_the_last_step_which_says_why_if_it_is_posted(people, login):
    from escalation import services as escalation_services

    actor = Actor.of(people.alice)
    case = escalation_services.open_case(actor, people.sefton, our_agency="A", other_agency="B", about="x",
                                         outcome_sought="y")
    client = login(people.alice)
    url = reverse("escalation-detail", args=[case.pk])

    def outcomes():
        page = html(client.get(url).content.decode())
        radios = [r for r in page.find_all("input", type="radio") if r.attrs.get("name") == "outcome"]
        assert "checked" in radios[0].attrs  # still in progress, unless they say otherwise
        return [page.find("label", for_=r.attrs["id"]).all_text() for r in radios]

    assert outcomes() == ["Still in progress", "Resolved at this step", "Not resolved: escalate to step 2"]
    for _ in range(3):
        escalation_services.record_step(actor, case, case.current_step, participants="p", discussion="",
                                        agreed_plan="", plan_due_on=None, outcome="escalated")
    assert outcomes() == ["Still in progress", "Resolved at this step"]
    response = client.post(reverse("escalation-step", args=[case.pk]), {"participants": "Both", "outcome": "escalated"})
    assert response.status_code == 400
    assert "This is the last step of the procedure: its decision is final. Close the case." in response.content.decode()
    assert case.steps.count() == 4 and not case.current_step.outcome
