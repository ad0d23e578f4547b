"""Results of a quiz per person, team and branch: grouped queries over graded attempts.

Each person counts once per group with their best score; a team's or branch's pass rate is the
share of its people who have passed. `team_ids` limits everything to a supervisor's teams
(None: every team, for HR and admins).
"""

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import case, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from frontline.spreadsheet import safe_row
from quizzes import figure_cache
from quizzes.models import Attempt
from staff.models import Branch, Person, Team

PAGE_SIZE = 50


@dataclass(frozen=True)
class PersonResult:
    person_id: int
    employee_no: str
    name: str
    team: str
    branch: str
    attempts: int
    best_score: float | None
    passed: bool
    last_at: datetime | None


@dataclass(frozen=True)
class GroupResult:
    label: str
    people: int
    attempts: int
    average_best: float | None
    passed: int

    @property
    def pass_rate(self) -> float | None:
        return self.passed / self.people if self.people else None


def _per_person(quiz_id: int) -> Any:
    """One row per person who has a graded attempt: attempts, best score, passed, last time."""
    return (
        sa_select(
            col(Attempt.person_id).label("person_id"),
            func.count().label("attempts"),
            func.max(Attempt.score).label("best"),
            func.max(case((col(Attempt.passed).is_(True), 1), else_=0)).label("passed"),
            func.max(Attempt.submitted_at).label("last_at"),
        )
        .where(
            col(Attempt.quiz_id) == quiz_id,
            col(Attempt.submitted_at).is_not(None),
            col(Attempt.score).is_not(None),
        )
        .group_by(col(Attempt.person_id))
        .subquery()
    )


def _scoped(query: Any, team_ids: Sequence[int] | None) -> Any:
    if team_ids is None:
        return query
    return query.where(col(Person.team_id).in_(list(team_ids) or [0]))


def person_results(
    session: Session,
    *,
    quiz_id: int,
    team_ids: Sequence[int] | None,
    limit: int | None = PAGE_SIZE,
    offset: int = 0,
) -> tuple[list[PersonResult], int]:
    """Each person's result, by branch, team and name; and how many people there are.

    Cached per worker until an attempt of the quiz is graded or a person changes.
    """
    scope = None if team_ids is None else tuple(sorted(team_ids))
    key = ("people", quiz_id, scope, limit, offset, *_fingerprints(session, quiz_id))
    return figure_cache.cached(
        session,
        key,
        lambda: _person_results(
            session, quiz_id=quiz_id, team_ids=team_ids, limit=limit, offset=offset
        ),
    )


def _fingerprints(session: Session, quiz_id: int) -> tuple[object, ...]:
    return (
        figure_cache.attempts_fingerprint(session, quiz_id, None, None),
        figure_cache.people_fingerprint(session),
    )


def _person_results(
    session: Session,
    *,
    quiz_id: int,
    team_ids: Sequence[int] | None,
    limit: int | None = PAGE_SIZE,
    offset: int = 0,
) -> tuple[list[PersonResult], int]:
    best = _per_person(quiz_id)
    query = _scoped(
        sa_select(
            best.c.person_id,
            col(Person.employee_no),
            col(Person.name),
            func.coalesce(Team.name, "").label("team"),
            func.coalesce(Branch.name, "").label("branch"),
            best.c.attempts,
            best.c.best,
            best.c.passed,
            best.c.last_at,
        )
        .join(Person, col(Person.id) == best.c.person_id)
        .outerjoin(Team, col(Team.id) == Person.team_id)
        .outerjoin(Branch, col(Branch.id) == Team.branch_id),
        team_ids,
    )
    total = session.execute(sa_select(func.count()).select_from(query.subquery())).scalar_one()
    query = query.order_by(col(Branch.name), col(Team.name), col(Person.name)).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    rows = [
        PersonResult(
            person_id=int(r[0]),
            employee_no=r[1],
            name=r[2],
            team=r[3],
            branch=r[4],
            attempts=int(r[5]),
            best_score=float(r[6]) if r[6] is not None else None,
            passed=bool(r[7]),
            last_at=r[8],
        )
        for r in session.execute(query)
    ]
    return rows, int(total)


def group_results(
    session: Session,
    *,
    quiz_id: int,
    by: Literal["team", "branch"],
    team_ids: Sequence[int] | None,
) -> list[GroupResult]:
    """People who took the quiz, their attempts, average best score and passes, per group."""
    scope = None if team_ids is None else tuple(sorted(team_ids))
    key = ("groups", quiz_id, by, scope, *_fingerprints(session, quiz_id))
    return figure_cache.cached(
        session, key, lambda: _group_results(session, quiz_id=quiz_id, by=by, team_ids=team_ids)
    )


def _group_results(
    session: Session,
    *,
    quiz_id: int,
    by: Literal["team", "branch"],
    team_ids: Sequence[int] | None,
) -> list[GroupResult]:
    best = _per_person(quiz_id)
    if by == "team":
        label = col(Branch.name) + " · " + col(Team.name)
        keys: list[Any] = [col(Branch.name), col(Team.name)]
    else:
        label = func.coalesce(Branch.name, "")
        keys = [col(Branch.name)]
    query = _scoped(
        sa_select(
            label,
            func.count(),
            func.sum(best.c.attempts),
            func.avg(best.c.best),
            func.sum(best.c.passed),
        )
        .select_from(best)
        .join(Person, col(Person.id) == best.c.person_id)
        .join(Team, col(Team.id) == Person.team_id)
        .join(Branch, col(Branch.id) == Team.branch_id),
        team_ids,
    )
    query = query.group_by(*keys).order_by(*keys)
    return [
        GroupResult(
            label=str(r[0]),
            people=int(r[1]),
            attempts=int(r[2] or 0),
            average_best=float(r[3]) if r[3] is not None else None,
            passed=int(r[4] or 0),
        )
        for r in session.execute(query)
    ]


CSV_HEADER = (
    "employee_no",
    "name",
    "branch",
    "team",
    "attempts",
    "best_score",
    "passed",
    "last_submitted_utc",
)


def results_csv(rows: Sequence[PersonResult]) -> Iterator[str]:
    """CSV lines (UTF-8 with a BOM for Excel); every cell safe from formula injection."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    yield "\ufeff" + out.getvalue()
    out.seek(0)
    out.truncate()
    for r in rows:
        writer.writerow(
            safe_row(
                [
                    r.employee_no,
                    r.name,
                    r.branch,
                    r.team,
                    r.attempts,
                    f"{r.best_score:.2f}" if r.best_score is not None else "",
                    "yes" if r.passed else "no",
                    r.last_at.strftime("%Y-%m-%dT%H:%M:%SZ") if r.last_at else "",
                ]
            )
        )
        yield out.getvalue()
        out.seek(0)
        out.truncate()
