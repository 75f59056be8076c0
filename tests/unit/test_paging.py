"""Keyset paging (core/paging.py) of the audit trail: every row once, in order, whichever way the pages are
walked, even when many rows share a time; a bad cursor gives the newest page; counts stop at the limit;
and the audit page's day filters are UK days."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine

from authorities import audit
from authorities.actor import Actor
from authorities.forms import AuditFilterForm
from authorities.models import AuditEvent
from core import paging

pytestmark = pytest.mark.django_db


def _events(n: int, when: datetime, action: str = "test.paging") -> list[int]:
    with time_machine.travel(when, tick=False):  # all at the same instant: only the id orders them
        return [audit.record(Actor.system("paging test"), action).pk for _ in range(n)]


def test_walking_older_then_newer_gives_every_row_once_in_order_with_ties_on_time():
    ids = _events(7, datetime(2026, 3, 1, 9, tzinfo=UTC)) + _events(6, datetime(2026, 3, 2, 9, tzinfo=UTC))
    rows = AuditEvent.objects.filter(action="test.paging")
    expected = sorted(ids, reverse=True)  # newest first: the later day, then the higher id
    seen, pages, cursor = [], [], ""
    while True:
        p = paging.page(rows, before=cursor, size=4)
        pages.append(p)
        seen += [r.pk for r in p.rows]
        if not p.older:
            break
        cursor = p.older
    assert seen == expected
    assert [len(p.rows) for p in pages] == [4, 4, 4, 1]
    assert pages[0].newer == "" and all(p.newer for p in pages[1:])
    # Back up from the oldest page: each newer page is the one before it.
    back = paging.page(rows, after=pages[-1].newer, size=4)
    assert [r.pk for r in back.rows] == [r.pk for r in pages[-2].rows]
    top = paging.page(rows, after=pages[1].newer, size=4)
    assert [r.pk for r in top.rows] == [r.pk for r in pages[0].rows] and top.newer == ""


@pytest.mark.parametrize("cursor", ["", "nonsense", "12.x", "-5.3", "9" * 40 + ".1"])
def test_a_cursor_that_does_not_parse_gives_the_newest_page(cursor):
    ids = _events(3, datetime(2026, 3, 1, 9, tzinfo=UTC))
    p = paging.page(AuditEvent.objects.filter(action="test.paging"), before=cursor, after=cursor, size=2)
    assert [r.pk for r in p.rows] == sorted(ids, reverse=True)[:2] and p.newer == "" and p.older


def test_counts_stop_at_the_limit():
    _events(6, datetime(2026, 3, 1, 9, tzinfo=UTC))
    rows = AuditEvent.objects.filter(action="test.paging")
    assert paging.bounded_count(rows, limit=10) == (6, False)
    assert paging.bounded_count(rows, limit=5) == (5, True)


def test_the_audit_filters_days_are_uk_days():
    """23:30 on 1 July in London is 22:30 UTC: it belongs to 1 July, not to the day before or after."""
    late = datetime(2026, 7, 1, 22, 30, tzinfo=UTC)
    [pk] = _events(1, late, action="draft.view")
    rows = AuditEvent.objects.filter(action="draft.view")

    def shown(**days) -> bool:
        form = AuditFilterForm({k: v.strftime("%d/%m/%Y") for k, v in days.items()})
        assert form.is_valid(), form.errors
        return form.apply(rows).filter(pk=pk).exists()
    assert shown(date_from=date(2026, 7, 1), date_to=date(2026, 7, 1))
    assert not shown(date_to=date(2026, 6, 30))
    assert not shown(date_from=date(2026, 7, 2))
