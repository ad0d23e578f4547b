"""The one list of domain packages, and the declaration each of them makes about itself.

The shell (app factory, CLI, demo, Alembic's model import, navigation, home and person
panels, template globals, event subscriptions) knows the domains only through `installed()`.
Each package in `DOMAINS` has a `domain.py` whose module-level `domain` is a `Domain`; the
registry imports it by name, lazily, so adding a domain is one line here.
"""

import importlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

from markupsafe import Markup
from sqlmodel import Session

from frontline.events import Subscription
from frontline.home import Panel
from frontline.i18n import N_

if TYPE_CHECKING:
    import click
    from fastapi import APIRouter, Request

# The header's dropdowns, in order: authors' content, supervisors' and HR's reports, and
# the pages that manage people, organisation and access.
MENU_LABELS: dict[str, str] = {
    "content": N_("Content"),
    "reports": N_("Reports"),
    "manage": N_("Manage"),
}

# Dependency order: a domain may use those before it, never those after it.
DOMAINS: tuple[str, ...] = ("staff", "standards", "quizzes", "training", "audits", "scorecards")

PanelSource = Callable[[Session, Any], Panel | None]
"""(session, signed-in person) → a panel on their home page, or None."""
PersonPanelSource = Callable[[Session, Any, Any], Panel | None]
"""(session, person shown, viewer) → a section of the page about one person, or None."""
DemoLoader = Callable[[Session], Sequence[str]]
"""Loads the domain's demo data unless present; returns lines for `frontline demo` to print."""


@dataclass(frozen=True, kw_only=True)
class NavEntry:
    """A link in the header, shown to the roles (or on the condition) that may use its page."""

    label: str  # an N_() msgid, translated when the header is rendered
    href: str
    order: int
    roles: frozenset[str] | None = None  # None: everyone signed in
    when: Callable[[Any], bool] | None = None  # a further condition on the signed-in person
    # A dropdown (MENU_LABELS) instead of a top-level link, so the header stays on one line.
    menu: Literal["main", "content", "reports", "manage"] = "main"
    # "section": this page and the pages under it (href + "/…"); "exact": this page only.
    current: Literal["exact", "section"] = "section"
    # What follows the label (a count, as markup), made per request.
    badge: Callable[["Request"], Markup] | None = None
    badge_when: Callable[[Any], bool] | None = None

    def shown_to(self, user: Any) -> bool:
        if self.roles is not None and user.role.value not in self.roles:
            return False
        return self.when is None or self.when(user)

    def is_current(self, path: str) -> bool:
        if self.current == "exact" or self.href == "/":
            return path == self.href
        return path == self.href or path.startswith(self.href + "/")

    def has_badge(self, user: Any) -> bool:
        return self.badge is not None and (self.badge_when is None or self.badge_when(user))


@dataclass(frozen=True, kw_only=True)
class Domain:
    """Everything the shell needs to know about one domain package."""

    name: str
    routers: Sequence["APIRouter"] = ()
    model_modules: Sequence[str] = ()  # modules whose import defines the domain's tables
    cli_commands: Sequence["click.Command"] = ()  # added to `frontline`: a group, or commands
    demo: DemoLoader | None = None
    nav: Sequence[NavEntry] = ()
    home_panels: Sequence[PanelSource] = ()
    person_panels: Sequence[PersonPanelSource] = ()
    # Reachable in templates under the domain's name: `{{ standards.status_labels[...] }}`.
    template_globals: Mapping[str, Any] = field(default_factory=dict)
    subscriptions: Sequence[Subscription] = ()
    stylesheets: Sequence[str] = ()  # linked from every page, after the shell's own


class DomainError(RuntimeError):
    """A package in DOMAINS does not declare itself properly."""


def load(name: str) -> Domain:
    module = importlib.import_module(f"{name}.domain")
    domain = getattr(module, "domain", None)
    if not isinstance(domain, Domain) or domain.name != name:
        raise DomainError(f"{name}/domain.py must define `domain = Domain(name={name!r}, ...)`")
    return domain


@cache
def installed() -> tuple[Domain, ...]:
    """Every domain in DOMAINS, loaded once per process, in dependency order."""
    return tuple(load(name) for name in DOMAINS)


def import_models() -> None:
    """Import every domain's tables so SQLModel.metadata knows them (Alembic, tests)."""
    for domain in installed():
        for module in domain.model_modules:
            importlib.import_module(module)
