"""GOV.UK Frontend forms rendered by Django, and the date fields with sane ranges.

How a form field becomes GOV.UK markup:

* ``settings.FORM_RENDERER`` is :class:`GovukFormRenderer`. Its field template,
  ``templates/govuk/field.html``, draws the form group: a label (or, for radios, checkboxes and the
  date input, a fieldset with a legend), the hint, the error message and the control. Render a field
  with ``{{ form.name.as_field_group }}`` (``templates/includes/field.html`` does just that).
* Its bound field class, :class:`GovukBoundField`, gives each control its GOV.UK class (and the error
  modifier when the field has an error), points ``aria-describedby`` at the hint and the error
  (``<id>-hint``, ``<id>-error``), and knows ``anchor_id``: the element an error summary links to
  (the input, the first radio or checkbox, the day box of a date).
* Radios, checkboxes and the date input are widgets here (:class:`Radios`, :class:`Checkboxes`,
  :class:`DayMonthYearInput`) whose templates are in ``templates/govuk/widgets/``. Text inputs,
  textareas and selects use Django's own widget templates with the GOV.UK classes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils import timezone


def _govuk_class(widget: forms.Widget) -> str:
    """The GOV.UK class of a control; radios, checkboxes in a list and dates carry theirs in their templates."""
    if isinstance(widget, forms.RadioSelect | forms.MultiWidget | forms.HiddenInput):
        return ""
    if isinstance(widget, forms.CheckboxInput):
        return "govuk-checkboxes__input"
    if isinstance(widget, forms.Textarea):
        return "govuk-textarea"
    if isinstance(widget, forms.Select):
        return "govuk-select"
    if isinstance(widget, forms.FileInput):
        return "govuk-file-upload"
    return "govuk-input"


_ERROR_CLASS = {"govuk-input": "govuk-input--error", "govuk-textarea": "govuk-textarea--error",
                "govuk-select": "govuk-select--error", "govuk-file-upload": "govuk-file-upload--error"}


class GovukBoundField(forms.BoundField):
    """A form field as GOV.UK Frontend draws it: classes, hint and error ids, and where errors link to."""

    @property
    def hint_id(self) -> str:
        return f"{self.auto_id}-hint"

    @property
    def error_id(self) -> str:
        return f"{self.auto_id}-error"

    @property
    def legend_size(self) -> str:
        """The size of a fieldset's legend (s, m, l): set by the widget, small by default."""
        return getattr(self.field.widget, "legend_size", "s")

    @property
    def anchor_id(self) -> str:
        """The id an error summary links to: the control, the first radio or checkbox, or the day box."""
        widget = self.field.widget
        id_ = widget.attrs.get("id") or self.auto_id
        if isinstance(widget, forms.RadioSelect):  # and checkboxes, a RadioSelect with several choices
            return widget.id_for_label(id_, "0")
        return widget.id_for_label(id_) or id_

    @property
    def character_limit(self) -> int | None:
        """A textarea's maximum length: shown as a GOV.UK character count that updates as you type."""
        if isinstance(self.field.widget, forms.Textarea):
            return getattr(self.field, "max_length", None)
        return None

    @property
    def info_id(self) -> str:
        return f"{self.auto_id}-info"

    @property
    def aria_describedby(self) -> str | None:
        if self.field.widget.attrs.get("aria-describedby"):
            return None
        ids = []
        if self.auto_id and not self.is_hidden:
            if self.character_limit:
                ids.append(self.info_id)
            if self.help_text:
                ids.append(self.hint_id)
            if self.errors:
                ids.append(self.error_id)
        return " ".join(ids)

    def build_widget_attrs(self, attrs, widget=None):
        widget = widget or self.field.widget
        attrs = super().build_widget_attrs(attrs, widget)
        css = widget.attrs.get("class") or _govuk_class(widget)
        if css and self.errors and not widget.is_hidden:
            css = f"{css} {_ERROR_CLASS.get(css.split()[0], '')}".strip()
        if css:
            attrs["class"] = css
        if isinstance(widget, forms.RadioSelect):
            attrs.pop("aria-invalid", None)  # GOV.UK marks the group (its fieldset), not each option
        if isinstance(widget, forms.Textarea) and self.character_limit:
            # GOV.UK's character count: the script's class on the box (and no maxlength: see the mixin).
            attrs["class"] = f"{attrs.get('class', '')} govuk-js-character-count".strip()
        return attrs


class GovukFormRenderer(TemplatesSetting):
    """Django's form renderer with the project's templates first (settings.FORM_RENDERER)."""

    field_template_name = "govuk/field.html"
    bound_field_class = GovukBoundField


@dataclass(frozen=True)
class Fieldset:
    """A group of a form's fields under one heading; or a formset (rows of people, say) in its place."""

    id: str
    legend: str
    fields: list[forms.BoundField]
    formset: forms.BaseFormSet | None = None


if TYPE_CHECKING:
    _FormBase = forms.BaseForm  # what the mixin is mixed into
else:
    _FormBase = object


class GovukFormMixin(_FormBase):
    """The project's forms: GOV.UK rendering comes to every form through FORM_RENDERER; this adds the
    field groups. A form lists them in ``FIELDSETS`` as (id, heading, [field names]); a group whose id
    names one of the form's ``formsets`` shows that formset. Templates loop over ``form.fieldsets``."""

    FIELDSETS: ClassVar[list[tuple[str, str, list[str]]]] = []
    formsets: Mapping[str, forms.BaseFormSet] = {}

    if TYPE_CHECKING:
        # Django's clean() returns the cleaned data; the stubs allow None, which a subclass may return.
        def clean(self) -> dict[str, Any]: ...

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Every length limit says what to do, in the field's own words.
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and field.max_length:
                if isinstance(field.widget, forms.Textarea):
                    # GOV.UK's character count: pasting more is allowed, the count says by how much it is
                    # over, and the server refuses it with this message (a maxlength would cut it silently).
                    field.widget.attrs.pop("maxlength", None)
                field.error_messages["max_length"] = (
                    f"{field.label or 'This'} must be {field.max_length:,} characters or fewer: you have entered "
                    "%(show_value)s. Shorten it, then save again.")

    def legend(self, fieldset_id: str, heading: str) -> str:
        """A group's heading; override to word one for the case at hand."""
        return heading

    @property
    def fieldsets(self) -> list[Fieldset]:
        return [Fieldset(id_, self.legend(id_, heading), [self[n] for n in names if n in self.fields],
                         self.formsets.get(id_))
                for id_, heading, names in self.FIELDSETS]


class _GovukChoices:
    """What GOV.UK radios and checkboxes share: the small variant, and the size of their fieldset's legend."""

    def __init__(self, attrs=None, choices=(), *, small: bool = False, legend_size: str = "s"):
        super().__init__(attrs, choices)  # type: ignore[call-arg]  # the Django widget next in line takes these
        self.small, self.legend_size = small, legend_size

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)  # type: ignore[misc]  # the Django widget's
        context["widget"]["small"] = self.small
        return context


class Radios(_GovukChoices, forms.RadioSelect):
    """GOV.UK radios (in a fieldset whose legend is the field's label). ``small`` for the small ones."""

    template_name = "govuk/widgets/radios.html"
    option_template_name = "govuk/widgets/radio_option.html"


class Checkboxes(_GovukChoices, forms.CheckboxSelectMultiple):
    """GOV.UK checkboxes for a multiple choice (in a fieldset whose legend is the field's label)."""

    template_name = "govuk/widgets/checkboxes.html"
    option_template_name = "govuk/widgets/checkbox_option.html"


DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d %m %Y", "%Y-%m-%d"]


class DayMonthYearInput(forms.MultiWidget):
    """The GOV.UK date input: day, month and year boxes named <name>_day, <name>_month, <name>_year
    (ids likewise), in a fieldset. A single <name> value, as older pages post it, is read too."""

    widgets_names: list[str]  # set by MultiWidget.__init__; the stubs leave it out

    template_name = "govuk/widgets/date_input.html"
    parts = [("day", "Day", 2), ("month", "Month", 2), ("year", "Year", 4)]

    def __init__(self, attrs=None, *, legend_size: str = "s"):
        super().__init__({part: forms.TextInput(attrs={"inputmode": "numeric"}) for part, _, _ in self.parts}, attrs)
        self.legend_size = legend_size

    def decompress(self, value):
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        if isinstance(value, str) and value.strip():
            parsed = DayMonthYearField.parse(value)
            return [parsed.day, parsed.month, parsed.year] if parsed else [value, "", ""]
        return [None, None, None]

    def value_from_datadict(self, data, files, name):
        if name in data and not any(name + suffix in data for suffix in self.widgets_names):
            return data.get(name)  # one box: "27/3/2015"
        return super().value_from_datadict(data, files, name)

    def value_omitted_from_data(self, data, files, name):
        return name not in data and super().value_omitted_from_data(data, files, name)

    def id_for_label(self, id_):
        return f"{id_}_day" if id_ else ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        id_ = context["widget"]["attrs"].get("id")
        invalid = context["widget"]["attrs"].get("aria-invalid")
        for sub, suffix, (_, label, width) in zip(context["widget"]["subwidgets"], self.widgets_names, self.parts,
                                                  strict=True):
            sub["label"] = label
            if id_:
                sub["attrs"]["id"] = f"{id_}{suffix}"
            sub["attrs"]["class"] = (f"govuk-input govuk-date-input__input govuk-input--width-{width}"
                                     + (" govuk-input--error" if invalid else ""))
        return context


class DayMonthYearField(forms.DateField):
    """A day/month/year date, optionally within days of today (e.g. a date sent: not in the future).

    Shown as the GOV.UK date input (three boxes); it reads one "27/3/2015" box as well."""

    widget = DayMonthYearInput
    input_formats = DATE_FORMATS
    default_error_messages = {"invalid": "Enter a real date in the format day/month/year, for example 27/3/2015."}

    def __init__(self, *args, days_before: int | None = None, days_after: int | None = None,
                 too_early: str = "", too_late: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.days_before, self.days_after = days_before, days_after
        self.too_early, self.too_late = too_early, too_late

    @staticmethod
    def parse(value: str) -> date | None:
        field = forms.DateField(input_formats=DATE_FORMATS)
        try:
            return field.to_python(value)
        except forms.ValidationError:
            return None

    def to_python(self, value):
        if isinstance(value, list | tuple):  # the three boxes
            parts = [str(p if p is not None else "").strip() for p in value]
            value = "/".join(parts) if any(parts) else ""
        return super().to_python(value)

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
