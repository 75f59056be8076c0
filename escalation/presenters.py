"""What the escalation pages show about a case and its steps, worked out once for a day: read-only
views over the models (the models themselves are never given display attributes)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from core.working_days import deadline_text

from .models import EscalationCase, EscalationStep
from .procedure import StepSpec

NO_TIMESCALE = "no timescale set"


@dataclass(frozen=True)
class StepView:
    """A step on the case's page: the step, its deadline in words, whether it is overdue, and the
    procedure's own text for it (None when the procedure has fewer steps than the case)."""

    step: EscalationStep
    deadline: str
    overdue: bool
    spec: StepSpec | None


@dataclass(frozen=True)
class CaseRow:
    """An open case in the list: its current step and that step's deadline."""

    case: EscalationCase
    step: EscalationStep | None
    due: date | None
    overdue: bool
    deadline: str


def step_views(steps: list[EscalationStep], specs: list[StepSpec], today: date) -> list[StepView]:
    return [StepView(step=s,
                     deadline=deadline_text(s.due_on, today) if s.due_on else NO_TIMESCALE,
                     overdue=bool(s.due_on and not s.outcome and s.due_on < today),
                     spec=specs[s.number - 1] if s.number <= len(specs) else None)
            for s in steps]


def case_rows(cases: list[EscalationCase], today: date) -> list[CaseRow]:
    """Overdue first, then by deadline (no deadline last)."""
    rows = []
    for case in cases:
        step = case.current_step
        due = step.due_on if step else None
        rows.append(CaseRow(case=case, step=step, due=due, overdue=bool(due and due < today),
                            deadline=deadline_text(due, today) if due else NO_TIMESCALE))
    rows.sort(key=lambda r: (not r.overdue, r.due or today.replace(year=today.year + 50)))
    return rows
