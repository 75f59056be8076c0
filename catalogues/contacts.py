"""Contacts: whether one is open at a moment, and the numbers a phone link can dial.

Pure: no ORM, no request. Hours come only from the document's machine-readable windows
(Europe/London); a contact without them has no open/closed state (the product never guesses).
"""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from core.working_days import is_bank_holiday

from .schema import Contact

LONDON = ZoneInfo("Europe/London")


def _times(window) -> tuple[time, time]:
    return time.fromisoformat(window.start), (time.max if window.end == "24:00" else time.fromisoformat(window.end))


def is_open(contact: Contact, when: datetime) -> bool | None:
    """Whether a contact is open at `when`; None if the guidance gives no hours.

    A bank holiday closes office-hours services and opens, all day, those open on bank holidays.
    A window that runs past midnight carries on into the next morning: after an ordinary day on
    which it started, and after a bank holiday on which the service was open all day (the
    out-of-hours team is open at 07:00 on the day after the Boxing Day substitute holiday).
    """
    if contact.always_open:
        return True
    if not contact.windows:
        return None
    local = when.astimezone(LONDON)
    if is_bank_holiday(local.date()):
        return contact.open_on_bank_holidays
    now_t, today = local.time(), local.weekday()
    yesterday_date = local.date() - timedelta(days=1)
    if is_bank_holiday(yesterday_date):
        # Open all day yesterday (so every overnight window ran on), or closed all day (so none did).
        ran_overnight = set(range(7)) if contact.open_on_bank_holidays else set()
    else:
        ran_overnight = {yesterday_date.weekday()}
    for w in contact.windows:
        start, end = _times(w)
        if start <= end:
            if today in w.days and start <= now_t < end:
                return True
        elif (today in w.days and now_t >= start) or (now_t < end and ran_overnight & set(w.days)):
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
