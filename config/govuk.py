"""GOV.UK Frontend classes and error wiring for Django form widgets."""

from __future__ import annotations

from django import forms

_BASE = {
    forms.Textarea: "govuk-textarea",
    forms.Select: "govuk-select",
    forms.RadioSelect: "govuk-radios__input",
    forms.CheckboxInput: "govuk-checkboxes__input",
    forms.ClearableFileInput: "govuk-file-upload",
    forms.FileInput: "govuk-file-upload",
}
_ERROR = {"govuk-textarea": "govuk-textarea--error", "govuk-select": "govuk-select--error",
          "govuk-input": "govuk-input--error"}


class GovukFormMixin:
    """Give each widget its GOV.UK class and point aria-describedby at its hint, or its error."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = _BASE.get(type(field.widget), "govuk-input")

    def full_clean(self):
        super().full_clean()
        for name, field in self.fields.items():
            attrs = field.widget.attrs
            if name in self._errors:
                attrs["class"] = f"{attrs['class']} {_ERROR.get(attrs['class'], '')}".strip()
                attrs["aria-describedby"] = f"id_{name}-error"
            elif field.help_text:
                attrs["aria-describedby"] = f"id_{name}-hint"


class DayMonthYearField(forms.DateField):
    input_formats = ["%d/%m/%Y", "%d-%m-%Y", "%d %m %Y", "%Y-%m-%d"]
    default_error_messages = {"invalid": "Enter a real date in the format day/month/year, for example 27/3/2015."}
