"""Supervisors on the tablet: the list of audits, starting one, tapping through the checklist
(every tap saved at once), submitting it."""

import secrets
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import Response

from audits import coverage, submission, taking, taking_lists
from audits.dependencies import AuditDep, AuditorUser, DraftDep, OwnAuditDep, refusal
from audits.models import AuditStatus, Subject
from audits.taking_forms import StartForm, in_zone, too_far_ahead
from audits.taking_pages import audit_page, checklist_context, reading_lang
from frontline import forms, status
from frontline.deps import SessionDep, client_ip
from frontline.i18n import N_
from frontline.models import utcnow
from frontline.paging import PageNumber, paged
from frontline.settings import Settings
from frontline.web import redirect, render
from staff.dependencies import CurrentUser
from staff.models import Role

router = APIRouter()
PAGE_SIZE = 50
SUBMITTED = status.define("audit_submitted", N_("Audit submitted: score %(score)s."))
DISCARDED = status.define("audit_discarded", N_("The draft was discarded."))


def _today(request: Request) -> date:
    settings: Settings = request.app.state.settings
    return settings.today()


@router.get("/audits")
def audit_list(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    shelf: Annotated[Literal["drafts", "submitted", "disputed", "mine"] | None, Query()] = None,
    page: PageNumber = 1,
) -> Response:
    shelves = _shelves_for(user.role)
    chosen = shelf if shelf in shelves else shelves[0]
    scope = taking_lists.scope_of(session, viewer=user)
    listed = paged(
        page,
        PAGE_SIZE,
        lambda number: taking_lists.list_audits(
            session, scope=scope, shelf=chosen, limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE
        ),
    )
    context = {
        "shelves": shelves,
        "shelf": chosen,
        "rows": listed.rows,
        "listed": listed,
        "counts": taking_lists.shelf_counts(session, scope=scope)
        if user.role != Role.employee
        else {},
        "may_audit": user.role in (Role.supervisor, Role.admin),
    }
    return render(request, "audits/list.html", context)


def _shelves_for(role: Role) -> list[Literal["drafts", "submitted", "disputed", "mine"]]:
    if role in (Role.supervisor, Role.admin):
        return ["drafts", "submitted", "disputed"]
    if role == Role.hr:
        return ["disputed", "submitted"]
    return ["mine"]


@router.get("/audits/coverage")
def coverage_page(request: Request, session: SessionDep, user: AuditorUser) -> Response:
    zone = request.app.state.settings.zone()
    report = coverage.coverage(session, viewer=user, today=_today(request), zone=zone)
    return render(request, "audits/coverage.html", {"report": report})


# ---- starting ---------------------------------------------------------------------------------


def _start_context(
    session: SessionDep, user: Any, code: str | None, values: dict[str, Any], errors: dict[str, str]
) -> dict[str, Any]:
    found = taking.template_in_force(session, code=code) if code else None
    context: dict[str, Any] = {
        "templates": taking.published_templates(session),
        "template": found[0] if found else None,
        "version": found[1] if found else None,
        "values": values,
        "errors": errors,
    }
    if found and found[0].subject == Subject.employee:
        context["people"] = taking.auditable_people(session, auditor=user)
    elif found:
        context["branches"] = taking.auditable_branches(session, auditor=user)
    return context


@router.get("/audits/new")
def start_page(
    request: Request,
    session: SessionDep,
    user: AuditorUser,
    template: Annotated[str | None, Query(max_length=32)] = None,
    person_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> Response:
    now_local = utcnow().astimezone(request.app.state.settings.zone())
    values: dict[str, Any] = {
        "template": template or "",
        "person_id": person_id,
        "start_key": secrets.token_urlsafe(24),
        "observed_at": now_local.strftime("%Y-%m-%dT%H:%M"),
        "method": "on_site",
    }
    context = _start_context(session, user, template, values, {})
    if template and context["template"] is None:
        raise HTTPException(status_code=404)
    return render(request, "audits/start.html", context)


@router.post("/audits/new")
async def start_audit(request: Request, session: SessionDep, user: AuditorUser) -> Response:
    values: dict[str, Any] = dict(await request.form())
    form, errors = forms.parse(StartForm, values)
    code = str(values.get("template", ""))[:32]
    found = taking.template_in_force(session, code=code) if form else None
    if form and found is None:
        errors["template"] = N_("This checklist is not in force.")
    if form and found:
        observed_at = in_zone(form.observed_at, request.app.state.settings.zone())
        if too_far_ahead(observed_at, utcnow()):
            errors["observed_at"] = N_("The time observed cannot be in the future.")
        else:
            try:
                audit = taking.start_audit(
                    session,
                    auditor=user,
                    template=found[0],
                    version=found[1],
                    person_id=form.person_id,
                    branch_id=form.branch_id,
                    header=taking.AuditHeader(
                        method=form.method,
                        channel=form.channel,
                        business_type=form.business_type,
                        observed_at=observed_at,
                        wait_minutes=form.wait_minutes,
                        satisfaction=form.satisfaction,
                        notes=form.notes,
                    ),
                    start_key=form.start_key,
                    ip=client_ip(request),
                )
                return redirect(request, f"/audits/{audit.id}")
            except taking.StartRefused as refused:
                errors[refused.field] = refused.message
    context = _start_context(session, user, code or None, values, errors)
    return render(request, "audits/start.html", context, status_code=400)


# ---- one audit ----------------------------------------------------------------------------------


@router.get("/audits/{audit_id}")
def audit_view(
    request: Request,
    session: SessionDep,
    audit: AuditDep,
    user: CurrentUser,
    lang: Annotated[Literal["zh", "en"] | None, Query()] = None,
) -> Response:
    if audit.status == AuditStatus.draft:
        context = checklist_context(request, session, audit, lang=reading_lang(request, lang))
        return render(request, "audits/taking.html", context)
    return audit_page(request, session, audit, user, lang=lang)


@router.post("/audits/{audit_id}/submit")
def submit_audit(
    request: Request,
    session: SessionDep,
    audit: OwnAuditDep,
    user: AuditorUser,
    seqs: Annotated[str, Form(max_length=40_000)] = "",
) -> Response:
    if audit.status == AuditStatus.draft:
        try:
            submission.submit_audit(
                session,
                audit=audit,
                actor=user,
                client_seqs=submission.parse_seqs(seqs),
                ip=client_ip(request),
            )
        except submission.SubmitRefused as refused:
            context = checklist_context(request, session, audit, lang=reading_lang(request, None))
            context["refused"] = refused
            return render(request, "audits/taking.html", context, status_code=409)
    score = "—" if audit.score is None else f"{audit.score:.1f}"
    return redirect(
        request, status.url_with(request, f"/audits/{audit.id}", SUBMITTED, score=score)
    )


@router.post("/audits/{audit_id}/discard")
def discard_draft(
    request: Request, session: SessionDep, audit: DraftDep, user: AuditorUser
) -> Response:
    taking.discard_draft(session, audit=audit, actor=user, ip=client_ip(request))
    return redirect(request, status.url_with(request, "/audits?shelf=drafts", DISCARDED))


__all__ = ["refusal", "router"]
