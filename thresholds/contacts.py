"""Contacts: whether one is open at a moment, and the numbers a phone link can dial.

Pure: no ORM, no request. Hours come only from the document's machine-readable windows
(Europe/London); a contact without them has no open/closed state (the product never guesses).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from core.working_days import is_bank_holiday

from .catalogue_schema import Contact

LONDON = ZoneInfo("Europe/London")


def _open_all_day(contact: Contact, day: date) -> bool:
    return is_bank_holiday(day) and contact.open_on_bank_holidays


def is_open(contact: Contact, when: datetime) -> bool | None:
    """Whether a contact is open at `when`; None if the guidance gives no hours.

    A bank holiday closes office-hours services and opens, all day, those open on bank holidays.
    A window that runs past midnight carries on into the next morning, also when it started on a
    bank holiday the service was open (the out-of-hours team is open from 00:00 on the day after
    Boxing Day until its usual morning end).
    """
    if contact.always_open:
        return True
    if not contact.windows:
        return None
    local = when.astimezone(LONDON)
    today_date = local.date()
    if is_bank_holiday(today_date):
        return contact.open_on_bank_holidays
    now_t = local.time()
    today = local.weekday()
    yesterday_date = today_date - timedelta(days=1)
    yesterday = yesterday_date.weekday()
    yesterday_open = not is_bank_holiday(yesterday_date) or contact.open_on_bank_holidays
    for w in contact.windows:
        start = time.fromisoformat(w.start)
        end = time.max if w.end == "24:00" else time.fromisoformat(w.end)
        if start <= end:
            if today in w.days and start <= now_t < end:
                return True
        else:  # runs past midnight
            if today in w.days and now_t >= start:
                return True
            if yesterday in w.days and now_t < end and yesterday_open:
                return True
    # After a bank holiday on which the service was open all day: its overnight window carries on
    # until the morning end of the window that would have started that evening.
    if _open_all_day(contact, yesterday_date):
        for w in contact.windows:
            start = time.fromisoformat(w.start)
            end = time.fromisoformat(w.end) if w.end != "24:00" else time.max
            if start > end and now_t < end:
                return True
    return False


_DIGITS = re.compile(r"\d")
# "0151 934 4013/ 4481": a full number, then endings that replace its last digits.
_ALTERNATIVE_ENDING = re.compile(r"^\s*(?:/|or\b)\s*(\d{3,5})\b(?!\s*\d)")
_NUMBER = re.compile(r"\+?\(?\d[\d\s()]{1,20}\d|\b\d{3}\b")


def phone_links(phone: str | None) -> list[tuple[str, str]]:
    """(what to show, what to dial) for each number a written phone entry gives: one tel: link each.

    Handles the forms the documents use: "(01432) 260800", "0151 934 4013/ 4481" (two numbers
    sharing a prefix), "999", "101", and several numbers separated by "or", "," or ";".
    """
    if not phone:
        return []
    out: list[tuple[str, str]] = []
    rest = phone
    while rest:
        m = _NUMBER.search(rest)
        if not m:
            break
        shown = m.group().strip()
        digits = "".join(_DIGITS.findall(shown))
        if shown.startswith("+"):
            digits = "+" + digits
        out.append((shown, digits))
        rest = rest[m.end():]
        while True:
            alt = _ALTERNATIVE_ENDING.match(rest)
            if not alt:
                break
            ending = alt.group(1)
            out.append((shown[: len(shown) - len(ending)] + ending, digits[: len(digits) - len(ending)] + ending))
            rest = rest[alt.end():]
    seen: dict[str, tuple[str, str]] = {}
    for shown, digits in out:
        seen.setdefault(digits, (shown, digits))
    return list(seen.values())


def phone_numbers(phone: str | None) -> list[str]:
    """The numbers a written phone entry can dial, digits only."""
    return [digits for _, digits in phone_links(phone)]
