"""Staff roster import from CSV: validate every row first, then apply all or nothing."""

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, select

from frontline import audit_trail
from frontline.i18n import N_
from staff import service
from staff.models import Branch, Person, Position, Role, Team

# Accepted header names, English or Chinese, for each column.
COLUMNS = {
    "employee_no": ("employee_no", "工号"),
    "name": ("name", "姓名"),
    "role": ("role", "角色"),
    "position": ("position", "岗位"),
    "branch_code": ("branch_code", "网点代码"),
    "team": ("team", "团队"),
    "email": ("email", "邮箱"),
    "active": ("active", "在职"),
}
REQUIRED = ("employee_no", "name")
TRUE_WORDS = {"", "1", "yes", "y", "true", "是", "在职"}
FALSE_WORDS = {"0", "no", "n", "false", "否", "离职"}
MAX_ROWS = 100_000


@dataclass
class RowError:
    line: int
    message: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class RosterRow:
    line: int
    employee_no: str
    name: str
    role: Role
    position: Position | None
    branch_code: str
    team: str
    email: str
    active: bool


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    teams_created: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def decode(data: bytes) -> str:
    """Roster files come from Excel as UTF-8 (with or without BOM) or GB18030."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def parse(text: str) -> tuple[list[RosterRow], list[RowError]]:
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header:
        return [], [RowError(1, N_("The file is empty."))]
    index: dict[str, int] = {}
    for position, raw in enumerate(header):
        name = raw.strip().lower()
        for column, aliases in COLUMNS.items():
            if name in aliases:
                index[column] = position
    missing = [c for c in REQUIRED if c not in index]
    if missing:
        return [], [
            RowError(1, N_("Missing column(s): %(columns)s."), {"columns": ", ".join(missing)})
        ]
    rows: list[RosterRow] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    for cells in reader:
        line = reader.line_num
        if line > MAX_ROWS:
            errors.append(RowError(line, N_("Too many rows; split the file.")))
            break
        if not any(c.strip() for c in cells):
            continue
        row, problem = _row(line, cells, index)
        if problem:
            errors.append(problem)
            continue
        assert row is not None
        if row.employee_no in seen:
            errors.append(
                RowError(
                    line,
                    N_("Employee number %(no)s already appears on line %(other)s."),
                    {"no": row.employee_no, "other": seen[row.employee_no]},
                )
            )
            continue
        seen[row.employee_no] = line
        rows.append(row)
    return rows, errors


def _row(
    line: int, cells: list[str], index: dict[str, int]
) -> tuple[RosterRow | None, RowError | None]:
    def cell(column: str) -> str:
        position = index.get(column)
        return cells[position].strip() if position is not None and position < len(cells) else ""

    employee_no, name = cell("employee_no"), cell("name")
    if not employee_no:
        return None, RowError(line, N_("The employee number is missing."))
    if len(employee_no) > 32 or not employee_no.replace("-", "").replace("_", "").isalnum():
        return None, RowError(line, N_("Employee number %(no)s is not valid."), {"no": employee_no})
    if not name or len(name) > 100:
        return None, RowError(line, N_("The name is missing or too long."))
    role_text = cell("role").lower() or Role.employee.value
    if role_text not in Role.__members__:
        return None, RowError(line, N_("Unknown role %(value)s."), {"value": role_text})
    position_text = cell("position").lower()
    if position_text and position_text not in Position.__members__:
        return None, RowError(line, N_("Unknown position %(value)s."), {"value": position_text})
    active_text = cell("active").lower()
    if active_text not in TRUE_WORDS | FALSE_WORDS:
        return None, RowError(
            line, N_("Active must be yes or no, not %(value)s."), {"value": active_text}
        )
    branch_code, team = cell("branch_code"), cell("team")
    if team and not branch_code:
        return None, RowError(line, N_("A team needs a branch code."))
    email = cell("email")
    if email and "@" not in email:
        return None, RowError(line, N_("Email %(value)s is not valid."), {"value": email})
    return (
        RosterRow(
            line=line,
            employee_no=employee_no,
            name=name,
            role=Role(role_text),
            position=Position(position_text) if position_text else None,
            branch_code=branch_code,
            team=team,
            email=email,
            active=active_text not in FALSE_WORDS,
        ),
        None,
    )


def import_roster(
    session: Session, *, data: bytes, actor_role: Role, actor_id: int | None, ip: str = ""
) -> ImportResult:
    """Create or update people from a CSV; with any bad row, change nothing.

    The actor's role limits which roles the file may give and whose accounts it may change,
    exactly as on the people pages (service.check_may_assign)."""
    result = ImportResult()
    try:
        text = decode(data)
    except UnicodeDecodeError:
        result.errors.append(RowError(1, N_("The file is not UTF-8 or GB18030 text.")))
        return result
    rows, result.errors = parse(text)
    branches = {b.code: b for b in session.exec(select(Branch))}
    for row in rows:
        if row.branch_code and row.branch_code not in branches:
            result.errors.append(
                RowError(row.line, N_("Unknown branch code %(value)s."), {"value": row.branch_code})
            )
    for row in rows:
        refused = _refusal(session, row, actor_role=actor_role, actor_id=actor_id)
        if refused is not None:
            result.errors.append(refused)
    if result.errors:
        result.errors.sort(key=lambda e: e.line)
        return result

    teams: dict[tuple[str, str], Team] = {}
    for row in rows:
        team_id = None
        if row.team:
            key = (row.branch_code, row.team)
            if key not in teams:
                found = service.find_team(session, branch_code=row.branch_code, team_name=row.team)
                if found is None:
                    found = service.save_team(
                        session,
                        team=None,
                        branch_id=branches[row.branch_code].id,  # type: ignore[arg-type]
                        name=row.team,
                        active=True,
                        supervisor_ids=[],
                        actor_id=actor_id,
                        ip=ip,
                    )
                    result.teams_created.append(f"{row.branch_code} {row.team}")
                teams[key] = found
            team_id = teams[key].id
        _apply(session, row, team_id, result, actor_id, ip)
    audit_trail.record(
        session,
        action="roster.import",
        actor_id=actor_id,
        detail={
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
        },
        ip=ip,
    )
    return result


def _refusal(
    session: Session, row: RosterRow, *, actor_role: Role, actor_id: int | None
) -> RowError | None:
    person = service.get_by_employee_no(session, employee_no=row.employee_no)
    if person is not None and not _would_change(session, person, row):
        return None
    try:
        service.check_may_assign(
            actor_role=actor_role,
            actor_id=actor_id,
            person=person,
            new_role=row.role,
            active=row.active,
        )
    except service.RoleChangeRefused as refused:
        return RowError(row.line, refused.message, refused.params)
    return None


def _would_change(session: Session, person: Person, row: RosterRow) -> bool:
    fields = {
        "name": row.name,
        "role": row.role,
        "position": row.position,
        "email": row.email,
        "active": row.active,
    }
    if any(getattr(person, name) != value for name, value in fields.items()):
        return True
    if not row.branch_code:
        return False
    team = (
        service.find_team(session, branch_code=row.branch_code, team_name=row.team)
        if row.team
        else None
    )
    return person.team_id != (team.id if team else None)


def _apply(
    session: Session,
    row: RosterRow,
    team_id: int | None,
    result: ImportResult,
    actor_id: int | None,
    ip: str,
) -> None:
    person: Person | None = service.get_by_employee_no(session, employee_no=row.employee_no)
    if person is None:
        person = service.create_person(
            session,
            employee_no=row.employee_no,
            name=row.name,
            role=row.role,
            position=row.position,
            team_id=team_id,
            email=row.email,
            actor_id=actor_id,
            ip=ip,
        )
        if not row.active:
            person.active = False
        result.created += 1
        return
    changes: dict[str, object] = {
        "name": row.name,
        "role": row.role,
        "position": row.position,
        "email": row.email,
        "active": row.active,
    }
    if row.branch_code:
        changes["team_id"] = team_id
    changed = service.update_person(
        session, person=person, changes=changes, actor_id=actor_id, ip=ip
    )
    if changed:
        result.updated += 1
    else:
        result.unchanged += 1
