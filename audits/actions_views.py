"""Correction actions: opened on a failed item (with the proposed training in the same tap),
closed by the employee or their supervisor, listed for supervisors and HR."""

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Form, HTTPException, Path, Query, Request
from fastapi.responses import Response

from audits import actions, saves, taking
from audits.dependencies import AuditDep, ResolverUser, refusal
from audits.models import ActionStatus, Audit, CorrectionAction
from frontline import status
from frontline.deps import SessionDep, client_ip, reads
from frontline.i18n import N_
from frontline.models import utcnow
from frontline.paging import PageNumber
from frontline.web import redirect, render
from staff.dependencies import CurrentUser
from staff.models import Person

router = APIRouter()
OPENED = status.define("action_opened", N_("Correction action opened, due %(date)s."))
OPENED_WITH_TRAINING = status.define(
    "action_opened_training",
    N_("Correction action opened, due %(date)s; the training is assigned."),
)
CLOSED = status.define("action_closed", N_("The correction action is closed."))
BAD_DEADLINE = N_("The deadline must be today or later.")


def _today(request: Request) -> date:
    return utcnow().astimezone(request.app.state.settings.zone()).date()


@router.get("/audits/actions")
def actions_page(
    request: Request,
    session: SessionDep,
    user: ResolverUser,
    show: Annotated[Literal["open", "done", "cancelled", "all"], Query()] = "open",
    page: PageNumber = 1,
) -> Response:
    chosen = None if show == "all" else ActionStatus(show)
    listed = actions.actions_in_scope(
        session, viewer=user, today=_today(request), status=chosen, page=page
    )
    context = {"listed": listed, "rows": listed.rows, "show": show}
    return render(request, "audits/actions.html", context)


@router.post("/audits/{audit_id}/actions")
def open_action(
    request: Request,
    session: SessionDep,
    audit: AuditDep,
    user: CurrentUser,
    item_id: Annotated[int, Form(ge=1, le=2**31 - 1)],
    deadline: Annotated[date, Form()],
    description: Annotated[str, Form(max_length=2000)] = "",
    module_id: Annotated[str, Form(max_length=12)] = "",
) -> Response:
    if deadline < _today(request):
        raise HTTPException(status_code=400, detail=BAD_DEADLINE)
    try:
        action = actions.create_action(
            session,
            audit=audit,
            item_id=item_id,
            description=description.strip(),
            deadline=deadline,
            actor=user,
            ip=client_ip(request),
        )
        if module_id.isdigit():
            _assign(session, request, action, audit, user, int(module_id))
    except actions.ActionRefused as refused:
        raise refusal(request, str(refused)) from None
    message = OPENED_WITH_TRAINING if action.module_id else OPENED
    url = status.url_with(request, f"/audits/{audit.id}", message, date=deadline.isoformat())
    return redirect(request, url + f"#action-{action.id}")


def _assign(
    session: SessionDep,
    request: Request,
    action: CorrectionAction,
    audit: Audit,
    user: Person,
    module_id: int,
) -> None:
    checklist = taking.checklist_of(session, version_id=audit.template_version_id)
    item = saves.find_item(checklist, action.item_id or 0)
    if item is None:
        raise actions.ActionRefused(N_("This item is not on the audit's checklist."))
    actions.assign_module(
        session,
        action=action,
        audit=audit,
        item=item,
        module_id=module_id,
        actor=user,
        ip=client_ip(request),
    )


def action_from_path(
    action_id: Annotated[int, Path()], session: SessionDep, user: CurrentUser
) -> tuple[CorrectionAction, Audit]:
    """The action and its audit, if the signed-in person may see the audit."""
    action = actions.get_action(session, action_id=action_id)
    audit = taking.get_audit(session, audit_id=action.audit_id) if action else None
    if action is None or audit is None or not taking.may_view(session, audit=audit, viewer=user):
        raise HTTPException(status_code=404)
    return action, audit


ActionDep = Annotated[tuple[CorrectionAction, Audit], Depends(reads(action_from_path))]


@router.post("/audit-actions/{action_id}/close")
def close_action(
    request: Request,
    session: SessionDep,
    found: ActionDep,
    user: CurrentUser,
    status_: Annotated[Literal["done", "cancelled"], Form(alias="status")],
    note: Annotated[str, Form(max_length=2000)] = "",
    back: Annotated[Literal["audit", "home", "actions"], Form()] = "audit",
    # back to the actions list: the tab and the page the action was closed from
    show: Annotated[Literal["open", "done", "cancelled", "all"], Form()] = "open",
    page: Annotated[int, Form(ge=1, le=100_000)] = 1,
) -> Response:
    action, audit = found
    try:
        actions.close_action(
            session,
            action=action,
            audit=audit,
            status=ActionStatus(status_),
            note=note.strip(),
            actor=user,
            ip=client_ip(request),
        )
    except actions.ActionRefused as refused:
        raise refusal(request, str(refused)) from None
    listed = f"/audits/actions?show={show}&page={page}"
    target = {"home": "/", "actions": listed}.get(back, f"/audits/{audit.id}")
    return redirect(request, status.url_with(request, target, CLOSED) + f"#action-{action.id}")


@router.post("/audit-actions/{action_id}/training")
def assign_training(
    request: Request,
    session: SessionDep,
    found: ActionDep,
    user: CurrentUser,
    module_id: Annotated[int, Form(ge=1, le=2**31 - 1)],
) -> Response:
    action, audit = found
    try:
        _assign(session, request, action, audit, user, module_id)
    except actions.ActionRefused as refused:
        raise refusal(request, str(refused)) from None
    url = status.url_with(
        request, f"/audits/{audit.id}", OPENED_WITH_TRAINING, date=action.deadline_date.isoformat()
    )
    return redirect(request, url + f"#action-{action.id}")
