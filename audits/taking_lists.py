"""Lists of audits as each role may see them: a supervisor's drafts, submitted and disputed
audits of their teams and branches; an employee's own; everyone's for HR and admin.

One query per list, selecting only the columns a row shows, newest first and paged.
"""

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, Literal

from sqlalchemy import BindParameter, ColumnElement, Integer, and_, bindparam, func, or_, union
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
from frontline.models import id_of
from frontline.paging import counted_rows, with_total
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


@cache
def _statements(kind: Kind, shelf: Shelf) -> tuple[Any, Any]:
    """How many audits a shelf holds, and one page of its rows with that count (limit and
    offset bound; frontline.paging.with_total)."""
    ids = _shelf_ids(kind, shelf).subquery()
    count = sa_select(func.count()).select_from(ids)
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
        .select_from(ids)
        .join(Audit, col(Audit.id) == ids.c.id)
        .join(AuditTemplate, col(AuditTemplate.id) == Audit.template_id)
        .join(TemplateVersion, col(TemplateVersion.id) == Audit.template_version_id)
        .outerjoin(Person, col(Person.id) == Audit.subject_person_id)
        .outerjoin(Branch, col(Branch.id) == Audit.branch_id)
        .outerjoin(Dispute, col(Dispute.audit_id) == Audit.id)  # one dispute per audit
        .order_by(col(Audit.observed_at).desc(), col(Audit.id).desc())
        .limit(bindparam("limit", type_=Integer))
        .offset(bindparam("offset", type_=Integer))
    )
    return count, with_total(page)


def list_audits(
    session: Session, *, scope: Scope, shelf: Shelf, limit: int = 50, offset: int = 0
) -> tuple[list[AuditRow], int]:
    """A page of one shelf of audits, newest observed first, and how many it holds."""
    count, page = _statements(scope.kind, shelf)
    rows, total = counted_rows(session, page, count, scope.parameters, limit=limit, offset=offset)
    return [AuditRow(*row) for row in rows], total


def shelf_counts(session: Session, *, scope: Scope) -> dict[str, int]:
    """How many audits each of the viewer's shelves holds (for tabs and home panels)."""
    return {
        shelf: session.execute(_statements(scope.kind, shelf)[0], scope.parameters).scalar_one()
        for shelf in ("drafts", "disputed")
    }
