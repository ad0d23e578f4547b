"""A per-worker cache for figures computed from graded attempts (item analysis, results).

Figures over a quiz's whole history read tens of thousands of rows (0.2–0.5 s on SQLite for a
busy quiz in a region), yet change only when an attempt is graded (and, for results that name
teams, when people change). Each worker keeps the last few, keyed by the database, what was
asked and a fingerprint of those changes that indexed queries read: never stale, never
expired by time (frontline/figure_cache.py).
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from frontline.figure_cache import FigureCache
from quizzes.models import Attempt
from staff.models import Person

_figures: FigureCache[Any] = FigureCache(size=64)


def attempts_fingerprint(
    session: Session, quiz_id: int | None, start: datetime | None, end: datetime | None
) -> tuple[Any, ...]:
    """Attempts are graded once, when submitted_at is set: their count and the latest time
    change whenever the figures can (read from the (quiz_id, submitted_at) index)."""
    query = sa_select(func.count(), func.max(Attempt.submitted_at)).where(
        col(Attempt.submitted_at).is_not(None)
    )
    if quiz_id is not None:
        query = query.where(col(Attempt.quiz_id) == quiz_id)
    if start is not None:
        query = query.where(col(Attempt.submitted_at) >= start)
    if end is not None:
        query = query.where(col(Attempt.submitted_at) < end)
    return tuple(session.execute(query).one())


def people_fingerprint(session: Session) -> tuple[Any, ...]:
    """Every change to a person (team, name, activity) sets updated_at."""
    return tuple(session.execute(sa_select(func.count(), func.max(Person.updated_at))).one())


def cached(session: Session, key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
    """The value computed for `key` (which must include the fingerprints it depends on)."""
    return _figures.get(session, key, compute)


def clear() -> None:
    _figures.clear()
