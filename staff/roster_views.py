"""The roster import for HR: reference lists and a template, upload → preview → apply.

Plain `def` routes: parsing a large file runs in the thread pool, never on the event loop.
"""

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import Response

from frontline.deps import SessionDep, client_ip
from frontline.i18n import N_
from frontline.uploads import UploadError, decode_text, human_size, read_upload
from frontline.web import locale_of, render
from staff import roster, roster_plan, service
from staff.dependencies import HRUser
from staff.models import POSITION_LABELS, ROLE_LABELS, Person
from staff.roster import RowError

router = APIRouter()
PAGE = "staff/roster_import.html"


def _page(
    request: Request,
    session: SessionDep,
    hr: Person,
    *,
    status_code: int = 200,
    **context: Any,
) -> Response:
    context.setdefault("plan", None)
    context.setdefault("applied", False)
    context.setdefault("file_errors", [])
    reference = {
        "branches": roster_plan.reference(session),
        "roles": [
            (role, roster.accepted_words(role, ROLE_LABELS[role]))
            for role in ROLE_LABELS
            if role in service.ASSIGNABLE_ROLES.get(hr.role, frozenset())
        ],
        "positions": [
            (position, roster.accepted_words(position, label))
            for position, label in POSITION_LABELS.items()
        ],
        "action_labels": roster_plan.ACTION_LABELS,
        "field_labels": roster_plan.FIELD_LABELS,
    }
    return render(request, PAGE, {**reference, **context}, status_code=status_code)


@router.get("/people-import")
def roster_page(request: Request, session: SessionDep, hr: HRUser) -> Response:
    return _page(request, session, hr)


@router.get("/people-import/template.csv")
def roster_template(
    request: Request, _hr: HRUser, language: Annotated[str, Query(max_length=8)] = ""
) -> Response:
    """An empty roster with the headers in the chosen language (else the reader's)."""
    chinese = (language or locale_of(request)) == "zh_CN"
    name = "roster-template-zh.csv" if chinese else "roster-template.csv"
    return Response(
        roster.template_csv(chinese=chinese).encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _preview(
    request: Request,
    session: SessionDep,
    hr: Person,
    text: str,
    plan: roster_plan.RosterPlan | None = None,
    **context: Any,
) -> Response:
    """The plan for this text (worked out here unless given) with the form to apply it."""
    if plan is None:
        plan = roster_plan.plan_import(session, text=text, actor_role=hr.role, actor_id=hr.id)
    status = context.pop("status_code", 200 if plan.ok else 400)
    return _page(request, session, hr, plan=plan, csv_text=text, status_code=status, **context)


def _file_error(
    request: Request, session: SessionDep, hr: Person, refused: UploadError
) -> Response:
    error = RowError(0, refused.message, refused.params)
    return _page(request, session, hr, file_errors=[error], status_code=400)


@router.post("/people-import")
def preview_roster(
    request: Request, session: SessionDep, hr: HRUser, file: Annotated[UploadFile, File()]
) -> Response:
    """Check the file and show what importing it would do; nothing is written yet."""
    try:
        data = read_upload(file, max_bytes=request.app.state.settings.max_upload_bytes)
        text = decode_text(data)
    except UploadError as refused:
        return _file_error(request, session, hr, refused)
    return _preview(request, session, hr, text)


@router.post("/people-import/apply")
def apply_roster(
    request: Request,
    session: SessionDep,
    hr: HRUser,
    csv_text: Annotated[str, Form()],
    fingerprint: Annotated[str, Form(max_length=64)],
) -> Response:
    """Apply a previewed file, checked again; if what it would do has changed since the
    preview (someone edited people meanwhile, or the file), or changes while it is written
    (the same file applied at the same moment), show the new preview instead."""
    limit = request.app.state.settings.max_upload_bytes
    if len(csv_text.encode()) > limit:
        refused = UploadError(
            N_("The file is larger than %(limit)s."), {"limit": human_size(limit)}
        )
        return _file_error(request, session, hr, refused)
    plan = roster_plan.plan_import(session, text=csv_text, actor_role=hr.role, actor_id=hr.id)
    if not plan.ok:
        return _preview(request, session, hr, csv_text, plan)
    if plan.fingerprint != fingerprint:
        return _preview(request, session, hr, csv_text, plan, status_code=409, changed_since=True)
    try:
        roster_plan.apply_import(session, plan=plan, actor_id=hr.id, ip=client_ip(request))
    except roster_plan.PlanChanged:  # the same file applied by another request at the same moment
        return _preview(request, session, hr, csv_text, status_code=409, changed_since=True)
    return _page(request, session, hr, plan=plan, applied=True)
