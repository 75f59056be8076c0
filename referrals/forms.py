from __future__ import annotations

import re
from typing import cast

from django import forms

from core.forms import GovukFormMixin, Radios, birth_date_field, due_date_field, sent_date_field

from .models import Consent, Draft

MAX_ROWS = 20


def _row_field(label: str) -> forms.CharField:
    return forms.CharField(max_length=300, required=False, label=label)


class HouseholdMemberForm(forms.Form):
    name = _row_field("Full name")
    relationship = _row_field("Relationship to the child")
    parental_responsibility = _row_field("Parental responsibility (yes/no)")
    date_of_birth = _row_field("Date of birth")
    address = _row_field("Address")


class ProfessionalForm(forms.Form):
    name = _row_field("Name")
    role = _row_field("Role")
    organisation = _row_field("Organisation")
    contact = _row_field("Phone or email")


class PeopleFormSet(forms.BaseFormSet):
    """Rows of people, stored as a list of dicts (blank rows left out). The page shows the saved rows
    and two blank ones; saving shows two more, so adding people needs no JavaScript. Rows posted
    without the management form (older pages) are read too: their count is taken from the row names."""

    row_legend = "Row"
    default_error_messages = {
        "missing_management_form": "The rows could not be read: reload the page and try again",
    }

    def __init__(self, data=None, files=None, *, prefix: str | None = None, **kwargs):
        prefix = prefix or self.get_default_prefix()
        if data is not None and f"{prefix}-TOTAL_FORMS" not in data:
            row_key = re.compile(rf"{re.escape(prefix)}-(\d{{1,6}})-\w+")
            numbers = [int(m[1]) for key in data if (m := row_key.fullmatch(key))]
            data = data.copy()
            data[f"{prefix}-TOTAL_FORMS"] = str(max(numbers) + 1 if numbers else 0)
            data[f"{prefix}-INITIAL_FORMS"] = "0"
        super().__init__(data, files, prefix=prefix, **kwargs)

    def rows(self) -> list[dict[str, str]]:
        keys = list(self.form.base_fields)
        rows = [{k: row.cleaned_data.get(k, "") for k in keys} for row in self.forms]
        return [row for row in rows if any(row.values())]


# formset_factory() makes the base class at run time, which mypy cannot follow: hence the two ignores.
class HouseholdFormSet(forms.formset_factory(HouseholdMemberForm, formset=PeopleFormSet, extra=2,  # type: ignore[misc]
                                             max_num=MAX_ROWS, validate_max=True, absolute_max=2 * MAX_ROWS)):
    row_legend = "Person"
    default_error_messages = {"too_many_forms": "Enter up to %(num)s household members and significant adults"}


class ProfessionalFormSet(forms.formset_factory(ProfessionalForm, formset=PeopleFormSet, extra=2,  # type: ignore[misc]
                                                max_num=MAX_ROWS, validate_max=True, absolute_max=2 * MAX_ROWS)):
    row_legend = "Professional"
    default_error_messages = {"too_many_forms": "Enter up to %(num)s other professionals"}


class DraftForm(GovukFormMixin, forms.ModelForm):
    """The draft's fields, in groups (FIELDSETS), with the household and the professionals as formsets."""

    formsets: dict[str, PeopleFormSet]

    FIELDSETS = [
        ("child", "The child", ["child_name", "date_of_birth", "due_date", "address", "school", "gp",
                                "language_needs", "disability"]),
        ("household", "Household members and significant adults", []),
        ("professionals", "Other professionals involved", []),
        ("referrer", "You, the referrer", ["referrer_name", "referrer_role", "referrer_organisation",
                                           "referrer_phone", "referrer_email"]),
        ("concerns", "What you are worried about", ["worries", "working_well", "needs_to_happen", "child_voice",
                                                     "strengths", "support_tried", "immediate_risks"]),
        ("level", "Level", ["chosen_level", "level_reason"]),
        ("consent", "Consent", ["parents_aware", "consent", "consent_ground", "consent_agreed_by"]),
    ]
    revision = forms.IntegerField(widget=forms.HiddenInput, error_messages={
        "required": "The page was out of date: reload it and try again"})
    date_of_birth = birth_date_field(label="Date of birth", help_text="For example, 27/3/2015")
    due_date = due_date_field(label="Expected due date (unborn child)")
    chosen_level = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label="Level of need")
    consent = forms.ChoiceField(choices=[("", "Not recorded yet"), *Consent.choices], required=False,
                                label="Was consent given?")
    parents_aware = forms.ChoiceField(choices=[("", "Not recorded yet"), ("yes", "Yes"), ("no", "No")],
                                      required=False, label="Do the parents or carers know about this request?")
    consent_ground = forms.ChoiceField(required=False, label="If consent was not given or sought, or the parents "
                                       "have not been told: the reason the guidance gives")

    class Meta:
        model = Draft
        fields = ["child_name", "date_of_birth", "due_date", "address", "school", "gp", "language_needs",
                  "disability", "referrer_name", "referrer_role", "referrer_organisation", "referrer_phone",
                  "referrer_email", "worries", "working_well", "needs_to_happen", "child_voice", "strengths",
                  "support_tried", "immediate_risks", "chosen_level", "level_reason", "parents_aware", "consent",
                  "consent_ground", "consent_agreed_by"]
        widgets = {f: forms.Textarea(attrs={"rows": 4}) for f in [
            "address", "language_needs", "disability", "worries", "working_well", "needs_to_happen",
            "child_voice", "strengths", "support_tried", "immediate_risks", "level_reason"]}
        labels = {"consent_agreed_by": "Who you discussed going ahead without consent with (optional)",
                  "level_reason": "Why the level differs from the suggestion"}
        help_texts = {"child_voice": "The child's voice: what do they say, and what is a day like for them? For a "
                                     "baby, a disabled child or a child who does not speak, describe what you "
                                     "observed: how they respond to their carers, their routines, their "
                                     "presentation."}

    def __init__(self, *args, catalogue, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["chosen_level"]).choices = [("", "Not chosen yet")] + [
            (lv.number, lv.label) for lv in catalogue.levels]
        cast(forms.ChoiceField, self.fields["consent_ground"]).choices = [("", "Not applicable")] + [
            (g.id, g.text[:150]) for g in catalogue.consent_grounds]
        for name in ("child_name", "referrer_name"):
            cast(forms.CharField, self.fields[name]).max_length = 200
        self.signs_of_safety = any(x.kind == "signs_of_safety" for x in catalogue.lists)
        # Bound: the rows as posted. Unbound: the saved rows, and blank ones to type into.
        data = self.data if self.is_bound else None
        self.formsets = {
            "household": HouseholdFormSet(data, prefix="household",
                                          initial=None if self.is_bound else self.instance.household),
            "professionals": ProfessionalFormSet(data, prefix="professional",
                                                 initial=None if self.is_bound else self.instance.professionals),
        }

    def legend(self, fieldset_id: str, heading: str) -> str:
        return f"{heading} (Signs of Safety)" if fieldset_id == "concerns" and self.signs_of_safety else heading

    def is_valid(self) -> bool:
        valid = [super().is_valid(), *(formset.is_valid() for formset in self.formsets.values())]
        return all(valid)

    @property
    def formset_errors(self) -> bool:
        return any(formset.total_error_count() for formset in self.formsets.values())

    def cleaned_values(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("revision", None)
        for key in ("consent", "parents_aware", "consent_ground"):
            data[key] = data.get(key) or ""
        data["household"] = self.formsets["household"].rows()
        data["professionals"] = self.formsets["professionals"].rows()
        return data


class ReviewForm(GovukFormMixin, forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "Approve"), ("return", "Return with comments")],
                                 widget=Radios(small=True), label="Your review",
                                 error_messages={"required": "Choose whether to approve or return the draft"})
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=5000,
                              label="Comments for the practitioner")
    # The hash of the submission on the lead's page: approving acts on that one, never a newer one.
    submission = forms.RegexField(regex=r"^[0-9a-f]{64}$", required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not data.get("comment", "").strip():
            self.add_error("comment", "Say what needs to change before returning the draft")
        return data


class SubmitForm(forms.Form):
    """Submit: the revision on the practitioner's page, so a change made elsewhere since is not sent unseen."""

    revision = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)


class SentForm(GovukFormMixin, forms.Form):
    sent_on = sent_date_field(label="Date sent", error_messages={"required": "Enter the date it was sent"})
    how = forms.CharField(max_length=100, label="How it was sent", help_text="For example, secure email or online form",
                          error_messages={"required": "Say how it was sent"})
    reference = forms.CharField(max_length=100, required=False, label="The front door's reference (if given)")


class DecisionForm(GovukFormMixin, forms.Form):
    decision = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=5000,
                               label="What did they decide?",
                               error_messages={"required": "Enter the decision the front door made"})


PURPOSES = [("review", "For my safeguarding lead's review"), ("send", "To send to the front door"),
            ("record", "For our organisation's records")]


class PrintForm(forms.Form):
    purpose = forms.ChoiceField(choices=PURPOSES, label="Why are you printing it?",
                                error_messages={"required": "Choose why you are printing it"})

    def __init__(self, *args, part_of: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if part_of:  # the radios belong to the draft's form, so printing saves what was typed first
            self.fields["purpose"].widget.attrs["form"] = part_of
