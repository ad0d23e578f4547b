"""Assignments: rules that make a module a duty of everyone a target names, now and later.

HR assigns to anyone (people, teams, branches, positions); a supervisor to the people and
teams they supervise. A rule follows people: someone who joins its team or takes its
position later is enrolled with their own due date (staff's PersonJoined and PersonMoved
events); someone who leaves it keeps what they finished, and what they had not is withdrawn.
Every change goes into the audit trail.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, false, func, or_
from sqlmodel import Session, col, select

from frontline import audit_trail
from frontline.figure_cache import FigureCache
from frontline.i18n import N_
from frontline.models import id_of, utcnow
from frontline.paging import Page, page_of
from staff import service as staff_service
from staff import units as staff_units
from staff.models import Person, Position, Role, Team
from training import dashboard, enrollment
from training.models import (
    Assignment,
    Enrollment,
    Module,
    ModuleVersion,
    TargetKind,
    VersionStatus,
)

MAX_DUE_DAYS = 366
LEFT_TARGET = N_("No longer in the assignment's target")
WITHDRAWN = N_("The assignment was withdrawn")


class AssignmentRefused(Exception):
    """Why an assignment cannot be made or changed: a msgid, its parameters, the form field."""

    def __init__(self, message: str, *, field: str = "__all__", **params: object) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.params = params


@dataclass(frozen=True)
class Target:
    kind: TargetKind
    id: int | None = None
    position: Position | None = None


@dataclass(frozen=True)
class Due:
    """Exactly one of: a date for everyone, or a number of days after each enrollment."""

    on: date | None = None
    days: int | None = None


def may_assign_any(person: Person) -> bool:
    return person.role in (Role.hr, Role.admin)


def may_assign(person: Person) -> bool:
    return person.role in (Role.hr, Role.admin, Role.supervisor)


# ---- who a rule covers ------------------------------------------------------------------------


def _covers(assignment: Assignment) -> Any:
    """A condition on Person: the people this assignment's target names."""
    if assignment.target_kind == TargetKind.person:
        return col(Person.id) == assignment.target_id
    if assignment.target_kind == TargetKind.team:
        return col(Person.team_id) == assignment.target_id
    if assignment.target_kind == TargetKind.branch:
        teams = select(Team.id).where(Team.branch_id == assignment.target_id)
        return col(Person.team_id).in_(teams)
    if assignment.target_kind == TargetKind.position:
        return col(Person.position) == assignment.target_position
    return false()


def covered_person_ids(session: Session, *, assignment: Assignment) -> list[int]:
    """Active people the assignment's target names today."""
    query = select(Person.id).where(_covers(assignment), col(Person.active).is_(True))
    return [i for i in session.exec(query.order_by(col(Person.id))) if i is not None]


def module_in_force() -> Any:
    return (
        select(Module.id)
        .join(ModuleVersion, col(ModuleVersion.id) == Module.current_version_id)
        .where(ModuleVersion.status == VersionStatus.published)
    )


# ---- checks -----------------------------------------------------------------------------------


def _check_target(session: Session, *, actor: Person, target: Target) -> str:
    """Refuse a target that does not exist or that the actor may not assign to; its label."""
    supervised = staff_service.visible_team_ids(session, person=actor)
    if target.kind == TargetKind.person:
        person = staff_service.get_person(session, person_id=target.id or 0)
        if person is None or not person.active:
            raise AssignmentRefused(N_("There is no active person with this id."), field="target")
        if supervised is not None and person.team_id not in supervised:
            raise AssignmentRefused(
                N_("You may assign only to people in the teams you supervise."), field="target"
            )
        return f"{person.employee_no} {person.name}"
    if target.kind == TargetKind.team:
        team = staff_units.get_team(session, team_id=target.id or 0)
        if team is None or not team.active:
            raise AssignmentRefused(N_("Choose one of the options."), field="target")
        if supervised is not None and team.id not in supervised:
            raise AssignmentRefused(
                N_("You may assign only to the teams you supervise."), field="target"
            )
        return staff_service.team_labels(session, team_ids=[id_of(team)]).get(id_of(team), "")
    if supervised is not None:
        raise AssignmentRefused(
            N_("Only HR assigns to a whole branch or position."), field="target_kind"
        )
    if target.kind == TargetKind.branch:
        branch = staff_units.get_branch(session, branch_id=target.id or 0)
        if branch is None or not branch.active:
            raise AssignmentRefused(N_("Choose one of the options."), field="target")
        return branch.name
    if target.position is None:
        raise AssignmentRefused(N_("Choose one of the options."), field="target")
    return target.position.value


def _published_version(session: Session, *, module_id: int) -> ModuleVersion:
    module = session.get(Module, module_id)
    version = (
        session.get(ModuleVersion, module.current_version_id)
        if module and module.current_version_id
        else None
    )
    if version is None or version.status != VersionStatus.published:
        raise AssignmentRefused(N_("Only a published module can be assigned."), field="module_id")
    return version


def _check_due(version: ModuleVersion, due: Due, *, today: date) -> Due:
    """The due rule to store: an exam is due when its window closes."""
    if version.exam_closes_on is not None:
        if version.exam_closes_on < today:
            raise AssignmentRefused(N_("This exam has closed."), field="module_id")
        return Due(on=version.exam_closes_on)
    if (due.on is None) == (due.days is None):
        raise AssignmentRefused(
            N_("Give either a due date or a number of days, not both."), field="due_date"
        )
    if due.on is not None and due.on < today:
        raise AssignmentRefused(N_("The due date has passed."), field="due_date")
    if due.days is not None and not 1 <= due.days <= MAX_DUE_DAYS:
        raise AssignmentRefused(
            N_("Give between 1 and %(max)s days."), field="due_days", max=MAX_DUE_DAYS
        )
    return due


def _may_change(session: Session, *, actor: Person, assignment: Assignment) -> None:
    """HR changes any rule; a supervisor the ones on their own people and teams."""
    team_ids = staff_service.visible_team_ids(session, person=actor)
    if team_ids is None:
        return
    if assignment.target_kind == TargetKind.team and assignment.target_id in team_ids:
        return
    if assignment.target_kind == TargetKind.person:
        person = staff_service.get_person(session, person_id=assignment.target_id or 0)
        if person is not None and person.team_id in team_ids:
            return
    raise AssignmentRefused(N_("Only HR may change this assignment."))


def target_of(assignment: Assignment) -> Target:
    position = Position(assignment.target_position) if assignment.target_position else None
    return Target(kind=assignment.target_kind, id=assignment.target_id, position=position)


# ---- writes -----------------------------------------------------------------------------------


def create_assignment(
    session: Session,
    *,
    module_id: int,
    target: Target,
    due: Due,
    reason: str,
    actor: Person,
    ip: str = "",
) -> tuple[Assignment, int]:
    """A new rule, and everyone it names enrolled now; returns it and how many were enrolled."""
    if not may_assign(actor):
        raise AssignmentRefused(N_("Only HR and supervisors assign training."))
    today = enrollment.bank_today()
    version = _published_version(session, module_id=module_id)
    label = _check_target(session, actor=actor, target=target)
    due = _check_due(version, due, today=today)
    assignment = Assignment(
        module_id=module_id,
        target_kind=target.kind,
        target_id=target.id if target.kind != TargetKind.position else None,
        target_position=target.position.value if target.position else None,
        due_date=due.on,
        due_days=due.days,
        reason=reason,
        created_by_id=id_of(actor),
    )
    session.add(assignment)
    session.flush()
    people = covered_person_ids(session, assignment=assignment)
    enrolled = enrollment.enroll_people(
        session, assignment=assignment, person_ids=people, today=today
    )
    audit_trail.record(
        session,
        action="training.assign",
        actor_id=id_of(actor),
        target_type="training_assignment",
        target_id=assignment.id,
        detail={
            "module_id": module_id,
            "target": f"{target.kind.value}: {label}",
            "due": str(due.on) if due.on else f"+{due.days}d",
            "reason": reason,
            "enrolled": enrolled,
        },
        ip=ip,
    )
    return assignment, enrolled


def update_due(
    session: Session, *, assignment: Assignment, due: Due, reason: str, actor: Person, ip: str = ""
) -> int:
    """Change a rule's due date; the unfinished duties it made move with it. Returns how many."""
    _may_change(session, actor=actor, assignment=assignment)
    if assignment.withdrawn_at is not None:
        raise AssignmentRefused(N_("This assignment was withdrawn."))
    version = _published_version(session, module_id=assignment.module_id)
    due = _check_due(version, due, today=enrollment.bank_today())
    old = str(assignment.due_date) if assignment.due_date else f"+{assignment.due_days}d"
    assignment.due_date, assignment.due_days = due.on, due.days
    assignment.updated_at = utcnow()
    session.add(assignment)
    open_duties = session.exec(
        select(Enrollment).where(
            Enrollment.assignment_id == assignment.id,
            col(Enrollment.withdrawn_at).is_(None),
            col(Enrollment.completed_at).is_(None),
        )
    ).all()
    for duty in open_duties:
        enrolled_on = enrollment.bank_today(duty.enrolled_at)
        duty.due_on = due.on or enrolled_on + timedelta(days=due.days or 0)
        duty.updated_at = assignment.updated_at
        session.add(duty)
    session.flush()
    audit_trail.record(
        session,
        action="training.assignment_update",
        actor_id=id_of(actor),
        target_type="training_assignment",
        target_id=assignment.id,
        detail={
            "due": [old, str(due.on) if due.on else f"+{due.days}d"],
            "reason": reason,
            "moved": len(open_duties),
        },
        ip=ip,
    )
    return len(open_duties)


def withdraw_assignment(
    session: Session, *, assignment: Assignment, reason: str, actor: Person, ip: str = ""
) -> int:
    """Withdraw a rule: the duties it made end, unless another rule in force names the person
    (then that rule holds them). Completions stay. Returns how many duties ended."""
    _may_change(session, actor=actor, assignment=assignment)
    if assignment.withdrawn_at is not None:
        raise AssignmentRefused(N_("This assignment was withdrawn."))
    now = utcnow()
    assignment.withdrawn_at, assignment.withdrawn_by_id = now, id_of(actor)
    assignment.withdraw_reason = reason
    session.add(assignment)
    session.flush()
    ended = _release(session, assignment=assignment, reason=WITHDRAWN)
    audit_trail.record(
        session,
        action="training.assignment_withdraw",
        actor_id=id_of(actor),
        target_type="training_assignment",
        target_id=assignment.id,
        detail={"reason": reason, "ended": ended},
        ip=ip,
    )
    return ended


def _release(session: Session, *, assignment: Assignment, reason: str) -> int:
    """Duties made by a withdrawn rule pass to another rule in force, else end."""
    others = session.exec(
        select(Assignment).where(
            Assignment.module_id == assignment.module_id,
            col(Assignment.withdrawn_at).is_(None),
            col(Assignment.id) != assignment.id,
        )
    ).all()
    holders: dict[int, int] = {}
    for other in others:
        for person_id in covered_person_ids(session, assignment=other):
            holders.setdefault(person_id, id_of(other))
    duties = session.exec(
        select(Enrollment).where(
            Enrollment.assignment_id == assignment.id, col(Enrollment.withdrawn_at).is_(None)
        )
    ).all()
    ended = 0
    for duty in duties:
        if duty.person_id in holders:
            duty.assignment_id = holders[duty.person_id]
        else:
            enrollment.withdraw(duty, reason=reason)
            ended += 1
        session.add(duty)
    session.flush()
    return ended


def assign_module_to_person(
    session: Session, *, module_id: int, person_id: int, due_on: date, actor: Person, reason: str
) -> None:
    """One person, one module, by a date (audits' coaching actions): the usual rules apply."""
    create_assignment(
        session,
        module_id=module_id,
        target=Target(kind=TargetKind.person, id=person_id),
        due=Due(on=due_on),
        reason=reason,
        actor=actor,
    )


# ---- reading ----------------------------------------------------------------------------------


@dataclass
class AssignmentRow:
    assignment: Assignment
    module_code: str
    title_zh: str
    title_en: str
    duties: int
    completed: int


ASSIGNMENTS_PAGE = 50


def list_assignments(
    session: Session, *, viewer: Person, include_withdrawn: bool = False, page: int = 1
) -> Page[AssignmentRow]:
    """The rules the viewer may see, newest first, a page at a time: HR all; a supervisor
    those on their people and teams."""
    query = (
        select(Assignment, Module.code, ModuleVersion.title_zh, ModuleVersion.title_en)
        .join(Module, col(Module.id) == Assignment.module_id)
        .join(ModuleVersion, col(ModuleVersion.id) == Module.current_version_id)
        .order_by(col(Assignment.created_at).desc(), col(Assignment.id).desc())
    )
    if not include_withdrawn:
        query = query.where(col(Assignment.withdrawn_at).is_(None))
    team_ids = staff_service.visible_team_ids(session, person=viewer)
    if team_ids is not None:
        in_teams = select(Person.id).where(col(Person.team_id).in_(team_ids))
        query = query.where(
            or_(
                and_(
                    col(Assignment.target_kind) == TargetKind.team,
                    col(Assignment.target_id).in_(team_ids),
                ),
                and_(
                    col(Assignment.target_kind) == TargetKind.person,
                    col(Assignment.target_id).in_(in_teams),
                ),
            )
        )
    found = page_of(session, query, number=page, size=ASSIGNMENTS_PAGE)
    counts = duty_counts(session, ids=[id_of(a) for a, *_ in found.rows])
    return found.shown_as(
        [
            AssignmentRow(a, code, zh, en, *counts.get(id_of(a), (0, 0)))
            for a, code, zh, en in found.rows
        ]
    )


# Counting the duties of a page of assignments reads each of their enrollments (60,000 in a
# region's year: ~60 ms on SQLite); kept per worker until the dashboards' inputs change (an
# enrollment's write, a person's move), so HR's list of assignments does not recount them.
_duty_counts: FigureCache[dict[int, tuple[int, int]]] = FigureCache(size=256)


def duty_counts(session: Session, *, ids: Sequence[int]) -> dict[int, tuple[int, int]]:
    """How many live duties each assignment has, and how many of them are completed."""
    if not ids:
        return {}
    wanted = sorted(ids)
    key = ("duty_counts", tuple(wanted), dashboard.inputs(session))
    return _duty_counts.get(session, key, lambda: _count_duties(session, wanted))


def _count_duties(session: Session, ids: list[int]) -> dict[int, tuple[int, int]]:
    rows = session.exec(
        select(
            Enrollment.assignment_id,
            func.count(),
            func.count(col(Enrollment.completed_at)),
        )
        .where(col(Enrollment.assignment_id).in_(ids), enrollment.IS_DUTY)
        .group_by(col(Enrollment.assignment_id))
    ).all()
    return {a: (n, done) for a, n, done in rows if a is not None}


def get_assignment(session: Session, *, assignment_id: int) -> Assignment | None:
    return session.get(Assignment, assignment_id)


def may_see(session: Session, *, viewer: Person, assignment: Assignment) -> bool:
    try:
        _may_change(session, actor=viewer, assignment=assignment)
    except AssignmentRefused:
        return False
    return True
