"""What base.html takes from the installed domains: the header's links and the stylesheets."""

from dataclasses import dataclass
from typing import Any

from fastapi import Request
from markupsafe import Markup

from frontline.domains import MENU_LABELS, Domain, installed
from frontline.static_files import STATIC, static_url, versioned


@dataclass(frozen=True)
class NavLink:
    label: str  # msgid; the header translates it
    href: str
    current: bool
    badge: Markup | None


@dataclass(frozen=True)
class Menu:
    """A dropdown in the header: pages of one kind (content, reports, managing)."""

    name: str
    label: str  # msgid
    links: tuple[NavLink, ...]

    @property
    def current(self) -> bool:
        return any(link.current for link in self.links)


@dataclass(frozen=True)
class Navigation:
    """Hashable, so the header's links are rendered once per navigation and locale (web.py)."""

    main: tuple[NavLink, ...]
    menus: tuple[Menu, ...]


def navigation(request: Request) -> Navigation:
    """What the signed-in person may open, in order; empty for nobody signed in."""
    user: Any = getattr(request.state, "user", None)
    if user is None:
        return Navigation((), ())
    path = request.url.path
    entries = sorted(
        (entry for domain in installed() for entry in domain.nav if entry.shown_to(user)),
        key=lambda entry: entry.order,
    )
    links: dict[str, list[NavLink]] = {"main": [], **{name: [] for name in MENU_LABELS}}
    for entry in entries:
        badge = entry.badge(request) if entry.badge and entry.has_badge(user) else None
        links[entry.menu].append(NavLink(entry.label, entry.href, entry.is_current(path), badge))
    menus = tuple(
        Menu(name, label, tuple(links[name])) for name, label in MENU_LABELS.items() if links[name]
    )
    return Navigation(tuple(links["main"]), menus)


def stylesheets() -> list[str]:
    return [versioned(href) for domain in installed() for href in domain.stylesheets]


_HEAD_SCRIPTS = ("vendor/htmx/htmx.min.js", "js/app.js")
# (the installed domains it was made for, the <head>'s links)
_head: list[tuple[tuple[Domain, ...], Markup]] = []


def head_assets() -> Markup:
    """The stylesheets and deferred scripts every page's <head> links, versioned: the same
    for every page, so made once for the installed domains (again on each page when static
    files are rechecked)."""
    domains = installed()
    if _head and _head[0][0] is domains and not STATIC.recheck:
        return _head[0][1]
    sheets = [static_url("vendor/pico/pico.min.css"), static_url("css/app.css"), *stylesheets()]
    links = [Markup('<link rel="stylesheet" href="{}">').format(href) for href in sheets]
    scripts = [
        Markup('<script src="{}" defer></script>').format(static_url(src)) for src in _HEAD_SCRIPTS
    ]
    made = Markup("\n  ").join([*links, *scripts])
    _head[:] = [(domains, made)]
    return made
