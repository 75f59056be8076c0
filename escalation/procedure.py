"""The escalation procedure of a catalogue, as steps with working-day timescales. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from catalogues.schema import Catalogue
from core.working_days import add_working_days


@dataclass(frozen=True)
class StepSpec:
    number: int
    title: str
    participants: str
    produce: str
    working_days: int | None
    text: str
    source: str


def steps_of(catalogue: Catalogue) -> list[StepSpec]:
    esc = catalogue.escalation
    if esc is not None and esc.kind == "steps":
        return [StepSpec(s.number, s.title, s.participants, s.produce, s.working_days, s.text, s.source)
                for s in esc.steps]
    # The guidance only points to another procedure: record the discussion as one step with no clock
    # until a catalogue admin defines the steps.
    title = esc.title if esc else "Resolution of professional disagreement"
    text = esc.text if esc else "The guidance gives no escalation procedure."
    source = esc.source if esc else catalogue.document.title
    return [StepSpec(1, title, "The professionals involved", "An agreed way forward", None, text, source)]


def due_date(spec: StepSpec, started_on: date) -> date | None:
    return None if spec.working_days is None else add_working_days(started_on, spec.working_days)
