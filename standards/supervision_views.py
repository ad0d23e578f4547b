"""Supervisors' pages: coverage of acknowledgments, one person's page, and reminders."""

from typing import Annotated, Literal

from fastapi import APIRouter, Form, HTTPException, Path, Request
from fastapi.responses import Response
from markupsafe import Markup

from frontline import person_panels
from frontline.deps import SessionDep, client_ip
from frontline.figure_cache import FigureCache
from frontline.models import id_of, utcnow
from frontline.paging import Page, PageNumber
from frontline.web import locale_of, redirect, render, render_markup, translate
from staff import service as staff_service
from staff import units as staff_units
from staff.dependencies import PersonInScope
from standards import coverage, reminders, service
from standards.coverage_detail import version_coverage
from standards.dependencies import ReportViewer
from standards.models import StandardVersion, VersionStatus

router = APIRouter()
VersionId = Annotated[int, Path(ge=1)]
# A whole region holds thousands of people per standard: the list is paged (outstanding
# first), while the per-team figures above it count everyone.
PEOPLE_PAGE_SIZE = 100


# Rendered report bodies, kept per worker: a whole region's two tables (200 teams, 250
# standards) take ~15 ms to render, five times the rest of the page.
_bodies: FigureCache[Markup] = FigureCache(size=32)


@router.get("/acknowledgments/report")
def coverage_report(request: Request, session: SessionDep, viewer: ReportViewer) -> Response:
    """The report's body is the same for everyone with the same scope and language until an
    input changes (the report's markers, which include team and branch names)."""
    team_ids = staff_service.visible_team_ids(session, person=viewer)
    key = coverage.report_key(session, team_ids=team_ids)

    def body() -> Markup:
        report = coverage.coverage(session, team_ids=team_ids, key=key)
        context = {
            "rows": report.by_version,
            "teams": report.by_team,
            "scoped": team_ids is not None,
            # Branch · team: every branch has its 柜面一组, so a team name alone is ambiguous.
            "team_labels": staff_service.team_labels(session, team_ids=team_ids),
        }
        return render_markup(request, "standards/_coverage.html", context)

    page_body = _bodies.get(session, (*key, locale_of(request)), body)
    return render(request, "standards/coverage.html", {"body": page_body})


def _published_version(session: SessionDep, version_id: int) -> StandardVersion:
    version = service.get_version_by_id(session, version_id=version_id)
    if version is None or version.status != VersionStatus.published:
        raise HTTPException(status_code=404)
    return version


def _count(request: Request, name: str) -> int | None:
    value = request.query_params.get(name, "")
    return int(value) if value.isdigit() and len(value) < 7 else None


@router.get("/acknowledgments/report/{version_id}")
def coverage_detail(
    request: Request,
    session: SessionDep,
    viewer: ReportViewer,
    version_id: VersionId,
    page: PageNumber = 1,
) -> Response:
    version = _published_version(session, version_id)
    standard = service.get_standard(session, standard_id=version.standard_id)
    team_ids = staff_service.visible_team_ids(session, person=viewer)
    # Branch · team: every branch has its 柜面一组, so a team name alone is ambiguous.
    team_labels = staff_service.team_labels(session, team_ids=team_ids)
    found = version_coverage(
        session,
        version=version,
        team_ids=team_ids,
        labels=team_labels,
        page=page,
        page_size=PEOPLE_PAGE_SIZE,
    )
    now = utcnow()
    shown = found.people
    context = {
        "standard": standard,
        "version": version,
        "people": shown,
        "outstanding_total": found.outstanding,
        "listed": Page(shown, page, PEOPLE_PAGE_SIZE, found.applicable),
        "team_rows": tuple(
            (team_labels[team_id] if team_id else None, c.acknowledged, c.applicable)
            for team_id, c in found.teams
        ),
        "team_labels": team_labels,
        "may_remind": {s.id for s in shown if reminders.may_remind(s.last_reminded_at, now=now)},
        "reminded": _count(request, "reminded"),
        "skipped": _count(request, "skipped"),
    }
    return render(request, "standards/coverage_detail.html", context)


@router.post("/acknowledgments/report/{version_id}/remind")
def remind(
    request: Request, session: SessionDep, viewer: ReportViewer, version_id: VersionId
) -> Response:
    """Remind everyone in the viewer's scope who has not acknowledged this version yet."""
    version = _published_version(session, version_id)
    result = reminders.remind_outstanding(
        session,
        version=version,
        team_ids=staff_service.visible_team_ids(session, person=viewer),
        actor_id=id_of(viewer),
        ip=client_ip(request),
    )
    url = f"/acknowledgments/report/{version.id}?skipped={result.skipped}&reminded={result.sent}"
    return redirect(request, url)


@router.post("/acknowledgments/report/{version_id}/remind/{person_id}")
def remind_person(
    request: Request,
    session: SessionDep,
    viewer: ReportViewer,
    person: PersonInScope,
    version_id: VersionId,
    back: Annotated[Literal["report", "person"], Form()] = "report",
) -> Response:
    """Remind one person in the viewer's teams; at most once a day per standard."""
    version = _published_version(session, version_id)
    try:
        reminders.remind_person(
            session,
            version=version,
            person=person,
            actor_id=id_of(viewer),
            ip=client_ip(request),
        )
    except reminders.ReminderRefused as refused:
        detail = translate(request, refused.message, **refused.params)
        raise HTTPException(status_code=409, detail=detail) from None
    if back == "person":
        return redirect(request, f"/people/{person.id}/overview?reminded=1")
    return redirect(request, f"/acknowledgments/report/{version.id}?reminded=1")


@router.get("/people/{person_id}/overview")
def person_overview(
    request: Request, session: SessionDep, viewer: ReportViewer, person: PersonInScope
) -> Response:
    """One team member at a glance: each domain adds its section (standards, later training)."""
    team = staff_units.get_team(session, team_id=person.team_id) if person.team_id else None
    context = {
        "person": person,
        "team": team,
        "panels": person_panels.panels_for(session, person=person, viewer=viewer),
        "reminded": _count(request, "reminded"),
    }
    return render(request, "standards/person_overview.html", context)
