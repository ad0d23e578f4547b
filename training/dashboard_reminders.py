"""Reminders to people with training outstanding, at most once a day per person and module.

A reminder shows on the person's home page. Whoever asks, and however often, the same person
is reminded about the same module at most once in 24 hours; each batch sent is written to
the audit trail with the people it reached.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, bindparam, exists, insert, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from frontline import audit_trail
from frontline.db import read_columns
from frontline.models import UTCDateTime, id_of, utcnow
from staff.models import Person
from training import enrollment
from training.dashboard import Filters, people_query
from training.models import Reminder

REPEAT_AFTER = timedelta(hours=24)


@dataclass
class RemindResult:
    sent: int
    skipped: int


def remind_outstanding(
    session: Session,
    *,
    filters: Filters,
    team_ids: Sequence[int] | None,
    actor: Person,
    today: date,
    ip: str = "",
) -> RemindResult:
    """Remind everyone matching the filters whose duty is outstanding (not done, overdue,
    expired or refresher due), except those reminded about that module within a day."""
    now = utcnow()
    duties = people_query(filters, team_ids, today).subquery("duties")
    outstanding = or_(
        duties.c.status.in_([s.value for s in enrollment.OUTSTANDING]),
        duties.c.refresher_due,
    )
    recent = exists().where(
        and_(
            col(Reminder.person_id) == duties.c.person_id,
            col(Reminder.module_id) == duties.c.module_id,
            col(Reminder.reminded_at) > now - REPEAT_AFTER,
        )
    )
    base = sa_select(duties.c.person_id, duties.c.module_id).where(outstanding)
    pairs = session.execute(base.where(~recent)).all()
    skipped = len(session.execute(base.where(recent)).all())
    if pairs:
        session.execute(
            insert(Reminder),
            [
                {
                    "person_id": person_id,
                    "module_id": module_id,
                    "reminded_by_id": id_of(actor),
                    "reminded_at": now,
                }
                for person_id, module_id in pairs
            ],
        )
        audit_trail.record(
            session,
            action="training.remind",
            actor_id=id_of(actor),
            target_type="training_reminder",
            detail={
                "filters": filters.query(),
                "reminded": [[p, m] for p, m in pairs],
            },
            ip=ip,
        )
    return RemindResult(sent=len(pairs), skipped=skipped)


@dataclass
class Notice:
    module_id: int
    reminded_by: str
    reminded_at: datetime


_REMINDER_BY = Person.__table__.alias("reminder_by")  # type: ignore[attr-defined]
# On every employee's home page: built once with parameters.
_REMINDERS_FOR = (
    sa_select(col(Reminder.module_id), _REMINDER_BY.c.name, col(Reminder.reminded_at))
    .join(_REMINDER_BY, _REMINDER_BY.c.id == Reminder.reminded_by_id)
    .where(
        col(Reminder.person_id) == bindparam("person_id"),
        col(Reminder.reminded_at) > bindparam("since", type_=UTCDateTime),
    )
    .order_by(col(Reminder.reminded_at))
)


def reminders_for(session: Session, *, person_id: int) -> dict[int, Notice]:
    """The latest reminder per module within the last week, for the person's own pages."""
    since = utcnow() - timedelta(days=7)
    rows = read_columns(session, _REMINDERS_FOR, {"person_id": person_id, "since": since}).all()
    return {module_id: Notice(module_id, name, at) for module_id, name, at in rows}
