"""The demo bank's training: modules assigned with a realistic spread, loaded once."""

from types import SimpleNamespace

import pytest

from frontline.domains import installed
from training import quiz_link

QUIZ_CODES = ("QZ-CTR", "QZ-LNG", "QZ-AML", "QZ-WLT", "QZ-CMP", "QZ-SPC", "QZ-TLR-2026Q4")


@pytest.fixture
def demo_quizzes(monkeypatch):  # type: ignore[no-untyped-def]
    """The quizzes' demo quizzes by code, as quizzes' service offers them once merged."""
    quizzes = [SimpleNamespace(id=i, code=c) for i, c in enumerate(QUIZ_CODES, start=1)]
    fake = SimpleNamespace(
        published_quizzes=lambda session: quizzes,
        get_quiz=lambda session, quiz_id: quizzes[quiz_id - 1] if quiz_id <= len(quizzes) else None,
    )
    monkeypatch.setattr(quiz_link, "_quizzes", lambda: fake)


def _load(db) -> None:  # type: ignore[no-untyped-def]
    with db.session() as session:
        for domain in installed():
            if domain.name in ("staff", "standards", "training") and domain.demo:
                domain.demo(session)


def test_the_demo_spread(db, demo_quizzes):
    from training import refreshers
    from training.dashboard import Filters, Group, report
    from training.enrollment import bank_today

    _load(db)
    _load(db)  # twice is safe
    with db.session() as session:
        figures = report(
            session, group=Group.module, filters=Filters(), team_ids=None, today=bank_today()
        )
        by_code = {row.label.split()[0]: row.figures for row in figures.rows}
        total = figures.total
        from staff.service import get_by_employee_no

        e1001 = get_by_employee_no(session, employee_no="E1001")
        flags = refreshers.open_for(session, person_id=e1001.id)
    assert set(by_code) >= {"TRN-CTR-01", "TRN-AML-01", "EXAM-2026Q4"}
    assert total.completed > total.assigned / 2  # most completed
    assert total["completed_late"] >= 2 and total["overdue"] >= 3
    assert total["expired"] >= 1 and total["in_progress"] >= 2
    assert [f.flag.standard_code for f in flags] == ["TXN-02"]
    exam = by_code["EXAM-2026Q4"]
    assert exam.assigned == 4 and exam.completed == 2 and exam.average_score == 85.0
