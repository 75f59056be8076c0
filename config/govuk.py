"""GOV.UK Frontend classes and error wiring for Django form widgets."""

from __future__ import annotations

from django import forms


class GovukFormMixin:
    """Give each widget its GOV.UK class and point aria-describedby at its hint and error."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            css = {
                forms.Textarea: "govuk-textarea",
                forms.Select: "govuk-select",
                forms.RadioSelect: "govuk-radios__input",
                forms.CheckboxInput: "govuk-checkboxes__input",
            }.get(type(widget), "govuk-input")
            if self.is_bound and name in self.errors:
                css += {"govuk-textarea": " govuk-textarea--error", "govuk-select": " govuk-select--error",
                        "govuk-input": " govuk-input--error"}.get(css, "")
                widget.attrs["aria-describedby"] = f"id_{name}-error"
            elif field.help_text:
                widget.attrs["aria-describedby"] = f"id_{name}-hint"
            widget.attrs["class"] = css


class DayMonthYearField(forms.DateField):
    input_formats = ["%d/%m/%Y", "%d-%m-%Y", "%d %m %Y", "%Y-%m-%d"]
    default_error_messages = {"invalid": "Enter a real date in the format day/month/year, for example 27/3/2015."}
