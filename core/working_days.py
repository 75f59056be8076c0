"""Working days in England: weekends and England's bank holidays (with substitute days) are not
working days. Pure functions, no ORM; the deadlines of escalation steps and the open-now check
of contacts both use them."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=32)
def _bank_holidays(year: int) -> frozenset[date]:
    # The England subdivision includes substitute days ("Boxing Day (substitute day)").
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_bank_holiday(day: date) -> bool:
    return day in _bank_holidays(day.year)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and not is_bank_holiday(day)


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (start itself does not count)."""
    if days < 0:
        raise ValueError("days must not be negative")
    current = start
    remaining = days
    while remaining:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end`; negative when `end` is earlier."""
    if end == start:
        return 0
    sign = 1 if end > start else -1
    lo, hi = (start, end) if sign == 1 else (end, start)
    count = 0
    current = lo
    while current < hi:
        current += timedelta(days=1)
        if is_working_day(current):
            count += 1
    return sign * count


def deadline_text(due: date, today: date) -> str:
    """"due in 2 working days (Wednesday 25 November 2026)", "due today (...)", "overdue by 1 working day (...)"."""
    when = f"{due:%A} {due.day} {due:%B %Y}"
    if due == today:
        return f"due today ({when})"
    n = working_days_between(today, due)
    if due > today:
        n = max(n, 0)
        return f"due in {n} working day{'s' if n != 1 else ''} ({when})"
    late = -n
    return f"overdue by {late} working day{'s' if late != 1 else ''} ({when})"
