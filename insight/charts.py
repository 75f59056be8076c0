"""Bar charts as plain SVG (templates/insight/_bar_chart.html), laid out here (pure).

Horizontal bars, one per row: the label on a line of its own, then the bar with its value just after it.
Lengths across are percentages of the chart's width and text keeps its size (no viewBox scaling), so the
chart is as readable at 375 px as on a desktop and long labels have the whole width. A suppressed value
is drawn as no bar with its words ("fewer than 5"). Every chart has the same numbers in a table beneath it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .measures import Count, Rate

ROW_HEIGHT = 48  # px: a line of label text, then the bar
LABEL_BASELINE = 18
BAR_TOP = 26
BAR_HEIGHT = 14
VALUE_BASELINE = 38
WIDEST_BAR = 75.0  # per cent of the width: room after the longest bar for its value
LABEL_CHARACTERS = 42  # longer labels are shortened in the chart (the table has them whole)


@dataclass(frozen=True)
class Bar:
    label: str
    text: str  # the value as shown ("12", "fewer than 5", "83.3%")
    width: float  # per cent of the chart's width; 0 draws no bar
    label_y: int
    bar_y: int
    value_y: int

    @property
    def value_x(self) -> float:
        """Just after the bar's end (or at the start when there is no bar)."""
        return round(self.width + 1.5, 2) if self.width else 0


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    summary: str
    bars: tuple[Bar, ...]
    bar_height: int = BAR_HEIGHT

    @property
    def height(self) -> int:
        return ROW_HEIGHT * len(self.bars) + 4

    @property
    def empty(self) -> bool:
        return not self.bars


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARACTERS else label[: LABEL_CHARACTERS - 1].rstrip() + "…"


def bar_chart(chart_id: str, title: str, summary: str, items: Sequence[tuple[str, Count | Rate]]) -> Chart:
    """One bar per item, scaled to the largest shown value (rates to 100%)."""
    def value(v: Count | Rate) -> float | None:
        return v.value if isinstance(v, Count) else v.percent

    shown = [value(v) for _, v in items if value(v) is not None]
    rates = any(isinstance(v, Rate) for _, v in items)
    top = 100.0 if rates else max([s for s in shown if s is not None] + [0])
    bars = []
    for n, (label, v) in enumerate(items):
        amount = value(v)
        width = round(WIDEST_BAR * amount / top, 2) if amount and top else 0.0
        y = n * ROW_HEIGHT
        bars.append(Bar(_short(label), v.text, width, y + LABEL_BASELINE, y + BAR_TOP, y + VALUE_BASELINE))
    return Chart(chart_id, title, summary, tuple(bars))
