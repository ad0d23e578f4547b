"""A lesson's body for the reader: sanitised Markdown, the module's own images, and the
standards it embeds (`{{standard GRT-01}}` on a line of its own) in their version in force,
in the reader's language."""

import re
from dataclasses import dataclass
from functools import lru_cache

import nh3
from fastapi import Request
from markdown_it import MarkdownIt
from markupsafe import Markup
from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from frontline.db import read_columns
from frontline.figure_cache import FigureCache
from frontline.markdown import ALLOWED_TAGS
from frontline.web import locale_of, render_markup
from standards.models import Standard, StandardVersion, VersionStatus
from standards.reading import Lang, VersionText, version_text
from training.models import Lesson
from training.reading import ModuleText

EMBED = re.compile(r"^[ \t]*\{\{\s*standard\s+([A-Z]{2,6}-\d{2,4})\s*\}\}[ \t]*$", re.MULTILINE)
IMAGE_SRC = re.compile(r"^/training/images/[0-9a-f]{32}\.(png|jpg|gif|webp)$")

_md = MarkdownIt(
    "commonmark", {"html": False, "linkify": False, "typographer": False, "breaks": True}
).enable("table")


def _only_our_images(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src" and not IMAGE_SRC.match(value):
        return None
    return value


@lru_cache(maxsize=1024)
def render_markdown(text: str) -> Markup:
    """Markdown as standards renders it, plus images uploaded to training (and no others)."""
    html = _md.render(text or "")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS | {"img"},
        attributes={"a": {"href", "title"}, "img": {"src", "alt", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        attribute_filter=_only_our_images,
    )
    return Markup(clean)  # noqa: S704 - sanitised by nh3 just above


@dataclass(frozen=True)
class EmbeddedStandard:
    code: str
    standard: Standard | None  # None: no such standard in force (shown as a notice)
    version: StandardVersion | None
    reading: VersionText | None


@dataclass(frozen=True)
class Part:
    html: Markup | None = None
    embedded: EmbeddedStandard | None = None


def embedded_codes(text: str) -> list[str]:
    return EMBED.findall(text or "")


# Every standard a lesson embeds, in its version in force, in one statement built once.
_IN_FORCE = (
    select(Standard, StandardVersion)
    .join(StandardVersion, col(StandardVersion.id) == Standard.current_version_id)
    .where(
        col(Standard.code).in_(bindparam("codes", expanding=True)),
        col(StandardVersion.status) == VersionStatus.published,
    )
)


def _in_force(session: Session, codes: list[str]) -> dict[str, tuple[Standard, StandardVersion]]:
    if not codes:
        return {}
    rows = session.execute(_IN_FORCE, {"codes": sorted(set(codes))})
    return {standard.code: (standard, version) for standard, version in rows}


def _embed(
    found: tuple[Standard, StandardVersion] | None, code: str, lang: Lang
) -> EmbeddedStandard:
    if found is None:
        return EmbeddedStandard(code=code, standard=None, version=None, reading=None)
    standard, version = found
    return EmbeddedStandard(
        code=code, standard=standard, version=version, reading=version_text(version, lang=lang)
    )


def lesson_parts(session: Session, *, body: str, lang: Lang) -> list[Part]:
    """The body in reading order: Markdown pieces and the standards embedded between them."""
    parts: list[Part] = []
    position = 0
    in_force = _in_force(session, embedded_codes(body))
    for match in EMBED.finditer(body or ""):
        before = body[position : match.start()]
        if before.strip():
            parts.append(Part(html=render_markdown(before)))
        code = match.group(1)
        parts.append(Part(embedded=_embed(in_force.get(code), code, lang)))
        position = match.end()
    rest = (body or "")[position:]
    if rest.strip():
        parts.append(Part(html=render_markdown(rest)))
    return parts


# Which version of each embedded standard is in force: what a kept body depends on.
_IN_FORCE_IDS = _IN_FORCE.with_only_columns(col(Standard.code), col(Standard.current_version_id))

_bodies: FigureCache[Markup] = FigureCache(size=512)


def kept_lesson_body(
    request: Request, session: Session, *, lesson: Lesson, reading: ModuleText, lang: Lang
) -> Markup:
    """A learner's lesson body, rendered once per lesson, language and the versions in force
    of the standards it embeds: every learner of the module reads the same."""
    codes = sorted(set(embedded_codes(reading.body.text)))
    in_force: tuple[tuple[str, int], ...] = ()
    if codes:
        rows = read_columns(session, _IN_FORCE_IDS, {"codes": codes})
        in_force = tuple(sorted((code, version_id) for code, version_id in rows))
    # The text's hash too: a lesson of a published version never changes, but nothing here
    # should rest on that.
    key = ("lesson", lesson.id, hash(reading.body.text), lang, locale_of(request), in_force)

    def render() -> Markup:
        parts = lesson_parts(session, body=reading.body.text, lang=lang)
        context = {"parts": parts, "reading": reading}
        return render_markup(request, "training/_lesson_body.html", context)

    return _bodies.get(session, key, render)
