"""The demo bank's training modules (training/demo_modules.yaml, an example of the module
file): six modules built on the demo standards, each ending with its demo quiz, and the
tellers' quarterly exam. T2's training/demo.py loads them, then assigns and completes."""

from datetime import date, timedelta
from pathlib import Path

from sqlmodel import Session

from training import service
from training.enrollment import bank_today
from training.models import Module
from training.module_file import ModuleSpec, parse_modules
from training.module_import import apply_import, plan_import

DEMO_FILE = Path(__file__).with_name("demo_modules.yaml")


def load_demo_modules(session: Session) -> list[Module]:
    """Import the demo modules unless they are there (the demo standards and quizzes first)."""
    specs, errors = parse_modules(DEMO_FILE.read_text(encoding="utf-8"))
    _exams_this_quarter(specs, bank_today())
    if not any(service.get_by_code(session, code=spec.code) for spec in specs):
        plan = plan_import(session, specs=specs, errors=errors)
        if not plan.ok:
            raise service.TrainingError(f"demo_modules.yaml: {plan.errors[0]}")
        apply_import(session, plan=plan, actor_id=None)
    modules = [service.get_by_code(session, code=spec.code) for spec in specs]
    return [module for module in modules if module is not None]


def _exams_this_quarter(specs: list[ModuleSpec], today: date) -> None:
    """The file's exam window is a quarter of 2026; loaded later, the demo's exam is the
    quarter's it is loaded in, as a window that has closed refuses its assignment."""
    first_month = (today.month - 1) // 3 * 3 + 1
    opens = date(today.year, first_month, 1)
    next_quarter = date(today.year + first_month // 10, (first_month + 2) % 12 + 1, 1)
    closes = next_quarter - timedelta(days=1)
    for spec in specs:
        for version in spec.versions:
            if version.content.exam_closes_on is not None:
                window = {"exam_opens_on": opens, "exam_closes_on": closes}
                version.content = version.content.model_copy(update=window)
