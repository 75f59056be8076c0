"""GOV.UK Frontend forms: classes and error wiring for Django widgets, and the date fields with sane ranges."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone

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
    """A day/month/year date, optionally within days of today (e.g. a date sent: not in the future)."""

    input_formats = ["%d/%m/%Y", "%d-%m-%Y", "%d %m %Y", "%Y-%m-%d"]
    default_error_messages = {"invalid": "Enter a real date in the format day/month/year, for example 27/3/2015."}

    def __init__(self, *args, days_before: int | None = None, days_after: int | None = None,
                 too_early: str = "", too_late: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.days_before, self.days_after = days_before, days_after
        self.too_early, self.too_late = too_early, too_late

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        today = timezone.localdate()
        if self.days_before is not None and value < today - timedelta(days=self.days_before):
            raise forms.ValidationError(self.too_early)
        if self.days_after is not None and value > today + timedelta(days=self.days_after):
            raise forms.ValidationError(self.too_late)


# Sane ranges for the dates a practitioner enters: children's services work with young people up
# to 25 (care leavers); a pregnancy lasts at most about 10 months; a date sent is not in the future.
def birth_date_field(**kwargs) -> DayMonthYearField:
    return DayMonthYearField(required=False, days_before=25 * 366, days_after=0,
                             too_early="Enter a date of birth in the last 25 years",
                             too_late="A date of birth cannot be in the future: for an unborn child, enter the "
                                      "expected due date", **kwargs)


def due_date_field(**kwargs) -> DayMonthYearField:
    return DayMonthYearField(required=False, days_before=31, days_after=300,
                             too_early="An expected due date more than a month ago is a birth: enter the date of "
                                       "birth instead",
                             too_late="Enter an expected due date within the next 10 months", **kwargs)


def sent_date_field(**kwargs) -> DayMonthYearField:
    return DayMonthYearField(days_before=366, days_after=0, too_early="Enter a date in the last year",
                             too_late="The date sent cannot be in the future", **kwargs)

