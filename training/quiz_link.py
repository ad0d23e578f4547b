"""What training asks of quizzes, in one place, through quizzes' service only (contracts.md).

Quizzes knows nothing of modules: training passes it a person, a quiz id and where to come
back to, and asks whether they passed.
"""

from datetime import datetime
from typing import Any

from sqlmodel import Session

from staff.models import Person


def _quizzes() -> Any:
    from quizzes import service  # type: ignore[attr-defined]  # until quizzes is merged

    return service


def quiz_exists(session: Session, *, quiz_id: int) -> bool:
    return _quizzes().get_quiz(session, quiz_id=quiz_id) is not None


def get_quiz(session: Session, *, quiz_id: int) -> Any:
    return _quizzes().get_quiz(session, quiz_id=quiz_id)


def quiz_choices(session: Session) -> list[Any]:
    """Published quizzes, for the module editor's picker."""
    return list(_quizzes().published_quizzes(session))


def start_attempt(
    session: Session, *, quiz_id: int, person: Person, return_to: str, exam: bool
) -> int:
    """The attempt to take (the open one resumed); raises QuizRefused with a message."""
    attempt = _quizzes().start_attempt(
        session, quiz_id=quiz_id, person=person, return_to=return_to, exam=exam
    )
    return int(attempt.id)


def refused_error() -> type[Exception]:
    return _quizzes().QuizRefused


def has_passed(session: Session, *, quiz_id: int, person_id: int, since: datetime | None) -> bool:
    return bool(_quizzes().has_passed(session, quiz_id=quiz_id, person_id=person_id, since=since))


def best_result(session: Session, *, quiz_id: int, person_id: int) -> Any:
    return _quizzes().best_result(session, quiz_id=quiz_id, person_id=person_id)


def attempts_left(session: Session, *, quiz_id: int, person_id: int) -> int | None:
    return _quizzes().attempts_left(session, quiz_id=quiz_id, person_id=person_id)
