"""Read-and-acknowledge: what a person must acknowledge, and recording that they have."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func
from sqlmodel import Session, col, select

from frontline import audit_trail
from staff.models import Person
from standards.models import (
    Acknowledgment,
    AcknowledgmentReminder,
    Standard,
    StandardVersion,
    VersionPosition,
    VersionStatus,
)


def applies_to(session: Session, *, version: StandardVersion, person: Person) -> bool:
    if person.position is None:
        return False
    return (
        session.exec(
            select(VersionPosition).where(
                VersionPosition.version_id == version.id,
                VersionPosition.position == person.position.value,
            )
        ).first()
        is not None
    )


def acknowledgment_of(
    session: Session, *, version_id: int, person_id: int
) -> Acknowledgment | None:
    return session.exec(
        select(Acknowledgment).where(
            Acknowledgment.version_id == version_id, Acknowledgment.person_id == person_id
        )
    ).first()


@dataclass
class Outstanding:
    standard: Standard
    version: StandardVersion
    last_reminded_at: datetime | None


def outstanding_for(session: Session, *, person: Person) -> list[Outstanding]:
    """Published versions for this person's position that they have not acknowledged."""
    if person.position is None:
        return []
    reminded = (
        select(
            AcknowledgmentReminder.version_id,
            func.max(AcknowledgmentReminder.reminded_at).label("last"),
        )
        .where(AcknowledgmentReminder.person_id == person.id)
        .group_by(col(AcknowledgmentReminder.version_id))
        .subquery()
    )
    rows = session.exec(
        select(Standard, StandardVersion, reminded.c.last)
        .join(StandardVersion, col(StandardVersion.standard_id) == Standard.id)
        .join(VersionPosition, col(VersionPosition.version_id) == StandardVersion.id)
        .outerjoin(
            Acknowledgment,
            and_(
                col(Acknowledgment.version_id) == StandardVersion.id,
                col(Acknowledgment.person_id) == person.id,
            ),
        )
        .outerjoin(reminded, reminded.c.version_id == StandardVersion.id)
        .where(
            StandardVersion.status == VersionStatus.published,
            VersionPosition.position == person.position.value,
            col(Acknowledgment.id).is_(None),
        )
        .order_by(col(StandardVersion.published_at).desc(), col(Standard.code))
    ).all()
    return [Outstanding(s, v, last) for s, v, last in rows]


def count_outstanding(session: Session, *, person: Person) -> int:
    return len(outstanding_for(session, person=person))


def acknowledge(
    session: Session, *, person: Person, version: StandardVersion, ip: str = ""
) -> Acknowledgment:
    """Record the attestation once; acknowledging again returns the first record."""
    existing = acknowledgment_of(session, version_id=version.id, person_id=person.id)  # type: ignore[arg-type]
    if existing:
        return existing
    ack = Acknowledgment(person_id=person.id, version_id=version.id)  # type: ignore[arg-type]
    session.add(ack)
    session.flush()
    audit_trail.record(
        session,
        action="standard.acknowledge",
        actor_id=person.id,
        target_type="standard_version",
        target_id=version.id,
        ip=ip,
    )
    return ack
