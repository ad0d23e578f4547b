"""The demo question bank: enough questions of every type from each area, quizzes per area and
the quarterly teller test, a realistic spread of scores, one flagged question, loaded once."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from quizzes import analysis, demo
from quizzes.models import Attempt, Question, QuestionType, QuestionVersion, Quiz, Status
from staff import demo as staff_demo
from standards import demo as standards_demo
from tests.conftest import copy_of


def load_bank(session: Session) -> None:
    """The demo bank up to its questions, as `frontline demo` loads it."""
    staff_demo.load(session)
    standards_demo.load(session)
    lines = demo.load(session)
    assert lines and "questions in the bank" in lines[0]


@pytest.fixture
def database_url(demo_template, tmp_path: Path) -> Iterator[str]:
    """Each test's own copy of one demo bank, loaded once (tests/conftest.py, demo_template)."""
    with copy_of(demo_template(load_bank), tmp_path) as url:
        yield url


@pytest.fixture
def demo_bank(db):
    return db


def test_the_demo_bank_has_every_type_and_a_quiz_per_area(demo_bank):
    with demo_bank.session(write=False) as session:
        types = session.exec(
            select(QuestionVersion.type, func.count())
            .join(Question, Question.current_version_id == QuestionVersion.id)
            .where(Question.status == Status.published)
            .group_by(QuestionVersion.type)
        ).all()
        by_type = {QuestionType(t): n for t, n in types}
        assert set(by_type) == set(QuestionType)
        assert sum(by_type.values()) >= 60
        english = session.exec(select(func.count()).where(QuestionVersion.stem_en != "")).one()
        assert english == session.exec(select(func.count()).select_from(QuestionVersion)).one()
        quizzes = {q.code: q for q in session.exec(select(Quiz))}
        for code in ("QZ-CTR", "QZ-LNG", "QZ-AML", "QZ-WLT", "QZ-CMP", "QZ-SPC"):
            assert quizzes[code].status == Status.published and quizzes[code].practice
        exam = quizzes[demo.EXAM]
        assert exam.status == Status.published and not exam.practice


def test_scores_spread_and_the_badly_written_question_is_flagged(demo_bank):
    with demo_bank.session(write=False) as session:
        scores = [a.score for a in session.exec(select(Attempt)) if a.submitted_at]
        assert len(scores) >= 30
        assert min(scores) < 50 and max(scores) > 85
        assert 0.2 < sum(s >= 60 for s in scores) / len(scores) < 0.95
        lng = session.exec(select(Quiz).where(Quiz.code == "QZ-LNG")).one()
        items = {i.code: i for i in analysis.item_analysis(session, quiz_id=lng.id)}
        bad = items[demo.BADLY_WRITTEN]
        assert bad.answered >= analysis.MIN_ANSWERS
        assert "too_hard" in bad.flags or "weak" in bad.flags or "negative" in bad.flags
        flagged = [code for code, item in items.items() if "too_hard" in item.flags]
        assert flagged == [demo.BADLY_WRITTEN]
    with demo_bank.session() as session:  # loading again changes nothing
        before = session.exec(select(func.count()).select_from(Attempt)).one()
        assert demo.load(session) == []
        assert session.exec(select(func.count()).select_from(Attempt)).one() == before
