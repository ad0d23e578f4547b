"""The demo bank's question bank, quizzes and attempts.

Questions are drafted from the demo standards (quizzes.generation) and published; the
hand-written ones and the quizzes come from demo_bank.yaml beside this module (in the bank file
format, so it is also an example of it). Every demo employee then takes the practice quizzes of
their position over the last three months — and the tellers the quarterly knowledge test — with
answers drawn from their ability, so scores spread as they would; one badly written question
(Q-DEMO-14) is missed by strong and weak alike, and item analysis flags it.
"""

import math
import random
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from frontline.models import id_of, utcnow
from quizzes import attempts, bank, closing
from quizzes.files.bank_file import parse_bank
from quizzes.files.bank_import import apply_bank
from quizzes.models import (
    AttemptItem,
    Difficulty,
    Question,
    QuestionType,
    QuestionVersion,
    Quiz,
    QuizPosition,
    Status,
)
from staff import service as staff_service
from staff.models import Person, Role

DEMO_BANK = Path(__file__).with_name("demo_bank.yaml")
# The standards the quizzes draw from: each area of the demo library.
STANDARDS = (
    "GRT-01",
    "TXN-01",
    "TXN-02",
    "TXN-03",
    "FWL-01",
    "WAT-01",
    "LNG-01",
    "IDV-01",
    "IDV-02",
    "OPN-01",
    "CPL-01",
    "DSC-01",
    "DSC-02",
    "CMP-01",
    "SPC-01",
    "SPC-02",
)
EXAM = "QZ-TLR-2026Q4"
BADLY_WRITTEN = "Q-DEMO-14"
SEED = 2026
DAYS_BACK = 90
OFFSET = {Difficulty.easy: -0.8, Difficulty.medium: 0.2, Difficulty.hard: 1.0}


def load(session: Session) -> list[str]:
    """Load the demo question bank, quizzes and attempts unless the bank has questions."""
    if session.exec(select(Question.id).limit(1)).first() is not None:
        return []
    for code in STANDARDS:
        made, _ = bank.generate_drafts(session, code=code, actor_id=None)
        for question in made:
            bank.set_status(session, question=question, status=Status.published, actor_id=None)
    parsed = parse_bank(DEMO_BANK.read_text(encoding="utf-8"))
    if parsed.problems:
        details = "\n".join(f"{DEMO_BANK.name}:{p.line}: {p.message}" for p in parsed.problems)
        raise RuntimeError(f"The demo question bank has errors:\n{details}")
    apply_bank(session, parsed=parsed, actor_id=None)
    count = _take_quizzes(session, random.Random(SEED), now=utcnow())  # noqa: S311 - a demo
    questions = len(session.exec(select(Question.id)).all())
    return [f"Quizzes: {questions} questions in the bank, {count} demo attempts."]


def _people(session: Session) -> list[Person]:
    people, _ = staff_service.list_people(session, role=Role.employee, limit=10_000)
    return [p for p in people if p.position is not None]


def _take_quizzes(session: Session, rng: random.Random, *, now: datetime) -> int:
    quizzes = session.exec(
        select(Quiz).where(Quiz.status == Status.published).order_by(col(Quiz.code))
    ).all()
    targets = {
        quiz.id: set(
            session.exec(select(QuizPosition.position).where(QuizPosition.quiz_id == quiz.id))
        )
        for quiz in quizzes
    }
    taken = 0
    misleading = _Misleading()
    for person in _people(session):
        ability = rng.gauss(0.3, 1.0)
        position = person.position.value if person.position else ""
        for quiz in quizzes:
            exam = quiz.code == EXAM
            if not (exam and position == "teller") and position not in targets[quiz.id]:
                continue
            for tries in range(1 if exam else rng.choice((1, 1, 2))):
                when = _office_time(rng, now)
                _attempt(
                    session,
                    rng,
                    quiz=quiz,
                    person=person,
                    ability=ability + 0.4 * tries,  # a second try goes better
                    at=when,
                    exam=exam,
                    misleading=misleading,
                )
                taken += 1
    return taken


class _Misleading:
    """The badly written question's answers: one in ten is right, whoever answers."""

    def __init__(self) -> None:
        self.answered = 0

    def right(self) -> bool:
        self.answered += 1
        return self.answered % 10 == 1


def _office_time(rng: random.Random, now: datetime) -> datetime:
    day = (now - timedelta(days=rng.randint(1, DAYS_BACK))).date()
    # 09:00-17:00 in Beijing is 01:00-09:00 UTC.
    return datetime.combine(day, time(1, 0), tzinfo=UTC) + timedelta(minutes=rng.randint(0, 480))


def _attempt(
    session: Session,
    rng: random.Random,
    *,
    quiz: Quiz,
    person: Person,
    ability: float,
    at: datetime,
    exam: bool,
    misleading: _Misleading,
) -> None:
    # The draw's seed comes from the demo's generator, so the demo is the same every time.
    attempt = attempts.start_attempt(
        session,
        quiz_id=id_of(quiz),
        person=person,
        exam=exam,
        now=at,
        seed=rng.randrange(2**31 - 1),
    )
    items = session.exec(
        select(AttemptItem, QuestionVersion, Question.code)
        .join(QuestionVersion, col(QuestionVersion.id) == AttemptItem.question_version_id)
        .join(Question, col(Question.id) == QuestionVersion.question_id)
        .where(AttemptItem.attempt_id == attempt.id)
    ).all()
    clock = at
    for item, version, code in items:
        clock += timedelta(seconds=rng.randint(20, 70))
        if code == BADLY_WRITTEN:
            # The wording misleads strong and weak alike: one answer in ten is right.
            right = misleading.right()
        else:
            chance = 1 / (1 + math.exp(-1.7 * (ability - OFFSET[Difficulty(version.difficulty)])))
            right = rng.random() < chance
        answer = _answer(rng, version, right=right)
        attempts.save_answer(
            session,
            attempt=attempt,
            item_id=id_of(item),
            kind=version.type,
            answer=answer,
            now=clock,
        )
    closed = closing.locked(session, attempt_id=id_of(attempt))
    assert closed is not None
    closing.submit(session, attempt=closed, now=clock + timedelta(seconds=30))


def _answer(rng: random.Random, version: QuestionVersion, *, right: bool) -> dict[str, Any]:
    kind = QuestionType(version.type)
    correct = list(version.correct)
    keys = [o["key"] for o in version.options]
    if kind == QuestionType.script_response:
        said = [p["text"] for p in version.required_phrases]
        if not right:
            said = said[:1] + [p["text"] for p in version.forbidden_phrases[:1]]
        return {"text": "".join(said)}
    if right:
        return {"keys": correct}
    if kind == QuestionType.ordering:
        order = correct[:]
        i = rng.randrange(len(order) - 1)
        order[i], order[i + 1] = order[i + 1], order[i]
        return {"keys": order}
    wrong = [k for k in keys if k not in correct]
    if kind == QuestionType.multiple:
        picked = correct[:-1] + ([rng.choice(wrong)] if wrong else [])
        return {"keys": picked or correct[:1]}
    return {"keys": [rng.choice(wrong)]}
