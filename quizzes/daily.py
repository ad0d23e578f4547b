"""Daily practice (每日一练): a few questions a day from the standards of a person's position,
weighted toward their wrong-answer book and toward standards that changed recently.

Each answer is graded at once (all or nothing) and feeds the wrong-answer book. Daily
practice never counts as a quiz attempt.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Date, bindparam
from sqlmodel import Session, col, select

from frontline.db import insert_once, lock_fresh
from frontline.models import id_of
from quizzes import grading, wrong_book
from quizzes.attempts import AnswerRejected, parse_answer
from quizzes.drawing import option_order
from quizzes.models import (
    DailyPractice,
    DailyPracticeItem,
    Question,
    QuestionVersion,
    ScoringRule,
    Status,
)
from staff.models import Person
from standards import search as library_search

QUESTIONS_A_DAY = 5
FROM_THE_BOOK = 2  # at most this many of them from the wrong-answer book
RECENT = timedelta(days=30)  # a standard whose version took effect this recently weighs more
RECENT_WEIGHT = 3.0


class PracticeClosed(Exception):
    """This question of the day was already answered."""


def position_standard_codes(session: Session, *, person: Person) -> dict[str, date | None]:
    """Codes of the standards in force for the person's position, with their effective dates."""
    if person.position is None:
        return {}
    filters = library_search.LibraryFilters(position=person.position.value)
    found, _ = library_search.search(session, filters=filters, limit=2000)
    return {standard.code: version.effective_date for standard, version in found}


# Asked by every employee's home page: built once with parameters.
_TODAYS = select(DailyPractice).where(
    DailyPractice.person_id == bindparam("person_id"),
    DailyPractice.practice_date == bindparam("today", type_=Date),
)


def todays(session: Session, *, person_id: int, today: date) -> DailyPractice | None:
    return session.exec(_TODAYS, params={"person_id": person_id, "today": today}).first()


def start(session: Session, *, person: Person, today: date, now: datetime) -> DailyPractice | None:
    """Today's practice, drawn now if not yet; None when the position has no questions."""
    existing = todays(session, person_id=id_of(person), today=today)
    if existing is not None:
        return existing
    rng = random.Random(f"{person.id}:{today.isoformat()}")  # noqa: S311 - a fair draw, not a secret
    versions = _draw(session, person=person, today=today, rng=rng)
    if not versions:
        return None
    practice = DailyPractice(person_id=id_of(person), practice_date=today, created_at=now)
    kept = insert_once(
        session, practice, lambda: todays(session, person_id=id_of(person), today=today)
    )
    if kept is not practice:  # drawn on another device at the same moment
        return kept
    for position, (version, from_book) in enumerate(versions, start=1):
        session.add(
            DailyPracticeItem(
                practice_id=id_of(practice),
                position=position,
                question_version_id=id_of(version),
                from_wrong_book=from_book,
                option_order=option_order(version.type, version.options, rng, shuffle=True),
            )
        )
    session.flush()
    return practice


def _draw(
    session: Session, *, person: Person, today: date, rng: random.Random
) -> list[tuple[QuestionVersion, bool]]:
    codes = position_standard_codes(session, person=person)
    if not codes:
        return []
    pool = session.exec(
        select(QuestionVersion)
        .join(Question, col(Question.current_version_id) == QuestionVersion.id)
        .where(Question.status == Status.published, col(QuestionVersion.standard_code).in_(codes))
        .order_by(col(QuestionVersion.id))
    ).all()
    in_book = set(wrong_book.question_ids_in_book(session, person_id=id_of(person)))
    booked = [v for v in pool if v.question_id in in_book]
    picked = rng.sample(booked, min(FROM_THE_BOOK, len(booked)))
    rest = [v for v in pool if v not in picked]

    def weight(version: QuestionVersion) -> float:
        effective = codes.get(version.standard_code or "")
        recent = effective is not None and today - effective <= RECENT
        return RECENT_WEIGHT if recent else 1.0

    # Weighted sampling without replacement (Efraimidis–Spirakis): the k largest u^(1/w).
    keyed = sorted(rest, key=lambda v: rng.random() ** (1 / weight(v)), reverse=True)
    chosen = [(v, True) for v in picked] + [(v, False) for v in keyed]
    return chosen[:QUESTIONS_A_DAY]


@dataclass(frozen=True)
class DailyItem:
    item: DailyPracticeItem
    version: QuestionVersion


def items_of(session: Session, *, practice: DailyPractice) -> list[DailyItem]:
    rows = session.exec(
        select(DailyPracticeItem, QuestionVersion)
        .join(QuestionVersion, col(QuestionVersion.id) == DailyPracticeItem.question_version_id)
        .where(DailyPracticeItem.practice_id == practice.id)
        .order_by(col(DailyPracticeItem.position))
    ).all()
    return [DailyItem(item, version) for item, version in rows]


def answer(
    session: Session,
    *,
    practice: DailyPractice,
    position: int,
    form: dict[str, list[str]],
    now: datetime,
) -> DailyItem | None:
    """Grade one answer of today's practice at once; None if there is no such question.
    Raises AnswerRejected for an answer that does not fit, PracticeClosed if answered.

    The practice is locked and read again first (PostgreSQL), then its items read: of one
    question answered twice at once (a double tap, two devices) the second waits and finds
    it answered, not counted in the book again; of the last two answered at once the second
    sees both and completes the day."""
    lock_fresh(session, practice)
    found = next(
        (d for d in items_of(session, practice=practice) if d.item.position == position), None
    )
    if found is None:
        return None
    item, version = found.item, found.version
    if item.answered_at is not None:
        raise PracticeClosed()
    given: dict[str, Any] | None = parse_answer(
        version.type, item.option_order, form, f"q{position}-"
    )
    if given is None:
        raise AnswerRejected("no answer")
    graded = grading.grade(version, given, ScoringRule.all_or_nothing)
    item.answer, item.answered_at = given, now
    item.credit, item.correct, item.detail = graded.credit, graded.correct, graded.detail
    session.add(item)
    answer = wrong_book.Answer(version.question_id, id_of(version), graded.correct)
    wrong_book.record_answers(session, person_id=practice.person_id, answers=[answer], now=now)
    session.flush()
    if all(d.item.answered_at is not None for d in items_of(session, practice=practice)):
        practice.completed_at = now
        session.add(practice)
        session.flush()
    return found
