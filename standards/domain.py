"""What the shell needs to know about standards: pages, tables, commands, demo, header links,
home and person panels, and the labels its templates read as `standards.*`."""

from collections.abc import Sequence
from typing import Any

from sqlmodel import Session

from frontline.domains import Domain, NavEntry
from frontline.i18n import N_
from frontline.web import kept_fragment
from staff.models import Role
from standards import badges, demo, nav_badge, panels
from standards.cli import standards as standards_group
from standards.import_views import ACTION_LABELS
from standards.models import (
    CATEGORIES_BY_KIND,
    CATEGORY_LABELS,
    CHANNEL_LABELS,
    KIND_LABELS,
    SEVERITY_LABELS,
    STATUS_LABELS,
)
from standards.views import router


def load_demo(session: Session) -> Sequence[str]:
    demo.load(session)
    return []


def _has_position(user: Any) -> bool:
    return user.position is not None


domain = Domain(
    name="standards",
    routers=(router,),
    model_modules=("standards.models",),
    cli_commands=(standards_group,),
    demo=load_demo,
    nav=(
        NavEntry(label=N_("Standards"), href="/standards", order=10),
        NavEntry(
            label=N_("To acknowledge"),
            href="/acknowledgments",
            order=20,
            when=_has_position,  # standards apply by position: without one, nothing to read
            current="exact",
            badge=nav_badge.badge,
            badge_when=_has_position,
        ),
        NavEntry(
            label=N_("Acknowledgment status"),
            menu="reports",
            href="/acknowledgments/report",
            order=30,
            roles=frozenset({Role.supervisor, Role.hr, Role.admin}),
        ),
    ),
    home_panels=(
        panels.reminders_panel,
        panels.acknowledgment_panel,
        panels.author_panel,
        panels.coverage_panel,
    ),
    person_panels=(panels.person_acknowledgments_panel,),
    template_globals={
        "kind_labels": KIND_LABELS,
        "category_labels": CATEGORY_LABELS,
        "channel_labels": CHANNEL_LABELS,
        "severity_labels": SEVERITY_LABELS,
        "status_labels": STATUS_LABELS,
        "categories_by_kind": CATEGORIES_BY_KIND,
        "action_labels": ACTION_LABELS,
        "nav_badge": nav_badge.badge,
        "severity_badge": badges.severity_badge,
        "status_badge": badges.status_badge,
        "card_meta": badges.card_meta,
        "ack_card": kept_fragment("standards/_ack_card.html"),
        "library_card": kept_fragment("standards/_library_card.html"),
        "library_filters": kept_fragment("standards/_library_filters.html", maxsize=1024),
        "team_coverage": kept_fragment("standards/_team_coverage.html", maxsize=256),
        "coverage_person_row": kept_fragment("standards/_coverage_person_row.html", maxsize=8192),
    },
    stylesheets=("/static/css/standards.css",),
)
