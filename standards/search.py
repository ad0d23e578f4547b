"""Searching the library: the filters a reader sets, and the cards that match them."""

from dataclasses import dataclass
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import BindParameter, ColumnElement, Select, String, and_, bindparam, func, or_
from sqlmodel import Session, col, select

from frontline.figure_cache import FigureCache, fingerprint, markers_statement
from frontline.paging import counted_rows, with_total
from standards.models import (
    CARD_STANDARD,
    CARD_VERSION,
    Card,
    Category,
    Channel,
    Kind,
    Severity,
    Standard,
    StandardVersion,
    VersionChannel,
    VersionPosition,
    VersionStatus,
)


@dataclass
class LibraryFilters:
    text: str = ""
    kind: Kind | None = None
    category: Category | None = None
    channel: Channel | None = None
    position: str | None = None
    severity: Severity | None = None
    # in_force: published standards; retired; drafts: standards with a draft (authors only)
    status: str = "in_force"


class _SearchShape(NamedTuple):
    """Which filters a search has: each shape's statements are built once (building and
    cache-keying them cost more than SQLite takes to answer), the values bound when it runs."""

    status: str
    kind: bool
    category: bool
    severity: bool
    channel: bool
    position: bool
    text: bool


@cache
def _search_statements(shape: _SearchShape) -> tuple[Select[Any], Select[Any]]:
    """(the count of matches, a page of them with that count) for searches of this shape: the
    page counts its matches as it finds them, so a text search scans the texts once."""
    join_on: ColumnElement[bool]
    if shape.status == "drafts":
        join_on = and_(
            col(StandardVersion.standard_id) == Standard.id,
            col(StandardVersion.status) == VersionStatus.draft,
        )
    else:
        join_on = col(StandardVersion.id) == Standard.current_version_id
    query = select(Standard, StandardVersion).join(StandardVersion, join_on)
    if shape.status == "in_force":
        query = query.where(col(StandardVersion.status) == VersionStatus.published)
    elif shape.status == "retired":
        query = query.where(col(StandardVersion.status) == VersionStatus.retired)
    if shape.kind:
        query = query.where(col(Standard.kind) == bindparam("kind"))
    if shape.category:
        query = query.where(col(StandardVersion.category) == bindparam("category"))
    if shape.severity:
        query = query.where(col(StandardVersion.severity) == bindparam("severity"))
    if shape.channel:
        query = query.where(
            col(StandardVersion.id).in_(
                select(VersionChannel.version_id).where(
                    col(VersionChannel.channel) == bindparam("channel")
                )
            )
        )
    if shape.position:
        query = query.where(
            col(StandardVersion.id).in_(
                select(VersionPosition.version_id).where(
                    col(VersionPosition.position) == bindparam("position")
                )
            )
        )
    if shape.text:
        pattern: BindParameter[str] = bindparam("pattern", type_=String())
        query = query.where(
            or_(
                col(Standard.code).ilike(pattern, escape="\\"),
                col(StandardVersion.search_text).like(pattern, escape="\\"),
            )
        )
    total = select(func.count()).select_from(query.subquery())
    page = (
        query.with_only_columns(CARD_STANDARD, CARD_VERSION)
        .order_by(col(Standard.code))
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
    )
    return total, with_total(page)


def search(
    session: Session, *, filters: LibraryFilters, limit: int = 50, offset: int = 0
) -> tuple[list[tuple[Card, Card]], int]:
    """Standards matching the filters, each with the version the filters were applied to
    (card rows: models.CARD_STANDARD, models.CARD_VERSION) and how many match in all.

    Drafts are searched in their draft version; everything else in the version in force.
    """
    text = filters.text.strip().lower()
    values: dict[str, Any] = {
        "kind": filters.kind,
        "category": filters.category,
        "severity": filters.severity,
        "channel": filters.channel,
        "position": filters.position,
    }
    if text:
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        values["pattern"] = f"%{escaped}%"
    params = {name: value for name, value in values.items() if value}
    shape = _SearchShape(
        filters.status,
        kind="kind" in params,
        category="category" in params,
        severity="severity" in params,
        channel="channel" in params,
        position="position" in params,
        text="pattern" in params,
    )
    total_statement, page_statement = _search_statements(shape)
    key = (shape, tuple(sorted(params.items())), limit, offset)
    rows, total = _pages.get(
        session,
        (*key, fingerprint(session, _library_markers())),
        lambda: counted_rows(
            session, page_statement, total_statement, params, limit=limit, offset=offset
        ),
    )
    return [(standard, version) for standard, version in rows], total


# Every reader opens the library's first pages with the same few filters, and the library
# changes a few times a day, so a page of results is kept until it does: an author saves a
# draft (its updated_at), starts or discards one (how many versions), publishes or retires
# (how many are in force or retired; which version is in force, whose id only grows). Card
# rows are plain tuples, shared read-only between requests.
_pages: FigureCache[tuple[list[tuple[Any, ...]], int]] = FigureCache(size=512)


@cache
def _library_markers() -> Select[Any]:
    versions = select(func.count()).select_from(StandardVersion)
    status = col(StandardVersion.status)
    return markers_statement(
        [
            select(func.max(StandardVersion.updated_at)).scalar_subquery(),
            versions.scalar_subquery(),
            versions.where(status == VersionStatus.published).scalar_subquery(),
            versions.where(status == VersionStatus.retired).scalar_subquery(),
            select(func.sum(Standard.current_version_id)).scalar_subquery(),
        ]
    )
