from __future__ import annotations

from django import forms

from core.forms import GovukFormMixin, birth_date_field, due_date_field, sent_date_field

from .models import Consent, Draft

HOUSEHOLD_KEYS = ["name", "relationship", "parental_responsibility", "date_of_birth", "address"]
PROFESSIONAL_KEYS = ["name", "role", "organisation", "contact"]
MAX_ROWS = 20


def _rows(data, prefix: str, keys: list[str]) -> list[dict]:
    rows = []
    for n in range(MAX_ROWS):
        row = {k: str(data.get(f"{prefix}-{n}-{k}", ""))[:300].strip() for k in keys}
        if any(row.values()):
            rows.append(row)
    return rows


class DraftForm(GovukFormMixin, forms.ModelForm):
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

    def __init__(self, *args, catalogue, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chosen_level"].choices = [("", "Not chosen yet")] + [
            (lv.number, f"Level {lv.number} – {lv.name}") for lv in catalogue.levels]
        self.fields["consent_ground"].choices = [("", "Not applicable")] + [
            (g.id, g.text[:150]) for g in catalogue.consent_grounds]
        for name in ("child_name", "referrer_name"):
            self.fields[name].max_length = 200

    def cleaned_values(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("revision", None)
        for key in ("consent", "parents_aware", "consent_ground"):
            data[key] = data.get(key) or ""
        data["household"] = _rows(self.data, "household", HOUSEHOLD_KEYS)
        data["professionals"] = _rows(self.data, "professional", PROFESSIONAL_KEYS)
        return data


class ReviewForm(GovukFormMixin, forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "Approve"), ("return", "Return with comments")],
                                 widget=forms.RadioSelect, label="Your review",
                                 error_messages={"required": "Choose whether to approve or return the draft"})
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=5000,
                              label="Comments for the practitioner")

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not data.get("comment", "").strip():
            self.add_error("comment", "Say what needs to change before returning the draft")
        return data


class SentForm(GovukFormMixin, forms.Form):
    sent_on = sent_date_field(label="Date sent", error_messages={"required": "Enter the date it was sent"})
    how = forms.CharField(max_length=100, label="How it was sent", help_text="For example, secure email or online form",
                          error_messages={"required": "Say how it was sent"})
    reference = forms.CharField(max_length=100, required=False, label="The front door's reference (if given)")


class DecisionForm(GovukFormMixin, forms.Form):
    decision = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=5000,
                               label="The front door's decision",
                               error_messages={"required": "Enter the decision the front door made"})


PURPOSES = [("review", "For my safeguarding lead's review"), ("send", "To send to the front door"),
            ("record", "For our organisation's records")]


class PrintForm(forms.Form):
    purpose = forms.ChoiceField(choices=PURPOSES, error_messages={"required": "Choose why you are printing it"})
