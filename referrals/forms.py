from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import cast

from django import forms
from django.utils import timezone

from core.forms import (
    DayMonthYearField,
    GovukFormMixin,
    Radios,
    birth_date_field,
    due_date_field,
    sent_date_field,
)

from . import checks, national
from .models import Closure, Consent, Draft, FrontDoorOutcome
from .record import narrative_label, uses_signs_of_safety

MAX_ROWS = 20


def _row_field(label: str) -> forms.CharField:
    return forms.CharField(max_length=300, required=False, label=label)


class HouseholdMemberForm(forms.Form):
    name = _row_field("Full name")
    relationship = _row_field("Relationship to the child")
    parental_responsibility = _row_field("Parental responsibility (yes/no)")
    date_of_birth = _row_field("Date of birth")
    # Ticked for a new row, so the child's address is typed once; a saved row keeps what it said.
    same_address = forms.BooleanField(required=False, initial=True, label="Lives at the child's address")
    address = _row_field("Address, if not the child's")


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

    def rows(self) -> list[dict]:
        """The rows typed into (a ticked box alone is not a person); a ticked box is stored as True, an
        unticked one left out, so rows saved before the box existed read the same as unticked ones."""
        fields = self.form.base_fields
        flags = [k for k, f in fields.items() if isinstance(f, forms.BooleanField)]
        out = []
        for row in self.forms:
            values = {k: row.cleaned_data.get(k, "") for k in fields if k not in flags}
            if not any(values.values()):
                continue
            out.append(values | {k: True for k in flags if row.cleaned_data.get(k)})
        return out


# formset_factory() makes the base class at run time, which mypy cannot follow: hence the two ignores.
class HouseholdFormSet(forms.formset_factory(HouseholdMemberForm, formset=PeopleFormSet, extra=2,  # type: ignore[misc]
                                             max_num=MAX_ROWS, validate_max=True, absolute_max=2 * MAX_ROWS)):
    row_legend = "Person"
    default_error_messages = {"too_many_forms": "Enter up to %(num)s household members and significant adults"}


class ProfessionalFormSet(forms.formset_factory(ProfessionalForm, formset=PeopleFormSet, extra=2,  # type: ignore[misc]
                                                max_num=MAX_ROWS, validate_max=True, absolute_max=2 * MAX_ROWS)):
    row_legend = "Professional"
    default_error_messages = {"too_many_forms": "Enter up to %(num)s other professionals"}


WITHOUT_CONSENT = [("refused", "They refused"), ("not_sought", "I have not asked them")]
CALL_TIME_FORMATS = ["%d/%m/%Y %H:%M", "%d/%m/%Y %H.%M", "%d/%m/%y %H:%M", "%Y-%m-%d %H:%M"]


class ConsentChoiceField(forms.ChoiceField):
    """Yes (explicit), yes (implicit) or no, where "no" asks whether it was refused or not sought (so the
    follow-up questions sit under one answer). The stored values are accepted as posted too."""

    def valid_value(self, value) -> bool:
        return super().valid_value(value) or value in dict(WITHOUT_CONSENT)


class CallTimeField(forms.Field):
    """When the call was made: a time today ("14:05") or a date and time ("3/12/2026 14:05")."""

    widget = forms.TextInput
    default_error_messages = {
        "invalid": "Enter the time you phoned, for example 14:05, or the date and time, for example 3/12/2026 14:05",
        "future": "The time you phoned cannot be in the future",
    }

    def to_python(self, value):
        text = str(value or "").strip()
        if not text:
            return None
        now = timezone.localtime()
        for fmt in ("%H:%M", "%H.%M"):
            try:
                when = timezone.make_aware(datetime.combine(now.date(), datetime.strptime(text, fmt).time()))
            except ValueError:
                continue
            # A time later than now was yesterday's (typed just after midnight).
            return when - timedelta(days=1) if when > now + timedelta(minutes=10) else when
        for fmt in CALL_TIME_FORMATS:
            try:
                return timezone.make_aware(datetime.strptime(text, fmt))
            except ValueError:
                continue
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")

    def validate(self, value):
        super().validate(value)
        if value is not None and value > timezone.now() + timedelta(minutes=10):
            raise forms.ValidationError(self.error_messages["future"], code="future")

    def prepare_value(self, value):
        if isinstance(value, datetime):
            local = timezone.localtime(value)
            return f"{local.day}/{local.month}/{local.year} {local:%H:%M}"
        return value


class NhsNumberField(forms.CharField):
    """Optional: 10 digits as typed on a letter ("943 476 5919"), stored without spaces, refused with what to
    fix when the check digit does not match."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={
            "class": "govuk-input govuk-input--width-10", "inputmode": "numeric", "autocomplete": "off",
            "spellcheck": "false"}))
        super().__init__(max_length=20, required=False, **kwargs)

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return ""
        try:
            return national.nhs_number(text)
        except national.NhsNumberError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from None

    def prepare_value(self, value):
        return national.spaced(value) if isinstance(value, str) and value.isdigit() else value


class DraftForm(GovukFormMixin, forms.ModelForm):
    """The draft's fields, in groups (FIELDSETS), with the household and the professionals as formsets."""

    formsets: dict[str, PeopleFormSet]

    PHONE_CALL = ["phone_call_with", "phone_call_at", "phone_call_outcome"]
    FIELDSETS = [
        ("phone_call", "Phone now, before the review", PHONE_CALL),
        ("child", "The child", ["child_name", "date_of_birth", "due_date", "nhs_number", "nhs_number_unknown",
                                "address", "school", "gp", "language_needs", "disability"]),
        ("household", "Household members and significant adults", []),
        ("professionals", "Other professionals involved", []),
        ("referrer", "You, the referrer", ["referrer_name", "referrer_role", "referrer_organisation",
                                           "referrer_phone", "referrer_email"]),
        ("concerns", "What you are worried about", ["worries", "strengths", "needs_to_happen", "child_voice",
                                                     "support_tried", "immediate_risks"]),
        ("level", "Level", ["chosen_level", "level_reason"]),
        ("consent", "Consent", ["parents_aware", "consent", "consent_no", "consent_ground", "consent_agreed_by"]),
    ]
    revision = forms.IntegerField(widget=forms.HiddenInput, error_messages={
        "required": "The page was out of date: reload it and try again"})
    date_of_birth = birth_date_field(label="Date of birth", help_text="For example, 27/3/2015")
    due_date = due_date_field(label="Expected due date (unborn child)")
    chosen_level = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label="Level of need")
    parents_aware = forms.ChoiceField(choices=[("yes", "Yes"), ("no", "No")], required=False, widget=Radios(),
                                      label="Do the parents or carers know about this request?")
    consent = ConsentChoiceField(choices=[(Consent.EXPLICIT, Consent.EXPLICIT.label),
                                          (Consent.IMPLICIT, Consent.IMPLICIT.label), ("no", "No")],
                                 required=False, widget=Radios(), label="Was consent given?")
    # Asked under "No" (a GOV.UK conditional reveal): refused or not sought, and who it was discussed with.
    consent_no = forms.ChoiceField(choices=WITHOUT_CONSENT, required=False, widget=Radios(small=True),
                                   label="Did they refuse, or have you not asked them?")
    consent_ground = forms.ChoiceField(required=False, label="The reason the guidance gives for going ahead without "
                                       "consent, or without telling the parents")
    nhs_number = NhsNumberField(label="NHS number (optional)",
                                help_text="10 digits, as on a letter from the child's GP. Spaces are fine. Leave it empty "
                                          "if you do not have it: it is never required")
    phone_call_at = CallTimeField(required=False, label="When you phoned",
                                  help_text="The time, for example 14:05, or the date and time, for example "
                                            "3/12/2026 14:05")

    class Meta:
        model = Draft
        fields = ["child_name", "date_of_birth", "due_date", "nhs_number", "nhs_number_unknown", "address", "school",
                  "gp", "language_needs", "disability", "referrer_name", "referrer_role", "referrer_organisation", "referrer_phone",
                  "referrer_email", "worries", "strengths", "needs_to_happen", "child_voice",
                  "support_tried", "immediate_risks", "chosen_level", "level_reason", "parents_aware", "consent",
                  "consent_ground", "consent_agreed_by", "phone_call_with", "phone_call_at", "phone_call_outcome"]
        widgets = {f: forms.Textarea(attrs={"rows": 4}) for f in [
            "address", "language_needs", "disability", "worries", "strengths", "needs_to_happen",
            "child_voice", "support_tried", "immediate_risks", "level_reason", "phone_call_outcome"]}
        labels = {"nhs_number_unknown": "Not known, or asking for it would delay the referral",
                  "consent_agreed_by": "Who you discussed going ahead without consent with (optional)",
                  "level_reason": "Why the level differs from the suggestion",
                  "referrer_role": "Job title or role",
                  "phone_call_with": "Who you spoke to, and where",
                  "phone_call_outcome": "What they said you should do"}
        help_texts = {"phone_call_with": "For example, Jo Bloggs, duty social worker at the front door",
                      "child_voice": "The child's voice: what do they say, and what is a day like for them? For a "
                                     "baby, a disabled child or a child who does not speak, describe what you "
                                     "observed: how they respond to their carers, their routines, their "
                                     "presentation."}

    def __init__(self, *args, catalogue, phone_now: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not phone_now:  # no call to record: the fields are not on the page, so a save leaves them alone
            for name in self.PHONE_CALL:
                del self.fields[name]
        if self.instance.consent in dict(WITHOUT_CONSENT):
            self.initial.update(consent="no", consent_no=self.instance.consent)
        cast(forms.ChoiceField, self.fields["chosen_level"]).choices = [("", "Not chosen yet")] + [
            (lv.number, lv.label) for lv in catalogue.levels]
        cast(forms.ChoiceField, self.fields["consent_ground"]).choices = [("", "Not applicable")] + [
            (g.id, g.text[:150]) for g in catalogue.consent_grounds]
        for name in ("child_name", "referrer_name"):
            cast(forms.CharField, self.fields[name]).max_length = 200
        self.signs_of_safety = uses_signs_of_safety(catalogue)
        self.fields["strengths"].label = narrative_label("strengths", str(self.fields["strengths"].label),
                                                         signs_of_safety=self.signs_of_safety)
        # Bound: the rows as posted. Unbound: the saved rows (a row saved without the box said nothing about
        # sharing the child's address: unticked), and blank ones to type into (ticked).
        data = self.data if self.is_bound else None
        self.formsets = {
            "household": HouseholdFormSet(data, prefix="household", initial=None if self.is_bound else [
                {"same_address": False} | row for row in self.instance.household]),
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

    def clean(self):
        data = super().clean()
        if data.get("nhs_number"):
            data["nhs_number_unknown"] = False  # a number given answers the question: "not known" no longer holds
        if data.get("consent") == "no":
            if data.get("consent_no") in dict(WITHOUT_CONSENT):
                data["consent"] = data["consent_no"]
            else:
                data.pop("consent")  # "No" alone is not yet a value the draft can hold
                self.add_error("consent_no", "Say whether they refused or you have not asked them")
        return data

    def cleaned_values(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("revision", None)
        data.pop("consent_no", None)
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
    # The lead's own view of the level: the practitioner's unless they choose another, with a reason.
    lead_level = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label="Your view of the level",
                                        error_messages={"invalid_choice": "Choose one of the levels listed"})
    lead_level_reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=3000,
                                        label="Why you see the level differently",
                                        help_text="Needed only when your view differs from the practitioner's")
    # The hash of the submission on the lead's page: approving acts on that one, never a newer one.
    submission = forms.RegexField(regex=r"^[0-9a-f]{64}$", required=False, widget=forms.HiddenInput)

    def __init__(self, *args, levels=(), practitioner_level: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.practitioner_level = practitioner_level
        chosen = next((lv.label for lv in levels if lv.number == practitioner_level), None)
        agree = f"The same as the practitioner's: {chosen}" if chosen else "The same as the practitioner's"
        cast(forms.ChoiceField, self.fields["lead_level"]).choices = [("", agree)] + [
            (lv.number, lv.label) for lv in levels if lv.number != practitioner_level]

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not data.get("comment", "").strip():
            self.add_error("comment", "Say what needs to change before returning the draft")
        if data.get("lead_level") is not None and not data.get("lead_level_reason", "").strip():
            self.add_error("lead_level_reason", "Say why you see the level differently from the practitioner")
        return data


class SubmitForm(forms.Form):
    """Submit: the revision on the practitioner's page, so a change made elsewhere since is not sent unseen."""

    revision = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)


# How referrals reach a front door (the partnerships' documents name these routes).
SENT_HOW = ["Online referral form", "Secure email", "By phone, then confirmed in writing", "Other"]


class SentForm(GovukFormMixin, forms.Form):
    sent_on = sent_date_field(label="Date sent", error_messages={"required": "Enter the date it was sent"})
    how = forms.ChoiceField(choices=[(h, h) for h in SENT_HOW], widget=Radios(small=True), label="How it was sent",
                            error_messages={"required": "Choose how it was sent",
                                            "invalid_choice": "Choose one of the ways listed"})
    reference = forms.CharField(max_length=100, required=False, label="The front door's reference (if given)")


class DecisionForm(GovukFormMixin, forms.Form):
    """The front door's decision in the Standard Safeguarding Dataset's outcome vocabulary, and the day they
    made it (not in the future, not before the day it was sent)."""

    outcome = forms.ChoiceField(choices=FrontDoorOutcome.choices, widget=Radios(small=True),
                                label="What did the front door decide?",
                                error_messages={"required": "Choose what the front door decided",
                                                "invalid_choice": "Choose one of the decisions listed"})
    decided_on = DayMonthYearField(days_before=366, days_after=0, label="The date they decided",
                                   help_text="For example, 27/3/2026",
                                   too_early="Enter a date in the last year",
                                   too_late="The date they decided cannot be in the future",
                                   error_messages={"required": "Enter the date the front door decided"})
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, required=False,
                            label="Anything else they said (optional)")

    def __init__(self, *args, sent_on: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.sent_on = sent_on

    def clean(self):
        data = super().clean()
        decided_on = data.get("decided_on")
        if decided_on and self.sent_on and decided_on < self.sent_on:
            self.add_error("decided_on", f"The date they decided cannot be before the date it was sent "
                                         f"({self.sent_on:%-d %B %Y})")
        return data


class CloseForm(GovukFormMixin, forms.Form):
    """A lead's decision not to refer: "no referral" with the reason, or advice sought from the front door
    (who, when, what they said); either with what the organisation will do itself. A child-protection concern
    in the ticks adds a confirmation box. Its ids start id_close_ (it shares a page with the review form);
    `part_of` puts its controls in the draft's form (a lead's own draft: what was typed is saved first)."""

    closure = forms.ChoiceField(choices=Closure.choices, widget=Radios(), label="Why are you closing it?",
                                error_messages={"required": "Choose whether you decided not to refer, or sought "
                                                            "advice from the front door",
                                                "invalid_choice": "Choose one of the reasons listed"})
    closure_reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=5000, required=False,
                                     label="Why you decided not to refer")
    advice_from = forms.CharField(max_length=200, required=False, label="Who gave the advice",
                                  help_text="Their name and role, for example Jo Bloggs, duty social worker at the "
                                            "front door")
    advice_on = DayMonthYearField(required=False, days_before=366, days_after=0, label="When they gave it",
                                  help_text="For example, 27/3/2026", too_early="Enter a date in the last year",
                                  too_late="The date of the advice cannot be in the future")
    advice_said = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=5000, required=False,
                                  label="What they said")
    single_agency_action = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=5000, required=False,
                                           label="What your organisation will do (optional)",
                                           help_text="For example, weekly check-ins with a trusted adult, and "
                                                     "when you will review it")
    confirm_child_protection = forms.BooleanField(required=False, label=checks.CONFIRM_CLOSING_CHILD_PROTECTION)
    # The hash of the submission on the lead's page: closing acts on that one, never a newer one.
    submission = forms.RegexField(regex=r"^[0-9a-f]{64}$", required=False, widget=forms.HiddenInput)

    def __init__(self, *args, child_protection: bool = False, part_of: str = "", **kwargs):
        kwargs.setdefault("auto_id", "id_close_%s")
        super().__init__(*args, **kwargs)
        self.child_protection = child_protection
        if not child_protection:  # nothing to confirm: the box is not on the page
            del self.fields["confirm_child_protection"]
        if part_of:
            for field in self.fields.values():
                field.widget.attrs["form"] = part_of

    def clean(self):
        data = super().clean()
        found = checks.closure_problems(checks.ClosureFacts(
            closure=data.get("closure", ""), reason=data.get("closure_reason", ""),
            advice_from=data.get("advice_from", ""), advice_on=data.get("advice_on"),
            advice_said=data.get("advice_said", ""), child_protection=self.child_protection,
            confirmed=bool(data.get("confirm_child_protection"))), timezone.localdate())
        for problem in found:
            if problem.place in self.fields and not self.has_error(problem.place):
                self.add_error(problem.place, problem.message)
        return data


PURPOSES = [("review", "For my safeguarding lead's review"), ("send", "To send to the front door"),
            ("record", "For our organisation's records")]


class PrintForm(forms.Form):
    """Why a print is made (audited). Radios: the draft page shows them beside the draft and again at the
    end of its form (other ids), and as one group of the draft's form, whichever is chosen is the one sent."""

    purpose = forms.ChoiceField(choices=PURPOSES, label="Why are you printing it?", widget=Radios(small=True),
                                initial="review", error_messages={"required": "Choose why you are printing it"})

    def __init__(self, *args, part_of: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if part_of:  # the radios belong to the draft's form, so printing saves what was typed first
            self.fields["purpose"].widget.attrs["form"] = part_of
