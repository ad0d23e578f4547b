"""Sections that domains add to a supervisor's page about one person (standards now; training
and audits later), read from their declarations like the home page's panels."""

from typing import Any

from sqlmodel import Session

from frontline.domains import installed
from frontline.home import Panel


def panels_for(session: Session, *, person: Any, viewer: Any) -> list[Panel]:
    sources = [source for domain in installed() for source in domain.person_panels]
    found = [p for source in sources if (p := source(session, person, viewer)) is not None]
    return sorted(found, key=lambda p: p.order)
