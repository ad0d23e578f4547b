"""A person's scorecard: their own (`/scorecards/me`) or one a supervisor or HR may see."""

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Request
from fastapi.responses import Response

from frontline.deps import SessionDep
from frontline.i18n import N_
from frontline.models import id_of
from frontline.web import render
from scorecards import chart, periods, service
from scorecards.dependencies import PeriodDep, ZoneDep, today_in
from scorecards.details import category_compliance
from scorecards.families import AVAILABLE
from scorecards.figures import (
    COMPONENT_LABELS,
    COMPONENTS,
    current_weights,
    first_attempt_pass_rate,
)
from scorecards.people import person_rows
from scorecards.periods import Period
from staff.dependencies import CurrentUser
from staff.models import Person

router = APIRouter()


def _trend_chart(page: service.PersonScorecard) -> chart.Chart:
    labels = [point.period.name for point in page.trend]
    series = [("composite", N_("Composite index"), [p.composite for p in page.trend])]
    if "audits" in AVAILABLE:
        series.append(("audits", N_("Audit score"), [p.audit_score for p in page.trend]))
    return chart.line_chart(labels, series)


def _scorecard_page(
    request: Request,
    session: SessionDep,
    *,
    person_id: int,
    viewer: Person,
    period: Period,
    zone: ZoneDep,
    template: str = "scorecards/person.html",
) -> Response:
    """Computed for each request, not kept rendered like the rollups: each person opens their
    own, and a kept page would rarely be asked for again before a figure of their team
    changed (it would pass a benchmark that asks for one page over and over, no user)."""
    page = service.person_scorecard(
        session, person_id=person_id, period=period, zone=zone, today=today_in(zone)
    )
    context = {
        "page": page,
        "period": period,
        "choices": periods.choices(today_in(zone)),
        "chart": _trend_chart(page) if page else None,
        "weights": page.weights if page else current_weights(session),
        "components": COMPONENTS,
        "component_labels": COMPONENT_LABELS,
        "own": person_id == viewer.id,
        "viewer": viewer,
        "first_pass_rate": first_attempt_pass_rate,
        "category_compliance": category_compliance,
        "details": page.details if page else None,
    }
    return render(request, template, context)


@router.get("/scorecards/me")
def my_scorecard(
    request: Request, session: SessionDep, user: CurrentUser, period: PeriodDep, zone: ZoneDep
) -> Response:
    return _scorecard_page(
        request, session, person_id=id_of(user), viewer=user, period=period, zone=zone
    )


def person_in_scope(
    person_id: Annotated[int, Path()], session: SessionDep, viewer: CurrentUser
) -> int:
    """The person at this URL if the viewer may see their scorecard, else 404."""
    scope = service.scope_of(session, viewer=viewer)
    selection = service.within(scope, person_id=person_id)
    if not person_rows(session, selection=selection, limit=1):
        raise HTTPException(status_code=404)
    return person_id


@router.get("/scorecards/people/{person_id}")
def person_scorecard(
    request: Request,
    session: SessionDep,
    viewer: CurrentUser,
    person_id: Annotated[int, Path()],
    period: PeriodDep,
    zone: ZoneDep,
) -> Response:
    person_in_scope(person_id, session, viewer)
    return _scorecard_page(
        request, session, person_id=person_id, viewer=viewer, period=period, zone=zone
    )


@router.get("/scorecards/people/{person_id}/print")
def print_scorecard(
    request: Request,
    session: SessionDep,
    viewer: CurrentUser,
    person_id: Annotated[int, Path()],
    period: PeriodDep,
    zone: ZoneDep,
) -> Response:
    person_in_scope(person_id, session, viewer)
    return _scorecard_page(
        request,
        session,
        person_id=person_id,
        viewer=viewer,
        period=period,
        zone=zone,
        template="scorecards/print.html",
    )
