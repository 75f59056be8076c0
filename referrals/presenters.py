"""Display-only shapes for referral pages (nothing here is stored)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .models import Draft


@dataclass(frozen=True)
class QueueRow:
    """A draft in the lead's review queue: the level it was submitted at, any danger, and how long it has waited."""

    draft: Draft
    level: str
    child_protection: bool
    immediate_danger: bool
    waiting_hours: int
    # The call made before the review, as submitted: "" where none was asked for (or the record predates it).
    phoned: str = ""
    phone_needed: bool = False
    phone_asked: bool = False  # submitted after the phone-now step existed (older records do not say)

    @property
    def urgent(self) -> bool:
        return self.child_protection or self.immediate_danger

    @property
    def waiting(self) -> str:
        days, hours = divmod(self.waiting_hours, 24)
        if days:
            return f"{days} day{'s' if days != 1 else ''}" + (f" {hours} h" if hours else "")
        return "under an hour" if hours == 0 else f"{hours} hour{'s' if hours != 1 else ''}"

    @classmethod
    def of(cls, draft: Draft, now: datetime) -> QueueRow:
        newest = draft.newest_first  # type: ignore[attr-defined]  # prefetched by the queue (to_attr): no query per row
        level = newest[0].record["level"] if newest else {}
        call = (newest[0].record.get("phone_call") or {}) if newest else {}
        since = draft.submitted_at or now
        phoned = " at ".join(x for x in (call.get("with", ""), call.get("at", "")) if x)
        return cls(draft=draft, level=level.get("chosen", ""), child_protection=bool(level.get("child_protection")),
                   immediate_danger=bool(level.get("immediate_danger")),
                   waiting_hours=max(0, int((now - since).total_seconds() // 3600)),
                   phoned=phoned, phone_needed=bool(call.get("needed")), phone_asked=bool(call))
