"""Badges and labels that lists of standards show on every card, made once per locale.

Template globals (`standards.severity_badge(...)`), imported by components/standards.html
under the names its macros had; see frontline.web.per_locale.
"""

from collections.abc import Callable, Iterable

from markupsafe import Markup

from frontline.web import per_locale
from standards.models import (
    CATEGORY_LABELS,
    CHANNEL_LABELS,
    KIND_LABELS,
    SEVERITY_LABELS,
    STATUS_LABELS,
    Category,
    Channel,
    Kind,
    Severity,
    VersionStatus,
)

Gettext = Callable[[str], str]
BADGE = Markup('<span class="badge {}">{}</span>')
SEVERITY_CLASSES = {"critical": "badge-critical", "major": "badge-warn", "minor": "badge-muted"}
STATUS_CLASSES = {
    "published": "badge-ok",
    "draft": "badge-warn",
    "superseded": "badge-muted",
    "retired": "badge-muted",
}


@per_locale
def severity_badge(gettext: Gettext, severity: Severity) -> Markup:
    return BADGE.format(SEVERITY_CLASSES[severity], gettext(SEVERITY_LABELS[severity]))


@per_locale
def status_badge(gettext: Gettext, status: VersionStatus) -> Markup:
    return BADGE.format(STATUS_CLASSES[status], gettext(STATUS_LABELS[status]))


@per_locale
def _meta(gettext: Gettext, kind: Kind, category: Category, channels: tuple[str, ...]) -> Markup:
    return Markup("{} · {} · {}").format(
        gettext(KIND_LABELS[kind]),
        gettext(CATEGORY_LABELS[category]),
        ", ".join(gettext(CHANNEL_LABELS[Channel(channel)]) for channel in channels),
    )


def card_meta(kind: Kind, category: Category, channels: Iterable[str]) -> Markup:
    """'Service script · Greeting · Counter, Phone': a card's kind, category and channels."""
    return _meta(kind, category, tuple(channels))
