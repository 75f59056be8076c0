"""Working days in England: weekends and England's bank holidays (with substitute days) are not
working days. Pure functions, no ORM; the deadlines of escalation steps and the open-now check
of contacts both use them."""

from __future__ import annotations

from bisect import bisect_right
from datetime import date
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


@lru_cache(maxsize=64)
def _weekday_holidays(first_year: int, last_year: int) -> tuple[date, ...]:
    # Sorted so a range of dates is counted with two bisects; weekend holidays are left out because
    # the week arithmetic has already skipped those days.
    return tuple(sorted(day for year in range(first_year, last_year + 1)
                        for day in _bank_holidays(year) if day.weekday() < 5))


def _weekday_holidays_after_up_to(lo: date, hi: date) -> int:
    """Bank holidays falling on Monday to Friday in (lo, hi]."""
    if hi <= lo:
        return 0
    days = _weekday_holidays(lo.year, hi.year)
    return bisect_right(days, hi) - bisect_right(days, lo)


def _weekdays_up_to(day: date) -> int:
    """Mondays to Fridays from 1 January of year 1 (a Monday, ordinal 1) up to and including `day`."""
    weeks, rest = divmod(day.toordinal(), 7)
    return weeks * 5 + min(rest, 5)


def _weekday_numbered(n: int) -> date:
    """The `n`th weekday (n >= 1) counted as in _weekdays_up_to."""
    weeks, rest = divmod(n - 1, 5)
    return date.fromordinal(weeks * 7 + rest + 1)


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (start itself does not count)."""
    if days < 0:
        raise ValueError("days must not be negative")
    if days == 0:
        return start
    # Jump whole weekdays, then step past the bank holidays the jump crossed; each round only
    # looks at the few days just added, so this ends after one or two rounds in practice.
    previous, current = start, _weekday_numbered(_weekdays_up_to(start) + days)
    while skipped := _weekday_holidays_after_up_to(previous, current):
        previous, current = current, _weekday_numbered(_weekdays_up_to(current) + skipped)
    return current


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end`; negative when `end` is earlier."""
    if end == start:
        return 0
    sign = 1 if end > start else -1
    lo, hi = (start, end) if sign == 1 else (end, start)
    count = _weekdays_up_to(hi) - _weekdays_up_to(lo) - _weekday_holidays_after_up_to(lo, hi)
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
