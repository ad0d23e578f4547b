"""A lesson's body for the reader: sanitised Markdown, the module's own images, and the
standards it embeds (`{{standard GRT-01}}` on a line of its own) in their version in force,
in the reader's language."""

import re
from dataclasses import dataclass
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup
from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from frontline.markdown import ALLOWED_TAGS
from standards.models import Standard, StandardVersion, VersionStatus
from standards.reading import Lang, VersionText, version_text

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
    rows = session.execute(_IN_FORCE, {"codes": sorted(set(codes))}).tuples()
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
