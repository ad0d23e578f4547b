"""Queries and rules for people, and which teams a person sees (branches and teams themselves
are in staff/units.py)."""

import dataclasses
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import bindparam, func, or_
from sqlmodel import Session, col, delete, select

from frontline import audit_trail, events
from frontline.db import read_columns, save_unique
from frontline.figure_cache import Marker
from frontline.i18n import N_
from frontline.models import id_of, utcnow
from staff import passwords, sessions, units
from staff.events import PersonJoined, PersonMoved
from staff.models import Branch, Person, Position, Role, Team, TeamSupervisor
from staff.role_rules import (  # noqa: F401 - part of this service's interface
    ASSIGNABLE_ROLES,
    RoleChangeRefused,
    check_allowed,
    check_may_assign,
)

# ---- people ---------------------------------------------------------------------------------


def get_person(session: Session, *, person_id: int) -> Person | None:
    return session.get(Person, person_id)


def get_by_employee_no(session: Session, *, employee_no: str) -> Person | None:
    return session.exec(select(Person).where(Person.employee_no == employee_no)).first()


def authenticate(session: Session, *, employee_no: str, password: str) -> Person | None:
    """The active person with these credentials, rehashing their password if it is outdated."""
    person = get_by_employee_no(session, employee_no=employee_no)
    ok, new_hash = passwords.verify(password, person.password_hash if person else None)
    if not ok or person is None or not person.active:
        return None
    if new_hash:
        person.password_hash = new_hash
        session.add(person)
    return person


def list_people(
    session: Session,
    *,
    text: str = "",
    branch_id: int | None = None,
    team_id: int | None = None,
    role: Role | None = None,
    include_inactive: bool = False,
    team_ids: Sequence[int] | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[Person], int]:
    """A page of people matching the filters, and how many match in all."""
    query = select(Person)
    if text:
        pattern = f"%{text}%"
        query = query.where(
            or_(col(Person.name).like(pattern), col(Person.employee_no).like(pattern))
        )
    if branch_id:
        query = query.join(Team, col(Team.id) == Person.team_id).where(Team.branch_id == branch_id)
    if team_id:
        query = query.where(Person.team_id == team_id)
    if team_ids is not None:
        query = query.where(col(Person.team_id).in_(list(team_ids)))
    if role:
        query = query.where(Person.role == role)
    if not include_inactive:
        query = query.where(col(Person.active).is_(True))
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    people = session.exec(query.order_by(col(Person.employee_no)).limit(limit).offset(offset)).all()
    return list(people), total


@dataclasses.dataclass
class PersonRefused(Exception):
    """A person cannot be saved so; `field` is the form field at fault, `message` a msgid."""

    field: str
    message: str


def _check_team(session: Session, team_id: object) -> None:
    if team_id is None:
        return
    if not isinstance(team_id, int) or units.get_team(session, team_id=team_id) is None:
        raise PersonRefused("team_id", N_("Choose one of the options."))


def create_person(
    session: Session,
    *,
    employee_no: str,
    name: str,
    role: Role = Role.employee,
    position: Position | None = None,
    team_id: int | None = None,
    email: str = "",
    password: str | None = None,
    locale: str | None = None,
    active: bool = True,
    actor_id: int | None = None,
    acting_as: Role | None = None,
    ip: str = "",
) -> Person:
    """A new person; PersonRefused for a taken employee number or a team that does not exist,
    RoleChangeRefused for a role `acting_as` may not give (None: the system itself, as the
    demo, a test or the operator's shell)."""
    check_allowed(acting_as, actor_id, person=None, new_role=role, active=active)
    taken = PersonRefused("employee_no", N_("This employee number is already taken."))
    if get_by_employee_no(session, employee_no=employee_no) is not None:
        raise taken
    _check_team(session, team_id)
    person = Person(
        employee_no=employee_no,
        name=name,
        role=role,
        position=position,
        team_id=team_id,
        email=email,
        locale=locale,
        active=active,
        password_hash=passwords.hash_password(password) if password else "",
        password_changed_at=utcnow() if password else None,
    )
    if not save_unique(
        session, person, lambda: bool(get_by_employee_no(session, employee_no=employee_no))
    ):
        raise taken  # numbered by another administrator, or an import, at the same moment
    audit_trail.record(
        session,
        action="person.create",
        actor_id=actor_id,
        target_type="person",
        target_id=person.id,
        detail={"employee_no": employee_no, "role": role.value, "active": active},
        ip=ip,
    )
    joined = PersonJoined(person_id=id_of(person), position=position, team_id=team_id)
    events.announce(session=session, event=joined)
    return person


def update_person(
    session: Session,
    *,
    person: Person,
    changes: dict[str, object],
    actor_id: int | None,
    acting_as: Role | None = None,
    ip: str = "",
) -> dict[str, list[object]]:
    """Apply field changes; returns {field: [old, new]} for what actually changed.
    PersonRefused for a team that does not exist, RoleChangeRefused for a change `acting_as`
    may not make (None: the system, or a person changing their own settings)."""
    if any(getattr(person, field) != value for field, value in changes.items()):
        new_role = cast(Role, changes.get("role", person.role))
        new_active = bool(changes.get("active", person.active))
        check_allowed(acting_as, actor_id, person=person, new_role=new_role, active=new_active)
    if "team_id" in changes:
        _check_team(session, changes["team_id"])
    moved_from = (person.position, person.team_id)
    changed: dict[str, list[object]] = {}
    for field, value in changes.items():
        old = getattr(person, field)
        if old != value:
            changed[field] = [_plain(old), _plain(value)]
            setattr(person, field, value)
    if not changed:
        return changed
    person.updated_at = utcnow()
    session.add(person)
    if changed.get("active") == [True, False]:
        sessions.end_all_for(session, person_id=id_of(person))
    if "role" in changed and person.role != Role.supervisor:
        session.exec(delete(TeamSupervisor).where(col(TeamSupervisor.person_id) == person.id))
    session.flush()
    audit_trail.record(
        session,
        action="person.update",
        actor_id=actor_id,
        target_type="person",
        target_id=person.id,
        detail=changed,
        ip=ip,
    )
    if "position" in changed or "team_id" in changed:
        old_position, old_team_id = moved_from
        moved = PersonMoved(
            person_id=id_of(person),
            old_position=old_position,
            new_position=person.position,
            old_team_id=old_team_id,
            new_team_id=person.team_id,
        )
        events.announce(session=session, event=moved)
    return changed


def _plain(value: object) -> object:
    return value.value if isinstance(value, Role | Position) else value


def deactivate_person(
    session: Session,
    *,
    person: Person,
    reason: str,
    actor_id: int | None,
    acting_as: Role | None = None,
    ip: str = "",
) -> None:
    """Stop someone logging in (their sessions end now); the reason goes to the audit trail.
    PersonRefused if they are inactive already, RoleChangeRefused as for update_person."""
    if not person.active:
        raise PersonRefused("reason", N_("This person is already inactive."))
    check_allowed(acting_as, actor_id, person=person, new_role=person.role, active=False)
    person.active = False
    person.updated_at = utcnow()
    session.add(person)
    ended = sessions.end_all_for(session, person_id=id_of(person))
    audit_trail.record(
        session,
        action="person.deactivate",
        actor_id=actor_id,
        target_type="person",
        target_id=person.id,
        detail={"reason": reason, "sessions_ended": ended},
        ip=ip,
    )


def reactivate_person(
    session: Session,
    *,
    person: Person,
    actor_id: int | None,
    acting_as: Role | None = None,
    ip: str = "",
) -> None:
    check_allowed(acting_as, actor_id, person=person, new_role=person.role, active=True)
    person.active = True
    person.updated_at = utcnow()
    session.add(person)
    audit_trail.record(
        session,
        action="person.reactivate",
        actor_id=actor_id,
        target_type="person",
        target_id=person.id,
        ip=ip,
    )


def set_password(
    session: Session,
    *,
    person: Person,
    password: str,
    actor_id: int | None,
    ip: str = "",
    end_sessions: bool = True,
) -> None:
    person.password_hash = passwords.hash_password(password)
    person.password_changed_at = utcnow()
    session.add(person)
    if end_sessions:
        sessions.end_all_for(session, person_id=id_of(person))
    audit_trail.record(
        session,
        action="person.password_reset" if actor_id != person.id else "person.password_change",
        actor_id=actor_id,
        target_type="person",
        target_id=person.id,
        ip=ip,
    )


def matching_person_ids(session: Session, *, text: str, limit: int = 200) -> list[int]:
    """People whose employee number is `text`, else whose name contains it (audit filters)."""
    exact = get_by_employee_no(session, employee_no=text)
    if exact is not None:
        return [id_of(exact)]
    query = select(Person.id).where(col(Person.name).contains(text, autoescape=True))
    return [i for i in session.exec(query.limit(limit)) if i is not None]


def people_by_id(session: Session, *, ids: set[int]) -> dict[int, Person]:
    if not ids:
        return {}
    return {id_of(p): p for p in session.exec(select(Person).where(col(Person.id).in_(ids)))}


# ---- which teams a person sees (branches and teams themselves: staff/units.py) -------------


# Asked several times by a supervisor's home page (each domain's panel scopes by it): built
# once with a parameter, as building and cache-keying a select costs more than running it.
_SUPERVISED = select(TeamSupervisor.team_id).where(
    TeamSupervisor.person_id == bindparam("person_id")
)


def supervised_team_ids(session: Session, *, person_id: int) -> list[int]:
    return list(session.exec(_SUPERVISED, params={"person_id": person_id}))


def visible_team_ids(session: Session, *, person: Person) -> list[int] | None:
    """Teams whose people this person may see: None means every team (HR and admin)."""
    if person.role in (Role.hr, Role.admin):
        return None
    if person.role == Role.supervisor:
        return supervised_team_ids(session, person_id=id_of(person))
    return []


_TEAM_LABELS = (
    select(col(Team.id), col(Branch.name), col(Team.name))
    .join(Branch, col(Branch.id) == Team.branch_id)
    .order_by(col(Branch.code), col(Team.name))  # the order of the teams' select lists
)


def team_labels(session: Session, *, team_ids: Sequence[int] | None = None) -> dict[int, str]:
    """Branch · team names by id (plain names: a region shows 200); only `team_ids` if given."""
    wanted = None if team_ids is None else set(team_ids)
    rows = read_columns(session, _TEAM_LABELS)
    return {t: f"{b} · {n}" for t, b, n in rows if wanted is None or t in wanted}


def change_markers(people: Any = None) -> list[Marker]:
    """Reports' cache markers for staff: every change to a person, team or branch sets its
    updated_at (people and teams are deactivated, never deleted). For a report on `people` (a
    SELECT of ids), theirs: someone joining brings a later updated_at, someone leaving
    lowers their count."""
    teams = [
        select(func.max(Team.updated_at)).scalar_subquery(),
        select(func.max(Branch.updated_at)).scalar_subquery(),
    ]
    if people is None:
        return [select(func.max(Person.updated_at)).scalar_subquery(), *teams]
    theirs = col(Person.id).in_(people)
    return [
        select(func.max(Person.updated_at)).where(theirs).scalar_subquery(),
        select(func.count()).select_from(Person).where(theirs).scalar_subquery(),
        *teams,
    ]
