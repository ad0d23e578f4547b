"""The append-only audit trail: who did what, to what, when and from where.

Rows are only ever inserted; database triggers (see the migration) refuse UPDATE and DELETE.
"""

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, and_, func, insert, or_
from sqlmodel import Field, Session, SQLModel, col, select
from sqlmodel.sql.expression import SelectOfScalar

from frontline.i18n import N_
from frontline.models import utc_field, utcnow


class AuditTrailEvent(SQLModel, table=True):
    __tablename__ = "audit_trail"
    # Filtering by the person acted on (see migration 0006).
    __table_args__ = (Index("ix_audit_trail_target", "target_type", "target_id"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = utc_field(default_now=True, index=True)
    actor_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    action: str = Field(max_length=64, index=True)
    target_type: str = Field(default="", max_length=32)
    target_id: str = Field(default="", max_length=64)
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    ip: str = Field(default="", max_length=64)


# Written by most writes, some made by many people at once (an exam submitted): one
# statement built once, run below the ORM.
_APPEND = insert(AuditTrailEvent.__table__)  # type: ignore[attr-defined]


def record(
    session: Session,
    *,
    action: str,
    actor_id: int | None,
    target_type: str = "",
    target_id: object = "",
    detail: dict[str, Any] | None = None,
    ip: str = "",
) -> None:
    """Append an event. Pending changes are written first, so the trail never gets ahead."""
    session.flush()
    event = {
        "at": utcnow(),
        "action": action,
        "actor_id": actor_id,
        "target_type": target_type,
        "target_id": str(target_id),
        "detail": detail or {},
        "ip": ip,
    }
    session.connection().execute(_APPEND, event)


@dataclass(frozen=True)
class TrailFilter:
    """Which events an auditor asked for; every field left empty means "any"."""

    action: str | None = None
    # People the event was done by or done to; an empty list matches nothing.
    person_ids: Sequence[int] | None = None
    since: datetime | None = None  # inclusive
    until: datetime | None = None  # exclusive


def _filtered(
    query: SelectOfScalar[AuditTrailEvent], trail: TrailFilter
) -> SelectOfScalar[AuditTrailEvent]:
    if trail.action:
        query = query.where(AuditTrailEvent.action == trail.action)
    if trail.person_ids is not None:
        subjects = [str(i) for i in trail.person_ids]
        query = query.where(
            or_(
                col(AuditTrailEvent.actor_id).in_(list(trail.person_ids)),
                and_(
                    col(AuditTrailEvent.target_type) == "person",
                    col(AuditTrailEvent.target_id).in_(subjects),
                ),
            )
        )
    if trail.since is not None:
        query = query.where(col(AuditTrailEvent.at) >= trail.since)
    if trail.until is not None:
        query = query.where(col(AuditTrailEvent.at) < trail.until)
    return query


def page(
    session: Session,
    *,
    action: str | None = None,
    limit: int = 100,
    before_id: int | None = None,
    trail: TrailFilter | None = None,
) -> list[AuditTrailEvent]:
    """Newest first, keyset-paged by id so deep pages stay cheap."""
    trail = trail or TrailFilter(action=action)
    query = select(AuditTrailEvent).order_by(col(AuditTrailEvent.id).desc()).limit(limit)
    query = _filtered(query, trail)
    if before_id:
        query = query.where(col(AuditTrailEvent.id) < before_id)
    return list(session.exec(query))


def every_event(
    session: Session, *, trail: TrailFilter, batch: int = 500
) -> Iterator[list[AuditTrailEvent]]:
    """All matching events, newest first, in keyset pages of `batch` (for exports)."""
    before_id: int | None = None
    while True:
        events = page(session, trail=trail, before_id=before_id, limit=batch)
        if not events:
            return
        yield events
        if len(events) < batch:
            return
        before_id = events[-1].id


def actions(session: Session) -> list[str]:
    query = select(AuditTrailEvent.action).group_by(AuditTrailEvent.action)
    return sorted(session.exec(query))


def count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(AuditTrailEvent)).one()


# ---- reading the trail ----------------------------------------------------------------------
# Domains describe their own actions and name their own targets here, so the shell can show
# "published version 3 of GRT-01" without knowing what a standard is.

Namer = Callable[[Session, set[str]], dict[str, str]]

_ACTION_TEXTS: dict[str, str] = {}
_FIELD_LABELS: dict[str, str] = {}
_FIELD_VALUES: dict[str, Mapping[str, str]] = {}
_FIELD_TARGETS: dict[str, str] = {}
_LIST_FIELDS: set[str] = set()
_NAMERS: dict[str, Namer] = {}

YES, NO = N_("yes"), N_("no")


def describe_actions(texts: Mapping[str, str]) -> None:
    """Action -> N_() sentence; %(subject)s is the target's name, other keys come from detail."""
    _ACTION_TEXTS.update(texts)


def describe_fields(
    labels: Mapping[str, str],
    *,
    values: Mapping[str, Mapping[str, str]] | None = None,
    targets: Mapping[str, str] | None = None,
    lists: Sequence[str] = (),
) -> None:
    """Detail keys' labels, labels for their coded values, keys whose values are ids of a
    target type (team_id -> "team"), and keys holding lists (a two-item list under any other
    key is a change: [old, new])."""
    _FIELD_LABELS.update(labels)
    _FIELD_VALUES.update(values or {})
    _FIELD_TARGETS.update(targets or {})
    _LIST_FIELDS.update(lists)


def name_targets(target_type: str, namer: Namer) -> None:
    """How to name targets of this type: (session, ids) -> {id: "readable name"}."""
    _NAMERS[target_type] = namer


@dataclass
class ReadableEvent:
    event: AuditTrailEvent
    actor: str
    subject: str
    summary: str
    changes: list[str] = field(default_factory=list)


class _Blank(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "?"


def readable(
    session: Session, events: Sequence[AuditTrailEvent], *, gettext: Callable[[str], str]
) -> list[ReadableEvent]:
    """Events with names instead of ids, a translated sentence and "field: old → new" lines."""
    wanted: dict[str, set[str]] = {"person": set()}
    for event in events:
        if event.actor_id:
            wanted["person"].add(str(event.actor_id))
        if event.target_type and event.target_id:
            wanted.setdefault(event.target_type, set()).add(event.target_id)
        for key, value in event.detail.items():
            if key in _FIELD_TARGETS:
                ids = value if isinstance(value, list) else [value]
                ids = [i for i in ids if not isinstance(i, list | dict)]
                wanted.setdefault(_FIELD_TARGETS[key], set()).update(
                    str(i) for i in ids if i is not None
                )
    names = {
        kind: _NAMERS[kind](session, ids) if kind in _NAMERS and ids else {}
        for kind, ids in wanted.items()
    }

    def show(key: str, value: Any) -> str:
        if value is None or value == "":
            return "—"
        if isinstance(value, bool):
            return gettext(YES if value else NO)
        if key in _FIELD_TARGETS:
            kind = _FIELD_TARGETS[key]
            return names.get(kind, {}).get(str(value), f"{kind} {value}")
        if key in _FIELD_VALUES and str(value) in _FIELD_VALUES[key]:
            return gettext(_FIELD_VALUES[key][str(value)])
        return str(value)

    rows = []
    for event in events:
        actor = names["person"].get(str(event.actor_id), "") if event.actor_id else ""
        subject = ""
        if event.target_type:
            subject = names.get(event.target_type, {}).get(event.target_id) or (
                f"{event.target_type} {event.target_id}".strip()
            )
        text = _ACTION_TEXTS.get(event.action)
        values = _Blank({k: show(k, v) for k, v in event.detail.items()}, subject=subject)
        summary = gettext(text) % values if text else event.action
        changes = []
        for key, value in event.detail.items():
            label = gettext(_FIELD_LABELS[key]) if key in _FIELD_LABELS else None
            if isinstance(value, list) and len(value) == 2 and key not in _LIST_FIELDS:
                changes.append(f"{label or key}: {show(key, value[0])} → {show(key, value[1])}")
            elif label and isinstance(value, list):
                changes.append(f"{label}: " + (", ".join(show(key, v) for v in value) or "—"))
            elif label and not isinstance(value, dict):
                changes.append(f"{label}: {show(key, value)}")
        rows.append(ReadableEvent(event, actor, subject, summary, changes))
    return rows
