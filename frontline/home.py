"""A small hook through which domains add panels to the home page without being imported.

Each domain registers a function returning a panel (template + context) or None for a user.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session


@dataclass
class Panel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100


PanelSource = Callable[[Session, Any], Panel | None]
_sources: list[PanelSource] = []


def register_panel(source: PanelSource) -> PanelSource:
    if source not in _sources:
        _sources.append(source)
    return source


def panels_for(session: Session, user: Any) -> list[Panel]:
    found = [panel for source in _sources if (panel := source(session, user)) is not None]
    return sorted(found, key=lambda p: p.order)
