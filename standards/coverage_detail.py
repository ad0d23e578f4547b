"""One standard's coverage: per team, and the people a page at a time, outstanding first.

A region's detail page holds thousands of people for a teller's standard. The figures are
counted by the database per team and only one page of people is loaded: loading everyone as
objects to count them and show a hundred took over a second a request. Both are kept per
worker under the coverage report's fingerprint (an acknowledgment, a person's or team's
change, a version published or retired): counting a teller's standard over a region's 2,000
tellers cost ~5 ms a request, and HR opens the same standards over and over.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, select
from sqlmodel import Session, col

from frontline.figure_cache import FigureCache
from staff.models import Person
from standards.coverage import Coverage, report_key
from standards.models import (
    Acknowledgment,
    AcknowledgmentReminder,
    StandardVersion,
    VersionPosition,
)


@dataclass(frozen=True)
class PersonRow:
    id: int
    name: str
    employee_no: str
    team_id: int | None
    acknowledged_at: datetime | None
    last_reminded_at: datetime | None


@dataclass
class VersionCoverage:
    # Every team (its id; None for no team) with someone the version applies to, worst first.
    teams: list[tuple[int | None, Coverage]]
    # The asked page of people, outstanding first, then by employee number.
    people: list[PersonRow]
    applicable: int
    outstanding: int


# (the teams' figures, the page's people without their last reminder) by version, scope and page
_kept: FigureCache[tuple[list[tuple[int | None, Coverage]], list[tuple[Any, ...]]]] = FigureCache(
    size=128
)


def version_coverage(
    session: Session,
    *,
    version: StandardVersion,
    team_ids: Sequence[int] | None,
    labels: dict[int, str],
    page: int,
    page_size: int,
) -> VersionCoverage:
    """Who in scope must acknowledge this version and who has: per team, and one page.

    `labels`: the teams' names by id (staff's `team_labels`), to sort teams of equal figures."""
    in_scope = _in_scope(version, team_ids)
    key = (version.id, page, page_size, *report_key(session, team_ids=team_ids))

    def count() -> tuple[list[tuple[int | None, Coverage]], list[tuple[Any, ...]]]:
        teams = _by_team(session, version=version, in_scope=in_scope, labels=labels)
        rows = _page_rows(session, version=version, in_scope=in_scope, page=page, size=page_size)
        return teams, rows

    teams, rows = _kept.get(session, key, count)
    applicable = sum(c.applicable for _, c in teams)
    return VersionCoverage(
        teams=teams,
        people=_with_reminders(session, version=version, rows=rows),
        applicable=applicable,
        outstanding=applicable - sum(c.acknowledged for _, c in teams),
    )


def outstanding_people(
    session: Session, *, version: StandardVersion, team_ids: Sequence[int] | None
) -> list[Person]:
    """The active people in scope whom the version applies to and who have not acknowledged
    it (whom "remind everyone outstanding" reminds), by employee number."""
    query = _applicable(select(Person), version).where(
        *_in_scope(version, team_ids), col(Acknowledgment.id).is_(None)
    )
    return list(session.scalars(query.order_by(col(Person.employee_no))))


def _in_scope(
    version: StandardVersion, team_ids: Sequence[int] | None
) -> list[ColumnElement[bool]]:
    in_scope: list[ColumnElement[bool]] = [
        col(Person.active).is_(True),
        col(VersionPosition.version_id) == version.id,
    ]
    if team_ids is not None:
        in_scope.append(col(Person.team_id).in_(list(team_ids)))
    return in_scope


def _applicable(
    query: Select[*tuple[Any, ...]], version: StandardVersion
) -> Select[*tuple[Any, ...]]:
    """People holding a position the version applies to, with their acknowledgment if any."""
    return (
        query.select_from(Person)
        .join(VersionPosition, col(VersionPosition.position) == Person.position)
        .outerjoin(
            Acknowledgment,
            and_(
                col(Acknowledgment.version_id) == version.id,
                col(Acknowledgment.person_id) == Person.id,
            ),
        )
    )


def _by_team(
    session: Session,
    *,
    version: StandardVersion,
    in_scope: list[ColumnElement[bool]],
    labels: dict[int, str],
) -> list[tuple[int | None, Coverage]]:
    counts = session.execute(
        _applicable(
            select(col(Person.team_id), func.count(), func.count(col(Acknowledgment.id))), version
        )
        .where(*in_scope)
        .group_by(col(Person.team_id))
    ).all()
    teams = [(team_id, Coverage(n, done)) for team_id, n, done in counts]
    return sorted(teams, key=lambda tc: (tc[1].worst_first(), labels.get(tc[0] or 0, "")))


def _page_rows(
    session: Session,
    *,
    version: StandardVersion,
    in_scope: list[ColumnElement[bool]],
    page: int,
    size: int,
) -> list[tuple[Any, ...]]:
    columns = (Person.id, Person.name, Person.employee_no, Person.team_id)
    rows = session.execute(
        _applicable(select(*map(col, columns), col(Acknowledgment.acknowledged_at)), version)
        .where(*in_scope)
        .order_by(col(Acknowledgment.acknowledged_at).is_not(None), col(Person.employee_no))
        .limit(size)
        .offset((page - 1) * size)
    ).all()
    return [tuple(row) for row in rows]


def _with_reminders(
    session: Session, *, version: StandardVersion, rows: list[tuple[Any, ...]]
) -> list[PersonRow]:
    """The page's people with when each was last reminded (read per request: reminders are
    not among the report's markers)."""
    # Reminders about any version of this standard: the once-a-day limit is per standard.
    reminded: dict[int, datetime] = dict(
        session.execute(
            select(
                col(AcknowledgmentReminder.person_id),
                func.max(col(AcknowledgmentReminder.reminded_at)),
            )
            .join(StandardVersion, col(StandardVersion.id) == AcknowledgmentReminder.version_id)
            .where(
                col(StandardVersion.standard_id) == version.standard_id,
                col(AcknowledgmentReminder.person_id).in_([row[0] for row in rows]),
            )
            .group_by(col(AcknowledgmentReminder.person_id))
        ).all()
    )
    return [
        PersonRow(person_id, name, employee_no, team_id, at, reminded.get(person_id))
        for person_id, name, employee_no, team_id, at in rows
    ]
