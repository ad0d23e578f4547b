"""This month's audit coverage of a supervisor's teams: who has been audited, by which method,
and who not yet, so sampling stays fair. One grouped query over the month's audits."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import BindParameter, bindparam, func
from sqlmodel import Session, col, select

from audits.models import Audit, AuditStatus, Method
from frontline.db import read_columns
from staff import service as staff_service
from staff.models import Person, Role


def month_bounds(today: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The month containing `today` in the bank's time zone, as a UTC [start, end) range."""
    start = datetime(today.year, today.month, 1, tzinfo=zone)
    following = (
        datetime(today.year + 1, 1, 1, tzinfo=zone)
        if today.month == 12
        else datetime(today.year, today.month + 1, 1, tzinfo=zone)
    )
    return start.astimezone(UTC), following.astimezone(UTC)


@dataclass
class PersonCoverage:
    person_id: int
    employee_no: str
    name: str
    team_id: int
    by_method: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.by_method.values())


@dataclass
class Coverage:
    people: list[PersonCoverage]
    methods: list[Method]
    month: date

    @property
    def audited(self) -> int:
        return sum(1 for p in self.people if p.total)

    @property
    def not_audited(self) -> list[PersonCoverage]:
        return [p for p in self.people if not p.total]

    def method_count(self, method: Method) -> int:
        """People audited at least once by this method this month."""
        return sum(1 for p in self.people if p.by_method.get(method.value))


# A supervisor opens this on a tablet through the day: each statement is built once, for every
# team or for listed teams, with the month and the teams as parameters (building them per
# request cost more than running them).
_TEAMS: BindParameter[list[int]] = bindparam("team_ids", expanding=True)
_PEOPLE = select(Person.id, Person.employee_no, Person.name, Person.team_id).where(
    col(Person.active).is_(True),
    col(Person.team_id).is_not(None),
    Person.role.in_([Role.employee, Role.supervisor]),  # type: ignore[attr-defined]
)
_COUNTS = (
    select(Audit.subject_person_id, Audit.method, func.count())
    .where(
        Audit.status == AuditStatus.submitted,
        col(Audit.observed_at) >= bindparam("start"),
        col(Audit.observed_at) < bindparam("end"),
        col(Audit.subject_person_id).is_not(None),
    )
    .group_by(col(Audit.subject_person_id), col(Audit.method))
)
_STATEMENTS = {
    "all": (_PEOPLE, _COUNTS),
    "teams": (
        _PEOPLE.where(col(Person.team_id).in_(_TEAMS)),
        _COUNTS.where(col(Audit.team_id).in_(_TEAMS)),
    ),
}


def coverage(session: Session, *, viewer: Person, today: date, zone: ZoneInfo) -> Coverage:
    """Everyone active in the viewer's teams (all teams for HR and admin), with this month's
    submitted audits of them by method; those not audited yet first."""
    team_ids = staff_service.visible_team_ids(session, person=viewer)
    start, end = month_bounds(today, zone)
    people_query, counts_query = _STATEMENTS["all" if team_ids is None else "teams"]
    teams = {} if team_ids is None else {"team_ids": team_ids}
    people = {
        person_id: PersonCoverage(person_id, employee_no, name, team_id)
        for person_id, employee_no, name, team_id in read_columns(session, people_query, teams)
        if person_id is not None and team_id is not None and person_id != viewer.id
    }
    counts = read_columns(session, counts_query, {"start": start, "end": end, **teams})
    for person_id, method, count in counts:
        if person_id in people:
            key = method.value if isinstance(method, Method) else str(method)
            people[person_id].by_method[key] = count
    ordered = sorted(people.values(), key=lambda p: (p.total > 0, p.team_id, p.employee_no))
    return Coverage(people=ordered, methods=list(Method), month=today.replace(day=1))
