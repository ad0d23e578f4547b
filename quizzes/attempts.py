"""Attempts: start (or resume), save answers as they go, submit, and close on the deadline.

The server's clock decides: every function takes `now`, and an answer saved after the
deadline is refused. An attempt found open past its deadline is closed and graded with what
was saved in time, its submission time being the deadline. Grading happens once.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, insert, update
from sqlalchemy import select as sa_select
from sqlalchemy.sql.base import Executable
from sqlmodel import Session, col, func, select

from frontline import audit_trail
from frontline.db import insert_once, read_columns
from frontline.i18n import N_
from frontline.models import id_of, utcnow
from frontline.web import safe_next
from quizzes import drawing, grading
from quizzes.closing import close_if_expired
from quizzes.models import (
    Attempt,
    AttemptItem,
    Layout,
    QuestionType,
    QuestionVersion,
    Quiz,
    QuizPosition,
    Status,
)
from staff.models import Person

MAX_TEXT = 2000  # characters of a typed script response
_ITEMS = AttemptItem.__table__  # type: ignore[attr-defined]


class QuizRefused(Exception):
    """The person may not start this quiz now; the message is a msgid with `params`."""

    def __init__(self, message: str, params: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.params = params or {}


class AttemptClosed(QuizRefused):
    """The attempt was already submitted or its time is up: the answer does not count."""


class AnswerRejected(ValueError):
    """The posted answer does not fit the question as shown (a 400, not a saved answer)."""


@dataclass(frozen=True)
class Result:
    attempt_id: int
    score: float
    passed: bool
    submitted_at: datetime


# ---- starting -----------------------------------------------------------------------------


# A whole branch starts an exam at its opening time: the start's statements are built once.
_OPEN = select(Attempt).where(
    Attempt.quiz_id == bindparam("quiz_id"),
    Attempt.person_id == bindparam("person_id"),
    col(Attempt.submitted_at).is_(None),
)
_USED = (
    select(func.count())
    .select_from(Attempt)
    .where(Attempt.quiz_id == bindparam("quiz_id"), Attempt.person_id == bindparam("person_id"))
)
_TARGETED = select(QuizPosition.quiz_id).where(
    QuizPosition.quiz_id == bindparam("quiz_id"), QuizPosition.position == bindparam("position")
)


def open_attempt(session: Session, *, quiz_id: int, person_id: int) -> Attempt | None:
    return session.exec(_OPEN, params={"quiz_id": quiz_id, "person_id": person_id}).first()


def attempts_used(session: Session, *, quiz_id: int, person_id: int) -> int:
    params = {"quiz_id": quiz_id, "person_id": person_id}
    return int(read_columns(session, _USED, params).scalar_one())


def attempts_left(session: Session, *, quiz_id: int, person_id: int) -> int | None:
    """Attempts this person may still start (an open one counts as used); None: unlimited."""
    quiz = session.get(Quiz, quiz_id)
    if quiz is None or quiz.attempts_allowed is None:
        return None
    used = attempts_used(session, quiz_id=quiz_id, person_id=person_id)
    return max(0, quiz.attempts_allowed - used)


def is_targeted(session: Session, *, quiz: Quiz, person: Person) -> bool:
    if person.position is None:
        return False
    params = {"quiz_id": quiz.id, "position": person.position.value}
    return read_columns(session, _TARGETED, params).first() is not None


def start_attempt(
    session: Session,
    *,
    quiz_id: int,
    person: Person,
    return_to: str | None = None,
    exam: bool = False,
    now: datetime | None = None,
    seed: int | None = None,
) -> Attempt:
    """The person's open attempt at this quiz, or a new one with its questions drawn.

    Practice (exam=False) needs a published practice quiz for the person's position; training
    starts any published quiz with exam=True. Raises QuizRefused otherwise, or when no
    attempts are left. `seed` fixes the draw (the demo, to be the same every time); without
    it each attempt draws with a fresh random seed.
    """
    now = now or utcnow()
    quiz = session.get(Quiz, quiz_id)
    if quiz is None or quiz.status != Status.published:
        raise QuizRefused(N_("This quiz is not open."))
    if not exam and not (quiz.practice and is_targeted(session, quiz=quiz, person=person)):
        raise QuizRefused(N_("This quiz is not open for your practice."))
    person_id = id_of(person)
    current = open_attempt(session, quiz_id=quiz_id, person_id=person_id)
    if current is not None and not close_if_expired(session, attempt=current, now=now):
        return current
    used = attempts_used(session, quiz_id=quiz_id, person_id=person_id)
    if quiz.attempts_allowed is not None and used >= quiz.attempts_allowed:
        raise QuizRefused(
            N_("You have used all %(allowed)s attempts at this quiz."),
            {"allowed": quiz.attempts_allowed},
        )
    return _new_attempt(
        session,
        quiz=quiz,
        person_id=person_id,
        number=used + 1,
        return_to=return_to,
        exam=exam,
        now=now,
        seed=secrets.randbelow(2**31 - 1) if seed is None else seed,
    )


def _new_attempt(
    session: Session,
    *,
    quiz: Quiz,
    person_id: int,
    number: int,
    return_to: str | None,
    exam: bool,
    now: datetime,
    seed: int,
) -> Attempt:
    deadline = now + timedelta(minutes=quiz.time_limit_minutes) if quiz.time_limit_minutes else None
    attempt = Attempt(
        quiz_id=id_of(quiz),
        person_id=person_id,
        number=number,
        exam=exam,
        seed=seed,
        started_at=now,
        deadline=deadline,
        pass_mark=quiz.pass_mark,
        scoring_rule=quiz.scoring_rule,
        return_to=safe_next(return_to, "") or None,
    )
    # Two devices starting at once: the partial unique index lets one open attempt in.
    kept = insert_once(
        session, attempt, lambda: open_attempt(session, quiz_id=id_of(quiz), person_id=person_id)
    )
    if kept is not attempt:
        return kept
    drawn = drawing.draw(session, quiz=quiz, seed=seed)
    if drawn:
        rows = [
            {
                "attempt_id": id_of(attempt),
                "position": position,
                "question_version_id": each.version_id,
                "points": each.points,
                "option_order": each.option_order,
            }
            for position, each in enumerate(drawn, start=1)
        ]
        session.connection().execute(insert(_ITEMS), rows)
    audit_trail.record(
        session,
        action="attempt.start",
        actor_id=person_id,
        target_type="attempt",
        target_id=attempt.id,
        detail={"quiz": quiz.code, "exam": exam, "number": attempt.number},
    )
    return attempt


# ---- answering ----------------------------------------------------------------------------


def items_of(session: Session, *, attempt: Attempt) -> list[tuple[AttemptItem, QuestionVersion]]:
    return list(
        session.exec(
            select(AttemptItem, QuestionVersion)
            .join(QuestionVersion, col(QuestionVersion.id) == AttemptItem.question_version_id)
            .where(AttemptItem.attempt_id == attempt.id)
            .order_by(col(AttemptItem.position))
        ).all()
    )


def parse_answer(
    question_type: QuestionType, option_order: list[str], form: dict[str, list[str]], prefix: str
) -> dict[str, Any] | None:
    """An answer in keys from a form that names options by their place on screen:
    `<prefix>pick` (one or more places), `<prefix>rank-<place>` (an ordering's 1..n) or
    `<prefix>text`. None when nothing is given."""
    if question_type == QuestionType.script_response:
        text = (form.get(prefix + "text") or [""])[-1]
        if len(text) > MAX_TEXT:
            raise AnswerRejected("too long")
        return {"text": text} if text.strip() else None
    if question_type == QuestionType.ordering:
        return _parse_ranks(option_order, form, prefix)
    places = [_place(raw, len(option_order)) for raw in form.get(prefix + "pick") or []]
    if not places:
        return None
    if question_type != QuestionType.multiple and len(places) > 1:
        raise AnswerRejected("one pick only")
    return {"keys": [option_order[i] for i in sorted(set(places))]}


def _parse_ranks(
    option_order: list[str], form: dict[str, list[str]], prefix: str
) -> dict[str, Any] | None:
    ranks = [(form.get(f"{prefix}rank-{i}") or [""])[-1] for i in range(len(option_order))]
    if not all(ranks):
        return None  # not every step has its place yet: not an answer
    numbers = [_place(rank, len(option_order) + 1) for rank in ranks]
    if sorted(numbers) != list(range(1, len(option_order) + 1)):
        raise AnswerRejected("each step needs its own place")
    return {"keys": [key for _, key in sorted(zip(numbers, option_order, strict=True))]}


def _place(raw: str, limit: int) -> int:
    if not raw.isdigit() or int(raw) >= limit:
        raise AnswerRejected("no such option")
    return int(raw)


# An answer kept and an attempt graded are what a branch does all at once at an exam's
# closing time: their statements are built once, with parameters, and run below the ORM (as
# an audit's tap), which added more than SQLite's own work to each of these small statements.
#
# The item at a position of the person's own attempt, and what decides the save. The attempt
# is locked (PostgreSQL; SQLite's writers queue anyway): a submit (closing.locked) waits for
# the answers in flight, and an answer arriving during a submit waits for it, then finds the
# attempt closed, so nothing is saved after grading. Alone, not shared as an audit's taps:
# one person's answers rarely overlap, and a late answer closes the attempt, which from a
# shared lock two late answers at once would deadlock trying to take alone.
_SLOT: Executable = (
    sa_select(
        col(Attempt.submitted_at),
        col(Attempt.deadline),
        col(Quiz.layout),
        col(AttemptItem.id).label("item_id"),
        col(AttemptItem.option_order),
        col(QuestionVersion.type),
    )
    .join(Quiz, col(Quiz.id) == Attempt.quiz_id)
    .join(
        AttemptItem,
        and_(
            col(AttemptItem.attempt_id) == Attempt.id,
            col(AttemptItem.position) == bindparam("position"),
        ),
    )
    .join(QuestionVersion, col(QuestionVersion.id) == AttemptItem.question_version_id)
    .where(
        col(Attempt.id) == bindparam("attempt_id"),
        col(Attempt.person_id) == bindparam("person_id"),
    )
    .with_for_update(of=Attempt)
)
_ANSWERS = select(AttemptItem.answer).where(AttemptItem.attempt_id == bindparam("attempt_id"))
_KEEP = (
    update(_ITEMS)
    .where(_ITEMS.c.id == bindparam("item_id_"))
    .values(answer=bindparam("answer_"), chosen=bindparam("chosen_"), saved_at=bindparam("at_"))
)


@dataclass(frozen=True)
class Kept:
    """An answer kept, and where the attempt stands."""

    count: int  # the attempt's items
    open: int  # items still without an answer
    answered: bool  # this item has an answer now (a cleared one has not)
    one_per_screen: bool  # the quiz's layout


def keep_answer(
    session: Session,
    *,
    attempt_id: int,
    person_id: int,
    position: int,
    form: dict[str, list[str]],
    now: datetime,
) -> Kept:
    """Keep the answer the form gives to the item at `position` of the person's own attempt.
    Raises LookupError for no such attempt or item, AnswerRejected for an answer that does
    not fit, AttemptClosed once the attempt is closed or its time is up (an expired attempt
    is closed and graded then)."""
    params = {"attempt_id": attempt_id, "person_id": person_id, "position": position}
    slot = read_columns(session, _SLOT, params).first()
    if slot is None:
        raise LookupError(position)
    answer = parse_answer(slot.type, slot.option_order, form, f"q{position}-")
    if slot.submitted_at is not None or (slot.deadline is not None and now >= slot.deadline):
        attempt = session.get(Attempt, attempt_id)  # locked by the read above
        assert attempt is not None
        _refuse_if_closed(session, attempt, now)
    values = {"answer_": answer, "chosen_": grading.chosen_text(slot.type, answer), "at_": now}
    session.connection().execute(_KEEP, {"item_id_": slot.item_id, **values})
    answers = read_columns(session, _ANSWERS, {"attempt_id": attempt_id}).scalars().all()
    return Kept(
        count=len(answers),
        open=sum(1 for a in answers if a is None),
        answered=answer is not None,
        one_per_screen=slot.layout == Layout.one_per_screen,
    )


def save_answer(
    session: Session,
    *,
    attempt: Attempt,
    item_id: int,
    kind: QuestionType,
    answer: dict[str, Any] | None,
    now: datetime,
) -> None:
    """Keep the answer to one item (the demo's answers, made as data)."""
    _refuse_if_closed(session, attempt, now)
    values = {"answer_": answer, "chosen_": grading.chosen_text(kind, answer), "at_": now}
    session.connection().execute(_KEEP, {"item_id_": item_id, **values})


def _refuse_if_closed(session: Session, attempt: Attempt, now: datetime) -> None:
    """No answer once the attempt is closed or its time is up (an expired attempt is closed
    and graded then)."""
    if attempt.submitted_at is not None or close_if_expired(session, attempt=attempt, now=now):
        raise AttemptClosed(N_("This attempt is closed: the answer was not saved."))


# ---- results ------------------------------------------------------------------------------


def _graded(quiz_id: int, person_id: int) -> Any:
    return select(Attempt).where(
        Attempt.quiz_id == quiz_id,
        Attempt.person_id == person_id,
        col(Attempt.submitted_at).is_not(None),
    )


def best_result(session: Session, *, quiz_id: int, person_id: int) -> Result | None:
    best = session.exec(
        _graded(quiz_id, person_id).order_by(
            col(Attempt.score).desc(), col(Attempt.submitted_at).asc()
        )
    ).first()
    if best is None or best.submitted_at is None:
        return None
    return Result(id_of(best), best.score or 0.0, bool(best.passed), best.submitted_at)


def has_passed(
    session: Session, *, quiz_id: int, person_id: int, since: datetime | None = None
) -> bool:
    query = _graded(quiz_id, person_id).where(col(Attempt.passed).is_(True))
    if since is not None:
        query = query.where(col(Attempt.submitted_at) >= since)
    return session.exec(query.limit(1)).first() is not None


def attempts_of(session: Session, *, quiz_id: int, person_id: int) -> list[Attempt]:
    return list(
        session.exec(
            select(Attempt)
            .where(Attempt.quiz_id == quiz_id, Attempt.person_id == person_id)
            .order_by(col(Attempt.number))
        ).all()
    )
