"""Building quizzes: settings checked, fixed questions and draws kept, publishing checked."""

from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import ValidationError

from quizzes import bank, quiz_builder
from quizzes.bank_schemas import QuestionContent
from quizzes.models import PoolKind, Quiz, Status
from quizzes.quiz_builder import QuizSettings
from tests.concurrency import at_once


def _question(session, code: str, *, tags: list[str], publish: bool = True) -> None:
    content = QuestionContent.model_validate(
        {
            "type": "single",
            "stem_zh": f"题目 {code}",
            "options": [{"key": "A", "zh": "对"}, {"key": "B", "zh": "错"}],
            "correct": ["A"],
            "tags": tags,
        }
    )
    question, _ = bank.create_question(session, content=content, actor_id=None, code=code)
    if publish:
        bank.set_status(session, question=question, status=Status.published, actor_id=None)


def settings(**overrides: Any) -> QuizSettings:
    data: dict[str, Any] = {"title_zh": "柜面迎客测验", "title_en": "Counter greeting quiz"}
    data.update(overrides)
    return QuizSettings.model_validate(data)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"pass_mark": 101}, "less than or equal to 100"),
        ({"attempts_allowed": 0}, "greater than or equal to 1"),
        ({"time_limit_minutes": 0}, "greater than or equal to 1"),
        ({"questions": [{"code": "Q-1"}, {"code": "q-1"}]}, "only once"),
        ({"practice": True}, "needs the positions"),
        ({"review_from": "2026-12-01T08:00:00"}, "time zone"),
        ({"draws": [{"pool": "tag", "value": "迎客", "count": 0}]}, "greater than or equal to 1"),
        ({"title_zh": ""}, "at least 1"),
    ],
)
def test_settings_are_checked(overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError) as raised:
        settings(**overrides)
    assert message in str(raised.value)


def test_a_quiz_keeps_its_fixed_questions_draws_and_positions(db) -> None:
    with db.session() as session:
        _question(session, "Q-1", tags=["迎客"])
        _question(session, "Q-2", tags=["迎客"])
        wanted = settings(
            pass_mark=80,
            attempts_allowed=3,
            time_limit_minutes=10,
            shuffle_questions=True,
            scoring_rule="partial_with_penalty",
            review_policy="full",
            review_from=datetime(2026, 12, 1, tzinfo=UTC),
            practice=True,
            positions=["teller"],
            questions=[{"code": "q-2", "points": 2}],
            draws=[{"pool": "tag", "value": "迎客", "count": 1}],
        )
        quiz = quiz_builder.create_quiz(session, code="QZ-GRT-01", settings=wanted, actor_id=None)
        assert quiz_builder.settings_of(session, quiz=quiz) == wanted
        changed = quiz_builder.update_quiz(session, quiz=quiz, settings=settings(), actor_id=None)
        assert "questions" in changed and "pass_mark" in changed
        assert quiz_builder.settings_of(session, quiz=quiz) == settings()


def test_unknown_questions_and_codes_are_refused(db) -> None:
    with db.session() as session:
        with pytest.raises(quiz_builder.BuilderError) as raised:
            quiz_builder.create_quiz(
                session,
                code="QZ-1",
                settings=settings(questions=[{"code": "Q-404"}]),
                actor_id=None,
            )
        assert raised.value.params == {"codes": "Q-404"}
        with pytest.raises(quiz_builder.BuilderError):
            quiz_builder.create_quiz(session, code="bad code", settings=settings(), actor_id=None)


def test_publishing_needs_published_questions_and_full_enough_pools(db) -> None:
    with db.session() as session:
        _question(session, "Q-1", tags=["迎客"])
        _question(session, "Q-2", tags=["迎客"], publish=False)
        quiz = quiz_builder.create_quiz(session, code="QZ-1", settings=settings(), actor_id=None)
        assert quiz_builder.publication_problems(session, quiz=quiz)  # empty quiz
        quiz_builder.update_quiz(
            session,
            quiz=quiz,
            settings=settings(
                questions=[{"code": "Q-2"}],
                draws=[{"pool": "tag", "value": "迎客", "count": 1}],
            ),
            actor_id=None,
        )
        problems = quiz_builder.publication_problems(session, quiz=quiz)
        assert [values for _, values in problems] == [{"codes": "Q-2"}]
        # A draw never repeats a fixed question, so the pool is counted without them.
        quiz_builder.update_quiz(
            session,
            quiz=quiz,
            settings=settings(
                questions=[{"code": "Q-1"}],
                draws=[{"pool": "tag", "value": "迎客", "count": 1}],
            ),
            actor_id=None,
        )
        with pytest.raises(quiz_builder.BuilderError):
            quiz_builder.set_status(session, quiz=quiz, status=Status.published, actor_id=None)
        quiz_builder.update_quiz(
            session, quiz=quiz, settings=settings(questions=[{"code": "Q-1"}]), actor_id=None
        )
        quiz_builder.set_status(session, quiz=quiz, status=Status.published, actor_id=None)
        assert quiz.status == Status.published and quiz.published_at is not None
        assert quiz_builder.pool_size(session, pool=PoolKind.tag, value="迎客") == 1
        quiz_builder.set_status(session, quiz=quiz, status=Status.archived, actor_id=None)
        with pytest.raises(quiz_builder.BuilderError):
            quiz_builder.update_quiz(session, quiz=quiz, settings=settings(), actor_id=None)


def test_a_quiz_code_taken_at_the_same_moment_is_refused_as_taken(db, database_url) -> None:
    """Two authors creating the same code at once both find it free; on PostgreSQL the
    second's insert waits for the first, then is refused as a taken code, not a 500."""

    def hold(session):  # another author's quiz, not yet committed
        session.add(Quiz(code="QZ-TWICE-01", title_zh="另一位作者的测验"))
        session.flush()

    def create(session):
        return quiz_builder.create_quiz(
            session, code="QZ-TWICE-01", settings=settings(), actor_id=None
        )

    _, _, second = at_once(db, database_url, hold=hold, second=create)
    assert isinstance(second, quiz_builder.BuilderError)
    assert second.message == "A quiz with this code already exists."
