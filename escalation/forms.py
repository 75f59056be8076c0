from typing import cast

from django import forms

from core.forms import DayMonthYearField, GovukFormMixin, Radios

from .models import EscalationCase, EscalationStep


class OpenCaseForm(GovukFormMixin, forms.ModelForm):
    class Meta:
        model = EscalationCase
        fields = ["our_agency", "other_agency", "about", "outcome_sought"]
        widgets = {"about": forms.Textarea(attrs={"rows": 4}), "outcome_sought": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "our_agency": {"required": "Enter your agency"},
            "other_agency": {"required": "Enter the agency you disagree with"},
            "about": {"required": "Describe what the disagreement is about"},
            "outcome_sought": {"required": "Say what outcome you are seeking"},
        }


class PartnershipForm(GovukFormMixin, forms.Form):
    """Whose escalation procedure applies: asked (by GET, so the page shows that procedure before anything
    is written) when the escalation is not about a referral, whose partnership is then fixed."""

    partnership = forms.ChoiceField(
        label="Whose escalation procedure applies",
        help_text="Usually the partnership of the child's local authority, which may not be yours.")

    def __init__(self, *args, choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["partnership"]).choices = choices


class StepForm(GovukFormMixin, forms.Form):
    participants = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=2000,
                                   label="Who took part", error_messages={"required": "Enter who took part"})
    discussion = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=10000, required=False,
                                 label="What was discussed")
    agreed_plan = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=10000, required=False,
                                  label="The agreed plan")
    plan_due_on = DayMonthYearField(required=False, label="The plan's own timescale (day/month/year)")
    outcome = forms.ChoiceField(required=False, widget=Radios(small=True), label="Outcome", error_messages={
        "invalid_choice": "This is the last step of the procedure: its decision is final. Close the case."})

    def __init__(self, *args, next_step: int | None, **kwargs):
        """`next_step`: the number of the step escalating leads to; None at the procedure's last step."""
        super().__init__(*args, **kwargs)
        choices = [(EscalationStep.Outcome.OPEN.value, "Still in progress"),
                   (EscalationStep.Outcome.RESOLVED.value, "Resolved at this step")]
        if next_step is not None:
            choices.append((EscalationStep.Outcome.ESCALATED.value, f"Not resolved: escalate to step {next_step}"))
        cast(forms.ChoiceField, self.fields["outcome"]).choices = choices


class CloseForm(GovukFormMixin, forms.Form):
    resolution = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=10000,
                                 label="How it was resolved", error_messages={"required": "Say how it was resolved"})
    learning = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=10000, required=False,
                               label="Learning for the partnership")
