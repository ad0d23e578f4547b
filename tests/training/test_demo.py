"""The demo bank's training (after the staff, standards and quizzes demos): modules assigned
with a realistic spread, loaded once."""

from frontline.domains import installed


def _load(db) -> None:  # type: ignore[no-untyped-def]
    with db.session() as session:
        for domain in installed():
            if domain.name in ("staff", "standards", "quizzes", "training") and domain.demo:
                domain.demo(session)


def test_the_demo_spread(db):
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
