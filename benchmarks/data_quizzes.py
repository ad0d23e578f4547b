"""Quizzes for the benchmark region: 400 published questions on the library's standards, 40
quizzes (practice for each front-line position, and exams), and 12 months of graded attempts
(about 150,000, ten items each) whose answers follow each person's ability and each
question's difficulty, so item analysis has real figures to find.

Bulk Core inserts with ids chosen here (the tables are empty when this runs).
"""

import math
import random
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlmodel import Session, col

from quizzes.models import (
    Attempt,
    AttemptItem,
    Question,
    QuestionTag,
    QuestionVersion,
    Quiz,
    QuizPosition,
    QuizQuestion,
)
from staff.models import Branch, Person, Role
from standards import search as library_search

QUESTIONS = 400
QUIZZES = 40
ITEMS_PER_QUIZ = 10
ATTEMPTS_PER_BRANCH = 3_750  # 150,000 in the 5,000-staff region (40 branches)
CHUNK = 20_000
TYPES = ["single"] * 5 + ["multiple"] * 2 + ["true_false"] * 2 + ["script_choice", "ordering"]


def generate(session: Session, rng: random.Random) -> dict[str, int]:
    now = datetime.now(UTC).replace(microsecond=0)
    codes = [
        s.code
        for s, _ in library_search.search(
            session, filters=library_search.LibraryFilters(), limit=2000
        )[0]
    ]
    versions = _questions(session, rng, codes, now)
    quizzes = _quizzes(session, rng, versions, now)
    people = [
        (pid, position)
        for pid, position in session.execute(
            select(col(Person.id), col(Person.position)).where(col(Person.role) == Role.employee)
        )
    ]
    branches = session.execute(select(func.count()).select_from(Branch)).scalar_one()
    total = ATTEMPTS_PER_BRANCH * max(1, branches)
    attempts, items = _attempts(session, rng, people, quizzes, versions, now, total)
    return {
        "questions": QUESTIONS,
        "quizzes": QUIZZES,
        "attempts": attempts,
        "attempt items": items,
    }


def _options(kind: str, n: int) -> tuple[list[dict[str, Any]], list[str]]:
    if kind == "true_false":
        return [
            {"key": "T", "zh": "正确", "en": "True"},
            {"key": "F", "zh": "错误", "en": "False"},
        ], ["T"]
    options = [
        {
            "key": k,
            "zh": f"选项 {k}（题 {n}）",
            "en": f"Option {k}",
            "feedback_zh": "",
            "feedback_en": "",
        }
        for k in "ABCD"
    ]
    correct = {"multiple": ["A", "C"], "ordering": list("ABCD")}.get(
        kind, [["A", "B", "C", "D"][n % 4]]
    )
    return options, correct


def _questions(
    session: Session, rng: random.Random, codes: list[str], now: datetime
) -> dict[int, dict[str, Any]]:
    questions, versions, tags = [], [], []
    by_id: dict[int, dict[str, Any]] = {}
    for n in range(1, QUESTIONS + 1):
        kind = rng.choice(TYPES)
        options, correct = _options(kind, n)
        code = codes[n % len(codes)] if codes else None
        questions.append(
            {
                "id": n,
                "code": f"Q-{n:04d}",
                "status": "published",
                "current_version_id": None,
                "created_at": now,
                "updated_at": now,
            }
        )
        version = {
            "id": n,
            "question_id": n,
            "number": 1,
            "created_at": now,
            "type": kind,
            "stem_zh": f"第 {n} 题：按照 {code} 的要求，下列做法哪项正确？",
            "stem_en": f"Question {n}",
            "explanation_zh": f"见标准 {code}。",
            "explanation_en": "",
            "options": options,
            "correct": correct,
            "required_phrases": [],
            "forbidden_phrases": [],
            "standard_code": code,
            "standard_version_id": None,
            "tags": [f"T{n % 20}"],
            "difficulty": rng.choice(["easy", "medium", "hard"]),
            "category": f"C{n % 8}",
        }
        versions.append(version)
        tags.append({"version_id": n, "tag": f"T{n % 20}"})
        # Ability needed: most questions fair, a few hard, one in 40 badly written (noise).
        by_id[n] = {**version, "hardness": rng.gauss(0, 1), "bad": n % 40 == 0}
    session.execute(insert(Question), questions)
    session.execute(insert(QuestionVersion.__table__), versions)
    session.execute(insert(QuestionTag.__table__), tags)
    session.execute(update(Question).values(current_version_id=Question.id))
    return by_id


def _quizzes(
    session: Session, rng: random.Random, versions: dict[int, dict[str, Any]], now: datetime
) -> list[dict[str, Any]]:
    positions = ["teller", "lobby_manager", "relationship_manager", "call_agent"]
    quizzes, links, targets = [], [], []
    for n in range(1, QUIZZES + 1):
        position = positions[n % len(positions)]
        practice = n % 5 != 0
        question_ids = rng.sample(sorted(versions), ITEMS_PER_QUIZ)
        quizzes.append(
            {
                "id": n,
                "code": f"QZ-B{n:03d}",
                "status": "published",
                "title_zh": f"测验 {n}",
                "title_en": f"Quiz {n}",
                "description_zh": "",
                "description_en": "",
                "pass_mark": 60,
                "attempts_allowed": None,
                "time_limit_minutes": 20 if n % 2 else None,
                "shuffle_questions": True,
                "shuffle_options": True,
                "scoring_rule": "partial_with_penalty" if n % 3 == 0 else "all_or_nothing",
                "layout": "one_per_screen",
                "review_policy": "full",
                "review_from": None,
                "practice": practice,
                "published_at": now - timedelta(days=400),
                "created_at": now,
                "updated_at": now,
            }
        )
        links += [
            {"quiz_id": n, "question_id": q, "position": i, "points": 1}
            for i, q in enumerate(question_ids, start=1)
        ]
        targets.append({"quiz_id": n, "position": position})
        quizzes[-1]["question_ids"] = question_ids
        quizzes[-1]["position"] = position
    session.execute(
        insert(Quiz),
        [{k: v for k, v in q.items() if k not in ("question_ids", "position")} for q in quizzes],
    )
    session.execute(insert(QuizQuestion.__table__), links)
    session.execute(insert(QuizPosition), targets)
    return quizzes


def _answer(rng: random.Random, version: dict[str, Any], ability: float) -> tuple[list[str], bool]:
    chance = 0.5 if version["bad"] else 1 / (1 + math.exp(-(ability - version["hardness"] + 0.8)))
    right = rng.random() < chance
    keys = [o["key"] for o in version["options"]]
    if version["type"] == "ordering":
        order = keys[:] if right else rng.sample(keys, len(keys))
        return order, order == version["correct"]
    if version["type"] == "multiple":
        picked = version["correct"] if right else sorted(rng.sample(keys, 2))
        return picked, sorted(picked) == sorted(version["correct"])
    wrong = [k for k in keys if k not in version["correct"]]
    picked = version["correct"] if right or not wrong else [rng.choice(wrong)]
    return picked, picked == version["correct"]


def _attempts(
    session: Session,
    rng: random.Random,
    people: list[tuple[int, str | None]],
    quizzes: list[dict[str, Any]],
    versions: dict[int, dict[str, Any]],
    now: datetime,
    total: int,
) -> tuple[int, int]:
    by_position: dict[str | None, list[int]] = {}
    for pid, position in people:
        by_position.setdefault(position, []).append(pid)
    ability = {pid: rng.gauss(0, 1) for pid, _ in people}
    numbers: dict[tuple[int, int], int] = {}
    attempts: list[dict[str, Any]] = []
    items: list[dict[str, Any]] = []
    total_items = 0
    for attempt_id in range(1, total + 1):
        quiz = quizzes[attempt_id % len(quizzes)]
        person = rng.choice(by_position.get(quiz["position"]) or [pid for pid, _ in people])
        numbers[(quiz["id"], person)] = numbers.get((quiz["id"], person), 0) + 1
        started = now - timedelta(days=365 * rng.random())
        answered = _items(rng, attempt_id, quiz, versions, ability[person], started)
        items.extend(answered)
        earned = sum(item["credit"] for item in answered)
        score = round(100 * earned / len(answered), 2)
        attempts.append(
            {
                "id": attempt_id,
                "quiz_id": quiz["id"],
                "person_id": person,
                "number": numbers[(quiz["id"], person)],
                "exam": not quiz["practice"],
                "seed": rng.randrange(2**31 - 1),
                "started_at": started,
                "deadline": started + timedelta(minutes=20) if quiz["time_limit_minutes"] else None,
                "submitted_at": started + timedelta(minutes=12),
                "closed_reason": "submitted",
                "points_earned": earned,
                "points_possible": float(len(answered)),
                "score": score,
                "passed": score >= 60,
                "pass_mark": 60,
                "scoring_rule": quiz["scoring_rule"],
                "return_to": None,
            }
        )
        if len(items) >= CHUNK:
            total_items += _flush(session, attempts, items)
    total_items += _flush(session, attempts, items)
    return total, total_items


def _items(
    rng: random.Random,
    attempt_id: int,
    quiz: dict[str, Any],
    versions: dict[int, dict[str, Any]],
    ability: float,
    started: datetime,
) -> list[dict[str, Any]]:
    rows = []
    for place, question_id in enumerate(quiz["question_ids"], start=1):
        version = versions[question_id]
        keys, correct = _answer(rng, version, ability)
        ordered = version["type"] == "ordering"
        rows.append(
            {
                # Item ids follow from the attempt's: ten a quiz.
                "id": (attempt_id - 1) * ITEMS_PER_QUIZ + place,
                "attempt_id": attempt_id,
                "position": place,
                "question_version_id": question_id,
                "points": 1,
                "option_order": [o["key"] for o in version["options"]],
                "answer": {"keys": keys},
                "chosen": ",".join(keys) if ordered else "," + ",".join(sorted(keys)) + ",",
                "saved_at": started + timedelta(minutes=place),
                "credit": float(correct),
                "correct": correct,
                "detail": None,
            }
        )
    return rows


def _flush(session: Session, attempts: list[dict[str, Any]], items: list[dict[str, Any]]) -> int:
    if attempts:
        session.execute(insert(Attempt.__table__), attempts)
    count = len(items)
    if items:
        session.execute(insert(AttemptItem.__table__), items)
    attempts.clear()
    items.clear()
    return count
