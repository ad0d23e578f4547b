"""A person's scorecard: their own (`/scorecards/me`) or one a supervisor or HR may see."""

from functools import lru_cache
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Request
from fastapi.responses import Response
from markupsafe import Markup
from sqlalchemy import select, union
from sqlmodel import col

from frontline.deps import SessionDep
from frontline.figure_cache import FigureCache, ScopedMarkers, fingerprint
from frontline.i18n import N_
from frontline.models import id_of
from frontline.web import locale_of, render, render_markup
from scorecards import chart, families, periods, service
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


def _scorecard_context(
    session: SessionDep, *, person_id: int, viewer: Person, period: Period, zone: ZoneDep
) -> dict[str, object]:
    page = service.person_scorecard(
        session, person_id=person_id, period=period, zone=zone, today=today_in(zone)
    )
    return {
        "page": page,
        "period": period,
        "choices": periods.choices(today_in(zone)),
        "chart": _trend_chart(page) if page else None,
        "weights": current_weights(session),
        "components": COMPONENTS,
        "component_labels": COMPONENT_LABELS,
        "own": person_id == viewer.id,
        "viewer": viewer,
        "first_pass_rate": first_attempt_pass_rate,
        "category_compliance": category_compliance,
        "details": page.details if page else None,
    }


# Rendered scorecards, kept per worker: one is ~50 ms of work (five figure families for the
# person, their team and twelve months). Kept under the markers of the person's team, so a
# change about anyone else in the bank keeps it.
_bodies: FigureCache[tuple[Markup, str | None]] = FigureCache(size=256)


@lru_cache(maxsize=1024)
def _markers(person_id: int) -> ScopedMarkers:
    """Whatever the person's scorecard reads: their team's people's figures (their standing
    among them), theirs even when they have just left the team, the weights."""
    team = select(col(Person.team_id)).where(col(Person.id) == person_id).scalar_subquery()
    teammates = select(col(Person.id)).where(col(Person.team_id) == team)
    # Two indexed lookups: `team_id = … OR id = …` would be a scan of every person.
    people = union(teammates, select(col(Person.id)).where(col(Person.id) == person_id))
    return ScopedMarkers(select(people.subquery().c.id), families.change_markers)


def _scorecard_page(
    request: Request,
    session: SessionDep,
    *,
    person_id: int,
    viewer: Person,
    period: Period,
    zone: ZoneDep,
) -> Response:
    """The page's body is the same for every viewer of the same kind (the person themselves,
    a staff viewer, another employee) until a figure it shows changes."""
    asked = (request.url.path, person_id, person_id == viewer.id, viewer.role, period)
    key = (*asked, str(zone), today_in(zone), locale_of(request))

    def body() -> tuple[Markup, str | None]:
        context = _scorecard_context(
            session, person_id=person_id, viewer=viewer, period=period, zone=zone
        )
        page = context["page"]
        name = page.card.person.name if isinstance(page, service.PersonScorecard) else None
        return render_markup(request, "scorecards/_person.html", context), name

    marks = fingerprint(session, _markers(person_id))
    kept, name = _bodies.get(session, (*key, marks), body)
    return render(request, "scorecards/person.html", {"body": kept, "name": name})


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
    context = _scorecard_context(
        session, person_id=person_id, viewer=viewer, period=period, zone=zone
    )
    return render(request, "scorecards/print.html", context)
