"""A version's content, rendered once per worker: everyone who must acknowledge a standard opens
the same published version, and its text never changes once published."""

from fastapi import Request
from markupsafe import Markup
from sqlmodel import Session

from frontline.figure_cache import FigureCache
from frontline.web import locale_of, render_markup
from standards.models import Standard, StandardVersion, VersionStatus
from standards.reading import VersionText

_bodies: FigureCache[Markup] = FigureCache(size=256)


def version_body(
    request: Request,
    session: Session,
    *,
    standard: Standard,
    version: StandardVersion,
    reading: VersionText,
) -> Markup | None:
    """The rendered content of a version no longer a draft (None for a draft: its author
    changes it and reads it back at once). Publishing and retiring set `updated_at`, so a
    key with it follows every change the version can still have."""
    if version.status == VersionStatus.draft:
        return None
    key = (version.id, version.updated_at, standard.kind, reading.lang, locale_of(request))

    def render() -> Markup:
        context = {"standard": standard, "version": version, "reading": reading}
        return render_markup(request, "standards/_version_body.html", context)

    return _bodies.get(session, key, render)
