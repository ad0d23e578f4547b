"""What the tablet page and a submitted audit's page show, gathered in one place so the
views stay thin and a refused submit re-renders exactly the page it came from."""

import secrets
from typing import Any, Literal

from fastapi import Request
from fastapi.responses import Response
from sqlmodel import Session

from audits import actions, disputes, saves, submission, taking
from audits.models import Audit
from frontline.models import id_of
from frontline.web import locale_of, render
from staff import service as staff_service
from staff import units as staff_units
from staff.models import Person, Role

Lang = Literal["zh", "en"]


def reading_lang(request: Request, requested: Lang | None) -> Lang:
    if requested is not None:
        return requested
    return "zh" if locale_of(request) == "zh_CN" else "en"


def _header(session: Session, audit: Audit) -> dict[str, Any]:
    """Who and what the audit is about (the checklist's own heading is kept with it)."""
    subject = (
        staff_service.get_person(session, person_id=audit.subject_person_id)
        if audit.subject_person_id
        else None
    )
    branch = staff_units.get_branch(session, branch_id=audit.branch_id) if audit.branch_id else None
    auditor = staff_service.get_person(session, person_id=audit.auditor_id)
    return {"audit": audit, "subject": subject, "branch": branch, "auditor": auditor}


def checklist_context(
    request: Request, session: Session, audit: Audit, *, lang: Lang
) -> dict[str, Any]:
    """The tablet page: every item with its stored state and the running score."""
    checklist = taking.checklist_of(session, version_id=audit.template_version_id)
    results = saves.light_results(session, audit_id=id_of(audit))
    return {
        **_header(session, audit),
        "checklist": checklist,
        "results": results,
        "score": saves.running_score(checklist, results),
        "total": len(checklist.items),
        "lang": lang,
        # Without script, each item form posts this operation id (a reload makes a new one).
        "op_seed": secrets.token_urlsafe(12),
        "refused": None,
    }


def audit_page(
    request: Request,
    session: Session,
    audit: Audit,
    user: Person,
    *,
    lang: Lang | None,
    status_code: int = 200,
    **extra: Any,
) -> Response:
    """A submitted audit as the viewer may see and answer it."""
    settings = request.app.state.settings
    today = settings.today()
    checklist = taking.checklist_of(session, version_id=audit.template_version_id)
    results = saves.light_results(session, audit_id=id_of(audit))
    score = saves.running_score(checklist, results)
    dispute = disputes.dispute_of(session, audit_id=id_of(audit))
    manager = actions.may_manage(session, audit=audit, person=user)
    failed = [i for i in checklist.items if i.id in results and results[i.id].outcome == "fail"]
    context = {
        **_header(session, audit),
        "checklist": checklist,
        "results": results,
        "item_scores": {s.item_id: s for s in score.items},
        "lang": reading_lang(request, lang),
        "dispute": dispute,
        "dispute_names": staff_service.people_by_id(
            session,
            ids={i for i in (dispute.opened_by_id, dispute.resolved_by_id) if i}
            if dispute
            else set(),
        ),
        "answer": disputes.answerable(
            session, audit=audit, person=user, days=settings.audit_dispute_days
        ),
        "dispute_days": settings.audit_dispute_days,
        "may_resolve": dispute is not None
        and disputes.may_resolve(session, audit=audit, dispute=dispute, person=user),
        "may_amend": audit.auditor_id == user.id or user.role in (Role.hr, Role.admin),
        "amendments": submission.amendments_of(session, audit_id=id_of(audit)),
        "actions": actions.actions_of_audit(session, audit_id=id_of(audit), today=today),
        "may_manage_actions": manager,
        "proposals": actions.proposals(session, items=failed if manager else []),
        "today": today,
        "errors": {},
        "values": {},
        **extra,
    }
    return render(request, "audits/audit.html", context, status_code=status_code)
