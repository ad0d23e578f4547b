"""The Practice list: published practice quizzes for a person's position, with how they did."""

from dataclasses import dataclass

from sqlalchemy import case
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, func, select

from frontline.models import id_of
from quizzes.models import Attempt, Quiz, QuizPosition, Status
from staff.models import Person


@dataclass(frozen=True)
class PracticeEntry:
    quiz: Quiz
    attempts: int
    best_score: float | None
    passed: bool
    open_attempt_id: int | None

    @property
    def attempts_left(self) -> int | None:
        if self.quiz.attempts_allowed is None:
            return None
        return max(0, self.quiz.attempts_allowed - self.attempts)


def practice_quizzes(session: Session, *, person: Person) -> list[PracticeEntry]:
    if person.position is None:
        return []
    quizzes = session.exec(
        select(Quiz)
        .join(QuizPosition, col(QuizPosition.quiz_id) == Quiz.id)
        .where(
            Quiz.status == Status.published,
            col(Quiz.practice).is_(True),
            QuizPosition.position == person.position.value,
        )
        .order_by(col(Quiz.code))
    ).all()
    if not quizzes:
        return []
    stats = {
        quiz_id: (count, best, passed, open_id)
        for quiz_id, count, best, passed, open_id in session.execute(
            sa_select(
                col(Attempt.quiz_id),
                func.count(),
                func.max(Attempt.score),
                func.max(case((col(Attempt.passed).is_(True), 1), else_=0)),
                func.max(case((col(Attempt.submitted_at).is_(None), Attempt.id), else_=None)),
            )
            .where(
                col(Attempt.person_id) == id_of(person),
                col(Attempt.quiz_id).in_([id_of(q) for q in quizzes]),
            )
            .group_by(col(Attempt.quiz_id))
        ).all()
    }
    entries = []
    for quiz in quizzes:
        count, best, passed, open_id = stats.get(id_of(quiz), (0, None, 0, None))
        entries.append(PracticeEntry(quiz, count, best, bool(passed), open_id))
    return entries
