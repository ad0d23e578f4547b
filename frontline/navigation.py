"""What base.html takes from the installed domains: the header's links and the stylesheets."""

from dataclasses import dataclass
from typing import Any

from fastapi import Request

from frontline.domains import MENU_LABELS, installed
from frontline.static_files import versioned


@dataclass(frozen=True)
class NavLink:
    label: str  # msgid; base.html translates it
    href: str
    current: bool
    badge: str | None


@dataclass(frozen=True)
class Menu:
    """A dropdown in the header: pages of one kind (content, reports, managing)."""

    name: str
    label: str  # msgid
    links: list[NavLink]

    @property
    def current(self) -> bool:
        return any(link.current for link in self.links)


@dataclass(frozen=True)
class Navigation:
    main: list[NavLink]
    menus: list[Menu]


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
    links: dict[str, list[NavLink]] = {"main": [], **{name: [] for name in MENU_LABELS}}
    for entry in entries:
        badge = entry.badge if entry.has_badge(user) else None
        links[entry.menu].append(NavLink(entry.label, entry.href, entry.is_current(path), badge))
    menus = [Menu(name, label, links[name]) for name, label in MENU_LABELS.items() if links[name]]
    return Navigation(links["main"], menus)


def stylesheets() -> list[str]:
    return [versioned(href) for domain in installed() for href in domain.stylesheets]
