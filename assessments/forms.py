from __future__ import annotations

from django import forms

from authorities.models import Authority
from core.forms import GovukFormMixin, birth_date_field, due_date_field

from .models import Assessment


class NewAssessmentForm(GovukFormMixin, forms.Form):
    authority = forms.ModelChoiceField(
        queryset=Authority.objects.filter(catalogue_versions__status="published").distinct(),
        empty_label=None,
        label="Which partnership's guidance applies to this child?",
        help_text="The partnership where the child lives. Choose another for a cross-border case.",
        error_messages={"required": "Select the partnership whose guidance applies",
                        "invalid_choice": "Select one of the partnerships listed"},
    )
    mode = forms.ChoiceField(
        choices=Assessment.Mode.choices,
        widget=forms.RadioSelect,
        label="Who is this about?",
        error_messages={"required": "Select whether this is a consultation or about a named child"},
    )
    child_name = forms.CharField(max_length=200, required=False, label="Child's full name")
    date_of_birth = birth_date_field(label="Date of birth", help_text="For example, 27/3/2015")
    due_date = due_date_field(label="Expected due date (unborn child)",
                              help_text="Leave date of birth empty for an unborn child")
    reference = forms.CharField(max_length=100, required=False, label="Your reference (optional)",
                                help_text="A reference your organisation uses. No names.")

    def clean(self):
        data = super().clean()
        mode = data.get("mode")
        name, dob, due = data.get("child_name", "").strip(), data.get("date_of_birth"), data.get("due_date")
        if mode == Assessment.Mode.CONSULTATION:
            if name or dob or due:
                self.add_error("child_name" if name else ("date_of_birth" if dob else "due_date"),
                               "A consultation holds no child details: remove them, or choose ‘A named child’")
        elif mode == Assessment.Mode.NAMED:
            if not name:
                self.add_error("child_name", "Enter the child's full name")
            if not dob and not due:
                self.add_error("date_of_birth", "Enter the date of birth, or the expected due date for an unborn child")
            if dob and due:
                self.add_error("due_date", "Enter either a date of birth or an expected due date, not both")
        data["child_name"] = name
        return data


class ChooseLevelForm(GovukFormMixin, forms.Form):
    level = forms.TypedChoiceField(coerce=int, label="The level you judge this to be",
                                   error_messages={"required": "Select the level you judge this to be",
                                                   "invalid_choice": "Select one of the levels listed"})
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000,
                             label="Why is your judgement different from the suggestion?",
                             help_text="Needed only when you choose a level other than the suggested one")

    def __init__(self, *args, levels, suggested: int | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.suggested = suggested
        self.fields["level"].choices = [(lv.number, f"Level {lv.number} – {lv.name}") for lv in levels]

    def clean(self):
        data = super().clean()
        level = data.get("level")
        if level is not None and level != self.suggested and not data.get("reason", "").strip():
            self.add_error("reason", "Explain why you judge the level to be different from the suggestion")
        return data


class TicksForm(forms.Form):
    """The tick list: ids are checked against the assessment's own catalogue version in the service."""

    def __init__(self, data, *, catalogue):
        super().__init__(data)
        self.catalogue = catalogue

    def revision(self) -> int | None:
        """The revision the page was loaded at (None from an old page without it: no check)."""
        value = self.data.get("revision", "")
        return int(value) if isinstance(value, str) and value.isdigit() and len(value) < 10 else None

    def tick_ids(self) -> list[str]:
        return [t for t in self.data.getlist("tick")[:2000] if isinstance(t, str) and len(t) <= 80]

    def ratings(self) -> dict[str, str] | None:
        matrix = self.catalogue.disability_matrix
        if matrix is None:
            return None
        out = {}
        for area in matrix.areas:
            value = self.data.get(f"rating-{area.id}", "")
            if value in {"low", "moderate", "high"}:
                out[area.id] = value
        return out
