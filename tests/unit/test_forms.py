"""core/forms.py: GOV.UK form markup from Django forms: each field template, the date input. Pure: forms
rendered on their own, no database."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django import forms

from core.forms import Checkboxes, DayMonthYearField, Radios, birth_date_field
from tests.pages import Element, html

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
