"""Standards' figures for scorecards: acknowledgments due and outstanding, per person, in SQL.

`people` is a selectable of person ids (a subquery); `start`/`end` are dates in the bank's
time zone, inclusive. One grouped query for any number of people.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, Subquery, and_, func, literal, select, true, union_all
from sqlmodel import Session, col

from frontline.figure_cache import Marker
from frontline.models import UTCDateTime
from frontline.settings import get_settings
from staff.models import Person
from standards.models import (
    Acknowledgment,
    Standard,
    StandardVersion,
    VersionPosition,
    VersionStatus,
)


@dataclass(frozen=True)
class AcknowledgmentFigures:
    """As of the period's end: `due` counts the versions in force today that apply to the
    person's position and were published by the end of the period; `acknowledged` those of
    them the person had acknowledged by then; the rest are outstanding."""

    due: int
    acknowledged: int

    @property
    def outstanding(self) -> int:
        return self.due - self.acknowledged


def end_of_day_utc(day: date, zone: ZoneInfo | None = None) -> datetime:
    """The first instant after `day` in the bank's time zone, in UTC."""
    zone = zone or get_settings().zone()
    return datetime.combine(day + timedelta(days=1), time(), tzinfo=zone).astimezone(UTC)


def _figures_query(until: ColumnElement[datetime], bounds: Subquery | None = None) -> Select[Any]:
    """Per person: versions due and acknowledged as of `until` (an expression; a column of
    `bounds`, joined first, for several moments at once)."""
    query: Any = select(
        col(Person.id),
        func.count(col(VersionPosition.version_id)),
        func.count(col(Acknowledgment.id)),
    ).select_from(Person)
    if bounds is not None:
        query = query.add_columns(bounds.c.month).join(bounds, true())
    return (
        query.join(VersionPosition, col(VersionPosition.position) == Person.position)
        .join(
            StandardVersion,
            and_(
                col(StandardVersion.id) == VersionPosition.version_id,
                col(StandardVersion.status) == VersionStatus.published,
                col(StandardVersion.published_at) < until,
            ),
        )
        .outerjoin(
            Acknowledgment,
            and_(
                col(Acknowledgment.version_id) == StandardVersion.id,
                col(Acknowledgment.person_id) == Person.id,
                col(Acknowledgment.acknowledged_at) < until,
            ),
        )
    )


def acknowledgments(
    session: Session,
    *,
    people: Select[tuple[int]] | ColumnElement[int],
    start: date,
    end: date,
    zone: ZoneInfo | None = None,
) -> dict[int, AcknowledgmentFigures]:
    """Acknowledgments due and given per person as of `end` (`start` is not used: what is
    outstanding is a state at a moment, not a count over the period)."""
    del start
    until = literal(end_of_day_utc(end, zone), type_=UTCDateTime)
    query = _figures_query(until).where(col(Person.id).in_(people)).group_by(col(Person.id))
    return {
        person_id: AcknowledgmentFigures(due=due, acknowledged=done)
        for person_id, due, done in session.execute(query).all()
    }


def acknowledgments_by_month(
    session: Session,
    *,
    people: Select[tuple[int]] | ColumnElement[int],
    month_ends: Sequence[date],
    zone: ZoneInfo | None = None,
) -> dict[tuple[int, int], AcknowledgmentFigures]:
    """The same figures as of each of several days at once (a trend): keyed by (person id,
    index of the day in `month_ends`); one query however many days."""
    if not month_ends:
        return {}
    bounds = union_all(
        *[
            select(
                literal(index).label("month"),
                literal(end_of_day_utc(day, zone), type_=UTCDateTime).label("until"),
            )
            for index, day in enumerate(month_ends)
        ]
    ).subquery("bounds")
    query = (
        _figures_query(bounds.c.until, bounds)
        .where(col(Person.id).in_(people))
        .group_by(col(Person.id), bounds.c.month)
    )
    return {
        (person_id, month): AcknowledgmentFigures(due=due, acknowledged=done)
        for person_id, due, done, month in session.execute(query).all()
    }


def change_markers(people: Any = None) -> list[Marker]:
    """Reports' cache markers for standards: acknowledgments are only ever added (for a report
    on `people`, a SELECT of ids: theirs); versions set updated_at when published or retired;
    the versions in force follow current_version_id."""
    published = col(StandardVersion.status) == VersionStatus.published
    acknowledgments = select(func.max(Acknowledgment.id))
    if people is not None:
        acknowledgments = acknowledgments.where(col(Acknowledgment.person_id).in_(people))
    return [
        acknowledgments.scalar_subquery(),
        select(func.max(StandardVersion.updated_at)).scalar_subquery(),
        select(func.count()).select_from(StandardVersion).where(published).scalar_subquery(),
        select(func.sum(Standard.current_version_id)).scalar_subquery(),
    ]
