"""Item analysis: how each question of a quiz performs, from graded attempts, in SQL.

Per question (all its versions together): how many answered it, facility (mean credit, the
share correct when credit is 0 or 1), discrimination (the point-biserial correlation of the
item's credit with the candidate's score on the rest of the attempt, so the item does not
correlate with itself) and how often each option was picked. The database returns the sums
the formula needs, one row per question; Python finishes the formula on those few numbers.
"""

import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Float, case, cast, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from frontline.i18n import N_
from quizzes.bank_schemas import OPTION_KEYS
from quizzes.models import Attempt, AttemptItem, Question, QuestionType, QuestionVersion

CHOICE_KEYS = (*OPTION_KEYS, "T", "F")
# Below this many answers the figures say little; nothing is flagged.
MIN_ANSWERS = 10
TOO_HARD = 0.2
TOO_EASY = 0.95
WEAK_DISCRIMINATION = 0.1

FLAG_LABELS = {
    "too_hard": N_("Very few answer it right: check the key and the wording."),
    "too_easy": N_("Nearly everyone answers it right: it tells little."),
    "weak": N_("Strong and weak candidates do about as well: it does not discriminate."),
    "negative": N_("Weaker candidates do better than stronger ones: check the key."),
    "dead_option": N_("An option nobody picks: replace the distractor."),
}


@dataclass(frozen=True)
class Sums:
    """What SQL returns for one question."""

    n: int  # answers with a rest score (pairs)
    sum_x: float
    sum_xx: float
    sum_y: float
    sum_yy: float
    sum_xy: float


def correlation(s: Sums) -> float | None:
    """Pearson's r from sums (the point-biserial when x is 0 or 1); None when undefined."""
    if s.n < 2:
        return None
    var_x = s.n * s.sum_xx - s.sum_x**2
    var_y = s.n * s.sum_yy - s.sum_y**2
    if var_x <= 1e-12 or var_y <= 1e-12:
        return None
    return (s.n * s.sum_xy - s.sum_x * s.sum_y) / math.sqrt(var_x * var_y)


@dataclass
class ItemFigures:
    question_id: int
    code: str
    type: QuestionType
    stem_zh: str
    stem_en: str
    answered: int
    facility: float | None
    discrimination: float | None
    options: list[dict[str, Any]]  # key, zh, en, correct, picked
    flags: list[str] = field(default_factory=list)

    @property
    def needs_attention(self) -> bool:
        return bool(self.flags)


@dataclass
class QuizSummary:
    attempts: int
    people: int
    average_score: float | None
    pass_rate: float | None


def _graded(quiz_id: int | None, start: datetime | None, end: datetime | None) -> list[Any]:
    conditions: list[Any] = [
        col(Attempt.submitted_at).is_not(None),
        col(Attempt.score).is_not(None),
    ]
    if quiz_id is not None:
        conditions.append(col(Attempt.quiz_id) == quiz_id)
    if start is not None:
        conditions.append(col(Attempt.submitted_at) >= start)
    if end is not None:
        conditions.append(col(Attempt.submitted_at) < end)
    return conditions


def summary(
    session: Session, *, quiz_id: int, start: datetime | None = None, end: datetime | None = None
) -> QuizSummary:
    row = session.execute(
        sa_select(
            func.count(),
            func.count(func.distinct(Attempt.person_id)),
            func.avg(Attempt.score),
            func.avg(case((col(Attempt.passed).is_(True), 1.0), else_=0.0)),
        ).where(*_graded(quiz_id, start, end))
    ).one()
    attempts, people, average, pass_rate = row
    return QuizSummary(
        attempts=int(attempts),
        people=int(people),
        average_score=float(average) if average is not None else None,
        pass_rate=float(pass_rate) if pass_rate is not None else None,
    )


def _sums_query(conditions: list[Any]) -> Any:
    x = func.coalesce(col(AttemptItem.credit), 0.0)
    rest_possible = col(Attempt.points_possible) - col(AttemptItem.points)
    # The candidate's percentage on the rest of the attempt; NULL for a one-question attempt.
    y = case(
        (
            rest_possible > 0,
            (col(Attempt.points_earned) - x * col(AttemptItem.points)) * 100.0 / rest_possible,
        ),
        else_=None,
    )
    picked = [
        func.sum(case((col(AttemptItem.chosen).like(f"%,{key},%"), 1), else_=0)).label(key)
        for key in CHOICE_KEYS
    ]
    return (
        sa_select(
            col(QuestionVersion.question_id),
            func.count().label("answered"),
            func.count(y).label("n"),
            func.sum(cast(x, Float)).label("all_x"),
            func.sum(case((y.is_not(None), x), else_=None)).label("sum_x"),
            func.sum(case((y.is_not(None), x * x), else_=None)).label("sum_xx"),
            func.sum(y).label("sum_y"),
            func.sum(y * y).label("sum_yy"),
            func.sum(x * y).label("sum_xy"),
            *picked,
        )
        .select_from(AttemptItem)
        .join(Attempt, col(Attempt.id) == AttemptItem.attempt_id)
        .join(QuestionVersion, col(QuestionVersion.id) == AttemptItem.question_version_id)
        .where(*conditions)
        .group_by(col(QuestionVersion.question_id))
    )


def item_analysis(
    session: Session,
    *,
    quiz_id: int | None = None,
    question_id: int | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
) -> list[ItemFigures]:
    """The figures of every question answered in the quiz's graded attempts (or of one
    question across all quizzes), in the order of their codes."""
    conditions = _graded(quiz_id, start, end)
    if question_id is not None:
        conditions.append(col(QuestionVersion.question_id) == question_id)
    rows = {row.question_id: row for row in session.execute(_sums_query(conditions))}
    if not rows:
        return []
    current = session.exec(
        select(Question, QuestionVersion)
        .join(QuestionVersion, col(QuestionVersion.id) == Question.current_version_id)
        .where(col(Question.id).in_(list(rows)))
        .order_by(col(Question.code))
    ).all()
    return [_figures(question, version, rows[question.id]) for question, version in current]


def _figures(question: Question, version: QuestionVersion, row: Any) -> ItemFigures:
    answered = int(row.answered)
    sums = Sums(
        n=int(row.n),
        sum_x=float(row.sum_x or 0),
        sum_xx=float(row.sum_xx or 0),
        sum_y=float(row.sum_y or 0),
        sum_yy=float(row.sum_yy or 0),
        sum_xy=float(row.sum_xy or 0),
    )
    options = [
        {
            "key": option["key"],
            "zh": option.get("zh", ""),
            "en": option.get("en", ""),
            "correct": option["key"] in version.correct,
            "picked": int(getattr(row, option["key"], 0) or 0),
        }
        for option in version.options
    ]
    figures = ItemFigures(
        question_id=int(question.id or 0),
        code=question.code,
        type=QuestionType(version.type),
        stem_zh=version.stem_zh,
        stem_en=version.stem_en,
        answered=answered,
        facility=float(row.all_x) / answered if answered else None,
        discrimination=correlation(sums),
        options=options,
    )
    figures.flags = flags_of(figures)
    return figures


def flags_of(figures: ItemFigures) -> list[str]:
    """Why a question needs attention (keys of FLAG_LABELS); none below MIN_ANSWERS."""
    if figures.answered < MIN_ANSWERS or figures.facility is None:
        return []
    flags = []
    if figures.facility < TOO_HARD:
        flags.append("too_hard")
    elif figures.facility > TOO_EASY:
        flags.append("too_easy")
    r = figures.discrimination
    if r is not None and r < 0:
        flags.append("negative")
    elif r is not None and r < WEAK_DISCRIMINATION:
        flags.append("weak")
    picking = figures.type not in (QuestionType.ordering, QuestionType.script_response)
    if picking and any(not o["correct"] and o["picked"] == 0 for o in figures.options):
        flags.append("dead_option")
    return flags
