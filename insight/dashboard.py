"""A dashboard as data (pure): the sections of an insight page, each a chart and the table of its numbers,
built from the summed figures of one scope (an organisation or a partnership) over a range of months.

Every number passes through measures.py's suppression on its way here; the template and the CSV only
show what this builds, so the page and the download cannot disagree.
"""

from __future__ import annotations

import tomllib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

from catalogues.codes import assessment_factors
from referrals.models import Closure, FrontDoorOutcome
from referrals.outcomes import NOT_IN_NEED

from .charts import Chart, bar_chart
from .measures import (
    DAY_BUCKET_LABELS,
    DAY_BUCKETS,
    NO_DATA,
    RATE_SUPPRESSED,
    Count,
    Rate,
    agreement,
    breakdown,
    count,
    csv_cell,
    median_bucket,
    month_label,
    rate,
    share_within,
)
from .models import Measure

NATIONAL_FILE = Path(__file__).resolve().parent / "data" / "national.toml"
QUIET_LEAD_REVIEWS = 10  # a lead with at least this many reviews, none changing anything, is a prompt
TOP_CODES = 10

# (measure, column heading, chart title)
SERIES: tuple[tuple[str, str, str], ...] = (
    (Measure.ASSESSMENTS, "Assessments", "Assessments started per month"),
    (Measure.REFERRALS_SUBMITTED, "Referrals submitted", "Referrals submitted for review per month"),
    (Measure.REFERRALS_SENT, "Referrals sent", "Referrals sent to the front door per month"),
    (Measure.CLOSED, "Closed, no referral", "Concerns closed without a referral per month"),
)
# The measures shown month by month; every other measure is only summed over the range, so the pages read
# those as one row per key (a partnership's reviews per lead were most of its rows, month by month).
MONTHLY_MEASURES = frozenset(measure for measure, _, _ in SERIES)
# (measure, the key that agrees, row heading, chart label)
COMPARISONS: tuple[tuple[str, str, str, str], ...] = (
    (Measure.PRACTITIONER_VS_SUGGESTED, "same", "Practitioner's level against the suggested level",
     "Practitioner and suggestion"),
    (Measure.LEAD_VS_PRACTITIONER, "agrees", "Lead's level against the practitioner's", "Lead and practitioner"),
    (Measure.FRONTDOOR_VS_LEVEL, "same", "Front door's decision against the referral's level",
     "Front door and referral"),
)


@dataclass(frozen=True)
class National:
    percent: float
    period: str
    text: str
    measured: str
    source: str
    url: str


@cache
def national() -> dict[str, National]:
    data = tomllib.loads(NATIONAL_FILE.read_text(encoding="utf-8"))
    return {name: National(source=data["source"], url=data["url"], **data[name])
            for name in ("not_in_need", "re_referrals")}


class Totals:
    """The figures of one scope and range, summed: (measure, key, month) → count; the month is None for a
    measure outside MONTHLY_MEASURES (summed over the whole range)."""

    def __init__(self, rows: Mapping[tuple[str, str, date | None], int]) -> None:
        self._by_key: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self._by_month: dict[str, dict[date | None, int]] = defaultdict(lambda: defaultdict(int))
        for (measure, key, month), n in rows.items():
            self._by_key[measure][key] += n
            self._by_month[measure][month] += n

    def by_key(self, measure: str) -> dict[str, int]:
        return dict(self._by_key.get(measure, {}))

    def by_month(self, measure: str) -> dict[date | None, int]:
        return dict(self._by_month.get(measure, {}))

    def total(self, measure: str) -> int:
        return sum(self._by_key.get(measure, {}).values())

    def __bool__(self) -> bool:
        return any(n for keys in self._by_key.values() for n in keys.values())


@dataclass(frozen=True)
class Row:
    label: str
    cells: tuple[str, ...]
    total: bool = False  # a total row, shown in bold


@dataclass(frozen=True)
class Table:
    id: str
    section: str
    caption: str
    first_header: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    text_columns: int = 0  # how many of the first columns hold words, not numbers
    short_labels: bool = False  # row headings kept on one line ("Sep 2026")


@dataclass(frozen=True)
class Dashboard:
    months: list[date]
    over_time_charts: tuple[Chart, ...]
    over_time: Table
    agreement_chart: Chart
    agreement: Table
    outcomes_chart: Chart
    outcomes: Table
    not_in_need: Rate
    national: National
    re_referrals: National
    comparison: Table
    closures: Table
    codes_chart: Chart
    codes: Table
    turnaround_charts: tuple[Chart, ...]
    turnaround: Table
    turnaround_days: Table
    supervision: Table
    has_figures: bool
    quiet_leads: list[str] = field(default_factory=list)  # the organisation's page only: names, A to Z
    quiet_lead_count: Count = Count(0)  # the partnership's page only

    @property
    def tables(self) -> list[Table]:
        """Every table of the page, in its order (the CSV download)."""
        return [self.over_time, self.agreement, self.outcomes, self.comparison, self.closures, self.codes,
                self.turnaround, self.turnaround_days, self.supervision]



def quiet_lead_ids(totals: Totals) -> list[int]:
    """Leads with at least QUIET_LEAD_REVIEWS reviews in the range who never returned, closed or changed
    the level of any: a prompt for supervision (ids, in no order that means anything)."""
    reviews, changes = totals.by_key(Measure.LEAD_REVIEWS), totals.by_key(Measure.LEAD_CHANGES)
    return sorted(int(k) for k, n in reviews.items() if n >= QUIET_LEAD_REVIEWS and not changes.get(k) and k.isdigit())


def build(totals: Totals, months: Sequence[date], *, scope: str, lead_names: Iterable[str] = ()) -> Dashboard:
    """The page for `scope` ("organisation": names in the supervision prompt; "partnership": a count only)."""
    months = list(months)
    span = f"{month_label(months[0])} to {month_label(months[-1])}" if months else ""
    over_time_charts, over_time = _over_time(totals, months, span)
    agreement_chart, agreement_table = _agreement(totals, span)
    outcomes_chart, outcomes = _outcomes(totals, span)
    decided = totals.by_key(Measure.DECIDED)
    ours = rate(sum(decided.get(o, 0) for o in NOT_IN_NEED), sum(decided.values()))
    nat = national()
    codes_chart, codes = _codes(totals, span)
    turnaround_charts, turnaround, turnaround_days = _turnaround(totals, span)
    names = sorted(lead_names, key=str.casefold) if scope == "organisation" else []
    quiet = count(len(quiet_lead_ids(totals)))
    return Dashboard(
        months=months, over_time_charts=over_time_charts, over_time=over_time,
        agreement_chart=agreement_chart, agreement=agreement_table,
        outcomes_chart=outcomes_chart, outcomes=outcomes, not_in_need=ours,
        national=nat["not_in_need"], re_referrals=nat["re_referrals"],
        comparison=_comparison(ours, nat["not_in_need"], scope),
        closures=_closures(totals), codes_chart=codes_chart, codes=codes,
        turnaround_charts=turnaround_charts, turnaround=turnaround, turnaround_days=turnaround_days,
        supervision=_supervision(names, quiet, scope), has_figures=bool(totals), quiet_leads=names,
        quiet_lead_count=quiet if scope == "partnership" else Count(0),
    )


def _over_time(totals: Totals, months: list[date], span: str) -> tuple[tuple[Chart, ...], Table]:
    columns = []
    for measure, _, _ in SERIES:
        per_month = totals.by_month(measure)
        cells, total = breakdown({m: per_month.get(m, 0) for m in months})
        columns.append((cells, total))
    rows = [Row(month_label(m), tuple(cells[m].text for cells, _ in columns)) for m in months]
    rows.append(Row("Total", tuple(total.text for _, total in columns), total=True))
    charts = tuple(bar_chart(f"chart-{measure}", title, f"Bar chart: {title.lower()}, {span}. The numbers are in "
                             "the table below.", [(month_label(m), cells[m]) for m in months])
                   for (measure, _, title), (cells, _) in zip(SERIES, columns, strict=True))
    table = Table("over-time", "Over time", "Each month", "Month", tuple(heading for _, heading, _ in SERIES),
                  tuple(rows), short_labels=True)
    return charts, table


def _agreement(totals: Totals, span: str) -> tuple[Chart, Table]:
    rows, bars = [], []
    for measure, agree, label, short in COMPARISONS:
        counts = totals.by_key(measure)
        parts = {k: counts.get(k, 0) for k in (agree, "higher", "lower")}
        cells, total = breakdown(parts)
        share = agreement(counts, agree, (agree, "higher", "lower"))
        rows.append(Row(label, (cells[agree].text, cells["higher"].text, cells["lower"].text, total.text, share.text)))
        bars.append((short, share))
    chart = bar_chart("chart-agreement", "How often the levels agreed",
                      f"Bar chart: the share that agreed, for each comparison, {span}. The numbers are in the "
                      "table below.", bars)
    table = Table("agreement", "Level agreement", "Agreement between levels", "Comparison",
                  ("Same", "Higher", "Lower", "Total", "Agreement"), tuple(rows))
    return chart, table


def _outcomes(totals: Totals, span: str) -> tuple[Chart, Table]:
    decided = totals.by_key(Measure.DECIDED)
    cells, total = breakdown({o: decided.get(o, 0) for o in FrontDoorOutcome.values})
    labels = dict(FrontDoorOutcome.choices)
    rows = [Row(str(labels[o]), (cells[o].text,)) for o in FrontDoorOutcome.values]
    rows.append(Row("All decisions", (total.text,), total=True))
    chart = bar_chart("chart-outcomes", "The front door's decisions",
                      f"Bar chart: decisions by outcome, {span}. The numbers are in the table below.",
                      [(str(labels[o]), cells[o]) for o in FrontDoorOutcome.values])
    return chart, Table("outcomes", "Front-door decisions", "Decisions by outcome", "Outcome", ("Decisions",),
                        tuple(rows))


def _comparison(ours: Rate, nat: National, scope: str) -> Table:
    here = "This organisation" if scope == "organisation" else "This partnership"
    rows = (Row(f"{here}: decided with no further action or advice only", (ours.text,)),
            Row(f"England, {nat.period}: assessed as not in need (DfE)", (f"{nat.percent:.1f}%",)))
    return Table("not-in-need", "Front-door decisions", "Not in need: ours and England's", "Measure", ("Share",),
                 rows)


def _closures(totals: Totals) -> Table:
    closed = totals.by_key(Measure.CLOSED)
    cells, total = breakdown({c: closed.get(c, 0) for c in Closure.values})
    labels = dict(Closure.choices)
    rows = [Row(str(labels[c]), (cells[c].text,)) for c in Closure.values]
    rows.append(Row("All closed without a referral", (total.text,), total=True))
    return Table("closures", "Front-door decisions", "Closed without a referral", "How", ("Concerns",), tuple(rows))


def _code_order(code: str) -> tuple[int, str]:
    digits = "".join(ch for ch in code if ch.isdigit())
    return int(digits or 0), code


def _codes(totals: Totals, span: str) -> tuple[Chart, Table]:
    by_code = totals.by_key(Measure.CODE)
    shown = [(code, count(n)) for code, n in by_code.items() if n > 0]
    # Most first; the suppressed after, in code order (their sizes are not shown, so not their order).
    shown.sort(key=lambda item: (item[1].suppressed, -(item[1].value or 0), _code_order(item[0])))
    top = shown[:TOP_CODES]
    labels = assessment_factors()
    rows = tuple(Row(code, (labels.get(code, "Code no longer in the census list"), c.text)) for code, c in top)
    chart = bar_chart("chart-codes", "Most-ticked concerns by national code",
                      f"Bar chart: assessments with a concern of each Children in Need census code, the {len(top)} "
                      f"most often ticked, {span}. The numbers are in the table below.",
                      [(f"{code} {labels.get(code, '')}".strip(), c) for code, c in top])
    return chart, Table("codes", "Concerns by national code", "Most-ticked concerns by Children in Need census code",
                        "Code", ("Description", "Assessments"), rows, text_columns=1)


def _median_text(counts: Mapping[str, int]) -> str:
    total = sum(counts.values())
    if total == 0:
        return NO_DATA
    bucket = median_bucket(counts)
    return RATE_SUPPRESSED if bucket is None else DAY_BUCKET_LABELS[bucket].lower()


def _turnaround(totals: Totals, span: str) -> tuple[tuple[Chart, ...], Table, Table]:
    kinds = ((Measure.REVIEW_DAYS, "From submission to the lead's review", "Reviews"),
             (Measure.DECISION_DAYS, "From sending to the front door's decision", "Decisions"))
    summary, columns, charts = [], [], []
    for measure, label, noun in kinds:
        counts = {b: totals.by_key(measure).get(b, 0) for b in DAY_BUCKETS}
        cells, total = breakdown(counts)
        summary.append(Row(label, (_median_text(counts), share_within(counts, 1).text, total.text)))
        columns.append((cells, total))
        charts.append(bar_chart(f"chart-{measure}", f"{label}, in working days",
                                f"Bar chart: {noun.lower()} by working days taken, {span}. The numbers are in the "
                                "table below.", [(DAY_BUCKET_LABELS[b], cells[b]) for b in DAY_BUCKETS]))
    days_rows = [Row(DAY_BUCKET_LABELS[b], tuple(cells[b].text for cells, _ in columns)) for b in DAY_BUCKETS]
    days_rows.append(Row("Total", tuple(total.text for _, total in columns), total=True))
    return (tuple(charts),
            Table("turnaround", "Turnaround", "Turnaround in working days", "Step",
                  ("Median", "Within 1 working day", "Total"), tuple(summary)),
            Table("turnaround-days", "Turnaround", "Working days taken", "Working days",
                  tuple(noun for _, _, noun in kinds), tuple(days_rows), short_labels=True))


def _supervision(names: list[str], quiet: Count, scope: str) -> Table:
    what = f"At least {QUIET_LEAD_REVIEWS} reviews, none returned, closed or changed"
    if scope == "organisation":
        rows = tuple(Row(name, (what,)) for name in names)
        return Table("supervision", "A prompt for supervision", "Leads to talk with in supervision",
                     "Safeguarding lead", ("In this period",), rows, text_columns=1)
    return Table("supervision", "A prompt for supervision", "Leads to talk with in supervision",
                 "Measure", ("Leads",), (Row(f"Leads with {what[0].lower()}{what[1:]}", (quiet.text,)),))


CSV_HEADER = ("section", "row", "column", "value")


def csv_rows(dashboard: Dashboard, about: Sequence[tuple[str, str]]) -> list[tuple[str, ...]]:
    """Every table of the page in long form (section, row, column, value), after rows saying what the figures
    are (`about`: scope, months, as of). Escaped for spreadsheets: measures.csv_cell."""
    rows: list[tuple[str, ...]] = [CSV_HEADER]
    rows += [("About these figures", label, "", value) for label, value in about]
    for table in dashboard.tables:
        for row in table.rows:
            for column, cell in zip(table.columns, row.cells, strict=True):
                rows.append((table.caption, row.label, column, cell))
    return [tuple(csv_cell(cell) for cell in row) for row in rows]
