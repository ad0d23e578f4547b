"""Whose scorecards a page, export or API call covers: the viewer's scope and the filters.

Everyone with a scorecard is an active person in a team. Employees see their own, supervisors
the people of the teams they supervise, HR and admins everyone (`team_ids=None`). A person who
moved teams counts in the team they are in now; their figures follow them (records are
per person, wherever they were working).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Select, bindparam, func, select
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


class _Shape(NamedTuple):
    """Which filters and bounds a read of people has: each shape's statement is built once
    (building and cache-keying it cost more than SQLite takes to answer it for one person,
    and a person's scorecard reads two), its values bound when it runs."""

    scoped: bool
    person: bool
    team: bool
    branch: bool
    region: bool
    position: bool
    after: bool
    until: bool
    offset: bool
    limit: bool


@cache
def _rows_statement(shape: _Shape) -> Select[Any]:
    conditions: list[ColumnElement[bool]] = [col(Person.active).is_(True)]
    filters: list[tuple[bool, Any, str]] = [
        (shape.person, Person.id, "id"),
        (shape.team, Person.team_id, "team_id"),
        (shape.branch, Team.branch_id, "branch_id"),
        (shape.region, Branch.region, "region"),
        (shape.position, Person.position, "position"),
    ]
    conditions += [col(column) == bindparam(name) for wanted, column, name in filters if wanted]
    if shape.scoped:
        conditions.append(col(Person.team_id).in_(bindparam("team_ids", expanding=True)))
    if shape.after:
        conditions.append(col(Person.id) > bindparam("after_id"))
    if shape.until:
        conditions.append(col(Person.id) <= bindparam("until_id"))
    query: Any = (
        select(*_ROW_COLUMNS)
        .join(Team, col(Team.id) == Person.team_id)
        .join(Branch, col(Branch.id) == Team.branch_id)
        .where(*conditions)
        .order_by(col(Person.id))
    )
    if shape.offset:
        query = query.offset(bindparam("offset"))
    if shape.limit:
        query = query.limit(bindparam("limit"))
    return query


_ROW_COLUMNS = (
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
    values: dict[str, Any] = {
        "team_ids": None if selection.team_ids is None else list(selection.team_ids) or [-1],
        "id": selection.person_id,
        "team_id": selection.team_id,
        "branch_id": selection.branch_id,
        "region": selection.region,
        "position": selection.position,
        "after_id": after_id or None,
        "until_id": until_id,
        "offset": offset or None,
        "limit": limit,
    }
    shape = _Shape(*(value is not None for value in values.values()))
    params = {name: value for name, value in values.items() if value is not None}
    return [PersonRow(*row) for row in read_columns(session, _rows_statement(shape), params).all()]


def ids(session: Session, *, selection: Selection) -> list[int]:
    """The ids of the people selected, in order (the whole bank's are ~0.5 MB)."""
    query = id_query(selection).order_by(col(Person.id))
    return list(read_columns(session, query).scalars())


def count(session: Session, *, selection: Selection) -> int:
    query = select(func.count()).select_from(id_query(selection).subquery())
    return int(read_columns(session, query).scalar_one())
