"""Item analysis: how each question of a quiz performs, from graded attempts, in SQL.

Per question (all its versions together): how many answered it, facility (mean credit, the
share correct when credit is 0 or 1), discrimination (the point-biserial correlation of the
item's credit with the candidate's score on the rest of the attempt, so the item does not
correlate with itself) and how often each option was picked. The database returns the sums
the formula needs, one row per question; Python finishes the formula on those few numbers.
"""

import math
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Float, case, cast, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from frontline.i18n import N_
from frontline.models import id_of
from quizzes import figure_cache
from quizzes.models import Attempt, AttemptItem, Question, QuestionType, QuestionVersion

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
    """Attempts, people, average score and pass rate (cached like the item figures)."""
    fingerprint = figure_cache.attempts_fingerprint(session, quiz_id, start, end)
    key = ("summary", quiz_id, start, end, fingerprint)
    return figure_cache.cached(session, key, lambda: _summary(session, quiz_id, start, end))


def _summary(
    session: Session, quiz_id: int, start: datetime | None, end: datetime | None
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


@dataclass
class _Totals:
    """Additive sums for one question, over the (version, chosen answer) groups SQL returns.

    X is the item's points earned, T the attempt's points earned; the rest score is T − X.
    """

    answered: int = 0
    credit: float = 0.0
    sum_x: float = 0.0
    sum_xx: float = 0.0
    sum_t: float = 0.0
    sum_tt: float = 0.0
    sum_xt: float = 0.0
    picked: dict[str, int] = field(default_factory=dict)

    def add(self, row: Any) -> None:
        self.answered += int(row.answered)
        self.credit += float(row.credit or 0)
        self.sum_x += float(row.sum_x or 0)
        self.sum_xx += float(row.sum_xx or 0)
        self.sum_t += float(row.sum_t or 0)
        self.sum_tt += float(row.sum_tt or 0)
        self.sum_xt += float(row.sum_xt or 0)
        # ",A,C," for choices; an ordering's "B,A,C" is an order, not picks.
        if row.chosen and str(row.chosen).startswith(","):
            for key in str(row.chosen).strip(",").split(","):
                self.picked[key] = self.picked.get(key, 0) + int(row.answered)

    def rest_sums(self) -> Sums:
        """Item score against rest score: Σ(T−X) = ΣT−ΣX, Σ(T−X)² = ΣT²−2ΣXT+ΣX², ΣX(T−X)."""
        return Sums(
            n=self.answered,
            sum_x=self.sum_x,
            sum_xx=self.sum_xx,
            sum_y=self.sum_t - self.sum_x,
            sum_yy=self.sum_tt - 2 * self.sum_xt + self.sum_xx,
            sum_xy=self.sum_xt - self.sum_xx,
        )


def _sums_query(conditions: list[Any]) -> Any:
    """One pass over the items: cheap sums per question version and chosen answer (the few
    groups are added up per question in Python; every sum is additive)."""
    credit = func.coalesce(col(AttemptItem.credit), 0.0)
    x = credit * col(AttemptItem.points)
    t = func.coalesce(col(Attempt.points_earned), 0.0)
    return (
        sa_select(
            col(AttemptItem.question_version_id).label("version_id"),
            col(AttemptItem.chosen).label("chosen"),
            func.count().label("answered"),
            func.sum(cast(credit, Float)).label("credit"),
            func.sum(x).label("sum_x"),
            func.sum(x * x).label("sum_xx"),
            func.sum(t).label("sum_t"),
            func.sum(t * t).label("sum_tt"),
            func.sum(x * t).label("sum_xt"),
        )
        .select_from(Attempt)
        .join(AttemptItem, col(AttemptItem.attempt_id) == Attempt.id)
        .where(*conditions)
        .group_by(col(AttemptItem.question_version_id), col(AttemptItem.chosen))
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
    question across all quizzes), in the order of their codes.

    The sums behind it are cached per worker until another attempt is graded.
    """
    conditions = _graded(quiz_id, start, end)
    fingerprint = figure_cache.attempts_fingerprint(session, quiz_id, start, end)
    key = ("items", quiz_id, question_id, start, end, fingerprint, _versions_fingerprint(session))
    figures: list[ItemFigures] = figure_cache.cached(
        session, key, lambda: _compute(session, conditions, question_id)
    )
    # Flags follow the thresholds of the moment, on copies: cached figures are shared.
    return [replace(f, flags=flags_of(f)) for f in figures]


def _versions_fingerprint(session: Session) -> Any:
    """Question texts and keys shown come from current versions: a new one changes the key."""
    return session.execute(sa_select(func.count(), func.max(QuestionVersion.id))).one()


def _compute(session: Session, conditions: list[Any], question_id: int | None) -> list[ItemFigures]:
    query = _sums_query(conditions)
    if question_id is not None:
        versions = select(QuestionVersion.id).where(QuestionVersion.question_id == question_id)
        query = query.where(col(AttemptItem.question_version_id).in_(versions))
    rows = session.execute(query).all()
    if not rows:
        return []
    question_of = dict(
        session.execute(
            sa_select(col(QuestionVersion.id), col(QuestionVersion.question_id)).where(
                col(QuestionVersion.id).in_({row.version_id for row in rows})
            )
        ).all()
    )
    totals: dict[int, _Totals] = {}
    for row in rows:
        totals.setdefault(question_of[row.version_id], _Totals()).add(row)
    current = session.exec(
        select(Question, QuestionVersion)
        .join(QuestionVersion, col(QuestionVersion.id) == Question.current_version_id)
        .where(col(Question.id).in_(list(totals)))
        .order_by(col(Question.code))
    ).all()
    return [_figures(question, version, totals[id_of(question)]) for question, version in current]


def _figures(question: Question, version: QuestionVersion, totals: _Totals) -> ItemFigures:
    answered = totals.answered
    options = [
        {
            "key": option["key"],
            "zh": option.get("zh", ""),
            "en": option.get("en", ""),
            "correct": option["key"] in version.correct,
            "picked": totals.picked.get(option["key"], 0),
        }
        for option in version.options
    ]
    return ItemFigures(
        question_id=id_of(question),
        code=question.code,
        type=QuestionType(version.type),
        stem_zh=version.stem_zh,
        stem_en=version.stem_en,
        answered=answered,
        facility=totals.credit / answered if answered else None,
        discrimination=correlation(totals.rest_sums()),
        options=options,
    )


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
    # A distractor nobody picks says something only once enough people answered wrong.
    picking = figures.type not in (QuestionType.ordering, QuestionType.script_response)
    wrong = sum(o["picked"] for o in figures.options if not o["correct"])
    dead = any(not o["correct"] and o["picked"] == 0 for o in figures.options)
    if picking and wrong >= MIN_ANSWERS and dead:
        flags.append("dead_option")
    return flags
