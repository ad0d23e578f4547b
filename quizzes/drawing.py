"""Which questions an attempt shows, in which order, with which option order.

Everything random comes from one generator seeded per attempt, and the outcome is stored on
the attempt's items, so what a learner saw never depends on the bank's later state.
"""

import random
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from frontline.db import read_columns
from quizzes.models import (
    DrawRule,
    PoolKind,
    Question,
    QuestionType,
    QuestionVersion,
    Quiz,
    QuizQuestion,
    Status,
)
from quizzes.quiz_builder import pool_query


@dataclass(frozen=True)
class Drawn:
    version_id: int
    points: int
    option_order: list[str]


# Drawn at every start (a branch starting an exam at once): statements built once.
_FIXED = (
    select(QuizQuestion.question_id, QuizQuestion.points)
    .join(Question, col(Question.id) == QuizQuestion.question_id)
    .where(QuizQuestion.quiz_id == bindparam("quiz_id"), Question.status == Status.published)
    .order_by(col(QuizQuestion.position))
)
_RULES = (
    select(DrawRule.pool, DrawRule.value, DrawRule.count, DrawRule.points)
    .where(DrawRule.quiz_id == bindparam("quiz_id"))
    .order_by(col(DrawRule.position))
)
_POOLS = {kind: pool_query(kind, bindparam("value")) for kind in PoolKind}


def draw(session: Session, *, quiz: Quiz, seed: int) -> list[Drawn]:
    """The fixed questions, then each rule's draw (no question twice), shuffled as the quiz
    says; every version is its question's current one."""
    rng = random.Random(seed)  # noqa: S311 - a fair draw, not a secret
    chosen: list[tuple[int, int]] = []  # (question id, points)
    params = {"quiz_id": quiz.id}
    chosen.extend((question, points) for question, points in read_columns(session, _FIXED, params))
    rules = read_columns(session, _RULES, params).all()
    for kind, value, count, points in rules:  # (a row's `count` would be tuple.count)
        taken = {question_id for question_id, _ in chosen}
        found = read_columns(session, _POOLS[kind], {"value": value}).scalars()
        pool = sorted(question_id for question_id in found if question_id not in taken)
        chosen.extend(
            (question_id, points) for question_id in rng.sample(pool, min(count, len(pool)))
        )
    if quiz.shuffle_questions:
        rng.shuffle(chosen)
    versions = _current_versions(session, [question_id for question_id, _ in chosen])
    return [
        Drawn(
            version_id=versions[question_id].id,
            points=points,
            option_order=option_order(
                versions[question_id].type,
                versions[question_id].options,
                rng,
                shuffle=quiz.shuffle_options,
            ),
        )
        for question_id, points in chosen
        if question_id in versions
    ]


# The current version of each drawn question, as the columns a draw needs.
_CURRENT = (
    select(
        QuestionVersion.id,
        QuestionVersion.question_id,
        QuestionVersion.type,
        QuestionVersion.options,
    )
    .join(Question, col(Question.current_version_id) == QuestionVersion.id)
    .where(col(Question.id).in_(bindparam("question_ids", expanding=True)))
)


def _current_versions(session: Session, question_ids: list[int]) -> dict[int, Any]:
    if not question_ids:
        return {}
    rows = read_columns(session, _CURRENT, {"question_ids": question_ids})
    return {row.question_id: row for row in rows}


def option_order(
    kind: QuestionType, options: list[dict[str, Any]], rng: random.Random, *, shuffle: bool
) -> list[str]:
    """The options' keys as shown. An ordering question is always shuffled, and never shown
    in the right order (that would be its answer); true/false keeps true before false."""
    keys = [str(option["key"]) for option in options]
    if kind == QuestionType.ordering:
        if len(set(keys)) < 2:
            return keys
        shown = keys[:]
        while shown == keys:
            rng.shuffle(shown)
        return shown
    if shuffle and kind != QuestionType.true_false:
        shown = keys[:]
        rng.shuffle(shown)
        return shown
    return keys
