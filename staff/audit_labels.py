"""How staff's entries in the audit trail read: sentences, field names and people's names."""

from sqlmodel import Session, col, select

from frontline import audit_trail
from frontline.i18n import N_
from staff.models import POSITION_LABELS, ROLE_LABELS, Branch, Person, Team


def _ids(ids: set[str]) -> list[int]:
    # Ids come from the trail's text column; anything else is simply not named.
    return [int(i) for i in ids if i.isdigit() and len(i) < 19]


def _people(session: Session, ids: set[str]) -> dict[str, str]:
    rows = session.exec(
        select(Person.id, Person.name, Person.employee_no).where(col(Person.id).in_(_ids(ids)))
    )
    return {str(i): f"{name} ({no})" for i, name, no in rows}


def _teams(session: Session, ids: set[str]) -> dict[str, str]:
    rows = session.exec(
        select(Team.id, Team.name, Branch.name)
        .join(Branch, col(Branch.id) == Team.branch_id)
        .where(col(Team.id).in_(_ids(ids)))
    )
    return {str(i): f"{branch} · {team}" for i, team, branch in rows}


def _branches(session: Session, ids: set[str]) -> dict[str, str]:
    rows = session.exec(
        select(Branch.id, Branch.code, Branch.name).where(col(Branch.id).in_(_ids(ids)))
    )
    return {str(i): f"{code} {name}" for i, code, name in rows}


audit_trail.name_targets("person", _people)
audit_trail.name_targets("team", _teams)
audit_trail.name_targets("branch", _branches)

audit_trail.describe_actions(
    {
        "person.create": N_("added %(subject)s"),
        "person.update": N_("changed %(subject)s"),
        "person.deactivate": N_("deactivated %(subject)s"),
        "person.reactivate": N_("reactivated %(subject)s"),
        "person.password_reset": N_("issued a temporary password to %(subject)s"),
        "person.password_change": N_("changed their own password"),
        "person.sessions_ended": N_("ended all sessions of %(subject)s"),
        "login.succeeded": N_("logged in"),
        "login.failed": N_("failed to log in as %(employee_no)s"),
        "login.throttled": N_("was held back from logging in as %(employee_no)s"),
        "logout": N_("logged out"),
        "branch.create": N_("added the branch %(subject)s"),
        "branch.update": N_("changed the branch %(subject)s"),
        "team.create": N_("added the team %(subject)s"),
        "team.update": N_("changed the team %(subject)s"),
        "roster.import": N_("imported a roster"),
    }
)

audit_trail.describe_fields(
    {
        "employee_no": N_("Employee number"),
        "name": N_("Name"),
        "email": N_("Email"),
        "role": N_("Role"),
        "position": N_("Position"),
        "team_id": N_("Team"),
        "active": N_("Active"),
        "reason": N_("Reason"),
        "ended": N_("Sessions ended"),
        "sessions_ended": N_("Sessions ended"),
        "code": N_("Code"),
        "region": N_("Region"),
        "branch_id": N_("Branch"),
        "supervisors": N_("Supervisors"),
        "created": N_("Created"),
        "updated": N_("Updated"),
        "unchanged": N_("Unchanged"),
    },
    values={
        "role": {role.value: label for role, label in ROLE_LABELS.items()},
        "position": {position.value: label for position, label in POSITION_LABELS.items()},
    },
    targets={"team_id": "team", "branch_id": "branch", "supervisors": "person"},
    lists=("supervisors",),
)
