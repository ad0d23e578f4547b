"""The demo bank's training modules (training/demo_modules.yaml, an example of the module
file): six modules built on the demo standards, each ending with its demo quiz, and the
tellers' quarterly exam. T2's training/demo.py loads them, then assigns and completes."""

from pathlib import Path

from sqlmodel import Session

from training import service
from training.models import Module
from training.module_file import parse_modules
from training.module_import import apply_import, plan_import

DEMO_FILE = Path(__file__).with_name("demo_modules.yaml")


def load_demo_modules(session: Session) -> list[Module]:
    """Import the demo modules unless they are there (the demo standards and quizzes first)."""
    specs, errors = parse_modules(DEMO_FILE.read_text(encoding="utf-8"))
    if not any(service.get_by_code(session, code=spec.code) for spec in specs):
        plan = plan_import(session, specs=specs, errors=errors)
        if not plan.ok:
            raise service.TrainingError(f"demo_modules.yaml: {plan.errors[0]}")
        apply_import(session, plan=plan, actor_id=None)
    modules = [service.get_by_code(session, code=spec.code) for spec in specs]
    return [module for module in modules if module is not None]
