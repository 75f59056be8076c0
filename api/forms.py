from __future__ import annotations

from django import forms

from core.forms import Checkboxes, GovukFormMixin, Radios

from .models import Scope

EXPIRY_DAYS = [("30", "30 days"), ("90", "90 days"), ("365", "A year")]


class IssueTokenForm(GovukFormMixin, forms.Form):
    organisation = forms.TypedChoiceField(coerce=int, label="Which organisation's token is it?",
                                          widget=Radios(legend_size="m"),
                                          error_messages={"required": "Select the organisation"})
    name = forms.CharField(max_length=30, label="Name",
                           help_text="What uses it, for example ‘CPOMS link’. It names the token in the audit trail.",
                           error_messages={"required": "Enter a name for the token"})
    scopes = forms.MultipleChoiceField(choices=Scope.choices, widget=Checkboxes(legend_size="m"),
                                       label="What may it do?",
                                       error_messages={"required": "Select what the token may do"})
    expires_in = forms.ChoiceField(choices=EXPIRY_DAYS, initial="90", widget=Radios(legend_size="m"),
                                   label="When does it expire?",
                                   error_messages={"required": "Select when the token expires"})

    def __init__(self, *args, organisations, taken_names, **kwargs):
        super().__init__(*args, **kwargs)
        self.taken_names = taken_names  # {(organisation id, name)}
        field = self.fields["organisation"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(o.pk, o.name) for o in organisations]
        if len(organisations) == 1:
            field.initial = organisations[0].pk

    def clean(self):
        data = super().clean()
        name = (data.get("name") or "").strip()
        data["name"] = name
        if name and (data.get("organisation"), name.lower()) in self.taken_names:
            self.add_error("name", "The organisation already has a token with this name: choose another")
        return data


class RevokeForm(forms.Form):
    confirm = forms.BooleanField(required=False)
