"""Lists of audits as each role may see them: a supervisor's drafts, submitted and disputed
audits of their teams and branches; an employee's own; everyone's for HR and admin.

One query per list, selecting only the columns a row shows, newest first and paged.
"""

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, Literal

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    CompoundSelect,
    Integer,
    and_,
    bindparam,
    func,
    or_,
    union,
)
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from audits.models import (
    Audit,
    AuditStatus,
    AuditTemplate,
    Dispute,
    DisputeOutcome,
    DisputeStatus,
    Method,
    TemplateVersion,
)
from audits.taking import branch_ids_of_teams
from frontline.db import read_columns
from frontline.models import id_of
from frontline.paging import counted_rows
from staff import service as staff_service
from staff.models import Branch, Person, Role

Shelf = Literal["drafts", "submitted", "disputed", "mine"]


@dataclass(frozen=True)
class AuditRow:
    id: int
    template_code: str
    title_zh: str
    title_en: str
    subject_name: str
    branch_name: str
    method: Method
    observed_at: datetime
    status: AuditStatus
    score: float | None
    veto_breached: bool
    acknowledged_at: datetime | None
    dispute_status: DisputeStatus | None
    dispute_outcome: DisputeOutcome | None


Kind = Literal["all", "supervisor", "employee"]

# Every supervisor opens these lists on a tablet through the day: each statement is built once
# per kind of viewer and shelf, with parameters for the person and their teams and branches
# (building them cost more than running them).
_PERSON: BindParameter[int] = bindparam("person_id")
_TEAMS: BindParameter[list[int]] = bindparam("team_ids", expanding=True)
_BRANCHES: BindParameter[list[int]] = bindparam("branch_ids", expanding=True)
_SUBMITTED = col(Audit.status) == AuditStatus.submitted


@dataclass(frozen=True)
class Scope:
    """Which statements serve a viewer, and their parameters (read once per page)."""

    kind: Kind
    parameters: dict[str, Any]


def scope_of(session: Session, *, viewer: Person) -> Scope:
    if viewer.role in (Role.hr, Role.admin):
        return Scope("all", {"person_id": viewer.id})  # their own drafts
    if viewer.role != Role.supervisor:
        return Scope("employee", {"person_id": viewer.id})
    team_ids = staff_service.supervised_team_ids(session, person_id=id_of(viewer))
    branch_ids = branch_ids_of_teams(session, team_ids=team_ids)
    return Scope(
        "supervisor", {"person_id": viewer.id, "team_ids": team_ids, "branch_ids": branch_ids}
    )


def _scope_parts(kind: Kind) -> list[ColumnElement[bool]] | None:
    """Conditions whose union is what a viewer may see, each served by an index (subject,
    auditor, team, branch); None for HR and admin, who see every audit."""
    if kind == "all":
        return None
    parts = [col(Audit.subject_person_id) == _PERSON, col(Audit.auditor_id) == _PERSON]
    if kind == "supervisor":
        parts.append(col(Audit.team_id).in_(_TEAMS))
        parts.append(
            and_(col(Audit.branch_id).in_(_BRANCHES), col(Audit.subject_person_id).is_(None))
        )
    return parts


def _shelf_ids(kind: Kind, shelf: Shelf) -> Any:
    """The ids on one shelf. A supervisor's submitted audits are a union of id lists, each
    read through its own index, rather than one OR that would read every audit of a region."""
    ids = sa_select(col(Audit.id))
    if shelf == "drafts":
        return ids.where(col(Audit.auditor_id) == _PERSON, col(Audit.status) == AuditStatus.draft)
    if shelf == "mine":
        return ids.where(col(Audit.subject_person_id) == _PERSON, _SUBMITTED)
    parts = _scope_parts(kind)
    if shelf == "disputed":
        # Open disputes are few: they drive, and the scope is checked on each.
        in_scope = sa_select(col(Audit.id)).where(col(Audit.id) == Dispute.audit_id, _SUBMITTED)
        if parts is not None:
            in_scope = in_scope.where(or_(*parts))
        return sa_select(col(Dispute.audit_id).label("id")).where(
            col(Dispute.status) == DisputeStatus.open, in_scope.exists()
        )
    if parts is None:
        return ids.where(_SUBMITTED)
    return union(*(sa_select(col(Audit.id)).where(part, _SUBMITTED) for part in parts))


@dataclass(frozen=True)
class _Statements:
    count: Any  # how many audits the shelf holds
    page: Any  # one page of rows (limit and offset bound)
    # The page's rows also carry the count (`count(*) OVER ()`): for a union of a viewer's
    # audits or the open disputes, counted in the scan that finds them. A shelf that is one
    # SELECT of audits (HR's every audit, drafts, an employee's own) is paged through its
    # index instead, newest first, reading only the page's rows, and counted on its own: a
    # count over the window sorted all 58,000 of a region's audits for each page.
    counted: bool


@cache
def _statements(kind: Kind, shelf: Shelf) -> _Statements:
    """One shelf's statements. The page is chosen on the audits' ids and times alone; only its
    rows are joined to what they show (joining every audit of the shelf before the limit cost
    a supervisor's list 1.6 ms of its 4)."""
    shelf_ids = _shelf_ids(kind, shelf)
    # Read through a union, or driven by the open disputes: few rows, counted in the window.
    counted = isinstance(shelf_ids, CompoundSelect) or shelf == "disputed"
    ids = shelf_ids.subquery()
    count = sa_select(func.count()).select_from(ids)
    newest_first = (col(Audit.observed_at).desc(), col(Audit.id).desc())
    if counted:
        chosen = (
            sa_select(col(Audit.id), func.count().over().label("total"))
            .select_from(ids)
            .join(Audit, col(Audit.id) == ids.c.id)
        )
    else:
        chosen = shelf_ids  # a SELECT of audits' ids: ordered by its index where there is one
    chosen_page = (
        chosen.order_by(*newest_first)
        .limit(bindparam("limit", type_=Integer))
        .offset(bindparam("offset", type_=Integer))
        .subquery()
    )
    page = (
        sa_select(
            col(Audit.id),
            col(AuditTemplate.code),
            col(TemplateVersion.title_zh),
            col(TemplateVersion.title_en),
            col(Person.name),
            col(Branch.name),
            col(Audit.method),
            col(Audit.observed_at),
            col(Audit.status),
            col(Audit.score),
            col(Audit.veto_breached),
            col(Audit.acknowledged_at),
            col(Dispute.status),
            col(Dispute.outcome),
        )
        .select_from(chosen_page)
        .join(Audit, col(Audit.id) == chosen_page.c.id)
        .join(AuditTemplate, col(AuditTemplate.id) == Audit.template_id)
        .join(TemplateVersion, col(TemplateVersion.id) == Audit.template_version_id)
        .outerjoin(Person, col(Person.id) == Audit.subject_person_id)
        .outerjoin(Branch, col(Branch.id) == Audit.branch_id)
        .outerjoin(Dispute, col(Dispute.audit_id) == Audit.id)  # one dispute per audit
        .order_by(*newest_first)
    )
    if counted:
        page = page.add_columns(chosen_page.c.total)
    return _Statements(count, page, counted)


def list_audits(
    session: Session, *, scope: Scope, shelf: Shelf, limit: int = 50, offset: int = 0
) -> tuple[list[AuditRow], int]:
    """A page of one shelf of audits, newest observed first, and how many it holds."""
    found = _statements(scope.kind, shelf)
    parameters = scope.parameters
    if found.counted:
        rows, total = counted_rows(
            session, found.page, found.count, parameters, limit=limit, offset=offset
        )
    else:
        paged = {**parameters, "limit": limit, "offset": offset}
        rows = [tuple(row) for row in read_columns(session, found.page, paged)]
        total = read_columns(session, found.count, parameters).scalar_one()
    return [AuditRow(*row) for row in rows], total


def shelf_counts(session: Session, *, scope: Scope) -> dict[str, int]:
    """How many audits each of the viewer's shelves holds (for tabs and home panels)."""
    return {
        shelf: read_columns(
            session, _statements(scope.kind, shelf).count, scope.parameters
        ).scalar_one()
        for shelf in ("drafts", "disputed")
    }
