"""Read-and-acknowledge pages: my list, the acknowledge button, and the coverage report."""

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Path, Request
from fastapi.responses import Response

from frontline.deps import SessionDep, client_ip
from frontline.i18n import N_
from frontline.models import utcnow
from frontline.web import is_htmx, redirect, render, translate
from staff import service as staff_service
from staff.dependencies import CurrentUser
from standards import (
    acknowledgments,
    coverage,
    nav_badge,
    reading_evidence,
    reminders,
    service,
)
from standards.dependencies import ReportViewer, StandardDep, VersionDep
from standards.models import StandardVersion, VersionStatus

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
    if version.status != VersionStatus.published or not acknowledgments.applies_to(
        session, version=version, person=user
    ):
        raise HTTPException(status_code=403, detail="not_applicable")
    now = utcnow()
    opened = reading_evidence.verify_opened_at(
        opened_at,
        secret_key=request.app.state.secret_key,
        person_id=user.id,  # type: ignore[arg-type]
        version_id=version.id,  # type: ignore[arg-type]
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


@router.get("/acknowledgments/report")
def coverage_report(request: Request, session: SessionDep, viewer: ReportViewer) -> Response:
    team_ids = staff_service.visible_team_ids(session, person=viewer)
    report = coverage.coverage(session, team_ids=team_ids)
    context = {"rows": report.by_version, "teams": report.by_team, "scoped": team_ids is not None}
    return render(request, "standards/coverage.html", context)


def _published_version(session: SessionDep, version_id: int) -> StandardVersion:
    version = service.get_version_by_id(session, version_id=version_id)
    if version is None or version.status != VersionStatus.published:
        raise HTTPException(status_code=404)
    return version


@router.get("/acknowledgments/report/{version_id}")
def coverage_detail(
    request: Request,
    session: SessionDep,
    viewer: ReportViewer,
    version_id: Annotated[int, Path(ge=1)],
) -> Response:
    version = _published_version(session, version_id)
    standard = service.get_standard(session, standard_id=version.standard_id)
    team_ids = staff_service.visible_team_ids(session, person=viewer)
    people = coverage.people_for_version(session, version=version, team_ids=team_ids)
    context = {
        "standard": standard,
        "version": version,
        "people": people,
        "teams": coverage.coverage_by_team(people),
        "reminded": request.query_params.get("reminded"),
    }
    return render(request, "standards/coverage_detail.html", context)


@router.post("/acknowledgments/report/{version_id}/remind")
def remind(
    request: Request,
    session: SessionDep,
    viewer: ReportViewer,
    version_id: Annotated[int, Path(ge=1)],
) -> Response:
    """Remind everyone in the viewer's scope who has not acknowledged this version yet."""
    version = _published_version(session, version_id)
    count = reminders.remind(
        session,
        version=version,
        team_ids=staff_service.visible_team_ids(session, person=viewer),
        actor_id=viewer.id,  # type: ignore[arg-type]
        ip=client_ip(request),
    )
    return redirect(request, f"/acknowledgments/report/{version.id}?reminded={count}")
