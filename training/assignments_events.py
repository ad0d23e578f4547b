"""Assignment rules follow people: someone who joins a rule's team or takes its position later
is enrolled with their own due date (staff's PersonJoined and PersonMoved events); someone who
leaves it keeps what they finished, and what they had not is withdrawn."""

from sqlalchemy import and_, or_
from sqlmodel import Session, col, select

from staff import units as staff_units
from staff.events import PersonJoined, PersonMoved
from staff.models import Position
from training import enrollment
from training.assignments import LEFT_TARGET, module_in_force
from training.models import Assignment, Enrollment, TargetKind


def assignments_covering(
    session: Session, *, person_id: int, position: Position | None, team_id: int | None
) -> list[Assignment]:
    """Rules in force (not withdrawn, module published) that name someone so placed."""
    names = [
        and_(
            col(Assignment.target_kind) == TargetKind.person, col(Assignment.target_id) == person_id
        )
    ]
    if team_id is not None:
        team = staff_units.get_team(session, team_id=team_id)
        names.append(
            and_(
                col(Assignment.target_kind) == TargetKind.team, col(Assignment.target_id) == team_id
            )
        )
        if team is not None:
            names.append(
                and_(
                    col(Assignment.target_kind) == TargetKind.branch,
                    col(Assignment.target_id) == team.branch_id,
                )
            )
    if position is not None:
        names.append(
            and_(
                col(Assignment.target_kind) == TargetKind.position,
                col(Assignment.target_position) == position.value,
            )
        )
    query = select(Assignment).where(
        col(Assignment.withdrawn_at).is_(None),
        col(Assignment.module_id).in_(module_in_force()),
        or_(*names),
    )
    return list(session.exec(query.order_by(col(Assignment.id))))


def on_person_joined(session: Session, event: PersonJoined) -> None:
    """A new person is enrolled by every rule that names them, with their own due date."""
    today = enrollment.bank_today()
    for assignment in assignments_covering(
        session, person_id=event.person_id, position=event.position, team_id=event.team_id
    ):
        enrollment.enroll_people(
            session, assignment=assignment, person_ids=[event.person_id], today=today
        )


def on_person_moved(session: Session, event: PersonMoved) -> None:
    """Rules that name the person now enroll them; duties whose rule no longer names them
    pass to another rule for the same module, else end (completions stay)."""
    covering = assignments_covering(
        session, person_id=event.person_id, position=event.new_position, team_id=event.new_team_id
    )
    by_module: dict[int, Assignment] = {}
    for assignment in covering:
        by_module.setdefault(assignment.module_id, assignment)
    duties = session.exec(
        select(Enrollment).where(
            Enrollment.person_id == event.person_id, col(Enrollment.withdrawn_at).is_(None)
        )
    ).all()
    for duty in duties:
        holder = by_module.get(duty.module_id)
        if holder is None:
            enrollment.withdraw(duty, reason=LEFT_TARGET)
        elif duty.assignment_id not in {a.id for a in covering}:
            duty.assignment_id = holder.id
        session.add(duty)
    session.flush()
    today = enrollment.bank_today()
    for assignment in by_module.values():
        enrollment.enroll_people(
            session, assignment=assignment, person_ids=[event.person_id], today=today
        )
