"""The employee acknowledges or disputes an audit; HR or a second supervisor resolves it."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from audits import disputes
from audits.dependencies import AuditDep, ResolverUser, refusal
from audits.models import DisputeOutcome
from audits.taking_pages import audit_page
from frontline import status
from frontline.deps import SessionDep, client_ip
from frontline.i18n import N_
from frontline.models import id_of
from frontline.paging import PageNumber
from frontline.web import redirect, render, translate
from staff.dependencies import CurrentUser

router = APIRouter()
ACKNOWLEDGED = status.define("audit_acknowledged", N_("You acknowledged the audit."))
DISPUTED = status.define(
    "audit_disputed", N_("Your dispute was sent. HR or a second supervisor will resolve it.")
)
UPHELD = status.define("dispute_upheld", N_("Dispute resolved: the audit is upheld."))
REASON_REQUIRED = N_("Say what is wrong, so the person resolving it can check.")
NOTE_REQUIRED = N_("Write your finding: both sides will read it.")


@router.post("/audits/{audit_id}/acknowledge")
def acknowledge(
    request: Request, session: SessionDep, audit: AuditDep, user: CurrentUser
) -> Response:
    days = request.app.state.settings.audit_dispute_days
    try:
        disputes.acknowledge(session, audit=audit, person=user, days=days, ip=client_ip(request))
    except disputes.DisputeRefused as refused:
        raise refusal(request, refused.message, **refused.values) from None
    return redirect(request, status.url_with(request, f"/audits/{audit.id}", ACKNOWLEDGED))


@router.post("/audits/{audit_id}/dispute")
def open_dispute(
    request: Request,
    session: SessionDep,
    audit: AuditDep,
    user: CurrentUser,
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    if not reason.strip():
        return audit_page(
            request,
            session,
            audit,
            user,
            lang=None,
            status_code=400,
            errors={"reason": REASON_REQUIRED},
            values={"reason": reason},
        )
    days = request.app.state.settings.audit_dispute_days
    try:
        disputes.open_dispute(
            session,
            audit=audit,
            person=user,
            reason=reason.strip(),
            days=days,
            ip=client_ip(request),
        )
    except disputes.DisputeRefused as refused:
        raise refusal(request, refused.message, **refused.values) from None
    return redirect(request, status.url_with(request, f"/audits/{audit.id}", DISPUTED))


@router.post("/audits/{audit_id}/dispute/resolve")
def uphold(
    request: Request,
    session: SessionDep,
    audit: AuditDep,
    user: ResolverUser,
    outcome: Annotated[DisputeOutcome, Form()],
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Uphold here; amending goes through the amendment form, which resolves the dispute."""
    dispute = disputes.dispute_of(session, audit_id=id_of(audit))
    if dispute is None or outcome != DisputeOutcome.upheld:
        return redirect(request, f"/audits/{audit.id}/amend?dispute=1")
    if not note.strip():
        return audit_page(
            request,
            session,
            audit,
            user,
            lang=None,
            status_code=400,
            errors={"note": NOTE_REQUIRED},
            values={"note": note},
        )
    try:
        disputes.resolve_dispute(
            session,
            audit=audit,
            dispute=dispute,
            resolver=user,
            outcome=DisputeOutcome.upheld,
            note=note.strip(),
            ip=client_ip(request),
        )
    except disputes.DisputeRefused as refused:
        raise refusal(request, refused.message, **refused.values) from None
    return redirect(request, status.url_with(request, f"/audits/{audit.id}", UPHELD))


@router.get("/audits/disputes")
def disputes_page(
    request: Request, session: SessionDep, user: ResolverUser, page: PageNumber = 1
) -> Response:
    listed = disputes.open_disputes_for(session, viewer=user, page=page)
    return render(request, "audits/disputes.html", {"listed": listed, "rows": listed.rows})


__all__ = ["router", "translate"]
