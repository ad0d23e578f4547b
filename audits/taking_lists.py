"""Lists of audits as each role may see them: a supervisor's drafts, submitted and disputed
audits of their teams and branches; an employee's own; everyone's for HR and admin.

One query per list, selecting only the columns a row shows, newest first and paged.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import ColumnElement, and_, false, func, or_
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


def scope_condition(session: Session, *, viewer: Person) -> ColumnElement[bool]:
    """Submitted audits the viewer may see (drafts are their auditor's alone)."""
    if viewer.role in (Role.hr, Role.admin):
        return col(Audit.id).is_not(None)
    own = or_(col(Audit.subject_person_id) == viewer.id, col(Audit.auditor_id) == viewer.id)
    if viewer.role != Role.supervisor:
        return own
    team_ids = staff_service.supervised_team_ids(session, person_id=id_of(viewer))
    branch_ids = branch_ids_of_teams(session, team_ids=team_ids)
    branch_audits = and_(
        col(Audit.subject_person_id).is_(None), col(Audit.branch_id).in_(branch_ids)
    )
    return or_(own, col(Audit.team_id).in_(team_ids), branch_audits) if team_ids else own


def list_audits(
    session: Session, *, viewer: Person, shelf: Shelf, limit: int = 50, offset: int = 0
) -> tuple[list[AuditRow], int]:
    """A page of one shelf of audits, newest observed first, and how many it holds."""
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
        .join(AuditTemplate, col(AuditTemplate.id) == Audit.template_id)
        .join(TemplateVersion, col(TemplateVersion.id) == Audit.template_version_id)
        .outerjoin(Person, col(Person.id) == Audit.subject_person_id)
        .outerjoin(Branch, col(Branch.id) == Audit.branch_id)
        .outerjoin(Dispute, col(Dispute.audit_id) == Audit.id)  # one dispute per audit
    )
    query = query.where(_shelf_condition(session, viewer=viewer, shelf=shelf))
    total = session.execute(sa_select(func.count()).select_from(query.subquery())).scalar_one()
    query = query.order_by(col(Audit.observed_at).desc(), col(Audit.id).desc())
    rows = session.execute(query.limit(limit).offset(offset)).all()
    return [AuditRow(*row) for row in rows], total


def _shelf_condition(session: Session, *, viewer: Person, shelf: Shelf) -> ColumnElement[bool]:
    if shelf == "drafts":
        return and_(col(Audit.auditor_id) == viewer.id, col(Audit.status) == AuditStatus.draft)
    submitted = col(Audit.status) == AuditStatus.submitted
    if shelf == "mine":
        return and_(submitted, col(Audit.subject_person_id) == viewer.id)
    scope = scope_condition(session, viewer=viewer)
    if shelf == "disputed":
        # The lists outer-join the audit's dispute (one per audit).
        return and_(submitted, scope, col(Dispute.status) == DisputeStatus.open)
    if shelf == "submitted":
        return and_(submitted, scope)
    return false()


def shelf_counts(session: Session, *, viewer: Person) -> dict[str, int]:
    """How many audits each of the viewer's shelves holds (for tabs and home panels)."""
    counts: dict[str, int] = {}
    for shelf in ("drafts", "disputed"):
        query = (
            sa_select(func.count())
            .select_from(Audit)
            .outerjoin(Dispute, col(Dispute.audit_id) == Audit.id)
            .where(_shelf_condition(session, viewer=viewer, shelf=shelf))
        )
        counts[shelf] = session.execute(query).scalar_one()
    return counts
