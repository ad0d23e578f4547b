"""Quiz figures per person for scorecards (contracts.md), one grouped query.

Graded attempts in the period count, practice and exams alike (daily practice lives in its own
tables and never does). The period is inclusive dates in the bank's time zone.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from functools import cache
from typing import Any

from sqlalchemy import bindparam, case, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from frontline.db import read_columns
from frontline.figure_cache import Marker
from frontline.reporting import built_once
from frontline.settings import get_settings
from quizzes.models import Attempt, Quiz


@dataclass(frozen=True)
class QuizFigures:
    attempts: int
    first_attempts: int
    first_attempt_passes: int
    average_score: float | None  # 0–100

    @property
    def first_attempt_pass_rate(self) -> float | None:
        return self.first_attempt_passes / self.first_attempts if self.first_attempts else None


def utc_bounds(start: date, end: date, zone: tzinfo | None = None) -> tuple[datetime, datetime]:
    """[start 00:00, the day after end 00:00) in the bank's time zone, as UTC-aware times."""
    zone = zone or get_settings().zone()
    return (
        datetime.combine(start, time(), tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time(), tzinfo=zone),
    )


def _figure_columns() -> list[Any]:
    first = col(Attempt.number) == 1
    return [
        func.count(),
        func.sum(case((first, 1), else_=0)),
        func.sum(case((first & col(Attempt.passed).is_(True), 1), else_=0)),
        func.avg(Attempt.score),
    ]


def _figures(attempts: Any, firsts: Any, passes: Any, average: Any) -> QuizFigures:
    return QuizFigures(
        attempts=int(attempts),
        first_attempts=int(firsts or 0),
        first_attempt_passes=int(passes or 0),
        average_score=float(average) if average is not None else None,
    )


def _graded_between() -> list[Any]:
    """Graded attempts from :since to before :until."""
    return [
        col(Attempt.submitted_at) >= bindparam("since"),
        col(Attempt.submitted_at) < bindparam("until"),
        col(Attempt.score).is_not(None),
    ]


def _figures_query(people: Any) -> Any:
    return (
        sa_select(col(Attempt.person_id), *_figure_columns())
        .where(col(Attempt.person_id).in_(people), *_graded_between())
        .group_by(col(Attempt.person_id))
    )


def quiz_figures(
    session: Session, *, people: Any, start: date, end: date, zone: tzinfo | None = None
) -> dict[int, QuizFigures]:
    """person id → their graded attempts in the period; `people` is a selectable of ids."""
    since, until = utc_bounds(start, end, zone)
    query, parameters = built_once("quizzes.figures", people, _figures_query)
    rows = read_columns(session, query, {**parameters, "since": since, "until": until})
    return {int(person_id): _figures(*figures) for person_id, *figures in rows}


@dataclass(frozen=True)
class AttemptRow:
    """One graded attempt, as a scorecard lists the records behind its quiz figures."""

    attempt_id: int
    quiz_code: str
    title_zh: str
    title_en: str
    number: int
    exam: bool
    score: float | None
    passed: bool | None
    submitted_at: datetime


def attempts_of(
    session: Session,
    *,
    person_id: int,
    start: date,
    end: date,
    zone: tzinfo | None = None,
    limit: int = 20,
) -> list[AttemptRow]:
    """The person's graded attempts in the period (the ones quiz_figures counts), newest
    first, at most `limit` (added for scorecards' drill-down)."""
    since, until = utc_bounds(start, end, zone)
    values = {"person_id": person_id, "since": since, "until": until}
    return [
        AttemptRow(*row) for row in read_columns(session, _attempts_of_query(limit), values).all()
    ]


@cache
def _attempts_of_query(limit: int) -> Any:
    """Built once (frontline.reporting says why); the person and the period are bound."""
    return (
        sa_select(
            col(Attempt.id),
            col(Quiz.code),
            col(Quiz.title_zh),
            col(Quiz.title_en),
            col(Attempt.number),
            col(Attempt.exam),
            col(Attempt.score),
            col(Attempt.passed),
            col(Attempt.submitted_at),
        )
        .join(Quiz, col(Quiz.id) == Attempt.quiz_id)
        .where(col(Attempt.person_id) == bindparam("person_id"), *_graded_between())
        .order_by(col(Attempt.submitted_at).desc())
        .limit(limit)
    )


def _monthly_query(months: int) -> Callable[[Any], Any]:
    def build(people: Any) -> Any:
        month = case(
            *[(col(Attempt.submitted_at) < bindparam(f"until_{i}"), i) for i in range(months)],
            else_=-1,
        )
        return (
            sa_select(col(Attempt.person_id), month, *_figure_columns())
            .where(col(Attempt.person_id).in_(people), *_graded_between())
            .group_by(col(Attempt.person_id), month)
        )

    return build


def quiz_figures_by_month(
    session: Session,
    *,
    people: Any,
    months: list[tuple[date, date]],
    zone: tzinfo | None = None,
) -> dict[tuple[int, int], QuizFigures]:
    """The same figures for consecutive months at once (a scorecard's trend), keyed by person
    id and the month's index in `months`: one grouped query however many months."""
    if not months:
        return {}
    bounds = [utc_bounds(start, end, zone) for start, end in months]
    key = ("quizzes.figures_by_month", len(months))
    query, parameters = built_once(key, people, _monthly_query(len(months)))
    ends = {f"until_{index}": until for index, (_, until) in enumerate(bounds)}
    values = {**parameters, **ends, "since": bounds[0][0], "until": bounds[-1][1]}
    return {
        (int(person_id), int(index)): _figures(*figures)
        for person_id, index, *figures in read_columns(session, query, values)
        if index >= 0
    }


def change_markers(people: Any = None) -> list[Marker]:
    """Reports' cache markers for quizzes: attempts are never deleted, and one is graded when
    it closes, so the newest attempt and how many are still open change whenever a figure can
    (a graded time alone would not do: an attempt closed late is dated at its deadline). For a
    report on `people` (a SELECT of ids), their attempts."""
    theirs = [] if people is None else [col(Attempt.person_id).in_(people)]
    return [
        sa_select(func.max(Attempt.id)).where(*theirs).scalar_subquery(),
        sa_select(func.count())
        .select_from(Attempt)
        .where(col(Attempt.submitted_at).is_(None), *theirs)
        .scalar_subquery(),
    ]
