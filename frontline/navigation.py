"""What base.html takes from the installed domains: the header's links and the stylesheets."""

from dataclasses import dataclass
from typing import Any

from fastapi import Request

from frontline.domains import installed


@dataclass(frozen=True)
class NavLink:
    label: str  # msgid; base.html translates it
    href: str
    current: bool
    badge: str | None


@dataclass(frozen=True)
class Navigation:
    main: list[NavLink]
    manage: list[NavLink]

    @property
    def managing(self) -> bool:
        return any(link.current for link in self.manage)


def navigation(request: Request) -> Navigation:
    """What the signed-in person may open, in order; empty for nobody signed in."""
    user: Any = getattr(request.state, "user", None)
    if user is None:
        return Navigation([], [])
    path = request.url.path
    entries = sorted(
        (entry for domain in installed() for entry in domain.nav if entry.shown_to(user)),
        key=lambda entry: entry.order,
    )
    links = {"main": [], "manage": []}  # type: dict[str, list[NavLink]]
    for entry in entries:
        badge = entry.badge if entry.has_badge(user) else None
        links[entry.menu].append(NavLink(entry.label, entry.href, entry.is_current(path), badge))
    return Navigation(links["main"], links["manage"])


def stylesheets() -> list[str]:
    return [href for domain in installed() for href in domain.stylesheets]
