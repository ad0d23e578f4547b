"""Lists of audits as each role may see them: a supervisor's drafts, submitted and disputed
audits of their teams and branches; an employee's own; everyone's for HR and admin.

One query per list, selecting only the columns a row shows, newest first and paged.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import ColumnElement, and_, func, or_, true, union
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


def _scope_parts(session: Session, *, viewer: Person) -> list[ColumnElement[bool]] | None:
    """Conditions whose union is what the viewer may see, each served by an index (subject,
    auditor, team, branch); None for HR and admin, who see every audit."""
    if viewer.role in (Role.hr, Role.admin):
        return None
    parts = [col(Audit.subject_person_id) == viewer.id, col(Audit.auditor_id) == viewer.id]
    if viewer.role == Role.supervisor:
        team_ids = staff_service.supervised_team_ids(session, person_id=id_of(viewer))
        branch_ids = branch_ids_of_teams(session, team_ids=team_ids)
        parts.append(col(Audit.team_id).in_(team_ids))
        parts.append(
            and_(col(Audit.branch_id).in_(branch_ids), col(Audit.subject_person_id).is_(None))
        )
    return parts


def scope_condition(session: Session, *, viewer: Person) -> ColumnElement[bool]:
    """Audits the viewer may see, as one condition (for sets driven by something smaller)."""
    parts = _scope_parts(session, viewer=viewer)
    return true() if parts is None else or_(*parts)


def _shelf_ids(session: Session, *, viewer: Person, shelf: Shelf) -> Any:
    """The ids on one shelf. A supervisor's submitted audits are a union of id lists, each
    read through its own index, rather than one OR that would read every audit of a region."""
    submitted = col(Audit.status) == AuditStatus.submitted
    ids = sa_select(col(Audit.id))
    if shelf == "drafts":
        return ids.where(col(Audit.auditor_id) == viewer.id, col(Audit.status) == AuditStatus.draft)
    if shelf == "mine":
        return ids.where(col(Audit.subject_person_id) == viewer.id, submitted)
    if shelf == "disputed":
        # Open disputes are few: they drive, and the scope is checked on each.
        in_scope = (
            sa_select(col(Audit.id))
            .where(col(Audit.id) == Dispute.audit_id, submitted)
            .where(scope_condition(session, viewer=viewer))
        )
        return sa_select(col(Dispute.audit_id).label("id")).where(
            col(Dispute.status) == DisputeStatus.open, in_scope.exists()
        )
    parts = _scope_parts(session, viewer=viewer)
    if parts is None:
        return ids.where(submitted)
    return union(*(sa_select(col(Audit.id)).where(part, submitted) for part in parts))


def list_audits(
    session: Session, *, viewer: Person, shelf: Shelf, limit: int = 50, offset: int = 0
) -> tuple[list[AuditRow], int]:
    """A page of one shelf of audits, newest observed first, and how many it holds."""
    ids = _shelf_ids(session, viewer=viewer, shelf=shelf).subquery()
    total = session.execute(sa_select(func.count()).select_from(ids)).scalar_one()
    query = (
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
    )
    rows = session.execute(query.limit(limit).offset(offset)).all()
    return [AuditRow(*row) for row in rows], total


def shelf_counts(session: Session, *, viewer: Person) -> dict[str, int]:
    """How many audits each of the viewer's shelves holds (for tabs and home panels)."""
    counts: dict[str, int] = {}
    for shelf in ("drafts", "disputed"):
        ids = _shelf_ids(session, viewer=viewer, shelf=shelf).subquery()
        counts[shelf] = session.execute(sa_select(func.count()).select_from(ids)).scalar_one()
    return counts
