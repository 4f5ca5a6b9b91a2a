"""Geometry for the dashboard's revenue chart, drawn as inline SVG by the template."""
from dataclasses import dataclass
from datetime import date

WIDTH = 760
HEIGHT = 220
LEFT = 56  # room for the axis labels
BOTTOM = 24
TOP = 10


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    day: date
    value: int


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    baseline: float
    top_value: int
    bars: list[Bar]


def bar_chart(series: list[tuple[date, int]]) -> Chart:
    """One bar per day, scaled so the best day (or NT$1,000 at least) reaches the top."""
    top_value = _round_up(max([value for _, value in series] + [1000]))
    plot_height = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT) / max(len(series), 1)
    bars = []
    for index, (day, value) in enumerate(series):
        height = plot_height * value / top_value
        bars.append(Bar(x=round(LEFT + index * slot + slot * 0.15, 1),
                        y=round(TOP + plot_height - height, 1),
                        width=round(slot * 0.7, 1), height=round(height, 1), day=day, value=value))
    return Chart(WIDTH, HEIGHT, LEFT, TOP + plot_height, top_value, bars)


def _round_up(value: int) -> int:
    # A readable axis maximum: 1, 2 or 5 times a power of ten.
    magnitude = 1
    while True:
        for step in (1, 2, 5):
            if value <= step * magnitude:
                return step * magnitude
        magnitude *= 10
