"""Loading audits for a route, and who may see or change them.

Out of scope is 404 (nobody learns that an audit exists); in scope but no longer changeable
is 409 with an explanation.
"""

from typing import Annotated, Literal

from fastapi import Depends, HTTPException, Path, Request

from audits import taking
from audits.models import Audit, AuditStatus
from frontline.deps import SessionDep, reads
from frontline.i18n import N_
from frontline.web import translate
from staff.dependencies import CurrentUser, require_role
from staff.models import Person, Role

AuditorUser = Annotated[Person, require_role(Role.supervisor)]
ResolverUser = Annotated[Person, require_role(Role.supervisor, Role.hr)]
AuditId = Annotated[int, Path()]
LockMode = Literal["share", "update"] | None

NOT_A_DRAFT = N_(
    "This audit has been submitted and can no longer be changed here. "
    "A correction is an amendment with a reason, on the audit's page."
)


def audit_from_path(audit_id: AuditId, session: SessionDep, user: CurrentUser) -> Audit:
    """The audit at this URL, if the signed-in person may see it."""
    audit = taking.get_audit(session, audit_id=audit_id)
    if audit is None or not taking.may_view(session, audit=audit, viewer=user):
        raise HTTPException(status_code=404)
    return audit


AuditDep = Annotated[Audit, Depends(reads(audit_from_path))]


def refusal(request: Request, message: str, **values: object) -> HTTPException:
    return HTTPException(status_code=409, detail=translate(request, message, **values))


def _own_audit(session: SessionDep, audit_id: int, user: Person, lock: LockMode) -> Audit:
    audit = taking.get_audit(session, audit_id=audit_id, lock=lock)
    if audit is None or audit.auditor_id != user.id:
        raise HTTPException(status_code=404)
    return audit


def audit_to_submit(audit_id: AuditId, session: SessionDep, user: AuditorUser) -> Audit:
    """An audit the signed-in supervisor did, draft or submitted already (a double tap),
    locked alone (PostgreSQL): the submit waits for saves in flight, and saves after it
    see it submitted."""
    return _own_audit(session, audit_id, user, "update")


OwnAuditDep = Annotated[Audit, Depends(audit_to_submit)]


def draft_from_path(
    request: Request, audit_id: AuditId, session: SessionDep, user: AuditorUser
) -> Audit:
    """A draft its own auditor is filling in; 409 once it is submitted. A save shares the
    row lock with other saves, so many taps land at once."""
    lock: LockMode = "share" if request.method == "POST" else None
    audit = _own_audit(session, audit_id, user, lock)
    if audit.status != AuditStatus.draft:
        raise refusal(request, NOT_A_DRAFT)
    return audit


DraftDep = Annotated[Audit, Depends(reads(draft_from_path))]
