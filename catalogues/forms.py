from __future__ import annotations

import re
from typing import cast

from django import forms

from core.forms import Checkboxes, GovukFormMixin, Radios

from .codes import assessment_factors
from .schema import Catalogue
from .search import vocabulary


class IndicatorForm(GovukFormMixin, forms.Form):
    id = forms.CharField(max_length=80, label="Id", help_text="Lower-case letters, digits, dots, dashes; never reused")
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=20000,
                           label="Wording (as the guidance words it)")
    level = forms.TypedChoiceField(coerce=int, label="Level")
    domain = forms.ChoiceField(label="Domain")
    subdomain = forms.ChoiceField(required=False, label="Sub-area")
    source = forms.CharField(max_length=500, label="Where it is in the guidance (section or appendix)")
    applies_to = forms.ChoiceField(choices=[("any", "Any child"), ("unborn", "Unborn child only"),
                                            ("born", "Born child only")], label="Applies to")
    immediate_danger = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=20000,
                                       label="Immediate danger: the guidance's sentence that makes it so",
                                       help_text="Leave empty if the indicator does not mean immediate danger")
    danger_source = forms.CharField(max_length=500, required=False, label="Where that sentence is in the guidance")
    child_protection = forms.ChoiceField(
        choices=[("", "Not reviewed (only allowed below the top level)"),
                 ("yes", "Yes: a child-protection concern, meets the top level on its own"),
                 ("no", "No: a need at its level (top level only)")],
        required=False, widget=Radios, label="Child-protection concern?")
    cp_sentence = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=20000,
                                  label="The guidance's sentence behind that answer")
    cp_source = forms.CharField(max_length=500, required=False, label="Where that sentence is in the guidance")
    codes = forms.MultipleChoiceField(
        required=False, widget=Checkboxes(small=True), label="Children in Need census codes that apply",
        help_text="The assessment factor codes for the concern this indicator describes (none for a strength)",
        error_messages={"invalid_choice": "Choose codes from the list"})
    concepts = forms.MultipleChoiceField(
        required=False, widget=Checkboxes(small=True), label="Concerns in the shared vocabulary",
        help_text="Where no census code fits, or to help compare partnerships (docs/search-vocabulary.md)",
        error_messages={"invalid_choice": "Choose concerns from the list"})

    def __init__(self, *args, catalogue: Catalogue, new: bool, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["level"]).choices = [(lv.number, lv.label) for lv in catalogue.levels]
        cast(forms.ChoiceField, self.fields["domain"]).choices = [(d.id, d.name) for d in catalogue.domains]
        cast(forms.ChoiceField, self.fields["subdomain"]).choices = [("", "None")] + [
            (s.id, f"{d.name}: {s.name}") for d in catalogue.domains for s in d.subdomains]
        cast(forms.ChoiceField, self.fields["codes"]).choices = [
            (code, f"{code} – {label}") for code, label in assessment_factors().items()]
        cast(forms.ChoiceField, self.fields["concepts"]).choices = [(c.id, c.name) for c in vocabulary()]
        if not new:
            self.fields["id"].disabled = True

    @staticmethod
    def initial_from(item: dict) -> dict:
        danger, cp = item.get("immediate_danger") or {}, item.get("child_protection") or {}
        return {**{k: item.get(k) for k in ("id", "text", "level", "domain", "subdomain", "source", "applies_to",
                                           "codes", "concepts")},
                "immediate_danger": danger.get("sentence", ""), "danger_source": danger.get("source", ""),
                "child_protection": "" if not cp else ("yes" if cp.get("decisive") else "no"),
                "cp_sentence": cp.get("sentence", ""), "cp_source": cp.get("source", "")}

    def clean(self):
        data = super().clean()
        if data.get("immediate_danger") and not data.get("danger_source"):
            self.add_error("danger_source", "Say where the sentence is in the guidance")
        if data.get("child_protection"):
            if not data.get("cp_sentence"):
                self.add_error("cp_sentence", "Quote the guidance's sentence behind the answer")
            if not data.get("cp_source"):
                self.add_error("cp_source", "Say where the sentence is in the guidance")
        return data

    def values(self) -> dict:
        d = self.cleaned_data
        cp = d.get("child_protection")
        return {
            "id": d["id"], "text": d["text"], "level": d["level"], "domain": d["domain"],
            "subdomain": d.get("subdomain") or None, "source": d["source"], "applies_to": d["applies_to"],
            "immediate_danger": ({"sentence": d["immediate_danger"], "source": d["danger_source"]}
                                 if d.get("immediate_danger") else None),
            "child_protection": ({"decisive": cp == "yes", "sentence": d["cp_sentence"], "source": d["cp_source"]}
                                 if cp else None),
            "codes": list(d.get("codes") or []), "concepts": list(d.get("concepts") or []),
        }

    def add_schema_errors(self, problems) -> None:
        """Put each schema message next to its field; the rest at the top."""
        for p in problems:
            place = re.sub(r"\s*\(line \d+\)", "", p.place)
            name = place.rsplit(".", 1)[-1].split("[")[0]
            if "immediate_danger" in place:
                name = {"sentence": "immediate_danger", "source": "danger_source"}.get(name, name)
            elif "child_protection" in place:
                name = {"sentence": "cp_sentence", "source": "cp_source"}.get(name, "child_protection")
            self.add_error(name if name in self.fields else None, p.message)


class SectionForm(GovukFormMixin, forms.Form):
    content = forms.CharField(widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "false"}), max_length=2_000_000,
                              label="The section, in the catalogue file format (JSON)")


class UploadForm(GovukFormMixin, forms.Form):
    file = forms.FileField(label="Catalogue file (.json)", error_messages={"required": "Choose a catalogue file"})
