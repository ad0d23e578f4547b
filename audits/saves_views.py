"""The tap: one POST per tap from the tablet, the hot path of an audit.

Unlike other routes it does not use the request-scoped transaction. On SQLite a POST's
transaction takes the write lock at its first statement (the session lookup) and would hold
it across every thread-pool hop of the request (login, guard, route, commit); with thirty
tablets tapping at once the writers queued behind a lock whose holder waited for a free
thread. Here the sign-in check, the guard, the save and the running score run in one hop and
one short transaction, and the fragment is rendered after it has committed.
"""

from functools import partial
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import Response
from sqlmodel import Session

from audits import saves, taking
from audits.dependencies import NOT_A_DRAFT
from audits.models import AuditStatus, Outcome
from audits.taking_forms import TapForm
from frontline.access import access_rule
from frontline.models import id_of
from frontline.web import redirect, render, translate
from staff.dependencies import PolicyDep, as_signed_in_writer
from staff.models import Person, Role

router = APIRouter()
AUDITORS = (Role.supervisor, Role.admin)


@access_rule(
    "roles: admin, supervisor — the draft's own auditor, checked in the save's transaction"
)
async def auditor_checked_in_save() -> None:
    """Marks the route; the check itself runs inside the save's one transaction."""


def _save(
    request: Request,
    session: Session,
    person: Person,
    *,
    audit_id: int,
    item_id: int,
    tap: TapForm,
) -> saves.SaveOutcome:
    """The tap, in one short transaction with who is asking (`as_signed_in_writer`)."""
    if person.role not in AUDITORS:
        raise HTTPException(status_code=403, detail="role")
    audit = taking.get_audit(session, audit_id=audit_id, lock="share")
    if audit is None or audit.auditor_id != person.id:
        raise HTTPException(status_code=404)
    if audit.status != AuditStatus.draft:
        raise HTTPException(status_code=409, detail=translate(request, NOT_A_DRAFT))
    state = saves.ItemState(
        Outcome(tap.outcome) if tap.outcome else None, tap.occurrences, tap.note
    )
    if tap.step is not None:  # a tap without script: the step applies to what is stored
        current = taking.results_of(session, audit_id=audit_id).get(item_id)
        count = max(0, (current.occurrences if current else 0) + tap.step)
        state = saves.ItemState(Outcome.failed if count else Outcome.passed, count, tap.note)
    try:
        saved = saves.save_tap(
            session,
            audit=audit,
            item_id=item_id,
            state=state,
            seq=tap.seq,
            op_id=tap.op,
            actor_id=id_of(person),
        )
    except saves.SaveRefused as refused:
        raise HTTPException(status_code=400, detail=translate(request, str(refused))) from None
    if saved is None:
        raise HTTPException(status_code=404)
    return saved


@router.post("/audits/{audit_id}/items/{item_id}", dependencies=[Depends(auditor_checked_in_save)])
async def save_tap(
    request: Request,
    audit_id: int,
    item_id: int,
    tap: Annotated[TapForm, Form()],
    policy: PolicyDep,
) -> Response:
    save = partial(_save, request, audit_id=audit_id, item_id=item_id, tap=tap)
    saved = await as_signed_in_writer(request, policy, save)
    if request.headers.get("X-Audit-Client") != "1":
        return redirect(request, f"/audits/{audit_id}#item-{item_id}")
    context = {"saved": saved, "score": saved.score, "total": saved.total}
    return render(request, "audits/_saved.html", context)
