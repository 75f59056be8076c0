from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import cast

from django import forms
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.text import Truncator

from authorities.models import Authority
from catalogues.engine import is_child_protection
from catalogues.schema import Indicator, Level
from catalogues.search import highlight
from core.forms import Checkboxes, GovukFormMixin, Radios, birth_date_field, due_date_field

from .models import Assessment
from .presentation import Section


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
        widget=Radios(legend_size="m"),
        label="Who is this about?",
        help_text="A consultation asks about thresholds without any details of the child.",
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
        # No level is picked for the person: with nothing ticked yet, they choose one themselves.
        cast(forms.ChoiceField, self.fields["level"]).choices = [("", "Choose a level")] + [
            (lv.number, lv.label) for lv in levels]

    def clean(self):
        data = super().clean()
        level = data.get("level")
        if level is not None and level != self.suggested and not data.get("reason", "").strip():
            self.add_error("reason", "Explain why you judge the level to be different from the suggestion")
        return data


class TickBoxes(Checkboxes):
    """One GOV.UK checkbox per indicator; each box's id is tick-<indicator id>."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if "id" in option["attrs"]:
            option["attrs"]["id"] = f"tick-{value}"
        return option

    def id_for_label(self, id_, index=None):
        first = next(iter(self.choices), None)
        return f"tick-{first[0]}" if index == "0" and first else ""


@dataclass(frozen=True)
class TickGroup:
    level: Level
    boxes: list[dict]  # each box's widget data, for the GOV.UK checkbox template (govuk/widgets/checkbox_option.html)


@dataclass(frozen=True)
class TickSection:
    name: str
    subname: str | None
    groups: list[TickGroup]


def _indicator_label(indicator: Indicator, marks: tuple[tuple[int, int], ...] = ()) -> str:
    """The box's label: the guidance's words (what a search matched in <mark>), and any danger tag."""
    text = highlight(indicator.text, marks) if marks else indicator.text
    if indicator.immediate_danger:
        return format_html('{} <strong class="govuk-tag govuk-tag--red">Immediate danger</strong>', text)
    return text


def _words(text: str, n: int) -> str:
    return Truncator(text).words(n, truncate=" …")  # as the truncatewords filter does


class TickField(forms.MultipleChoiceField):
    """Ticks checked against a set of the catalogue's ids (`known`): the tick path runs on every box ticked,
    and Django's own check scans every choice for every tick (25 ticks of 700 indicators: 17,500 steps).
    The boxes' choices are only made when the boxes are drawn (TicksForm.sections)."""

    known: Collection[str] = frozenset()

    def valid_value(self, value) -> bool:
        return str(value) in self.known


class TicksForm(forms.Form):
    """The tick list of one assessment: a box for each indicator shown (all of them, or those a filter
    found), the Disability Needs Matrix ratings where the catalogue has one, and the revision the page
    was loaded at (the service refuses a save over a newer one; blank from an old page: no check).

    The choices come from the assessment's own catalogue version, so an id it does not know is refused.
    Ticks a filter hides go back as hidden inputs (``kept_ids``) and only those: unticking a shown box
    unticks it."""

    revision = forms.IntegerField(required=False, min_value=0, max_value=2**31 - 1,
                                  widget=forms.HiddenInput(attrs={"id": "ticks-revision"}),
                                  error_messages={"invalid": "The page was out of date: reload it and try again"})
    tick = TickField(required=False, widget=TickBoxes, label="Indicators", error_messages={
        "invalid_choice": "A ticked indicator is not in this assessment's guidance: reload the page and try again"})

    def __init__(self, data=None, *, assessment: Assessment, sections: list[Section] | None = None,
                 query: str = ""):
        ratings = assessment.disability_ratings or {}
        super().__init__(data, initial={"revision": assessment.revision, "tick": list(assessment.ticks),
                                        **{f"rating-{area}": band for area, band in ratings.items()}})
        catalogue = assessment.catalogue_version.catalogue
        self.catalogue = catalogue
        self.shown = sections or []
        shown = {ind.id for section in self.shown for group in section.groups for ind in group.indicators}
        cast(TickField, self.fields["tick"]).known = catalogue.indicators_by_id.keys()
        self.kept_ids = [t for t in assessment.ticks if t not in shown] if query else []
        matrix = catalogue.disability_matrix
        self.rating_names: list[str] = []
        for area in matrix.areas if matrix else []:
            name = f"rating-{area.id}"
            self.fields[name] = forms.ChoiceField(
                required=False, label=area.name,
                choices=[("", "Not rated")] + [(band, f"{band.capitalize()}: {_words(getattr(area, band), 20)}")
                                               for band in ("low", "moderate", "high")],
                error_messages={"invalid_choice": "Choose a rating from the list, or leave it not rated"})
            self.rating_names.append(name)
        # Frozen behind a submitted referral: shown as it is, nothing to change (the service refuses too).
        self.locked = assessment.locked
        for field in self.fields.values():
            field.disabled = self.locked

    @cached_property
    def sections(self) -> list[TickSection]:
        """The shown indicators' boxes, in sections and levels as the page shows them."""
        position = {ind.id: n for n, ind in enumerate(
            ind for section in self.shown for group in section.groups for ind in group.indicators)}
        # The boxes shown first, in the page's order (the first is where an error links to); then the rest.
        cast(TickField, self.fields["tick"]).choices = [
            (ind.id, _indicator_label(ind)) for ind in
            sorted(self.catalogue.indicators, key=lambda i: position.get(i.id, len(position)))]
        boxes = {box.data["value"]: box.data for box in self["tick"]}
        for indicator in self.catalogue.indicators:
            box = boxes.get(indicator.id)
            if box is not None and (indicator.immediate_danger is not None or is_child_protection(indicator)):
                # The route to phone sits beside the box, revealed when it is ticked (GOV.UK conditional
                # reveal; without JavaScript it is always shown), so nobody has to look for it.
                box["danger"] = "immediate" if indicator.immediate_danger is not None else "child_protection"
                box["attrs"] = box["attrs"] | {"data-aria-controls": f"route-{indicator.id}"}
        return [TickSection(s.name, s.subname, [TickGroup(g.level, [boxes[i.id] for i in g.indicators])
                                                for g in s.groups])
                for s in self.shown]

    @property
    def rating_fields(self) -> list:
        return [self[name] for name in self.rating_names]

    def ratings(self) -> dict[str, str] | None:
        """The matrix ratings given (an area left unrated is left out); None without a matrix: keep them."""
        if self.catalogue.disability_matrix is None:
            return None
        return {name.removeprefix("rating-"): band for name in self.rating_names
                if (band := self.cleaned_data.get(name))}
