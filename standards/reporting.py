"""Standards' figures for scorecards: acknowledgments due and outstanding, per person, in SQL.

`people` is a selectable of person ids (a subquery); `start`/`end` are dates in the bank's
time zone, inclusive. One grouped query for any number of people.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, and_, func, select
from sqlmodel import Session, col

from frontline.settings import get_settings
from staff.models import Person
from standards.models import Acknowledgment, StandardVersion, VersionPosition, VersionStatus


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
    until = end_of_day_utc(end, zone)
    query = (
        select(
            col(Person.id),
            func.count(col(VersionPosition.version_id)),
            func.count(col(Acknowledgment.id)),
        )
        .join(VersionPosition, col(VersionPosition.position) == Person.position)
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
        .where(col(Person.id).in_(people))
        .group_by(col(Person.id))
    )
    return {
        person_id: AcknowledgmentFigures(due=due, acknowledged=done)
        for person_id, due, done in session.execute(query).all()
    }
