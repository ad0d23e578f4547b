"""Whose scorecards a page, export or API call covers: the viewer's scope and the filters.

Everyone with a scorecard is an active person in a team. Employees see their own, supervisors
the people of the teams they supervise, HR and admins everyone (`team_ids=None`). A person who
moved teams counts in the team they are in now; their figures follow them (records are
per person, wherever they were working).
"""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, func, select
from sqlmodel import Session, col

from frontline.db import read_columns
from staff.models import Branch, Person, Position, Team


@dataclass(frozen=True)
class Selection:
    """Scope (who the viewer may see) and filters (what they asked for); None means any."""

    team_ids: Sequence[int] | None = None  # the viewer's scope; None: everyone
    person_id: int | None = None
    branch_id: int | None = None
    team_id: int | None = None
    region: str | None = None
    position: Position | None = None


@dataclass(frozen=True)
class PersonRow:
    id: int
    employee_no: str
    name: str
    position: Position | None
    team_id: int
    team_name: str
    branch_id: int
    branch_code: str
    branch_name: str
    region: str


def _conditions(selection: Selection) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [col(Person.active).is_(True)]
    if selection.team_ids is not None:
        conditions.append(col(Person.team_id).in_(list(selection.team_ids) or [-1]))
    if selection.person_id is not None:
        conditions.append(col(Person.id) == selection.person_id)
    if selection.team_id is not None:
        conditions.append(col(Person.team_id) == selection.team_id)
    if selection.branch_id is not None:
        conditions.append(col(Team.branch_id) == selection.branch_id)
    if selection.region is not None:
        conditions.append(col(Branch.region) == selection.region)
    if selection.position is not None:
        conditions.append(col(Person.position) == selection.position)
    return conditions


def id_query(selection: Selection) -> Select:
    """The ids of the people selected, as a subquery for the reporting functions."""
    return (
        select(col(Person.id))
        .join(Team, col(Team.id) == Person.team_id)
        .join(Branch, col(Branch.id) == Team.branch_id)
        .where(*_conditions(selection))
    )


def person_rows(
    session: Session,
    *,
    selection: Selection,
    after_id: int = 0,
    until_id: int | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> list[PersonRow]:
    """The people selected, with their team and branch, in id order (one query)."""
    query = (
        select(
            col(Person.id),
            col(Person.employee_no),
            col(Person.name),
            col(Person.position),
            col(Team.id),
            col(Team.name),
            col(Branch.id),
            col(Branch.code),
            col(Branch.name),
            col(Branch.region),
        )
        .join(Team, col(Team.id) == Person.team_id)
        .join(Branch, col(Branch.id) == Team.branch_id)
        .where(*_conditions(selection))
        .order_by(col(Person.id))
    )
    if after_id:
        query = query.where(col(Person.id) > after_id)
    if until_id is not None:
        query = query.where(col(Person.id) <= until_id)
    if offset:
        query = query.offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return [PersonRow(*row) for row in read_columns(session, query).all()]


def ids(session: Session, *, selection: Selection) -> list[int]:
    """The ids of the people selected, in order (the whole bank's are ~0.5 MB)."""
    query = id_query(selection).order_by(col(Person.id))
    return list(read_columns(session, query).scalars())


def count(session: Session, *, selection: Selection) -> int:
    query = select(func.count()).select_from(id_query(selection).subquery())
    return int(read_columns(session, query).scalar_one())
