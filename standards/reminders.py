"""Reminders a supervisor sends to people who have not acknowledged a version yet.

A reminder appears on the person's home page (there is no email). The same person is reminded
about the same standard at most once a day, whoever asks, so a double click or two supervisors
cannot pile reminders up; every reminder sent is written to the audit trail.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, bindparam, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from frontline import audit_trail
from frontline.i18n import N_
from frontline.models import id_of, utcnow
from staff.models import Person
from standards import acknowledgments
from standards.coverage_detail import outstanding_people
from standards.models import (
    Acknowledgment,
    AcknowledgmentReminder,
    Standard,
    StandardVersion,
    VersionStatus,
)

REPEAT_AFTER = timedelta(hours=24)


class ReminderRefused(Exception):
    """Why a reminder was not sent: a translatable message and its parameters."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message)
        self.message = message
        self.params = params


@dataclass
class RemindResult:
    sent: int
    skipped: int


@dataclass
class ReminderNotice:
    """A reminder as the reminded person sees it: what to read, who asked, when."""

    code: str
    number: int
    title_zh: str
    title_en: str
    reminded_by: str
    reminded_at: datetime


def may_remind(last_reminded_at: datetime | None, *, now: datetime | None = None) -> bool:
    return last_reminded_at is None or last_reminded_at <= (now or utcnow()) - REPEAT_AFTER


def _recently_reminded(
    session: Session, *, standard_id: int, person_ids: Sequence[int]
) -> dict[int, datetime]:
    """Person id → last reminder about this standard, for those reminded within the day."""
    if not person_ids:
        return {}
    rows = session.exec(
        select(AcknowledgmentReminder.person_id, func.max(AcknowledgmentReminder.reminded_at))
        .join(StandardVersion, col(StandardVersion.id) == AcknowledgmentReminder.version_id)
        .where(
            StandardVersion.standard_id == standard_id,
            col(AcknowledgmentReminder.person_id).in_(list(person_ids)),
            AcknowledgmentReminder.reminded_at > utcnow() - REPEAT_AFTER,
        )
        .group_by(col(AcknowledgmentReminder.person_id))
    ).all()
    return {person_id: at for person_id, at in rows if at is not None}


def standards_reminded_today(session: Session, *, person_id: int) -> set[int]:
    """Ids of the standards this person was reminded about within the day."""
    return set(
        session.exec(
            select(StandardVersion.standard_id)
            .join(
                AcknowledgmentReminder, col(AcknowledgmentReminder.version_id) == StandardVersion.id
            )
            .where(
                AcknowledgmentReminder.person_id == person_id,
                AcknowledgmentReminder.reminded_at > utcnow() - REPEAT_AFTER,
            )
        )
    )


def _lock_standard(session: Session, *, version: StandardVersion) -> None:
    # On PostgreSQL two concurrent reminders would both pass the check; locking the standard's
    # row makes the second wait and then see the first. SQLite already serialises writers.
    session.exec(
        select(Standard.id).where(Standard.id == version.standard_id).with_for_update()
    ).first()


def _send(
    session: Session, *, version: StandardVersion, person: Person, actor_id: int, ip: str
) -> None:
    session.add(
        AcknowledgmentReminder(
            person_id=id_of(person),
            version_id=id_of(version),
            reminded_by_id=actor_id,
        )
    )
    audit_trail.record(
        session,
        action="standard.remind",
        actor_id=actor_id,
        target_type="standard_version",
        target_id=version.id,
        # One entry per person reminded; the trail names them as it shows the standard.
        detail={"reminded": f"{person.employee_no} {person.name}"},
        ip=ip,
    )


def remind_person(
    session: Session, *, version: StandardVersion, person: Person, actor_id: int, ip: str = ""
) -> None:
    """Remind one person to read this version; refused if pointless or too soon."""
    if version.status != VersionStatus.published or not person.active:
        raise ReminderRefused(N_("Only a version in force can be the subject of a reminder."))
    if not acknowledgments.applies_to(session, version=version, person=person):
        raise ReminderRefused(
            N_("This standard does not apply to %(name)s's position."), name=person.name
        )
    if acknowledgments.acknowledgment_of(
        session,
        version_id=id_of(version),
        person_id=id_of(person),
    ):
        raise ReminderRefused(N_("%(name)s has already acknowledged it."), name=person.name)
    _lock_standard(session, version=version)
    recent = _recently_reminded(
        session,
        standard_id=version.standard_id,
        person_ids=[id_of(person)],
    )
    if person.id in recent:
        raise ReminderRefused(
            N_(
                "%(name)s was already reminded about this standard in the last 24 hours. "
                "A person is reminded about a standard at most once a day."
            ),
            name=person.name,
        )
    _send(session, version=version, person=person, actor_id=actor_id, ip=ip)
    session.flush()


def remind_outstanding(
    session: Session,
    *,
    version: StandardVersion,
    team_ids: Sequence[int] | None,
    actor_id: int,
    ip: str = "",
) -> RemindResult:
    """Remind everyone in scope who has not acknowledged, except those reminded within a day."""
    _lock_standard(session, version=version)
    pending = outstanding_people(session, version=version, team_ids=team_ids)
    recent = _recently_reminded(
        session,
        standard_id=version.standard_id,
        person_ids=[id_of(p) for p in pending],
    )
    to_remind = [p for p in pending if p.id not in recent]
    for person in to_remind:
        _send(session, version=version, person=person, actor_id=actor_id, ip=ip)
    session.flush()
    return RemindResult(sent=len(to_remind), skipped=len(pending) - len(to_remind))


_REMINDED_BY = Person.__table__.alias("reminded_by")  # type: ignore[attr-defined]
# On every employee's home page: built once with a parameter, the reminder's author joined.
_REMINDERS_FOR = (
    sa_select(
        col(StandardVersion.id),
        col(Standard.code),
        col(StandardVersion.number),
        col(StandardVersion.title_zh),
        col(StandardVersion.title_en),
        _REMINDED_BY.c.name,
        col(AcknowledgmentReminder.reminded_at),
    )
    .select_from(AcknowledgmentReminder)
    .join(StandardVersion, col(StandardVersion.id) == AcknowledgmentReminder.version_id)
    .join(Standard, col(Standard.id) == StandardVersion.standard_id)
    .outerjoin(_REMINDED_BY, _REMINDED_BY.c.id == AcknowledgmentReminder.reminded_by_id)
    .outerjoin(
        Acknowledgment,
        and_(
            col(Acknowledgment.version_id) == AcknowledgmentReminder.version_id,
            col(Acknowledgment.person_id) == AcknowledgmentReminder.person_id,
        ),
    )
    .where(
        col(AcknowledgmentReminder.person_id) == bindparam("person_id"),
        col(StandardVersion.status) == VersionStatus.published,
        col(Acknowledgment.id).is_(None),
    )
    .order_by(col(AcknowledgmentReminder.reminded_at).desc())
)


def reminders_for(session: Session, *, person: Person) -> list[ReminderNotice]:
    """The latest reminder about each version in force this person has still not acknowledged."""
    latest: dict[int, ReminderNotice] = {}
    for version_id, code, number, zh, en, by, at in session.execute(
        _REMINDERS_FOR, {"person_id": person.id}
    ).all():
        latest.setdefault(version_id, ReminderNotice(code, number, zh, en, by or "", at))
    return list(latest.values())
