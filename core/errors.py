"""The two ways a request can be refused, shared by every app's services.

`NotAllowed`: the person may see the record but may not make this change (said in a message).
`Problem`: what to fix and where (a form field, or a place in a catalogue file); `blocking=False`
marks a warning that is shown but does not stop the step.
"""

from __future__ import annotations

from dataclasses import dataclass


class NotAllowed(Exception):
    """A change refused with a reason the person can act on."""


@dataclass(frozen=True)
class Problem:
    place: str  # a form field name, or a place in a file ("indicators[3].level (line 40)")
    message: str  # what is wrong and what to do
    blocking: bool = True

    def __str__(self) -> str:
        return f"{self.place}: {self.message}"
