"""insight.queries: what a dashboard reads from the rollup."""

from __future__ import annotations

from datetime import date

import pytest

from insight import queries
from insight.dashboard import MONTHLY_MEASURES
from insight.models import Figure

pytestmark = pytest.mark.django_db

YEAR = [date(2026, m, 1) for m in range(1, 13)]


def test_only_the_measures_shown_month_by_month_are_read_month_by_month(people):
    """A partnership's reviews per lead are only counted over the range (the quiet-lead prompt), so they are
    read as one row per lead, not one per lead and month (they were most of a partnership's rows)."""
    assert "assessments" in MONTHLY_MEASURES and "lead_reviews" not in MONTHLY_MEASURES
    for month in YEAR:
        for measure, key, n in (("lead_reviews", "7", 2), ("assessments", "", 3), ("code", "14A", 1)):
            Figure.objects.create(authority=people.sefton, organisation=None, month=month, measure=measure, key=key,
                                  count=n)
        Figure.objects.create(authority=people.sefton, organisation=people.school, month=month,
                              measure="assessments", count=99)  # an organisation's row: not the partnership's
    assert queries.totals_rows(people.sefton, YEAR) == {
        ("lead_reviews", "7", None): 24, ("code", "14A", None): 12, **{("assessments", "", m): 3 for m in YEAR}}
    assert queries.totals_rows(people.school, YEAR[:2]) == {("assessments", "", YEAR[0]): 99,
                                                           ("assessments", "", YEAR[1]): 99}
