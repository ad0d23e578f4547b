"""The employee's answer to an audit: acknowledge it, or dispute it with a reason within the
window (FRONTLINE_AUDIT_DISPUTE_DAYS); HR or a second supervisor resolves the dispute by
upholding the audit or amending it, and both sides see the outcome."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from audits import taking
from audits.models import (
    Audit,
    AuditStatus,
    Dispute,
    DisputeOutcome,
    DisputeStatus,
)
from audits.saves import ItemState
from audits.submission import amend_audit
from frontline import audit_trail
from frontline.db import lock_fresh
from frontline.i18n import N_
from frontline.models import id_of, utcnow
from frontline.paging import Page, page_of
from staff import service as staff_service
from staff.models import Person, Role


class DisputeRefused(Exception):
    """A msgid saying why this answer or resolution is not possible now, and its values."""

    def __init__(self, message: str, **values: object) -> None:
        super().__init__(message)
        self.message = message
        self.values = values


# Built once: every audit's page asks it.
_LATEST_DISPUTE = (
    select(Dispute)
    .where(col(Dispute.audit_id) == bindparam("audit_id"))
    .order_by(col(Dispute.id).desc())
    .limit(1)
)


def dispute_of(session: Session, *, audit_id: int) -> Dispute | None:
    return session.scalars(_LATEST_DISPUTE, {"audit_id": audit_id}).first()


def window_ends(audit: Audit, *, days: int) -> datetime | None:
    if audit.submitted_at is None:
        return None
    return audit.submitted_at + timedelta(days=days)


@dataclass(frozen=True)
class Answerable:
    """What the employee audited may still do with this audit."""

    may_acknowledge: bool
    may_dispute: bool
    window_ends: datetime | None


def answerable(
    session: Session, *, audit: Audit, person: Person, days: int, now: datetime | None = None
) -> Answerable:
    ends = window_ends(audit, days=days)
    if (
        audit.status != AuditStatus.submitted
        or audit.subject_person_id != person.id
        or audit.acknowledged_at is not None
        or dispute_of(session, audit_id=id_of(audit)) is not None
    ):
        return Answerable(False, False, ends)
    open_window = ends is not None and (now or utcnow()) <= ends
    return Answerable(True, open_window, ends)


def acknowledge(session: Session, *, audit: Audit, person: Person, days: int, ip: str = "") -> None:
    lock_fresh(session, audit)
    if not answerable(session, audit=audit, person=person, days=days).may_acknowledge:
        raise DisputeRefused(N_("This audit can no longer be acknowledged."))
    audit.acknowledged_at = utcnow()
    session.add(audit)
    session.flush()
    audit_trail.record(
        session,
        action="audit.acknowledge",
        actor_id=person.id,
        target_type="audit",
        target_id=audit.id,
        ip=ip,
    )


def open_dispute(
    session: Session,
    *,
    audit: Audit,
    person: Person,
    reason: str,
    days: int,
    now: datetime | None = None,
    ip: str = "",
) -> Dispute:
    lock_fresh(session, audit)
    state = answerable(session, audit=audit, person=person, days=days, now=now)
    if not state.may_dispute:
        if state.may_acknowledge:
            raise DisputeRefused(
                N_("The %(days)s days to dispute this audit have passed."), days=days
            )
        raise DisputeRefused(N_("This audit can no longer be disputed."))
    dispute = Dispute(audit_id=id_of(audit), opened_by_id=id_of(person), reason=reason)
    session.add(dispute)
    session.flush()
    audit_trail.record(
        session,
        action="audit.dispute",
        actor_id=person.id,
        target_type="audit",
        target_id=audit.id,
        detail={"reason": reason},
        ip=ip,
    )
    return dispute


def may_resolve(session: Session, *, audit: Audit, dispute: Dispute, person: Person) -> bool:
    """HR and admin, or a second supervisor: one who did not do the audit and has its team
    (or branch) in scope. Never the person who disputes."""
    if dispute.status != DisputeStatus.open or person.id in (
        audit.auditor_id,
        dispute.opened_by_id,
    ):
        return False
    if person.role in (Role.hr, Role.admin):
        return True
    return person.role == Role.supervisor and taking.may_view(session, audit=audit, viewer=person)


def resolve_dispute(
    session: Session,
    *,
    audit: Audit,
    dispute: Dispute,
    resolver: Person,
    outcome: DisputeOutcome,
    note: str,
    changes: dict[int, ItemState] | None = None,
    ip: str = "",
) -> None:
    """Uphold the audit as it stands, or amend it (the amendment names this dispute)."""
    lock_fresh(session, audit)
    session.refresh(dispute)  # resolved by someone else while this one waited?
    if dispute.status != DisputeStatus.open:
        raise DisputeRefused(N_("This dispute has already been resolved."))
    if not may_resolve(session, audit=audit, dispute=dispute, person=resolver):
        raise DisputeRefused(N_("You may not resolve this dispute."))
    if outcome == DisputeOutcome.amended:
        amendment = amend_audit(
            session,
            audit=audit,
            changes=changes or {},
            reason=note,
            actor=resolver,
            dispute=dispute,
            ip=ip,
        )
        if amendment is None:
            raise DisputeRefused(N_("To amend, change at least one item; else uphold the audit."))
    dispute.status = DisputeStatus.resolved
    dispute.outcome = outcome
    dispute.resolution_note = note
    dispute.resolved_by_id = id_of(resolver)
    dispute.resolved_at = utcnow()
    session.add(dispute)
    session.flush()
    audit_trail.record(
        session,
        action="audit.resolve_dispute",
        actor_id=resolver.id,
        target_type="audit",
        target_id=audit.id,
        detail={"outcome": outcome.value, "note": note},
        ip=ip,
    )


@dataclass(frozen=True)
class OpenDispute:
    dispute: Dispute
    audit: Audit
    person_name: str


DISPUTES_PAGE = 50


def open_disputes_for(session: Session, *, viewer: Person, page: int = 1) -> Page[OpenDispute]:
    """Disputes waiting for this person to resolve (HR, admin, supervisors of the team
    who did not do the audit), oldest first, a page at a time."""
    query = (
        select(Dispute, Audit)
        .join(Audit, col(Audit.id) == Dispute.audit_id)
        .where(Dispute.status == DisputeStatus.open)
        .order_by(col(Dispute.opened_at), col(Dispute.id))
    )
    if viewer.role == Role.supervisor:
        team_ids = staff_service.supervised_team_ids(session, person_id=id_of(viewer))
        query = query.where(col(Audit.team_id).in_(team_ids), Audit.auditor_id != viewer.id)
    elif viewer.role not in (Role.hr, Role.admin):
        return Page([], 1, DISPUTES_PAGE, 0)
    found = page_of(session, query, number=page, size=DISPUTES_PAGE)
    names = staff_service.people_by_id(
        session, ids={a.subject_person_id for _, a in found.rows if a.subject_person_id}
    )
    return found.shown_as(
        [
            OpenDispute(d, a, names[a.subject_person_id].name if a.subject_person_id else "")
            for d, a in found.rows
        ]
    )
