"""Amending a submitted audit with a reason (directly, or to resolve a dispute)."""

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response
from sqlmodel import Session

from audits import disputes, saves, submission, taking
from audits.dependencies import AuditDep, refusal
from audits.models import Audit, AuditStatus, DisputeOutcome, Outcome
from audits.taking_pages import reading_lang
from frontline import status
from frontline.deps import SessionDep, client_ip
from frontline.i18n import N_
from frontline.models import id_of
from frontline.web import redirect, render, translate
from staff.dependencies import CurrentUser
from staff.models import Person, Role

router = APIRouter()
AMENDED = status.define("audit_amended", N_("Amendment saved: score %(score)s."))
DISPUTE_AMENDED = status.define(
    "dispute_amended", N_("Dispute resolved: the audit is amended, score %(score)s.")
)
REASON_REQUIRED = N_("Give the reason for the amendment: it is kept in the audit's history.")
NOTHING_CHANGED = N_("Nothing was changed: change at least one item.")


def _may_amend(session: Session, audit: Audit, user: Person, for_dispute: bool) -> bool:
    if audit.status != AuditStatus.submitted:
        return False
    if for_dispute:
        dispute = disputes.dispute_of(session, audit_id=id_of(audit))
        return dispute is not None and disputes.may_resolve(
            session, audit=audit, dispute=dispute, person=user
        )
    return audit.auditor_id == user.id or user.role in (Role.hr, Role.admin)


def _form_context(
    request: Request,
    session: Session,
    audit: Audit,
    *,
    for_dispute: bool,
    values: dict[str, Any],
    errors: dict[str, str],
) -> dict[str, Any]:
    checklist = taking.checklist_of(session, version_id=audit.template_version_id)
    return {
        "audit": audit,
        "checklist": checklist,
        "results": saves.stored_results(session, audit_id=id_of(audit)),
        "for_dispute": for_dispute,
        "dispute": disputes.dispute_of(session, audit_id=id_of(audit)),
        "values": values,
        "errors": errors,
        "lang": reading_lang(request, None),
    }


@router.get("/audits/{audit_id}/amend")
def amend_page(
    request: Request,
    session: SessionDep,
    audit: AuditDep,
    user: CurrentUser,
    dispute: Annotated[int, Query(ge=0, le=1)] = 0,
) -> Response:
    if not _may_amend(session, audit, user, bool(dispute)):
        raise HTTPException(status_code=403)
    context = _form_context(
        request, session, audit, for_dispute=bool(dispute), values={}, errors={}
    )
    return render(request, "audits/amend.html", context)


def _changes(form: dict[str, str], audit_items: list[int]) -> dict[int, saves.ItemState]:
    changes: dict[int, saves.ItemState] = {}
    for item_id in audit_items:
        outcome = form.get(f"outcome-{item_id}", "")
        if outcome not in ("pass", "fail", "na"):
            continue
        occurrences = form.get(f"occurrences-{item_id}", "0")
        count = int(occurrences) if occurrences.isdigit() and len(occurrences) < 3 else 0
        note = form.get(f"note-{item_id}", "")[:500]
        changes[item_id] = saves.ItemState(Outcome(outcome), count, note)
    return changes


@router.post("/audits/{audit_id}/amend")
async def amend(
    request: Request, session: SessionDep, audit: AuditDep, user: CurrentUser
) -> Response:
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    for_dispute = form.get("dispute") == "1"
    if not _may_amend(session, audit, user, for_dispute):
        raise HTTPException(status_code=403)
    reason = form.get("reason", "").strip()[:2000]
    checklist = taking.checklist_of(session, version_id=audit.template_version_id)
    changes = _changes(form, [item.id for item in checklist.items])
    errors: dict[str, str] = {} if reason else {"reason": REASON_REQUIRED}
    if not errors:
        try:
            done = _apply(request, session, audit, user, changes, reason, for_dispute)
        except saves.SaveRefused as refused:
            errors["__all__"] = str(refused)
        except disputes.DisputeRefused as refused:
            raise refusal(request, refused.message, **refused.values) from None
        else:
            if done is not None:
                return done
            errors["__all__"] = NOTHING_CHANGED
    context = _form_context(
        request, session, audit, for_dispute=for_dispute, values=form, errors=errors
    )
    return render(request, "audits/amend.html", context, status_code=400)


def _apply(
    request: Request,
    session: Session,
    audit: Audit,
    user: Person,
    changes: dict[int, saves.ItemState],
    reason: str,
    for_dispute: bool,
) -> Response | None:
    ip = client_ip(request)
    if for_dispute:
        dispute = disputes.dispute_of(session, audit_id=id_of(audit))
        assert dispute is not None  # _may_amend checked it
        try:
            disputes.resolve_dispute(
                session,
                audit=audit,
                dispute=dispute,
                resolver=user,
                outcome=DisputeOutcome.amended,
                note=reason,
                changes=changes,
                ip=ip,
            )
        except disputes.DisputeRefused:
            return None
        message = DISPUTE_AMENDED
    else:
        amendment = submission.amend_audit(
            session, audit=audit, changes=changes, reason=reason, actor=user, ip=ip
        )
        if amendment is None:
            return None
        message = AMENDED
    score = "—" if audit.score is None else f"{audit.score:.1f}"
    return redirect(request, status.url_with(request, f"/audits/{audit.id}", message, score=score))


__all__ = ["router", "translate"]
