"""Helpers for the authoring, learning and certificate tests: modules built through the
authoring service, people enrolled through the assignment rules, and a stand-in for quizzes'
service with the contract's names (tests/training/test_quiz_integration.py uses the real one)."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import pytest

from frontline.db import Database
from frontline.models import id_of
from staff.models import Person, Role
from tests.factories import make_person
from training import assignments, authoring, quiz_link
from training.models import Module
from training.schemas import LessonContent, ModuleContent


def make_learning_module(
    db: Database,
    *,
    code: str = "TRN-COUNTER-01",
    lessons: int = 3,
    quiz_id: int | None = None,
    recert_months: int | None = None,
    standard_codes: tuple[str, ...] = (),
    exam: tuple[date, date] | None = None,
    bodies: tuple[str, ...] = (),
) -> Module:
    """A published module with `lessons` lessons (Chinese and English)."""
    content = ModuleContent(
        title_zh="柜面服务标准流程",
        title_en="Counter service, step by step",
        summary_zh="从迎客到送别的六个步骤。",
        summary_en="Six steps from greeting to farewell.",
        positions=["teller"],
        estimated_minutes=30,
        standard_codes=list(standard_codes),
        quiz_id=quiz_id,
        recert_months=recert_months,
        exam_opens_on=exam[0] if exam else None,
        exam_closes_on=exam[1] if exam else None,
    )
    with db.session() as session:
        module, version = authoring.create_module(
            session, code=code, content=content, actor_id=None
        )
        for n in range(1, lessons + 1):
            body = bodies[n - 1] if n <= len(bodies) else f"第{n}课的正文。"
            authoring.add_lesson(
                session,
                module=module,
                version=version,
                content=LessonContent(
                    title_zh=f"第{n}课",
                    title_en=f"Lesson {n}",
                    body_zh=body,
                    body_en=body if bodies else f"Body {n}.",
                ),
                actor_id=None,
            )
        authoring.publish(
            session, module=module, version=version, change_note="首次发布", actor_id=None
        )
        session.expunge(module)
        return module


def enroll(db: Database, *, person: Person, module: Module, due_on: date) -> None:
    """Assign the module to one person, as HR would."""
    hr = make_person(db, role=Role.hr)
    with db.session() as session:
        assignments.assign_module_to_person(
            session,
            module_id=id_of(module),
            person_id=id_of(person),
            due_on=due_on,
            actor=session.get(Person, hr.id),
            reason="岗位必修",
        )


@dataclass
class Result:
    attempt_id: int
    score: float
    passed: bool
    submitted_at: datetime


@dataclass
class Quiz:
    id: int
    code: str
    title_zh: str
    title_en: str
    pass_mark: int = 80
    attempts_allowed: int | None = 3
    time_limit_minutes: int | None = None


class QuizRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class FakeQuizzes:
    """quizzes.service as contracts.md names it, in memory: tests decide who passed."""

    quizzes: dict[int, Quiz] = field(default_factory=dict)
    passed: dict[tuple[int, int], Result] = field(default_factory=dict)
    started: list[tuple[int, int, str, bool]] = field(default_factory=list)
    refuse: str | None = None
    QuizRefused: type[Exception] = QuizRefused

    def add(self, quiz_id: int = 7) -> Quiz:
        self.quizzes[quiz_id] = Quiz(quiz_id, f"QZ-{quiz_id:02d}", "柜面服务测验", "Counter quiz")
        return self.quizzes[quiz_id]

    def pass_quiz(self, *, quiz_id: int, person_id: int, score: float = 92.0) -> None:
        self.passed[(quiz_id, person_id)] = Result(
            attempt_id=100 + person_id, score=score, passed=True, submitted_at=datetime.now(UTC)
        )

    def get_quiz(self, session: Any, *, quiz_id: int) -> Quiz | None:
        return self.quizzes.get(quiz_id)

    def published_quizzes(self, session: Any) -> list[Quiz]:
        return list(self.quizzes.values())

    def start_attempt(
        self, session: Any, *, quiz_id: int, person: Person, return_to: str, exam: bool = False
    ) -> Any:
        if self.refuse:
            raise QuizRefused(self.refuse)
        self.started.append((quiz_id, id_of(person), return_to, exam))
        return type("Attempt", (), {"id": 500 + len(self.started)})()

    def has_passed(
        self, session: Any, *, quiz_id: int, person_id: int, since: datetime | None = None
    ) -> bool:
        result = self.passed.get((quiz_id, person_id))
        return result is not None and (since is None or result.submitted_at >= since)

    def best_result(self, session: Any, *, quiz_id: int, person_id: int) -> Result | None:
        return self.passed.get((quiz_id, person_id))

    def attempts_left(self, session: Any, *, quiz_id: int, person_id: int) -> int | None:
        return 3


def install_fake_quizzes(monkeypatch: pytest.MonkeyPatch) -> FakeQuizzes:
    """Answer for quizzes' service in this test (a module's `quizzes` fixture calls it)."""
    fake = FakeQuizzes()
    monkeypatch.setattr(quiz_link, "_quizzes", lambda: fake)
    return fake
