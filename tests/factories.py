"""Small helpers that build rows through the services, as the app itself would."""

from itertools import count

from frontline.db import Database
from staff import service
from staff.models import Branch, Person, Position, Role, Team

PASSWORD = "Correct-horse-42"
_seq = count(1)


def make_branch(db: Database, *, code: str | None = None, name: str = "测试支行") -> Branch:
    with db.session() as session:
        return service.save_branch(
            session,
            branch=None,
            code=code or f"BR{next(_seq):04d}",
            name=name,
            region="",
            active=True,
            actor_id=None,
        )


def make_team(
    db: Database, *, branch: Branch | None = None, name: str | None = None, supervisors: list[Person] | None = None
) -> Team:
    branch = branch or make_branch(db)
    with db.session() as session:
        return service.save_team(
            session,
            team=None,
            branch_id=branch.id,  # type: ignore[arg-type]
            name=name or f"Team {next(_seq)}",
            active=True,
            supervisor_ids=[p.id for p in supervisors or []],  # type: ignore[misc]
            actor_id=None,
        )


def make_person(
    db: Database,
    *,
    role: Role = Role.employee,
    position: Position | None = None,
    team: Team | None = None,
    employee_no: str | None = None,
    name: str | None = None,
    password: str | None = PASSWORD,
    active: bool = True,
    locale: str | None = None,
) -> Person:
    number = next(_seq)
    with db.session() as session:
        person = service.create_person(
            session,
            employee_no=employee_no or f"T{number:05d}",
            name=name or f"员工{number}",
            role=role,
            position=position,
            team_id=team.id if team else None,
            password=password,
            locale=locale,
            actor_id=None,
        )
        person.active = active
        session.add(person)
        return person


def supervise(db: Database, *, supervisor: Person, team: Team) -> None:
    with db.session() as session:
        current = service.supervisor_ids(session, team_id=team.id)  # type: ignore[arg-type]
        service.save_team(
            session,
            team=service.get_team(session, team_id=team.id),  # type: ignore[arg-type]
            branch_id=team.branch_id,
            name=team.name,
            active=team.active,
            supervisor_ids=[*current, supervisor.id],  # type: ignore[list-item]
            actor_id=None,
        )
