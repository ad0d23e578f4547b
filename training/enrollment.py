"""Enrollments: who must take which module by when, and what state each is in today.

A person has one enrollment per module (a recertification or a retake starts a new cycle in
the same row). Only enrollments not withdrawn are duties; a withdrawn one (the rule was
withdrawn, or the person left its target) keeps what the person finished. Every status
(overdue, late, expired, refresher due) is a SQL expression over dates, evaluated for a given
`today` in the bank's time zone, never a stored flag.
"""

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

from sqlalchemy import ColumnElement, and_, case, exists, or_
from sqlmodel import Session, col, select

from frontline.db import insert_new
from frontline.i18n import N_
from frontline.models import utcnow
from frontline.settings import get_settings
from training.models import Assignment, Enrollment, RefresherFlag


def bank_today(now: datetime | None = None) -> date:
    """Today's date in the bank's time zone (FRONTLINE_TIME_ZONE)."""
    return get_settings().today(now)


def bank_day_start(day: date) -> datetime:
    """The UTC instant at which `day` begins in the bank's time zone."""
    zone = get_settings().zone()
    return datetime.combine(day, datetime.min.time(), tzinfo=zone).astimezone(UTC)


def due_on_for(assignment: Assignment, *, today: date) -> date:
    """The due date an assignment gives someone enrolled today."""
    if assignment.due_date is not None:
        return assignment.due_date
    return today + timedelta(days=assignment.due_days or 0)


class Status(StrEnum):
    """Where one current enrollment stands today (exactly one of these)."""

    not_started = "not_started"
    in_progress = "in_progress"
    overdue = "overdue"
    completed_on_time = "completed_on_time"
    completed_late = "completed_late"
    expired = "expired"


STATUS_LABELS = {
    Status.not_started: N_("Not started"),
    Status.in_progress: N_("In progress"),
    Status.overdue: N_("Overdue"),
    Status.completed_on_time: N_("Completed on time"),
    Status.completed_late: N_("Completed late"),
    Status.expired: N_("Expired"),
}
CHUNK = 500  # ids per IN (...) list
OUTSTANDING = (Status.not_started, Status.in_progress, Status.overdue, Status.expired)

_ENROLLMENTS = Enrollment.__table__  # type: ignore[attr-defined]
IS_DUTY = col(Enrollment.withdrawn_at).is_(None)


def status_expression(today: date | ColumnElement[date]) -> ColumnElement[str]:
    """The Status of each enrollment row as of `today`, computed by the database (`today` may
    be a bound parameter, for a statement built once)."""
    completed = col(Enrollment.completed_at).is_not(None)
    return case(
        (and_(completed, col(Enrollment.expires_on) <= today), Status.expired.value),
        (
            and_(completed, col(Enrollment.completed_on) > col(Enrollment.due_on)),
            Status.completed_late.value,
        ),
        (completed, Status.completed_on_time.value),
        (col(Enrollment.due_on) < today, Status.overdue.value),
        (col(Enrollment.started_at).is_not(None), Status.in_progress.value),
        else_=Status.not_started.value,
    )


def refresher_due() -> ColumnElement[bool]:
    """True for an enrollment whose person has an open refresher on its module: a flag not
    confirmed that asks for a confirmation, or a retake not followed by a completion.

    Correlated, so a page about a few people probes the (person, confirmed) index a few times
    instead of grouping every flag of the bank."""
    return exists().where(
        col(RefresherFlag.person_id) == Enrollment.person_id,
        col(RefresherFlag.confirmed_at).is_(None),
        col(RefresherFlag.module_id) == Enrollment.module_id,
        or_(
            col(RefresherFlag.retake).is_(False),
            col(Enrollment.completed_at).is_(None),
            col(Enrollment.completed_at) < RefresherFlag.flagged_at,
        ),
    )


def status_is(status: Status, today: date | ColumnElement[date]) -> ColumnElement[bool]:
    """The same as `status_expression(today) == status`, written so indexes can serve it."""
    completed = col(Enrollment.completed_at).is_not(None)
    not_expired = or_(col(Enrollment.expires_on).is_(None), col(Enrollment.expires_on) > today)
    late = col(Enrollment.completed_on) > col(Enrollment.due_on)
    open_ = col(Enrollment.completed_at).is_(None)
    return {
        Status.expired: and_(completed, col(Enrollment.expires_on) <= today),
        Status.completed_late: and_(completed, not_expired, late),
        Status.completed_on_time: and_(completed, not_expired, ~late),
        Status.overdue: and_(open_, col(Enrollment.due_on) < today),
        Status.in_progress: and_(
            open_, col(Enrollment.due_on) >= today, col(Enrollment.started_at).is_not(None)
        ),
        Status.not_started: and_(
            open_, col(Enrollment.due_on) >= today, col(Enrollment.started_at).is_(None)
        ),
    }[status]


def enrollment_of(session: Session, *, person_id: int, module_id: int) -> Enrollment | None:
    return session.exec(
        select(Enrollment).where(
            Enrollment.person_id == person_id, Enrollment.module_id == module_id
        )
    ).first()


def _enrollments(
    session: Session, *, module_id: int, person_ids: Sequence[int]
) -> dict[int, Enrollment]:
    found: dict[int, Enrollment] = {}
    for start in range(0, len(person_ids), CHUNK):
        chunk = list(person_ids[start : start + CHUNK])
        rows = session.exec(
            select(Enrollment).where(
                Enrollment.module_id == module_id, col(Enrollment.person_id).in_(chunk)
            )
        )
        found.update({row.person_id: row for row in rows})
    return found


def enroll_people(
    session: Session,
    *,
    assignment: Assignment,
    person_ids: Sequence[int],
    today: date,
    now: datetime | None = None,
) -> int:
    """Make the assignment a duty of these people; returns how many became newly due.

    A person has one enrollment per module: one already due (from another rule) stands; a
    withdrawn one (they had left the target, or its rule was withdrawn) is taken up again
    with what they had done, and a new due date unless they had finished. New rows are
    inserted in one statement that skips a row another writer has just made (two rules
    reaching one person at once), which is then taken as one already there."""
    now = now or utcnow()
    module_id = assignment.module_id
    existing = _enrollments(session, module_id=module_id, person_ids=person_ids)
    due_on = due_on_for(assignment, today=today)
    fresh = [person_id for person_id in dict.fromkeys(person_ids) if person_id not in existing]
    values = {"module_id": module_id, "assignment_id": assignment.id, "due_on": due_on}
    stamps = {"enrolled_at": now, "updated_at": now}
    inserted = insert_new(
        session,
        _ENROLLMENTS,
        [{"person_id": person_id, **values, **stamps} for person_id in fresh],
        unique=("person_id", "module_id"),
        returning="person_id",
    )
    raced = [person_id for person_id in fresh if person_id not in inserted]
    existing.update(_enrollments(session, module_id=module_id, person_ids=raced))
    changed = len(inserted)
    for enrollment in existing.values():
        if enrollment.withdrawn_at is not None:
            enrollment.withdrawn_at = None
            enrollment.withdrawn_reason = None
            enrollment.assignment_id = assignment.id
            if enrollment.completed_at is None:
                enrollment.due_on = due_on
            changed += 1
        elif enrollment.assignment_id is None:
            enrollment.assignment_id = assignment.id
        else:
            continue
        enrollment.updated_at = now
        session.add(enrollment)
    session.flush()
    return changed


def withdraw(enrollment: Enrollment, *, reason: str, now: datetime | None = None) -> None:
    """The duty ends (its rule withdrawn, or the person left the target); what they did stays."""
    enrollment.withdrawn_at = now or utcnow()
    enrollment.withdrawn_reason = reason
    enrollment.assignment_id = None
    enrollment.updated_at = enrollment.withdrawn_at
