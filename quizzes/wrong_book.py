"""The wrong-answer book (错题本): every question a person misses, until they answer it right
twice in a row (in a quiz, an exam or daily practice)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import bindparam, insert, update
from sqlalchemy import select as sa_select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from frontline.db import read_columns
from quizzes.models import Question, QuestionVersion, WrongAnswer

RIGHT_IN_A_ROW_TO_LEAVE = 2


class Answer(NamedTuple):
    question_id: int
    version_id: int
    correct: bool


# Filled at every graded attempt (a branch submitting an exam at once): statements built once
# and run below the ORM.
_BOOK = WrongAnswer.__table__  # type: ignore[attr-defined]
_ENTRIES = (
    sa_select(
        col(WrongAnswer.id),
        col(WrongAnswer.question_id),
        col(WrongAnswer.question_version_id),
        col(WrongAnswer.added_at),
        col(WrongAnswer.last_wrong_at),
        col(WrongAnswer.times_wrong),
        col(WrongAnswer.right_streak),
        col(WrongAnswer.cleared_at),
    )
    .where(
        col(WrongAnswer.person_id) == bindparam("person_id"),
        col(WrongAnswer.question_id).in_(bindparam("question_ids", expanding=True)),
    )
    .order_by(col(WrongAnswer.question_id))  # locked in one order: two graders never deadlock
    .with_for_update()
)
_CHANGING = ("question_version_id", "added_at", "last_wrong_at", "times_wrong", "right_streak")
_CHANGE = (
    update(_BOOK)
    .where(_BOOK.c.id == bindparam("id_"))
    .values({name: bindparam(name + "_") for name in (*_CHANGING, "cleared_at")})
)


def record_answers(
    session: Session,
    *,
    person_id: int,
    answers: Sequence[Answer],
    now: datetime,
    retry: bool = True,
) -> None:
    """Put missed questions in the book (again), count right answers towards leaving it;
    read and written in one go. The entries are read locked (PostgreSQL): two attempts of one
    person graded at the same moment count one after the other; if both put the same
    question in the book for the first time, the second's insert fails on the unique
    (person, question) and it is counted again on top of the first's."""
    if not answers:
        return
    params = {"person_id": person_id, "question_ids": [a.question_id for a in answers]}
    book = {row.question_id: row._asdict() for row in read_columns(session, _ENTRIES, params)}
    touched = set()
    for answer in answers:
        entry = book.get(answer.question_id)
        if not answer.correct:
            book[answer.question_id] = _missed(entry, answer, now)
        elif entry is not None and entry["cleared_at"] is None:
            entry["right_streak"] += 1
            if entry["right_streak"] >= RIGHT_IN_A_ROW_TO_LEAVE:
                entry["cleared_at"] = now
        else:
            continue
        touched.add(answer.question_id)
    rows = [book[question_id] for question_id in touched]
    try:
        with session.begin_nested():
            _write(session, person_id, rows)
    except IntegrityError:
        if not retry:
            raise
        record_answers(session, person_id=person_id, answers=answers, now=now, retry=False)


def _write(session: Session, person_id: int, rows: list[dict[str, Any]]) -> None:
    connection = session.connection()
    if new := [row for row in rows if row["id"] is None]:
        fresh = [{**row, "person_id": person_id} for row in new]
        connection.execute(
            insert(_BOOK), [{k: v for k, v in row.items() if k != "id"} for row in fresh]
        )
    if known := [row for row in rows if row["id"] is not None]:
        connection.execute(_CHANGE, [{k + "_": v for k, v in row.items()} for row in known])


def _missed(entry: dict[str, Any] | None, answer: Answer, now: datetime) -> dict[str, Any]:
    if entry is None:
        entry = {"id": None, "question_id": answer.question_id, "added_at": now, "times_wrong": 0}
    elif entry["cleared_at"] is not None:
        entry |= {"added_at": now, "times_wrong": 0}
    return entry | {
        "times_wrong": entry["times_wrong"] + 1,
        "last_wrong_at": now,
        "question_version_id": answer.version_id,
        "cleared_at": None,
        "right_streak": 0,
    }


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
