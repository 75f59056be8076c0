"""The date range of an insight page: from one month to another (GET), the last 12 months unless chosen."""

from __future__ import annotations

from datetime import date

from django import forms

from core.forms import GovukFormMixin

from .measures import MAX_MONTHS, add_months, month_label, month_start, months_between, parse_month

DEFAULT_MONTHS = 12
EXAMPLE = "For example, 2026-01 for January 2026"


class MonthField(forms.CharField):
    """A month typed as 2026-01 (or 1/2026); empty is allowed (the default range fills it in)."""

    def __init__(self, *, label: str, which: str) -> None:
        super().__init__(label=label, required=False, help_text=EXAMPLE,
                         widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-5",
                                                       "spellcheck": "false", "autocomplete": "off"}))
        self.which = which

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        month = parse_month(text)
        if month is None:
            raise forms.ValidationError(f"Enter the {self.which} month as a year and month, for example 2026-01")
        return month


class RangeForm(GovukFormMixin, forms.Form):
    """`from` and `to` (a Python keyword, so the fields are added by name); either may be left out."""

    def __init__(self, data=None, *, today: date) -> None:
        super().__init__(data)
        self.this_month = month_start(today)
        self.fields["from"] = MonthField(label="From (month)", which="start")
        self.fields["to"] = MonthField(label="To (month)", which="end")

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        end = data.get("to") or (add_months(data["from"], DEFAULT_MONTHS - 1) if data.get("from") else self.this_month)
        start = data.get("from") or add_months(end, -(DEFAULT_MONTHS - 1))
        if end < start:
            self.add_error("to", f"The end month must be the same as or after the start month ({month_label(start)})")
        elif len(months_between(start, end)) > MAX_MONTHS:
            self.add_error("to", f"Choose a range of {MAX_MONTHS} months or fewer: from {month_label(start)} "
                                 f"that is up to {month_label(add_months(start, MAX_MONTHS - 1))}")
        data["months"] = months_between(start, end)
        return data

    def months(self) -> list[date]:
        """The months chosen (call after is_valid())."""
        return self.cleaned_data["months"]

    @staticmethod
    def default_months(today: date) -> list[date]:
        end = month_start(today)
        return months_between(add_months(end, -(DEFAULT_MONTHS - 1)), end)
