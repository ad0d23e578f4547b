"""Closing an attempt: submitted, or found past its deadline; graded once, with what was
saved in time, the wrong-answer book filled and the audit trail told."""

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, update
from sqlalchemy import select as sa_select
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, select

from frontline import audit_trail
from frontline.db import lock_fresh, read_columns
from quizzes import grading, wrong_book
from quizzes.models import Attempt, AttemptItem, ClosedReason, QuestionVersion

_ITEMS = AttemptItem.__table__  # type: ignore[attr-defined]


def is_expired(attempt: Attempt, now: datetime) -> bool:
    return attempt.deadline is not None and now >= attempt.deadline


def close_if_expired(session: Session, *, attempt: Attempt, now: datetime) -> bool:
    """Close and grade an open attempt whose deadline has passed; True if it is closed now.
    It is read again, locked (which refreshes `attempt`): another device may have closed it."""
    if attempt.submitted_at is None and is_expired(attempt, now):
        lock_fresh(session, attempt)
        if attempt.submitted_at is None:
            _grade(
                session, attempt=attempt, reason=ClosedReason.expired, at=attempt.deadline or now
            )
        return True
    return False


def locked(session: Session, *, attempt_id: int) -> Attempt | None:
    """The attempt, read fresh and locked until the transaction ends (PostgreSQL; SQLite's
    write transaction is one at a time already): two devices closing it wait for each other,
    and the second sees it closed."""
    query = (
        select(Attempt)
        .where(Attempt.id == attempt_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return session.exec(query).first()


def submit(session: Session, *, attempt: Attempt, now: datetime) -> Attempt:
    """Close and grade the attempt, read with `locked`. Submitting again (a double tap, a
    second device) changes nothing; after the deadline it is closed as expired with the
    answers saved in time."""
    if attempt.submitted_at is not None:
        return attempt
    if is_expired(attempt, now):
        _grade(session, attempt=attempt, reason=ClosedReason.expired, at=attempt.deadline or now)
    else:
        _grade(session, attempt=attempt, reason=ClosedReason.submitted, at=now)
    return attempt


_GRADING = (
    sa_select(
        col(AttemptItem.id),
        col(AttemptItem.points),
        col(AttemptItem.answer),
        col(AttemptItem.saved_at),
        col(QuestionVersion.id).label("version_id"),
        col(QuestionVersion.question_id),
        col(QuestionVersion.type),
        col(QuestionVersion.options),
        col(QuestionVersion.correct),
        col(QuestionVersion.required_phrases),
        col(QuestionVersion.forbidden_phrases),
    )
    .join(QuestionVersion, col(QuestionVersion.id) == AttemptItem.question_version_id)
    .where(col(AttemptItem.attempt_id) == bindparam("attempt_id"))
)
_GRADED = (
    update(_ITEMS)
    .where(_ITEMS.c.id == bindparam("item_id_"))
    .values(credit=bindparam("credit_"), correct=bindparam("correct_"), detail=bindparam("detail_"))
)


def _counted(item: Any, at: datetime) -> dict[str, Any] | None:
    """The answer as it stood at `at` (one saved after the deadline does not count)."""
    return item.answer if item.saved_at is None or item.saved_at <= at else None


_CLOSING = ("points_earned", "points_possible", "score", "passed", "submitted_at", "closed_reason")
_ATTEMPTS = Attempt.__table__  # type: ignore[attr-defined]
_CLOSE = (
    update(_ATTEMPTS)
    .where(_ATTEMPTS.c.id == bindparam("id_"))
    .values({name: bindparam(name + "_") for name in _CLOSING})
)


def _grade(session: Session, *, attempt: Attempt, reason: ClosedReason, at: datetime) -> None:
    """Grade each item on the answer saved by `at`, fill the wrong-answer book, score."""
    items = read_columns(session, _GRADING, {"attempt_id": attempt.id}).all()
    graded = [grading.grade(item, _counted(item, at), attempt.scoring_rule) for item in items]
    if items:
        rows = [
            {"item_id_": item.id, "credit_": g.credit, "correct_": g.correct, "detail_": g.detail}
            for item, g in zip(items, graded, strict=True)
        ]
        session.connection().execute(_GRADED, rows)
    answers = [
        wrong_book.Answer(item.question_id, item.version_id, g.correct)
        for item, g in zip(items, graded, strict=True)
    ]
    wrong_book.record_answers(session, person_id=attempt.person_id, answers=answers, now=at)
    result = grading.score((g.credit, item.points) for item, g in zip(items, graded, strict=True))
    passed = result.passes(attempt.pass_mark)
    values = (result.earned, result.possible, result.percent, passed, at, reason)
    closing = dict(zip(_CLOSING, values, strict=True))
    params = {name + "_": value for name, value in closing.items()}
    session.connection().execute(_CLOSE, {"id_": attempt.id, **params})
    for name, value in closing.items():  # the attempt as stored, without a second write
        set_committed_value(attempt, name, value)
    audit_trail.record(
        session,
        action=f"attempt.{reason.value}",
        actor_id=attempt.person_id,
        target_type="attempt",
        target_id=attempt.id,
        detail={"score": attempt.score, "passed": attempt.passed},
    )
