"""Completion dashboards: per module, team, branch or position, how far the duties are.

Each table is one grouped query over the enrollments (status computed by the database as of
today, refresher due joined from the open flags), so no page loads enrollments into Python;
the drill-down pages its people. HR sees everyone, a supervisor their teams.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Date, bindparam, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from frontline.db import read_columns
from frontline.figure_cache import FigureCache, fingerprint, markers_statement
from frontline.i18n import N_
from staff import service as staff_service
from staff import units as staff_units
from staff.models import Person, Position, Team
from training import enrollment, reporting
from training.enrollment import Status
from training.models import (
    Enrollment,
    Module,
    ModuleVersion,
    Reminder,
    VersionStatus,
)

PEOPLE_PAGE_SIZE = 100


class Group(StrEnum):
    module = "module"
    team = "team"
    branch = "branch"
    position = "position"


GROUP_LABELS = {
    Group.module: N_("Module"),
    Group.team: N_("Team"),
    Group.branch: N_("Branch"),
    Group.position: N_("Position"),
}


@dataclass(frozen=True)
class Filters:
    module_id: int | None = None
    branch_id: int | None = None
    team_id: int | None = None
    position: Position | None = None
    status: Status | None = None
    refresher_due: bool = False
    assignment_id: int | None = None
    person_id: int | None = None

    def query(self) -> dict[str, str]:
        """As query parameters, for links that keep the filters."""
        values: dict[str, Any] = {
            "module": self.module_id,
            "branch": self.branch_id,
            "team": self.team_id,
            "position": self.position.value if self.position else None,
            "status": self.status.value if self.status else None,
            "refresher": "1" if self.refresher_due else None,
            "assignment": self.assignment_id,
            "person": self.person_id,
        }
        return {k: str(v) for k, v in values.items() if v is not None}


@dataclass
class Figures:
    counts: dict[Status, int] = field(default_factory=dict)
    refresher_due: int = 0
    score_total: float = 0.0
    scored: int = 0

    @property
    def assigned(self) -> int:
        return sum(self.counts.values())

    def __getitem__(self, status: str) -> int:
        # A Status is a str with the same hash, so templates may ask with plain text.
        return self.counts.get(status, 0)  # type: ignore[call-overload]

    @property
    def completed(self) -> int:
        return self[Status.completed_on_time] + self[Status.completed_late]

    @property
    def percent_done(self) -> int:
        return round(100 * self.completed / self.assigned) if self.assigned else 100

    @property
    def average_score(self) -> float | None:
        return round(self.score_total / self.scored, 1) if self.scored else None

    def add(self, status: Status, refresher: bool, n: int, score: float, scored: int) -> None:
        self.counts[status] = self.counts.get(status, 0) + n
        self.refresher_due += n if refresher else 0
        self.score_total += score
        self.scored += scored


@dataclass
class Row:
    key: Any
    label: str
    figures: Figures
    label_en: str = ""  # modules: the English title, for English readers


@dataclass
class Report:
    group: Group
    rows: list[Row]
    total: Figures


def _scope(
    filters: Filters,
    team_ids: Sequence[int] | None,
    *,
    with_status: bool,
    today: date | ColumnElement[date],
) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [enrollment.IS_DUTY, col(Person.active).is_(True)]
    if team_ids is not None:
        conditions.append(col(Person.team_id).in_(list(team_ids)))
    if filters.module_id:
        conditions.append(col(Enrollment.module_id) == filters.module_id)
    if filters.team_id:
        conditions.append(col(Person.team_id) == filters.team_id)
    if filters.branch_id:
        teams = select(Team.id).where(Team.branch_id == filters.branch_id)
        conditions.append(col(Person.team_id).in_(teams))
    if filters.position:
        conditions.append(col(Person.position) == filters.position)
    if filters.assignment_id:
        conditions.append(col(Enrollment.assignment_id) == filters.assignment_id)
    if filters.person_id:
        conditions.append(col(Enrollment.person_id) == filters.person_id)
    if with_status and filters.status:
        conditions.append(enrollment.status_is(filters.status, today))
    return conditions


def _key_column(group: Group) -> Any:
    return {
        Group.module: col(Enrollment.module_id),
        Group.team: col(Person.team_id),
        Group.branch: col(Team.branch_id),
        Group.position: col(Person.position),
    }[group]


# A region's report reads every enrollment (60,000 in a 5,000-staff year: ~0.3-1 s on SQLite)
# yet changes only when an enrollment, a refresher, a person or the date does: each worker keeps
# the last few (frontline/figure_cache.py).
_reports: FigureCache["Report"] = FigureCache(size=64)
_MARKER_LIST = [*staff_service.change_markers(), *reporting.change_markers()]
_MARKERS = markers_statement(_MARKER_LIST)
# The people list also shows each duty's last reminder (reminders are only ever added).
_PEOPLE_MARKERS = markers_statement(
    [*_MARKER_LIST, sa_select(func.max(Reminder.id)).scalar_subquery()]
)


def inputs(session: Session, *, reminders: bool = False) -> tuple[Any, ...]:
    """The fingerprint of what the dashboards show (with `reminders`, of the people list):
    a page kept under it is current while it stays the same."""
    return fingerprint(session, _PEOPLE_MARKERS if reminders else _MARKERS)


def report(
    session: Session,
    *,
    group: Group,
    filters: Filters,
    team_ids: Sequence[int] | None,
    today: date,
    modules: Sequence["ModuleChoice"] | None = None,
    marks: tuple[Any, ...] | None = None,
) -> Report:
    """One row per module, team, branch or position with its figures, and the total.
    `modules`: the modules in force when the caller has read them already (for names);
    `marks`: `inputs(session)`, when the caller has read it already.

    Reports are shared between requests of a worker: read them, never change them."""
    scope = None if team_ids is None else tuple(sorted(team_ids))
    key = (group, filters, scope, today, marks or inputs(session))
    found = _reports.get(
        session,
        key,
        lambda: _compute(session, group=group, filters=filters, team_ids=team_ids, today=today),
    )
    # Names are read fresh (a team renamed changes no figure); the figures are shared.
    keys = {row.key for row in found.rows}
    english: dict[Any, str] = {}
    if group == Group.module:
        named = modules if modules is not None else module_choices(session, ids=keys)
        labels = {m.id: f"{m.code} {m.title_zh}" for m in named}
        english = {m.id: f"{m.code} {m.title('en')}" for m in named}
    else:
        labels = _labels(session, group=group, keys=keys, team_ids=team_ids)
    rows = [
        Row(row.key, labels.get(row.key, "—"), row.figures, english.get(row.key, ""))
        for row in found.rows
    ]
    rows.sort(key=lambda r: (r.figures.percent_done, r.label))
    return Report(group=group, rows=rows, total=found.total)


def _compute(
    session: Session,
    *,
    group: Group,
    filters: Filters,
    team_ids: Sequence[int] | None,
    today: date,
) -> Report:
    status = enrollment.status_expression(today)
    refresher = enrollment.refresher_due()
    key = _key_column(group)
    query = (
        sa_select(
            key,
            status,
            refresher,
            func.count(),
            func.coalesce(func.sum(Enrollment.quiz_score), 0.0),
            func.count(col(Enrollment.quiz_score)),
        )
        .select_from(Enrollment)
        .join(Person, col(Person.id) == Enrollment.person_id)
        .where(*_scope(filters, team_ids, with_status=False, today=today))
        .group_by(key, status, refresher)
    )
    if group == Group.branch:
        query = query.outerjoin(Team, col(Team.id) == Person.team_id)
    by_key: dict[Any, Figures] = {}
    total = Figures()
    for k, s, r, n, score, scored in session.execute(query).all():
        k = getattr(k, "value", k)
        by_key.setdefault(k, Figures()).add(Status(s), bool(r), n, float(score), scored)
        total.add(Status(s), bool(r), n, float(score), scored)
    return Report(group=group, rows=[Row(k, "", f) for k, f in by_key.items()], total=total)


def _labels(
    session: Session, *, group: Group, keys: set[Any], team_ids: Sequence[int] | None
) -> dict[Any, str]:
    if group == Group.team:
        return dict(staff_service.team_labels(session, team_ids=team_ids))
    if group == Group.branch:
        return {b.id: b.name for b in staff_units.list_branches(session)}
    return {k: k for k in keys}


@dataclass(frozen=True)
class ModuleChoice:
    """A module in force, as pickers and row names show it (columns only, no content)."""

    id: int
    code: str
    title_zh: str
    title_en: str
    status: VersionStatus

    def title(self, locale: str) -> str:
        return self.title_zh if locale == "zh_CN" or not self.title_en else self.title_en


_MODULE_CHOICES = (
    sa_select(
        col(Module.id),
        col(Module.code),
        col(ModuleVersion.title_zh),
        col(ModuleVersion.title_en),
        col(ModuleVersion.status),
    )
    .join(ModuleVersion, col(ModuleVersion.id) == Module.current_version_id)
    .order_by(col(Module.code))
)
# A supervisor's home page names the modules of its overdue figures: built once.
_MODULE_CHOICES_OF = _MODULE_CHOICES.where(col(Module.id).in_(bindparam("ids", expanding=True)))


def module_choices(session: Session, *, ids: set[Any] | None = None) -> list[ModuleChoice]:
    """Modules with their version in force (published or archived), by code."""
    if ids is None:
        rows = read_columns(session, _MODULE_CHOICES).all()
    else:
        wanted = [i for i in ids if i is not None]
        rows = read_columns(session, _MODULE_CHOICES_OF, {"ids": wanted}).all()
    return [ModuleChoice(*row) for row in rows]


# ---- people -----------------------------------------------------------------------------------


@dataclass
class PersonRow:
    enrollment_id: int
    person_id: int
    employee_no: str
    name: str
    team_id: int | None
    position: str | None
    module_id: int
    module_code: str
    title_zh: str
    title_en: str
    due_on: date
    completed_at: datetime | None
    expires_on: date | None
    quiz_score: float | None
    status: Status
    refresher_due: bool
    last_reminded_at: datetime | None


def people_query(
    filters: Filters, team_ids: Sequence[int] | None, today: date | ColumnElement[date]
) -> Any:
    status = enrollment.status_expression(today)
    refresher = enrollment.refresher_due()
    reminded = (
        sa_select(func.max(Reminder.reminded_at))
        .where(
            col(Reminder.person_id) == Enrollment.person_id,
            col(Reminder.module_id) == Enrollment.module_id,
        )
        .scalar_subquery()
    )
    columns: list[Any] = [
        col(Enrollment.id).label("enrollment_id"),
        col(Person.id).label("person_id"),
        Person.employee_no,
        Person.name,
        Person.team_id,
        Person.position,
        Enrollment.module_id,
        Module.code,
        ModuleVersion.title_zh,
        ModuleVersion.title_en,
        Enrollment.due_on,
        Enrollment.completed_at,
        Enrollment.expires_on,
        Enrollment.quiz_score,
        status.label("status"),
        refresher.label("refresher_due"),
        reminded.label("last_reminded_at"),
    ]
    query = (
        sa_select(*columns)
        .select_from(Enrollment)
        .join(Person, col(Person.id) == Enrollment.person_id)
        .join(Module, col(Module.id) == Enrollment.module_id)
        .join(ModuleVersion, col(ModuleVersion.id) == Module.current_version_id)
        .where(*_scope(filters, team_ids, with_status=True, today=today))
    )
    if filters.refresher_due:
        query = query.where(refresher)
    return query


def people(
    session: Session,
    *,
    filters: Filters,
    team_ids: Sequence[int] | None,
    today: date,
    page: int = 1,
) -> tuple[list[PersonRow], int]:
    """A page of duties (person × module) matching the filters, most urgent first; the total.

    The page's ids are chosen first from the bare rows, and only those hundred rows get their
    titles, refresher and last reminder: computing those for thousands of rows that the
    sort then drops was most of the page's time."""
    matching = (
        sa_select(col(Enrollment.id))
        .select_from(Enrollment)
        .join(Person, col(Person.id) == Enrollment.person_id)
        .where(*_scope(filters, team_ids, with_status=True, today=today))
    )
    if filters.refresher_due:
        matching = matching.where(enrollment.refresher_due())
    total = session.execute(sa_select(func.count()).select_from(matching.subquery())).scalar_one()
    # Filtered by a status, the oldest due date first, which the (completed_at, due_on) index
    # gives in order (no sort of thousands of rows for one page); unfiltered, the open first.
    urgent_first: tuple[Any, ...] = (col(Enrollment.due_on), col(Enrollment.id))
    if filters.status is None:
        urgent_first = (col(Enrollment.completed_at).is_not(None), *urgent_first)
    page_ids = list(
        session.execute(
            matching.order_by(*urgent_first)
            .limit(PEOPLE_PAGE_SIZE)
            .offset((page - 1) * PEOPLE_PAGE_SIZE)
        ).scalars()
    )
    if not page_ids:
        return [], total
    query = people_query(Filters(), None, today).where(col(Enrollment.id).in_(page_ids))
    rows = session.execute(query.order_by(*urgent_first)).all()
    return [_person_row(r) for r in rows], total


def _person_row(r: Any) -> PersonRow:
    return PersonRow(
        enrollment_id=r[0],
        person_id=r[1],
        employee_no=r[2],
        name=r[3],
        team_id=r[4],
        position=getattr(r[5], "value", r[5]),
        module_id=r[6],
        module_code=r[7],
        title_zh=r[8],
        title_en=r[9],
        due_on=r[10],
        completed_at=r[11],
        expires_on=r[12],
        quiz_score=r[13],
        status=Status(r[14]),
        refresher_due=bool(r[15]),
        last_reminded_at=r[16],
    )


def iter_people(
    session: Session, *, filters: Filters, team_ids: Sequence[int] | None, today: date
) -> Iterator[PersonRow]:
    """Every matching duty, in chunks (the CSV export streams them)."""
    query = people_query(filters, team_ids, today).order_by(col(Enrollment.id))
    last = 0
    while True:
        rows = session.execute(query.where(col(Enrollment.id) > last).limit(2000)).all()
        if not rows:
            return
        for r in rows:
            yield _person_row(r)
        last = rows[-1][0]


# Every employee's home page asks for their duties: built once with parameters, since building
# and cache-keying this statement cost several times more than running it.
_PERSON_DUTIES = (
    people_query(Filters(), None, bindparam("today", type_=Date))
    .where(col(Enrollment.person_id) == bindparam("person_id"))
    .order_by(col(Enrollment.due_on))
)


def person_duties(session: Session, *, person_id: int, today: date) -> list[PersonRow]:
    """One person's duties (their home page, a supervisor's page about them)."""
    rows = read_columns(session, _PERSON_DUTIES, {"person_id": person_id, "today": today}).all()
    return [_person_row(r) for r in rows]
