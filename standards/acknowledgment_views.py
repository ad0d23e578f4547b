"""Read-and-acknowledge pages: my list and the acknowledge button (coverage: supervision_views)."""

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import Response

from frontline.deps import SessionDep, client_ip
from frontline.i18n import N_
from frontline.models import id_of, utcnow
from frontline.web import is_htmx, redirect, render, translate
from staff.dependencies import CurrentUser
from standards import acknowledgments, nav_badge, reading_evidence
from standards.dependencies import StandardDep, VersionDep

router = APIRouter()


@router.get("/acknowledgments")
def my_acknowledgments(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    outstanding = acknowledgments.outstanding_for(session, person=user)
    progress = acknowledgments.progress_of(session, person=user)
    context = {"outstanding": outstanding, "progress": progress}
    return render(request, "standards/my_acknowledgments.html", context)


FORGED_OPENING = N_(
    "This confirmation does not come from a page you opened. Reload the standard, read it "
    "through and confirm at the end."
)


@router.post("/standards/{code}/v/{number}/acknowledge")
def acknowledge(
    request: Request,
    session: SessionDep,
    standard: StandardDep,
    version: VersionDep,
    user: CurrentUser,
    opened_at: Annotated[str, Form(max_length=reading_evidence.MAX_TOKEN_LENGTH)] = "",
    reached_after_ms: Annotated[int | None, Form(ge=0, le=10**10)] = None,
) -> Response:
    """Attest to having read this exact version (only the version in force, only if it
    applies), with the signed time the page was opened and when its end came into view."""
    try:
        # Before the evidence: someone who may not acknowledge this is told why, not that
        # their page was forged. acknowledge() asks the same again.
        acknowledgments.check_may_acknowledge(session, version=version, person=user)
    except acknowledgments.AcknowledgmentRefused as refused:
        raise HTTPException(status_code=409, detail=translate(request, str(refused))) from None
    now = utcnow()
    opened = reading_evidence.verify_opened_at(
        opened_at,
        secret_key=request.app.state.secret_key,
        person_id=id_of(user),
        version_id=id_of(version),
        now=now,
    )
    if opened is None:
        raise HTTPException(status_code=400, detail=translate(request, FORGED_OPENING))
    ack = acknowledgments.acknowledge(
        session,
        person=user,
        version=version,
        opened_at=opened,
        reached_at=reading_evidence.reached_at_from_offset(
            reached_after_ms, opened_at=opened, now=now
        ),
        ip=client_ip(request),
    )
    if is_htmx(request):
        standing = acknowledgments.standing_of(session, person=user)
        nav_badge.remember_outstanding(request, standing.outstanding)
        context = {
            "standard": standard,
            "version": version,
            "ack": ack,
            "must_acknowledge": False,
            "standing": standing,
            "update_badge": True,
        }
        return render(request, "standards/_acknowledge.html", context)
    return redirect(request, f"/standards/{standard.code}/v/{version.number}?acknowledged=1")
