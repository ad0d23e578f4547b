"""The wrong-answer book (错题本): every question a person misses, until they answer it right
twice in a row (in a quiz, an exam or daily practice)."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam
from sqlmodel import Session, col, func, select

from frontline.db import read_columns
from frontline.models import id_of
from quizzes.models import Question, QuestionVersion, WrongAnswer

RIGHT_IN_A_ROW_TO_LEAVE = 2


def record_answers(
    session: Session,
    *,
    person_id: int,
    answers: list[tuple[QuestionVersion, bool]],
    now: datetime,
) -> None:
    """Put missed questions in the book (again), count right answers towards leaving it:
    (question version, answered right) pairs, read and written in one go."""
    if not answers:
        return
    question_ids = {version.question_id for version, _ in answers}
    entries = {
        entry.question_id: entry
        for entry in session.exec(
            select(WrongAnswer).where(
                WrongAnswer.person_id == person_id,
                col(WrongAnswer.question_id).in_(question_ids),
            )
        )
    }
    for version, correct in answers:
        entry = entries.get(version.question_id)
        if not correct:
            entries[version.question_id] = _missed(entry, person_id, version, now)
        elif entry is not None and entry.cleared_at is None:
            entry.right_streak += 1
            if entry.right_streak >= RIGHT_IN_A_ROW_TO_LEAVE:
                entry.cleared_at = now
        else:
            continue
        session.add(entries[version.question_id])


def _missed(
    entry: WrongAnswer | None, person_id: int, version: QuestionVersion, now: datetime
) -> WrongAnswer:
    if entry is None:
        return WrongAnswer(
            person_id=person_id,
            question_id=version.question_id,
            question_version_id=id_of(version),
            added_at=now,
            last_wrong_at=now,
        )
    if entry.cleared_at is not None:
        entry.added_at, entry.times_wrong = now, 0
    entry.times_wrong += 1
    entry.last_wrong_at = now
    entry.question_version_id = id_of(version)
    entry.cleared_at = None
    entry.right_streak = 0
    return entry


# Asked by every employee's home page: built once with a parameter.
_BOOK_SIZE = (
    select(func.count())
    .select_from(WrongAnswer)
    .where(WrongAnswer.person_id == bindparam("person_id"), col(WrongAnswer.cleared_at).is_(None))
)


def book_size(session: Session, *, person_id: int) -> int:
    return int(read_columns(session, _BOOK_SIZE, {"person_id": person_id}).scalar_one())


@dataclass(frozen=True)
class BookEntry:
    entry: WrongAnswer
    code: str
    version: QuestionVersion  # as it was last missed


def entries(session: Session, *, person_id: int, limit: int = 200) -> list[BookEntry]:
    """The book, the most recently missed first."""
    rows = session.exec(
        select(WrongAnswer, Question.code, QuestionVersion)
        .join(Question, col(Question.id) == WrongAnswer.question_id)
        .join(QuestionVersion, col(QuestionVersion.id) == WrongAnswer.question_version_id)
        .where(WrongAnswer.person_id == person_id, col(WrongAnswer.cleared_at).is_(None))
        .order_by(col(WrongAnswer.last_wrong_at).desc(), col(WrongAnswer.id).desc())
        .limit(limit)
    ).all()
    return [BookEntry(entry, code, version) for entry, code, version in rows]


def question_ids_in_book(session: Session, *, person_id: int) -> list[int]:
    return list(
        session.exec(
            select(WrongAnswer.question_id).where(
                WrongAnswer.person_id == person_id, col(WrongAnswer.cleared_at).is_(None)
            )
        ).all()
    )
