"""The demo bank's standards library, loaded from demo_library.yaml beside this module."""

from pathlib import Path

from sqlmodel import Session, select

from standards.models import Standard
from standards.yaml_io import apply_import, parse_library

DEMO_LIBRARY = Path(__file__).with_name("demo_library.yaml")


def load(session: Session) -> int:
    """Import the demo library unless the database has standards already.

    Returns how many standards were created (0 when the library was there already).
    """
    if session.exec(select(Standard.id).limit(1)).first() is not None:
        return 0
    specs, errors = parse_library(DEMO_LIBRARY.read_text(encoding="utf-8"))
    if errors:
        details = "\n".join(f"{DEMO_LIBRARY.name}:{e.line}: {e.message}" for e in errors)
        raise RuntimeError(f"The demo standards library has errors:\n{details}")
    plan = apply_import(session, specs, actor_id=None)
    return plan.totals["created"]
