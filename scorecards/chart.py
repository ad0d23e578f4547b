"""The monthly trend as a server-drawn SVG line chart: no script, sharp in print.

Coordinates are computed here; the template only draws them. Scores run 0–100 on the y axis;
a month without data leaves a gap in its line rather than dropping to zero.
"""

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 640
HEIGHT = 240
LEFT = 40  # room for the y-axis labels
RIGHT = 12
TOP = 12
BOTTOM = 36  # room for the month labels
GRID = (0, 25, 50, 75, 100)


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    value: float


@dataclass(frozen=True)
class Series:
    key: str  # a CSS class suffix: composite, audits
    label: str  # a msgid
    segments: list[list[Point]]  # unbroken runs of months with data

    def polylines(self) -> list[str]:
        return [" ".join(f"{p.x:.1f},{p.y:.1f}" for p in run) for run in self.segments]

    @property
    def points(self) -> list[Point]:
        return [point for run in self.segments for point in run]


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    series: list[Series]
    x_labels: list[tuple[float, str]]
    y_grid: list[tuple[float, int]]
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT


def _x(index: int, count: int) -> float:
    span = WIDTH - LEFT - RIGHT
    return LEFT + (span * index / (count - 1) if count > 1 else span / 2)


def _y(value: float) -> float:
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - max(0.0, min(100.0, value)) / 100)


def line_chart(
    labels: Sequence[str], series: Sequence[tuple[str, str, Sequence[float | None]]]
) -> Chart:
    """A chart of `series` (key, label msgid, one value or None per label) over `labels`."""
    count = len(labels)
    drawn = []
    for key, label, values in series:
        segments: list[list[Point]] = []
        run: list[Point] = []
        for index, value in enumerate(values):
            if value is None:
                if run:
                    segments.append(run)
                run = []
                continue
            run.append(Point(_x(index, count), _y(value), value))
        if run:
            segments.append(run)
        drawn.append(Series(key=key, label=label, segments=segments))
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        series=drawn,
        x_labels=[(_x(i, count), label) for i, label in enumerate(labels)],
        y_grid=[(_y(value), value) for value in GRID],
    )
