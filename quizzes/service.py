"""The quizzes domain's public API, for training and the other domains (contracts.md).

Training starts attempts and asks for results through these names only; the modules behind
them (attempts, quiz_builder, ...) may move.
"""

from sqlmodel import Session, col, select

from quizzes.attempts import (
    AttemptClosed,
    QuizRefused,
    Result,
    attempts_left,
    best_result,
    has_passed,
    start_attempt,
)
from quizzes.models import Attempt, Quiz, Status


def get_quiz(session: Session, *, quiz_id: int) -> Quiz | None:
    return session.get(Quiz, quiz_id)


def published_quizzes(session: Session) -> list[Quiz]:
    """Every published quiz, by code (the module editor's quiz picker)."""
    return list(
        session.exec(select(Quiz).where(Quiz.status == Status.published).order_by(col(Quiz.code)))
    )


def get_attempt(session: Session, *, attempt_id: int) -> Attempt | None:
    return session.get(Attempt, attempt_id)


def attempt_url(attempt: Attempt) -> str:
    return f"/quizzes/attempts/{attempt.id}"


__all__ = [
    "Attempt",
    "AttemptClosed",
    "Quiz",
    "QuizRefused",
    "Result",
    "attempt_url",
    "attempts_left",
    "best_result",
    "get_attempt",
    "get_quiz",
    "has_passed",
    "published_quizzes",
    "start_attempt",
]
