"""core/working_days.py: England's bank holidays and the working-day clock of escalation steps."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from core.working_days import (
    add_working_days,
    deadline_text,
    is_bank_holiday,
    is_working_day,
    working_days_between,
)


def _reference_add_working_days(start: date, days: int) -> date:
    """The day-by-day implementation these functions replaced, kept as the definition they must match."""
    current = start
    remaining = days
    while remaining:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def _reference_working_days_between(start: date, end: date) -> int:
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


def test_christmas_2026_with_the_boxing_day_substitute():
    assert is_bank_holiday(date(2026, 12, 25))  # Friday
    assert is_bank_holiday(date(2026, 12, 28))  # Boxing Day (substitute day), Monday
    assert not is_working_day(date(2026, 12, 26)) and not is_working_day(date(2026, 12, 27))
    assert add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 29)
    assert add_working_days(date(2026, 12, 23), 2) == date(2026, 12, 29)


def test_easter_2027():
    assert is_bank_holiday(date(2027, 3, 26))  # Good Friday
    assert is_bank_holiday(date(2027, 3, 29))  # Easter Monday
    assert add_working_days(date(2027, 3, 25), 1) == date(2027, 3, 30)
    assert working_days_between(date(2027, 3, 25), date(2027, 3, 30)) == 1


def test_june_2022_bank_holidays():
    assert is_bank_holiday(date(2022, 6, 2)) and is_bank_holiday(date(2022, 6, 3))
    assert add_working_days(date(2022, 6, 1), 2) == date(2022, 6, 7)


def test_a_step_started_on_a_friday_afternoon_is_due_on_tuesday():
    assert add_working_days(date(2026, 11, 20), 2) == date(2026, 11, 24)


def test_sefton_clock_is_11_working_days_in_all():
    start = date(2026, 11, 23)
    end = start
    for days in (2, 2, 2, 5):
        end = add_working_days(end, days)
    assert working_days_between(start, end) == 11


def test_deadline_wording():
    monday = date(2026, 11, 23)
    assert deadline_text(date(2026, 11, 25), monday) == "due in 2 working days (Wednesday 25 November 2026)"
    assert deadline_text(monday, monday) == "due today (Monday 23 November 2026)"
    assert deadline_text(date(2026, 11, 19), monday) == "overdue by 2 working days (Thursday 19 November 2026)"


def _every_day(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def test_working_days_between_matches_counting_day_by_day():
    # Five Christmases and Easters, the May and August holidays, the 2022 jubilee and the 2026 Boxing Day
    # substitute: every pair of days up to 45 days apart, both ways, plus pairs years apart.
    days = _every_day(date(2021, 12, 1), date(2027, 1, 15))
    near = [(a, a + timedelta(days=gap)) for a in days for gap in range(0, 46)]
    far = [(a, b) for a in days[::53] for b in days[::61]]
    pairs = near + [(b, a) for a, b in near] + far
    mismatches = [(a, b) for a, b in pairs if working_days_between(a, b) != _reference_working_days_between(a, b)]
    assert len(pairs) > 150_000 and mismatches == []


def test_add_working_days_matches_counting_day_by_day():
    starts = _every_day(date(2021, 12, 1), date(2027, 1, 15))
    cases = [(start, n) for start in starts for n in (*range(0, 16), 20, 40)]
    cases += [(start, n) for start in starts[::29] for n in (250, 600)]
    mismatches = [(start, n) for start, n in cases if add_working_days(start, n) != _reference_add_working_days(start, n)]
    assert mismatches == []


def test_the_two_functions_are_inverse():
    start = date(2026, 12, 20)
    for n in range(0, 30):
        assert working_days_between(start, add_working_days(start, n)) == n


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        add_working_days(date(2026, 11, 23), -1)
