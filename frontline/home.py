"""Panels that domains add to the home page, read from their declarations (frontline.domains)."""

from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session


@dataclass
class Panel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100


def panels_for(session: Session, user: Any) -> list[Panel]:
    from frontline.domains import installed  # the registry imports Panel from here

    sources = [source for domain in installed() for source in domain.home_panels]
    found = [panel for source in sources if (panel := source(session, user)) is not None]
    return sorted(found, key=lambda p: p.order)
