"""A roster import against the database: plan what each row would create, update or leave
alone (and what is refused), show that plan, then apply exactly it, all rows or none.

Nothing is written while planning, so the same function serves the preview and, run again on
the same file, the apply step: a file is re-checked when it is applied.
"""

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from sqlmodel import Session, col, select

from frontline import audit_trail
from frontline.i18n import N_
from frontline.models import id_of
from staff import roster, service, units
from staff.models import Branch, Person, Role, Team
from staff.roster import RosterRow, RowError

ERRORS_SHOWN = 100
CHANGES_SHOWN = 200
# SQLite allows at most 999 bound parameters in older builds; look people up in slices.
LOOKUP_SLICE = 500
PUNCTUATION = re.compile(r"[\s\W_]+")

TeamKey = tuple[str, str]


class Action(StrEnum):
    create = "create"
    update = "update"
    unchanged = "unchanged"


FIELD_LABELS = {
    "name": N_("Name"),
    "role": N_("Role"),
    "position": N_("Position"),
    "email": N_("Email"),
    "active": N_("Active"),
    "team": N_("Team"),
}
ACTION_LABELS = {
    Action.create: N_("New"),
    Action.update: N_("Changed"),
    Action.unchanged: N_("Unchanged"),
}


@dataclass
class PlannedRow:
    line: int
    employee_no: str
    name: str
    action: Action
    # Field → (old, new) as people read them; "team" shows "BRANCH team name".
    changes: dict[str, tuple[str, str]] = field(default_factory=dict)
    # What to write: model fields (team apart, as a new team has no id until applied).
    values: dict[str, object] = field(default_factory=dict)
    team: TeamKey | None = None
    moves_team: bool = False
    person: Person | None = None


@dataclass
class RosterPlan:
    rows: list[PlannedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    new_teams: list[TeamKey] = field(default_factory=list)
    # Whose rights the file is imported with: every write is checked against them again.
    actor_role: Role | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, action: Action) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def shown_errors(self) -> list[RowError]:
        return self.errors[:ERRORS_SHOWN]

    @property
    def changed_rows(self) -> list[PlannedRow]:
        return [row for row in self.rows if row.action != Action.unchanged]

    @property
    def shown_changes(self) -> list[PlannedRow]:
        return self.changed_rows[:CHANGES_SHOWN]

    @property
    def fingerprint(self) -> str:
        """Names exactly what applying would do: the apply step refuses a plan that differs."""
        content = [
            [row.employee_no, row.action.value, sorted(row.changes.items())]
            for row in self.rows
            if row.action != Action.unchanged
        ]
        payload = json.dumps([content, self.new_teams], ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()


def plan_import(
    session: Session, *, text: str, actor_role: Role, actor_id: int | None
) -> RosterPlan:
    """What importing this CSV text would do, with every problem found; writes nothing.

    The actor's role limits which roles the file may give and whose accounts it may change,
    exactly as on the people pages (service.check_may_assign)."""
    parsed = roster.parse(text)
    plan = RosterPlan(errors=parsed.errors, warnings=parsed.warnings, actor_role=actor_role)
    branches = {b.code: b for b in session.exec(select(Branch))}
    teams = _teams(session)
    team_names = {team.id: f"{code} {team.name}" for (code, _), team in teams.items()}
    people = _people_by_employee_no(session, [row.employee_no for row in parsed.rows])
    for row in parsed.rows:
        if row.branch_code and row.branch_code not in branches:
            message = N_("Unknown branch code %(value)s.")
            plan.errors.append(
                RowError(row.line, message, {"value": roster.shown(row.branch_code)})
            )
            continue
        team_key = (row.branch_code, row.team) if row.team else None
        if team_key and team_key not in teams and team_key not in plan.new_teams:
            plan.new_teams.append(team_key)
            plan.warnings.extend(_look_alikes(row.line, team_key, teams))
        planned = _plan_row(row, people.get(row.employee_no), team_key, teams, team_names)
        refused = _refusal(planned, row, actor_role=actor_role, actor_id=actor_id)
        if refused:
            plan.errors.append(refused)
        plan.rows.append(planned)
    plan.errors.sort(key=lambda error: error.line)
    return plan


def reference(session: Session) -> list[tuple[Branch, list[str]]]:
    """Every branch with its team names, for the page that explains the file."""
    names: dict[int, list[str]] = {}
    for team, _branch in units.list_teams(session):
        names.setdefault(team.branch_id, []).append(team.name)
    return [(branch, names.get(id_of(branch), [])) for branch in units.list_branches(session)]


def _teams(session: Session) -> dict[TeamKey, Team]:
    rows = session.exec(select(Team, Branch.code).join(Branch, col(Branch.id) == Team.branch_id))
    return {(code, team.name): team for team, code in rows}


def _people_by_employee_no(session: Session, numbers: list[str]) -> dict[str, Person]:
    found: dict[str, Person] = {}
    for start in range(0, len(numbers), LOOKUP_SLICE):
        chunk = numbers[start : start + LOOKUP_SLICE]
        for person in session.exec(select(Person).where(col(Person.employee_no).in_(chunk))):
            found[person.employee_no] = person
    return found


def _plan_row(
    row: RosterRow,
    person: Person | None,
    team_key: TeamKey | None,
    teams: dict[TeamKey, Team],
    team_names: dict[int | None, str],
) -> PlannedRow:
    wanted: dict[str, object] = {"name": row.name}
    for name in ("role", "position", "email", "active"):
        value = getattr(row, name)
        if value is not None:
            wanted[name] = value
    planned = PlannedRow(
        line=row.line,
        employee_no=row.employee_no,
        name=row.name,
        action=Action.create,
        team=team_key,
        # A row with a branch code puts the person in that team, or in none with the team empty.
        moves_team=bool(row.branch_code),
        person=person,
    )
    if person is None:
        planned.values = wanted
        # What the new person gets, shown in the preview (the name has its own column).
        for name, value in wanted.items():
            if name != "name":
                planned.changes[name] = ("", _readable(value))
        if team_key:
            planned.changes["team"] = ("", f"{team_key[0]} {team_key[1]}")
        return planned
    for name, value in wanted.items():
        old = getattr(person, name)
        if old != value:
            planned.values[name] = value
            planned.changes[name] = (_readable(old), _readable(value))
    if planned.moves_team:
        existing = teams.get(team_key) if team_key else None
        creates_team = team_key is not None and existing is None
        if creates_team or (existing.id if existing else None) != person.team_id:
            new_label = f"{team_key[0]} {team_key[1]}" if team_key else ""
            planned.changes["team"] = (team_names.get(person.team_id, ""), new_label)
        else:
            planned.moves_team = False
    planned.action = Action.update if planned.changes else Action.unchanged
    return planned


def _readable(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return ""
    return str(value.value if isinstance(value, StrEnum) else value)


def _refusal(
    planned: PlannedRow, row: RosterRow, *, actor_role: Role, actor_id: int | None
) -> RowError | None:
    if planned.action == Action.unchanged:
        return None
    person = planned.person
    try:
        service.check_may_assign(
            actor_role=actor_role,
            actor_id=actor_id,
            person=person,
            new_role=row.role or (person.role if person else Role.employee),
            active=row.active if row.active is not None else (person.active if person else True),
        )
    except service.RoleChangeRefused as refused:
        return RowError(row.line, refused.message, refused.params)
    return None


def _look_alikes(line: int, key: TeamKey, teams: Iterable[TeamKey]) -> list[RowError]:
    """A warning for each existing team of the branch whose name looks like this new one
    (`柜面一组` beside `柜面一组 Counter team 1`): most likely a typo, not a new team."""
    branch_code, name = key
    new = PUNCTUATION.sub("", name).casefold()
    warnings = []
    for code, existing in teams:
        if code != branch_code:
            continue
        old = PUNCTUATION.sub("", existing).casefold()
        if new and old and (new in old or old in new):
            message = N_(
                "The new team %(team)s looks like the existing team %(existing)s in "
                "%(branch)s: if it is the same team, write its name exactly."
            )
            params = {"team": roster.shown(name), "existing": existing, "branch": branch_code}
            warnings.append(RowError(line, message, params))
    return warnings


class PlanChanged(Exception):
    """A write of the plan was refused: another request (the same file applied at the same
    moment) made a person or team the plan means to make. Nothing of the plan is written."""


def apply_import(session: Session, *, plan: RosterPlan, actor_id: int | None, ip: str = "") -> None:
    """Write a plan without errors: new teams first, then each new or changed person, all or
    none. Two requests applying one file at once both planned before either wrote; on
    PostgreSQL the second's writes wait for the first, then are refused (the number or the
    team's name is taken): its writes so far are undone and PlanChanged raised."""
    assert plan.ok, "a plan with errors is never applied"
    try:
        with session.begin_nested():
            _write(session, plan, actor_id=actor_id, ip=ip)
    except (service.PersonRefused, service.RoleChangeRefused, units.UnitRefused) as refused:
        raise PlanChanged() from refused
    audit_trail.record(
        session,
        action="roster.import",
        actor_id=actor_id,
        detail={
            "created": plan.count(Action.create),
            "updated": plan.count(Action.update),
            "unchanged": plan.count(Action.unchanged),
            "teams_created": [f"{code} {name}" for code, name in plan.new_teams],
        },
        ip=ip,
    )


def _write(session: Session, plan: RosterPlan, *, actor_id: int | None, ip: str) -> None:
    branches = {b.code: b for b in session.exec(select(Branch))}
    team_ids = {key: team.id for key, team in _teams(session).items()}
    for branch_code, name in plan.new_teams:
        team = units.save_team(
            session,
            team=None,
            branch_id=id_of(branches[branch_code]),
            name=name,
            active=True,
            supervisor_ids=[],
            actor_id=actor_id,
            ip=ip,
        )
        team_ids[(branch_code, name)] = team.id
    for row in plan.rows:
        team_id = team_ids[row.team] if row.team else None
        if row.action == Action.create:
            _create(session, row, team_id, actor_id=actor_id, acting_as=plan.actor_role, ip=ip)
        elif row.action == Action.update:
            assert row.person is not None
            changes = dict(row.values)
            if row.moves_team:
                changes["team_id"] = team_id
            service.update_person(
                session,
                person=row.person,
                changes=changes,
                actor_id=actor_id,
                acting_as=plan.actor_role,
                ip=ip,
            )


def _create(
    session: Session,
    row: PlannedRow,
    team_id: int | None,
    *,
    actor_id: int | None,
    acting_as: Role | None,
    ip: str,
) -> None:
    values = row.values
    service.create_person(
        session,
        employee_no=row.employee_no,
        name=row.name,
        role=values.get("role", Role.employee),  # type: ignore[arg-type]
        position=values.get("position"),  # type: ignore[arg-type]
        team_id=team_id,
        email=values.get("email", ""),  # type: ignore[arg-type]
        active=values.get("active") is not False,
        actor_id=actor_id,
        acting_as=acting_as,
        ip=ip,
    )


def import_roster(
    session: Session,
    *,
    text: str,
    actor_role: Role,
    actor_id: int | None,
    ip: str = "",
    again: bool = True,
) -> RosterPlan:
    """Plan and, when the file has no errors, apply in one go (the command line). A plan
    another import overtook while it was written is planned again from what is there now."""
    plan = plan_import(session, text=text, actor_role=actor_role, actor_id=actor_id)
    if plan.ok:
        try:
            apply_import(session, plan=plan, actor_id=actor_id, ip=ip)
        except PlanChanged:
            if not again:
                raise
            return import_roster(
                session, text=text, actor_role=actor_role, actor_id=actor_id, ip=ip, again=False
            )
    return plan
