"""The period a scorecard covers: a month, a quarter, a year or custom dates.

Dates are the bank's calendar days (FRONTLINE_TIME_ZONE), both ends inclusive. A period is
named in addresses as `period=2026-11` (month), `2026-Q4` (quarter), `2026` (year), or by
`start` and `end` (custom); without either it is the current month.
"""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from frontline.i18n import N_

PeriodKind = Literal["month", "quarter", "year", "custom"]
# A custom period longer than this is refused: nobody reads a scorecard over decades, and
# the monthly trend would not fit on the page.
MAX_DAYS = 3 * 366
MONTH = re.compile(r"(\d{4})-(\d{2})")
QUARTER = re.compile(r"(\d{4})-Q([1-4])")
YEAR = re.compile(r"(\d{4})")


class PeriodRefused(ValueError):
    """The period asked for cannot be read; the message is a msgid."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Period:
    kind: PeriodKind
    start: date
    end: date

    @property
    def name(self) -> str:
        """How addresses name it (`period=`); empty for a custom period."""
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        if self.kind == "quarter":
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == "year":
            return str(self.start.year)
        return ""

    @property
    def label(self) -> str:
        """For people: the name, or the two dates of a custom period."""
        return self.name or f"{self.start.isoformat()} – {self.end.isoformat()}"

    def query(self) -> dict[str, str]:
        """The address parameters that name this period."""
        if self.kind == "custom":
            return {"start": self.start.isoformat(), "end": self.end.isoformat()}
        return {"period": self.name}

    def utc_bounds(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """[first instant, first instant after) in UTC."""
        return (
            datetime.combine(self.start, time(), tzinfo=zone).astimezone(UTC),
            datetime.combine(self.end + timedelta(days=1), time(), tzinfo=zone).astimezone(UTC),
        )

    def trend_months(self, count: int = 12) -> list["Period"]:
        """The `count` calendar months up to and including the one the period ends in."""
        year, month = self.end.year, self.end.month
        months = []
        for _ in range(count):
            months.append(month_period(year, month))
            year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        return months[::-1]


def month_period(year: int, month: int) -> Period:
    start = date(year, month, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)
    return Period("month", start, following - timedelta(days=1))


def quarter_period(year: int, quarter: int) -> Period:
    first = month_period(year, 3 * quarter - 2)
    last = month_period(year, 3 * quarter)
    return Period("quarter", first.start, last.end)


def year_period(year: int) -> Period:
    return Period("year", date(year, 1, 1), date(year, 12, 31))


def parse(*, period: str | None, start: date | None, end: date | None, today: date) -> Period:
    """The period these address parameters name (see the module docstring)."""
    if start is not None or end is not None:
        if start is None or end is None:
            raise PeriodRefused(N_("Give both the first and the last day of the period."))
        if end < start:
            raise PeriodRefused(N_("The period ends before it starts."))
        if (end - start).days >= MAX_DAYS:
            raise PeriodRefused(N_("A period can be at most three years long."))
        return Period("custom", start, end)
    text = (period or "").strip()
    if not text:
        return month_period(today.year, today.month)
    try:
        if match := MONTH.fullmatch(text):
            return month_period(int(match[1]), int(match[2]))
        if match := QUARTER.fullmatch(text):
            return quarter_period(int(match[1]), int(match[2]))
        if match := YEAR.fullmatch(text):
            return year_period(int(match[1]))
    except ValueError:
        pass  # month 13, year 0: not a period
    raise PeriodRefused(N_("Name a period as 2026-11 (month), 2026-Q4 (quarter) or 2026 (year)."))


def choices(today: date) -> list[Period]:
    """The shortcuts a page offers: this and last month, this quarter, this and last year."""
    this_month = month_period(today.year, today.month)
    last_month = this_month.trend_months(2)[0]
    return [
        this_month,
        last_month,
        quarter_period(today.year, (today.month - 1) // 3 + 1),
        year_period(today.year),
        year_period(today.year - 1),
    ]
