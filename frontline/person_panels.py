"""A hook through which domains add sections to a supervisor's page about one person.

Like the home page's panels: each domain (standards now; training and audits later) registers
a function returning a panel for (session, person, viewer) or None, without being imported.
"""

from collections.abc import Callable
from typing import Any

from sqlmodel import Session

from frontline.home import Panel

PersonPanelSource = Callable[[Session, Any, Any], Panel | None]
_sources: list[PersonPanelSource] = []


def register_person_panel(source: PersonPanelSource) -> PersonPanelSource:
    if source not in _sources:
        _sources.append(source)
    return source


def panels_for(session: Session, *, person: Any, viewer: Any) -> list[Panel]:
    found = [p for source in _sources if (p := source(session, person, viewer)) is not None]
    return sorted(found, key=lambda p: p.order)
