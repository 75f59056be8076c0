"""core/working_days.py: England's bank holidays and the working-day clock of escalation steps."""

from __future__ import annotations

from datetime import date

from core.working_days import (
    add_working_days,
    deadline_text,
    is_bank_holiday,
    is_working_day,
    working_days_between,
)


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
