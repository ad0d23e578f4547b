"""The append-only audit trail: who did what, to what, when and from where.

Rows are only ever inserted; database triggers (see the migration) refuse UPDATE and DELETE.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, func
from sqlmodel import Field, Session, SQLModel, col, select

from frontline.models import utc_field


class AuditTrailEvent(SQLModel, table=True):
    __tablename__ = "audit_trail"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = utc_field(default_now=True, index=True)
    actor_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    action: str = Field(max_length=64, index=True)
    target_type: str = Field(default="", max_length=32)
    target_id: str = Field(default="", max_length=64)
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    ip: str = Field(default="", max_length=64)


def record(
    session: Session,
    *,
    action: str,
    actor_id: int | None,
    target_type: str = "",
    target_id: object = "",
    detail: dict[str, Any] | None = None,
    ip: str = "",
) -> AuditTrailEvent:
    event = AuditTrailEvent(
        action=action,
        actor_id=actor_id,
        target_type=target_type,
        target_id=str(target_id),
        detail=detail or {},
        ip=ip,
    )
    session.add(event)
    session.flush()
    return event


def page(
    session: Session, *, action: str | None = None, limit: int = 100, before_id: int | None = None
) -> list[AuditTrailEvent]:
    """Newest first, keyset-paged by id so deep pages stay cheap."""
    query = select(AuditTrailEvent).order_by(col(AuditTrailEvent.id).desc()).limit(limit)
    if action:
        query = query.where(AuditTrailEvent.action == action)
    if before_id:
        query = query.where(col(AuditTrailEvent.id) < before_id)
    return list(session.exec(query))


def actions(session: Session) -> list[str]:
    query = select(AuditTrailEvent.action).group_by(AuditTrailEvent.action)
    return sorted(session.exec(query))


def count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(AuditTrailEvent)).one()
