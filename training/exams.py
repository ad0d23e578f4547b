"""Exams (应知应会考试): a module with no lessons and one quiz, open between two dates, assigned
like any module. Their results per person, team and branch are the dashboard's figures for
that module (passed = completed, the score as last read from quizzes)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from training import dashboard, learning
from training.dashboard import Figures, Filters, Group
from training.models import Module, ModuleVersion


@dataclass
class ExamRow:
    module: Module
    version: ModuleVersion
    window: str  # not_open, open, closed
    figures: Figures


def window_state(version: ModuleVersion, today: date) -> str:
    return learning.exam_window(version, today)


def exams(session: Session, *, team_ids: Sequence[int] | None, today: date) -> list[ExamRow]:
    """Every exam in force, newest window first, with its figures in the viewer's scope."""
    rows = session.exec(
        select(Module, ModuleVersion)
        .join(ModuleVersion, col(ModuleVersion.id) == Module.current_version_id)
        .where(col(ModuleVersion.exam_opens_on).is_not(None))
        .order_by(col(ModuleVersion.exam_opens_on).desc(), col(Module.code))
    ).all()
    if not rows:
        return []
    report = dashboard.report(
        session, group=Group.module, filters=Filters(), team_ids=team_ids, today=today
    )
    by_module = {row.key: row.figures for row in report.rows}
    return [
        ExamRow(module, version, window_state(version, today), by_module.get(module.id, Figures()))
        for module, version in rows
    ]
