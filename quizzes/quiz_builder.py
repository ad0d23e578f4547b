"""Building quizzes: settings, fixed questions and random-draw rules, publish and archive.

An attempt copies the rules it needs (pass mark, scoring rule) and the questions it showed
when it starts, so editing a published quiz never changes an attempt already made.
"""

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator
from sqlalchemy import BindParameter, func
from sqlmodel import Session, col, delete, select

from frontline import audit_trail
from frontline.db import save_unique
from frontline.i18n import N_
from frontline.models import id_of, utcnow
from quizzes.bank_schemas import QUESTION_CODE
from quizzes.models import (
    DrawRule,
    Layout,
    PoolKind,
    Question,
    QuestionTag,
    QuestionVersion,
    Quiz,
    QuizPosition,
    QuizQuestion,
    ReviewPolicy,
    ScoringRule,
    Status,
)
from staff.models import Position

QUIZ_CODE = QUESTION_CODE
MAX_QUESTIONS = 200
Title = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]


class BuilderError(Exception):
    """A rule of quiz building was broken; the message (a msgid, filled with `params`) is
    shown to the author."""

    def __init__(self, message: str, params: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.params = params or {}


class FixedQuestion(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: Annotated[str, StringConstraints(strip_whitespace=True, to_upper=True)]
    points: int = Field(default=1, ge=1, le=100)


class DrawSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    pool: PoolKind
    value: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
    count: int = Field(ge=1, le=MAX_QUESTIONS)
    points: int = Field(default=1, ge=1, le=100)


class QuizSettings(BaseModel):
    """Everything an author sets on a quiz; validated the same from the form and from files."""

    model_config = ConfigDict(extra="forbid")

    title_zh: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    title_en: Title = ""
    description_zh: Annotated[str, StringConstraints(max_length=10000)] = ""
    description_en: Annotated[str, StringConstraints(max_length=10000)] = ""
    pass_mark: int = Field(default=60, ge=0, le=100)
    attempts_allowed: int | None = Field(default=None, ge=1, le=100)
    time_limit_minutes: int | None = Field(default=None, ge=1, le=600)
    shuffle_questions: bool = False
    shuffle_options: bool = False
    scoring_rule: ScoringRule = ScoringRule.all_or_nothing
    layout: Layout = Layout.one_per_screen
    review_policy: ReviewPolicy = ReviewPolicy.own_answers
    review_from: datetime | None = None
    practice: bool = False
    positions: list[Position] = Field(default_factory=list)
    questions: list[FixedQuestion] = Field(default_factory=list, max_length=MAX_QUESTIONS)
    draws: list[DrawSpec] = Field(default_factory=list, max_length=20)

    @model_validator(mode="after")
    def _consistent(self) -> "QuizSettings":
        codes = [q.code for q in self.questions]
        if len(set(codes)) != len(codes):
            raise ValueError(N_("A question can be in a quiz only once."))
        if len(set(self.positions)) != len(self.positions):
            raise ValueError(N_("Each choice may appear only once."))
        if self.practice and not self.positions:
            raise ValueError(N_("A practice quiz needs the positions it is for."))
        if self.review_from is not None and self.review_from.tzinfo is None:
            raise ValueError(N_("Give the time with its time zone."))
        return self

    def stored(self) -> dict[str, Any]:
        """The quiz's own columns."""
        return self.model_dump(mode="python", exclude={"positions", "questions", "draws"})


# ---- reading ----------------------------------------------------------------------------------


def get_quiz(session: Session, *, quiz_id: int) -> Quiz | None:
    return session.get(Quiz, quiz_id)


def get_by_code(session: Session, *, code: str) -> Quiz | None:
    return session.exec(select(Quiz).where(Quiz.code == code)).first()


def list_quizzes(session: Session, *, status: Status | None = None) -> list[Quiz]:
    query = select(Quiz).order_by(col(Quiz.code))
    if status is not None:
        query = query.where(Quiz.status == status)
    return list(session.exec(query))


def fixed_questions(session: Session, *, quiz: Quiz) -> list[tuple[QuizQuestion, Question]]:
    return list(
        session.exec(
            select(QuizQuestion, Question)
            .join(Question, col(Question.id) == QuizQuestion.question_id)
            .where(QuizQuestion.quiz_id == quiz.id)
            .order_by(col(QuizQuestion.position))
        ).all()
    )


def draw_rules(session: Session, *, quiz: Quiz) -> list[DrawRule]:
    return list(
        session.exec(
            select(DrawRule).where(DrawRule.quiz_id == quiz.id).order_by(col(DrawRule.position))
        )
    )


def positions_of(session: Session, *, quiz: Quiz) -> list[str]:
    return list(
        session.exec(
            select(QuizPosition.position)
            .where(QuizPosition.quiz_id == quiz.id)
            .order_by(col(QuizPosition.position))
        )
    )


def settings_of(session: Session, *, quiz: Quiz) -> QuizSettings:
    """A quiz as the form and the file give it."""
    parts = {"positions", "questions", "draws"}
    data = {name: getattr(quiz, name) for name in QuizSettings.model_fields if name not in parts}
    data["positions"] = positions_of(session, quiz=quiz)
    data["questions"] = [
        {"code": question.code, "points": item.points}
        for item, question in fixed_questions(session, quiz=quiz)
    ]
    data["draws"] = [
        {"pool": r.pool, "value": r.value, "count": r.count, "points": r.points}
        for r in draw_rules(session, quiz=quiz)
    ]
    return QuizSettings.model_validate(data)


def pool_query(pool: PoolKind, value: str | BindParameter[str]) -> Any:
    """Published questions (ids) whose current version is in the pool (`value` may be a
    parameter, for a statement built once)."""
    query = (
        select(Question.id)
        .join(QuestionVersion, col(QuestionVersion.id) == Question.current_version_id)
        .where(Question.status == Status.published)
    )
    if pool == PoolKind.tag:
        return query.join(QuestionTag, col(QuestionTag.version_id) == QuestionVersion.id).where(
            QuestionTag.tag == value
        )
    if pool == PoolKind.category:
        return query.where(QuestionVersion.category == value)
    return query.where(QuestionVersion.standard_code == value)


def pool_size(session: Session, *, pool: PoolKind, value: str) -> int:
    subquery = pool_query(pool, value).subquery()
    return int(session.exec(select(func.count()).select_from(subquery)).one())


# ---- writing ----------------------------------------------------------------------------------


def _questions_by_code(session: Session, codes: list[str]) -> dict[str, Question]:
    if not codes:
        return {}
    found = session.exec(select(Question).where(col(Question.code).in_(codes))).all()
    return {q.code: q for q in found}


def _write_parts(session: Session, quiz: Quiz, settings: QuizSettings) -> None:
    quiz_id = id_of(quiz)
    by_code = _questions_by_code(session, [q.code for q in settings.questions])
    missing = [q.code for q in settings.questions if q.code not in by_code]
    if missing:
        raise BuilderError(
            N_("No question has the code(s) %(codes)s."), {"codes": ", ".join(missing)}
        )
    for table in (QuizQuestion, DrawRule, QuizPosition):
        session.exec(delete(table).where(col(table.quiz_id) == quiz_id))
    session.flush()
    for position, fixed in enumerate(settings.questions, start=1):
        session.add(
            QuizQuestion(
                quiz_id=quiz_id,
                question_id=id_of(by_code[fixed.code]),
                position=position,
                points=fixed.points,
            )
        )
    for position, draw in enumerate(settings.draws, start=1):
        session.add(
            DrawRule(
                quiz_id=quiz_id,
                position=position,
                pool=draw.pool,
                value=draw.value,
                count=draw.count,
                points=draw.points,
            )
        )
    for value in settings.positions:
        session.add(QuizPosition(quiz_id=quiz_id, position=value.value))
    session.flush()


def create_quiz(
    session: Session, *, code: str, settings: QuizSettings, actor_id: int | None, ip: str = ""
) -> Quiz:
    if not QUIZ_CODE.match(code):
        raise BuilderError(N_("Use capital letters, digits and dashes, such as QZ-GRT-01."))
    if get_by_code(session, code=code):
        raise BuilderError(N_("A quiz with this code already exists."))
    quiz = Quiz(code=code, created_by_id=actor_id, **settings.stored())
    if not save_unique(session, quiz, lambda: get_by_code(session, code=code) is not None):
        # created by another author at the same moment
        raise BuilderError(N_("A quiz with this code already exists."))
    _write_parts(session, quiz, settings)
    audit_trail.record(
        session,
        action="quiz.create",
        actor_id=actor_id,
        target_type="quiz",
        target_id=code,
        ip=ip,
    )
    return quiz


def update_quiz(
    session: Session, *, quiz: Quiz, settings: QuizSettings, actor_id: int | None, ip: str = ""
) -> list[str]:
    """Change a quiz's settings; returns what changed. Attempts already made keep theirs."""
    if quiz.status == Status.archived:
        raise BuilderError(N_("An archived quiz cannot be changed."))
    before = settings_of(session, quiz=quiz).model_dump(mode="json")
    for name, value in settings.stored().items():
        setattr(quiz, name, value)
    quiz.updated_at = utcnow()
    session.add(quiz)
    _write_parts(session, quiz, settings)
    after = settings.model_dump(mode="json")
    changed = [name for name in after if before.get(name) != after[name]]
    if changed:
        audit_trail.record(
            session,
            action="quiz.update",
            actor_id=actor_id,
            target_type="quiz",
            target_id=quiz.code,
            detail={"fields": changed},
            ip=ip,
        )
    return changed


def publication_problems(session: Session, *, quiz: Quiz) -> list[tuple[str, dict[str, Any]]]:
    """Why the quiz cannot be published yet (msgids with their values); empty when it can."""
    problems: list[tuple[str, dict[str, Any]]] = []
    fixed = fixed_questions(session, quiz=quiz)
    rules = draw_rules(session, quiz=quiz)
    if not fixed and not rules:
        problems.append((N_("Add at least one question or a random draw."), {}))
    unpublished = [q.code for _, q in fixed if q.status != Status.published]
    if unpublished:
        problems.append(
            (N_("These questions are not published: %(codes)s."), {"codes": ", ".join(unpublished)})
        )
    fixed_ids = {q.id for _, q in fixed}
    for rule in rules:
        available = session.exec(
            select(func.count()).select_from(
                pool_query(rule.pool, rule.value)
                .where(col(Question.id).not_in(fixed_ids or {0}))
                .subquery()
            )
        ).one()
        if available < rule.count:
            problems.append(
                (
                    N_(
                        "The pool %(pool)s has %(available)s published questions; "
                        "%(count)s are drawn."
                    ),
                    {"pool": rule.value, "available": available, "count": rule.count},
                )
            )
    return problems


def set_status(
    session: Session, *, quiz: Quiz, status: Status, actor_id: int | None, ip: str = ""
) -> None:
    """Publish (checked first), archive, or take back to draft."""
    if quiz.status == status:
        return
    if status == Status.published:
        problems = publication_problems(session, quiz=quiz)
        if problems:
            message, values = problems[0]
            raise BuilderError(message, values)
        quiz.published_at = quiz.published_at or utcnow()
    before = quiz.status
    quiz.status = status
    quiz.updated_at = utcnow()
    session.add(quiz)
    session.flush()
    audit_trail.record(
        session,
        action=f"quiz.{status.value}",
        actor_id=actor_id,
        target_type="quiz",
        target_id=quiz.code,
        detail={"from": Status(before).value},
        ip=ip,
    )
