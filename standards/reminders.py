"""Reminders a supervisor sends to people who have not acknowledged a version yet."""

from collections.abc import Sequence

from sqlmodel import Session

from frontline import audit_trail
from standards.coverage import people_for_version
from standards.models import AcknowledgmentReminder, StandardVersion


def remind(
    session: Session,
    *,
    version: StandardVersion,
    team_ids: Sequence[int] | None,
    actor_id: int,
    ip: str = "",
) -> int:
    """Remind everyone in scope who has not acknowledged; returns how many were reminded."""
    pending = [
        s.person.id
        for s in people_for_version(session, version=version, team_ids=team_ids)
        if s.acknowledged_at is None
    ]
    for person_id in pending:
        session.add(
            AcknowledgmentReminder(
                person_id=person_id,  # type: ignore[arg-type]
                version_id=version.id,  # type: ignore[arg-type]
                reminded_by_id=actor_id,
            )
        )
    session.flush()
    audit_trail.record(
        session,
        action="standard.remind",
        actor_id=actor_id,
        target_type="standard_version",
        target_id=version.id,
        detail={"reminded": len(pending)},
        ip=ip,
    )
    return len(pending)
