"""Branches and teams, the units people work in: their codes, names and supervisors.

A branch code, and a team's name within its branch, is unique: the rule is checked here, so
the organisation pages, the roster import and the demo obey it alike, and a code or name
taken by another request at the same moment is refused as taken (UnitRefused), not a 500.
"""

import dataclasses
from collections.abc import Sequence

from sqlmodel import Session, col, delete, func, select

from frontline import audit_trail
from frontline.db import save_unique
from frontline.i18n import N_
from frontline.models import id_of, utcnow
from staff.models import Branch, Person, Role, Team, TeamSupervisor


@dataclasses.dataclass
class UnitRefused(Exception):
    """A branch or team cannot be saved so; `field` is the form field at fault, `message` a
    msgid."""

    field: str
    message: str


# ---- branches -------------------------------------------------------------------------------


def list_branches(session: Session, *, include_inactive: bool = True) -> list[Branch]:
    query = select(Branch).order_by(col(Branch.code))
    if not include_inactive:
        query = query.where(col(Branch.active).is_(True))
    return list(session.exec(query))


def get_branch(session: Session, *, branch_id: int) -> Branch | None:
    return session.get(Branch, branch_id)


def get_branch_by_code(session: Session, *, code: str) -> Branch | None:
    return session.exec(select(Branch).where(Branch.code == code)).first()


def save_branch(
    session: Session,
    *,
    branch: Branch | None,
    code: str,
    name: str,
    region: str,
    active: bool,
    actor_id: int | None,
    ip: str = "",
) -> Branch:
    """A new branch (`branch` None) or changes to one; UnitRefused if another has the code."""
    taken = UnitRefused("code", N_("This branch code is already taken."))
    existing = get_branch_by_code(session, code=code)
    if existing is not None and existing is not branch:
        raise taken
    action = "branch.update" if branch else "branch.create"
    branch = branch or Branch(code=code, name=name)
    changes = {
        "code": code,
        "name": name,
        "region": region,
        "active": active,
        "updated_at": utcnow(),
    }

    def taken_meanwhile() -> bool:  # by another administrator at the same moment
        found = get_branch_by_code(session, code=code)
        return found is not None and found is not branch

    if not save_unique(session, branch, taken_meanwhile, changes):
        raise taken
    audit_trail.record(
        session,
        action=action,
        actor_id=actor_id,
        target_type="branch",
        target_id=branch.id,
        detail={"code": code, "name": name, "active": active},
        ip=ip,
    )
    return branch


# ---- teams ----------------------------------------------------------------------------------


def list_teams(
    session: Session, *, branch_id: int | None = None, include_inactive: bool = True
) -> list[tuple[Team, Branch]]:
    query = (
        select(Team, Branch)
        .join(Branch, col(Branch.id) == Team.branch_id)
        .order_by(col(Branch.code), col(Team.name))
    )
    if branch_id:
        query = query.where(Team.branch_id == branch_id)
    if not include_inactive:
        query = query.where(col(Team.active).is_(True))
    return list(session.exec(query).all())


def get_team(session: Session, *, team_id: int) -> Team | None:
    return session.get(Team, team_id)


def team_name_taken(session: Session, *, branch_id: int, name: str, team: Team | None) -> bool:
    """Whether the branch has a team of this name other than `team`."""
    query = select(Team.id).where(Team.branch_id == branch_id, Team.name == name)
    if team is not None:
        query = query.where(col(Team.id) != team.id)
    return session.exec(query).first() is not None


def save_team(
    session: Session,
    *,
    team: Team | None,
    branch_id: int,
    name: str,
    active: bool,
    supervisor_ids: Sequence[int],
    actor_id: int | None,
    ip: str = "",
) -> Team:
    """A new team (`team` None) or changes to one, with its supervisors; UnitRefused if the
    branch does not exist, a supervisor is not an active one, or the branch has another team
    of this name."""
    if get_branch(session, branch_id=branch_id) is None:
        raise UnitRefused("branch_id", N_("Choose one of the options."))
    if not _active_supervisors(session, supervisor_ids):
        raise UnitRefused("supervisor_ids", N_("Only active supervisors can lead a team."))
    taken = UnitRefused("name", N_("This branch already has a team with this name."))
    stored = team
    if team_name_taken(session, branch_id=branch_id, name=name, team=stored):
        raise taken
    action = "team.update" if stored else "team.create"
    team = stored or Team(branch_id=branch_id, name=name)
    changes = {"branch_id": branch_id, "name": name, "active": active, "updated_at": utcnow()}

    def taken_meanwhile() -> bool:  # by another administrator, or an import, at the same moment
        return team_name_taken(session, branch_id=branch_id, name=name, team=stored)

    if not save_unique(session, team, taken_meanwhile, changes):
        raise taken
    session.exec(delete(TeamSupervisor).where(col(TeamSupervisor.team_id) == team.id))
    for person_id in sorted(set(supervisor_ids)):
        session.add(TeamSupervisor(team_id=id_of(team), person_id=person_id))
    session.flush()
    audit_trail.record(
        session,
        action=action,
        actor_id=actor_id,
        target_type="team",
        target_id=team.id,
        detail={"name": name, "branch_id": branch_id, "supervisors": sorted(supervisor_ids)},
        ip=ip,
    )
    return team


def _active_supervisors(session: Session, person_ids: Sequence[int]) -> bool:
    """Whether every one of these people is an active supervisor."""
    wanted = set(person_ids)
    if not wanted:
        return True
    found = session.exec(
        select(func.count()).where(
            col(Person.id).in_(wanted),
            Person.role == Role.supervisor,
            col(Person.active).is_(True),
        )
    ).one()
    return found == len(wanted)


def supervisor_ids(session: Session, *, team_id: int) -> list[int]:
    return list(
        session.exec(select(TeamSupervisor.person_id).where(TeamSupervisor.team_id == team_id))
    )


def supervisors_by_team(session: Session) -> dict[int, list[Person]]:
    rows = session.exec(
        select(TeamSupervisor.team_id, Person)
        .join(Person, col(Person.id) == TeamSupervisor.person_id)
        .order_by(col(Person.name))
    )
    result: dict[int, list[Person]] = {}
    for team_id, person in rows:
        result.setdefault(team_id, []).append(person)
    return result


def team_members(session: Session, *, team_id: int) -> list[Person]:
    """Everyone in the team, active or not, by name."""
    query = select(Person).where(Person.team_id == team_id).order_by(col(Person.name))
    return list(session.exec(query))


def possible_supervisors(session: Session) -> list[Person]:
    return list(
        session.exec(
            select(Person)
            .where(Person.role == Role.supervisor, col(Person.active).is_(True))
            .order_by(col(Person.name))
        )
    )
