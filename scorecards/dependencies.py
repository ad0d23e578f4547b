"""What scorecard routes read from the address: the period and filters, checked once."""

from datetime import date, datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import Depends, HTTPException, Query, Request
from pydantic import Field

from frontline import forms
from frontline.web import translate
from scorecards import periods
from scorecards.periods import Period
from staff.models import Position


class ScorecardQuery(forms.QueryFilters):
    """The period (`period`, or `start` and `end`) and the filters of a page or export."""

    period: str = Field(default="", max_length=16)
    start: date | None = None
    end: date | None = None
    branch: int | None = Field(default=None, ge=1, le=2**31 - 1)
    team: int | None = Field(default=None, ge=1, le=2**31 - 1)
    position: Position | None = None


async def bank_zone(request: Request) -> ZoneInfo:
    zone: ZoneInfo = request.app.state.settings.zone()
    return zone


ZoneDep = Annotated[ZoneInfo, Depends(bank_zone)]


def today_in(zone: ZoneInfo) -> date:
    return datetime.now(zone).date()


async def period_of(
    request: Request, query: Annotated[ScorecardQuery, Query()], zone: ZoneDep
) -> Period:
    """The period the address names; a clear 400 when it names none."""
    try:
        return periods.parse(
            period=query.period, start=query.start, end=query.end, today=today_in(zone)
        )
    except periods.PeriodRefused as refused:
        raise HTTPException(status_code=400, detail=translate(request, refused.message)) from None


PeriodDep = Annotated[Period, Depends(period_of)]
FiltersDep = Annotated[ScorecardQuery, Query()]
