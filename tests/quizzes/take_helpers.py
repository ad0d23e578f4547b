"""Building questions and quizzes for the attempt tests, through the quizzes services."""

from datetime import UTC, datetime, timedelta
from typing import Any

from frontline.db import Database
from quizzes import bank, quiz_builder
from quizzes.bank_schemas import QuestionContent
from quizzes.models import Status
from quizzes.quiz_builder import QuizSettings
from quizzes.take_dependencies import request_now

START = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # 10:00 in Beijing


class Clock:
    """The server's clock as the tests set it."""

    def __init__(self, app: Any, now: datetime = START) -> None:
        self.now = now

        async def now_() -> datetime:
            return self.now

        app.dependency_overrides[request_now] = now_

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def single(code: str, *, correct: str = "B", **extra: Any) -> dict[str, Any]:
    return {
        "type": "single",
        "stem_zh": f"题目 {code}：客户递来身份证时怎么做？",
        "stem_en": f"Question {code}",
        "options": [
            {"key": k, "zh": f"选项{k}", "en": f"Option {k}", "feedback_zh": f"FEEDBACK-{code}-{k}"}
            for k in "ABCD"
        ],
        "correct": [correct],
        "explanation_zh": f"EXPLAIN-{code}",
        **extra,
    }


def multiple(code: str, **extra: Any) -> dict[str, Any]:
    return {**single(code), "type": "multiple", "correct": ["A", "C"], **extra}


def ordering(code: str, **extra: Any) -> dict[str, Any]:
    steps = [{"key": k, "zh": f"步骤{k}"} for k in "ABCD"]
    return {
        "type": "ordering",
        "stem_zh": f"排序 {code}",
        "options": steps,
        "correct": list("ABCD"),
        **extra,
    }


def make_question(db: Database, code: str, content: dict[str, Any], *, publish: bool = True) -> int:
    with db.session() as session:
        question, _ = bank.create_question(
            session, content=QuestionContent.model_validate(content), actor_id=None, code=code
        )
        if publish:
            bank.set_status(session, question=question, status=Status.published, actor_id=None)
        return question.id  # type: ignore[return-value]


def make_quiz(db: Database, code: str = "QZ-TEST", *, publish: bool = True, **settings: Any) -> int:
    data: dict[str, Any] = {
        "title_zh": "柜面测验",
        "title_en": "Counter quiz",
        "practice": True,
        "positions": ["teller"],
    }
    data.update(settings)
    with db.session() as session:
        quiz = quiz_builder.create_quiz(
            session, code=code, settings=QuizSettings.model_validate(data), actor_id=None
        )
        if publish:
            quiz_builder.set_status(session, quiz=quiz, status=Status.published, actor_id=None)
        return quiz.id  # type: ignore[return-value]


def start(client: Any, quiz_id: int) -> int:
    response = client.submit(f"/quizzes/practice/{quiz_id}/start", token_page="/quizzes/practice")
    assert response.status_code == 303, response.text[:300]
    return int(response.headers["location"].rsplit("/", 1)[1])


def save(
    client: Any, attempt_id: int, position: int, data: dict[str, Any], htmx: bool = True
) -> Any:
    headers = {"HX-Request": "true"} if htmx else {}
    page = f"/quizzes/attempts/{attempt_id}"
    return client.submit(
        f"{page}/items/{position}", data, token_page="/quizzes/practice", headers=headers
    )


def submit(client: Any, attempt_id: int, data: dict[str, Any] | None = None) -> Any:
    return client.submit(
        f"/quizzes/attempts/{attempt_id}/submit", data or {}, token_page="/quizzes/practice"
    )


def items(db: Database, attempt_id: int) -> list[Any]:
    from sqlmodel import col, select

    from quizzes.models import AttemptItem

    with db.session() as session:
        return list(
            session.exec(
                select(AttemptItem)
                .where(AttemptItem.attempt_id == attempt_id)
                .order_by(col(AttemptItem.position))
            )
        )


def pick(db: Database, attempt_id: int, position: int, *keys: str) -> dict[str, Any]:
    """The form that picks these option keys, by their places on screen."""
    order = items(db, attempt_id)[position - 1].option_order
    return {f"q{position}-pick": [str(order.index(k)) for k in keys]}


def rank(db: Database, attempt_id: int, position: int, keys: str) -> dict[str, Any]:
    """The form that puts the steps in this order (keys as a string, first step first)."""
    order = items(db, attempt_id)[position - 1].option_order
    return {f"q{position}-rank-{order.index(k)}": str(keys.index(k) + 1) for k in order}
