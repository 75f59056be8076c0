"""The arithmetic of the insight pages (pure: no ORM, no request), unit-tested in tests/insight/test_measures.py.

Small-number suppression (docs/insight.md): a count from 1 to 4 is shown as "fewer than 5" (0 stays 0); a
rate is not shown when its numerator, its denominator or their difference is from 1 to 4; in a breakdown
shown with its total, one hidden cell would be given away by subtraction, so the next smallest non-zero
cell is hidden too. Also here: months and ranges, comparisons of levels and stages, working-day buckets,
CSV cells that a spreadsheet will not run as a formula, and child names masked in free text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from catalogues.schema import BANDS
from referrals.outcomes import STAGE_OF_OUTCOME

THRESHOLD = 5  # counts from 1 to THRESHOLD - 1 are never shown
SUPPRESSED = "fewer than 5"
RATE_SUPPRESSED = "not shown (fewer than 5)"
NO_DATA = "none yet"

K = TypeVar("K")


def is_small(n: int) -> bool:
    return 0 < n < THRESHOLD


@dataclass(frozen=True)
class Count:
    """A count as shown: its value, or None where it is suppressed."""

    value: int | None

    @property
    def suppressed(self) -> bool:
        return self.value is None

    @property
    def text(self) -> str:
        return SUPPRESSED if self.value is None else f"{self.value:,}"


def count(n: int) -> Count:
    return Count(None if is_small(n) else n)


@dataclass(frozen=True)
class Rate:
    """A share in per cent (one decimal place), or None: suppressed, or nothing to divide by."""

    percent: float | None
    suppressed: bool = False

    @property
    def text(self) -> str:
        if self.suppressed:
            return RATE_SUPPRESSED
        return NO_DATA if self.percent is None else f"{self.percent:.1f}%"


def rate(numerator: int, denominator: int) -> Rate:
    """numerator / denominator, not shown when the numerator, the denominator or what is left is 1 to 4
    (each could then be worked out, and each is a small group of children)."""
    if denominator <= 0:
        return Rate(None)
    if is_small(numerator) or is_small(denominator) or is_small(denominator - numerator):
        return Rate(None, suppressed=True)
    return Rate(round(100 * numerator / denominator, 1))


def breakdown(counts: Mapping[K, int]) -> tuple[dict[K, Count], Count]:
    """Each cell and the total, suppressed. If exactly one cell is hidden, the total would give it away, so
    the next smallest non-zero cell is hidden too (ties: the first in order)."""
    hidden = {k for k, n in counts.items() if is_small(n)}
    if len(hidden) == 1:
        others = [(n, i, k) for i, (k, n) in enumerate(counts.items()) if k not in hidden and n > 0]
        if others:
            hidden.add(min(others, key=lambda t: (t[0], t[1]))[2])
    cells = {k: Count(None) if k in hidden else Count(n) for k, n in counts.items()}
    return cells, count(sum(counts.values()))


# Working days, in buckets: same day, 1, 2, 3, 4, 5 or more.
DAY_BUCKETS: tuple[str, ...] = ("0", "1", "2", "3", "4", "5+")
DAY_BUCKET_LABELS: dict[str, str] = {"0": "Same working day", "1": "1 working day", "2": "2 working days",
                                     "3": "3 working days", "4": "4 working days", "5+": "5 or more working days"}


def day_bucket(days: int) -> str:
    """A negative gap (a date typed wrongly) counts as the same day."""
    return "5+" if days >= 5 else str(max(days, 0))


def median_bucket(counts: Mapping[str, int]) -> str | None:
    """The bucket of the middle value (the lower middle when the count is even); None when there are
    none, or fewer than 5 (a median of a handful describes those few)."""
    total = sum(counts.get(b, 0) for b in DAY_BUCKETS)
    if total < THRESHOLD:
        return None
    position, seen = (total + 1) // 2, 0
    for b in DAY_BUCKETS:
        seen += counts.get(b, 0)
        if seen >= position:
            return b
    raise AssertionError("unreachable")  # pragma: no cover


def share_within(counts: Mapping[str, int], days: int) -> Rate:
    """The share done within `days` working days (days < 5)."""
    within = sum(counts.get(str(d), 0) for d in range(days + 1))
    return rate(within, sum(counts.get(b, 0) for b in DAY_BUCKETS))


def agreement(counts: Mapping[str, int], agree: str, keys: Sequence[str]) -> Rate:
    """The share of `keys` that is `agree` (e.g. "same" of same/higher/lower)."""
    return rate(counts.get(agree, 0), sum(counts.get(k, 0) for k in keys))


def compare_levels(level: int | None, other: int | None) -> str | None:
    """"same", "higher" (level above other) or "lower"; None when either is missing."""
    if level is None or other is None:
        return None
    return "same" if level == other else "higher" if level > other else "lower"


def frontdoor_vs_level(outcome: str, bands: Sequence[str]) -> str:
    """The front door's outcome against the national stage(s) of the level the referral went at: "same" if
    its stage is one the level covers, "higher"/"lower" if the front door took it above/below them,
    "no_stage" for an outcome with no stage (an existing open case) or a level with none known."""
    stage = STAGE_OF_OUTCOME.get(outcome)
    if stage is None or not bands:
        return "no_stage"
    if stage in bands:
        return "same"
    indexes = [BANDS.index(b) for b in bands]
    return "higher" if BANDS.index(stage) > max(indexes) else "lower"


# Months: a month is the date of its first day.
MAX_MONTHS = 36


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def months_between(first: date, last: date) -> list[date]:
    """Every month from first to last, both included (empty when last is before first)."""
    first, last = month_start(first), month_start(last)
    span = (last.year - first.year) * 12 + last.month - first.month
    return [add_months(first, k) for k in range(span + 1)]


def months_up_to(last: date, n: int) -> list[date]:
    """The n months ending with last's month: the nightly rebuild's span."""
    return months_between(add_months(month_start(last), -(n - 1)), last)


_MONTH_FORMS = (re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})$"), re.compile(r"^(?P<m>\d{1,2})/(?P<y>\d{4})$"))


def parse_month(text: str) -> date | None:
    """"2026-03" or "3/2026" → 1 March 2026; anything else None."""
    text = text.strip()
    for form in _MONTH_FORMS:
        found = form.match(text)
        if found:
            year, month = int(found["y"]), int(found["m"])
            if 1 <= month <= 12 and 2000 <= year <= 2999:
                return date(year, month, 1)
    return None


def month_label(month: date) -> str:
    return f"{month:%b %Y}"


# CSV: a cell a spreadsheet would run as a formula starts with one of these (OWASP, "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """The text of a CSV cell, with a leading apostrophe where a spreadsheet would read a formula."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)


def mask_child(text: str, *names: str) -> str:
    """Free text with every word of the child's names (first, middle and last; two letters or more)
    replaced by "[child]", whole words and any case."""
    words = {w.casefold() for name in names for w in _WORD.findall(name or "") if len(w) >= 2}
    if not words:
        return text
    pattern = re.compile(r"(?<!\w)(" + "|".join(sorted(map(re.escape, words), key=len, reverse=True)) + r")(?!\w)",
                         re.IGNORECASE)
    return pattern.sub("[child]", text)
