"""Rollups: the viewer's whole scope, a region, a branch or a team, with rankings (排名).

Supervisors see the units their teams are in, counting only their own teams' people; HR and
admins see every unit. A unit the viewer has no team in is not found (404).
"""

from functools import lru_cache
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Path, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup
from sqlalchemy import Select

from frontline.deps import SessionDep
from frontline.figure_cache import FigureCache, ScopedMarkers, fingerprint, markers_statement
from frontline.i18n import N_
from frontline.web import locale_of, render, render_markup, translate
from scorecards import families, periods, service
from scorecards import people as people_selection
from scorecards.dependencies import FiltersDep, PeriodDep, ZoneDep, today_in
from scorecards.details import category_compliance
from scorecards.figures import COMPONENT_LABELS, COMPONENTS
from scorecards.people import Selection
from scorecards.periods import Period
from scorecards.rollups import LEVEL_LABELS, Level, Rollup
from staff import service as staff_service
from staff import units as staff_units
from staff.dependencies import CurrentUser, StaffViewer
from staff.models import POSITION_LABELS, Role

router = APIRouter()
# A long ranking shows its top and its bottom; the whole list is in the CSV export.
SHOW_ALL_UP_TO = 200
SHOW_TOP = 50
SHOW_BOTTOM = 20


# Rendered rollup bodies, kept per worker: a branch's is ~60 ms of work, a region's ~1 s.
_bodies: FigureCache[Markup] = FigureCache(size=64)


def _render_rollup(
    request: Request,
    session: SessionDep,
    *,
    selection: Selection,
    level: Level,
    label: str,
    period: Period,
    zone: ZoneDep,
    filters: FiltersDep,
    child_level: Level | None = None,
    choices: dict[str, object] | None = None,
    export: dict[str, object] | None = None,
) -> Response:
    """The rollup page. Its body is the same for everyone who asks for the same unit with the
    same scope, period, filters, language and right to export, until an input changes (the
    markers of every figure family): kept rendered, so twenty HR users opening a branch at
    once wait for one computation, and later ones for none."""
    may_export = request.state.user.role in (Role.hr, Role.admin)
    today = today_in(zone)
    asked = (request.url.path, level, label, child_level, period, may_export, str(zone), today)
    unit = _selection_key(selection)
    key = (
        *asked,
        unit,
        tuple(filters.model_dump().items()),
        locale_of(request),
        fingerprint(session, _markers(unit, level)),
    )

    def body() -> Markup:
        report = service.unit_rollup(
            session,
            selection=selection,
            level=level,
            label=label,
            period=period,
            zone=zone,
            child_level=child_level,
        )
        context = {
            **_ranking(report.rollup),
            "details": report.details,
            "branch_audits": report.branch_audits,
            "period": period,
            "choices": periods.choices(today),
            "filters": filters,
            "path": request.url.path,
            "may_export": may_export,
            "export_query": urlencode({**period.query(), **(export or {})}),
            "positions": POSITION_LABELS,
            "level_labels": LEVEL_LABELS,
            "components": COMPONENTS,
            "category_compliance": category_compliance,
            "component_labels": COMPONENT_LABELS,
            **(choices or {}),
        }
        return render_markup(request, "scorecards/_rollup.html", context)

    page_body = _bodies.get(session, key, body)
    return render(request, "scorecards/rollup.html", {"label": label, "body": page_body})


def _ranking(result: Rollup) -> dict[str, object]:
    shown = result.people
    if len(shown) > SHOW_ALL_UP_TO:
        shown = [*shown[:SHOW_TOP], *shown[-SHOW_BOTTOM:]]
    return {"rollup": result, "people_shown": shown, "people_cut": len(shown) < len(result.people)}


# A region's or the bank's markers: anyone's changes.
_ALL_MARKERS = markers_statement(families.change_markers(None))


@lru_cache(maxsize=256)
def _markers(selection_key: tuple[Any, ...], level: Level) -> Select[Any] | ScopedMarkers:
    """The fingerprint statement of a unit's page, built once per unit and scope. It follows a
    team's or a branch's own people's changes (each marker looked up for them: 1-4 ms); a
    region's or the bank's, anyone's (reading 5,000 people's latest changes costs
    ~160 ms, and most changes of the bank are in such a unit anyway)."""
    if level not in ("team", "branch"):
        return _ALL_MARKERS
    people = people_selection.id_query(Selection(*selection_key))
    return ScopedMarkers(people, families.change_markers)


def _selection_key(selection: Selection) -> tuple[Any, ...]:
    """The selection as a key, its fields in order (`Selection(*key)` makes it again)."""
    team_ids = selection.team_ids
    return (
        None if team_ids is None else tuple(sorted(team_ids)),
        selection.person_id,
        selection.branch_id,
        selection.team_id,
        selection.region,
        selection.position,
    )


def _supervises_any(scope: Selection, team_ids: set[int]) -> bool:
    return scope.team_ids is None or bool(team_ids & set(scope.team_ids))


@router.get("/scorecards")
def overview(
    request: Request,
    session: SessionDep,
    viewer: CurrentUser,
    period: PeriodDep,
    zone: ZoneDep,
    filters: FiltersDep,
) -> Response:
    """The viewer's whole scope: the bank by region for HR, their teams for a supervisor."""
    if viewer.role not in (Role.supervisor, Role.hr, Role.admin):
        return RedirectResponse("/scorecards/me?" + request.url.query, status_code=303)
    scope = service.scope_of(session, viewer=viewer)
    selection = service.within(
        scope, branch_id=filters.branch, team_id=filters.team, position=filters.position
    )
    everyone = scope.team_ids is None
    return _render_rollup(
        request,
        session,
        selection=selection,
        level="bank",
        label=translate(request, N_("Whole bank") if everyone else N_("Your teams")),
        period=period,
        zone=zone,
        filters=filters,
        child_level="region" if everyone else "team",
        choices={
            "teams": staff_service.team_labels(session, team_ids=scope.team_ids),
            "branches": {b.id: b.name for b in staff_units.list_branches(session)}
            if everyone
            else {},
        },
    )


@router.get("/scorecards/regions/{region}")
def region_rollup(
    request: Request,
    session: SessionDep,
    viewer: StaffViewer,
    region: Annotated[str, Path(max_length=100)],
    period: PeriodDep,
    zone: ZoneDep,
    filters: FiltersDep,
) -> Response:
    branch_ids = {b.id for b in staff_units.list_branches(session) if b.region == region}
    team_ids = {t.id for t, b in staff_units.list_teams(session) if b.id in branch_ids}
    scope = service.scope_of(session, viewer=viewer)
    if not branch_ids or not _supervises_any(scope, team_ids):  # type: ignore[arg-type]
        raise HTTPException(status_code=404)
    selection = service.within(scope, region=region, position=filters.position)
    return _render_rollup(
        request,
        session,
        selection=selection,
        level="region",
        label=region,
        period=period,
        zone=zone,
        filters=filters,
    )


@router.get("/scorecards/branches/{branch_id}")
def branch_rollup(
    request: Request,
    session: SessionDep,
    viewer: StaffViewer,
    branch_id: Annotated[int, Path()],
    period: PeriodDep,
    zone: ZoneDep,
    filters: FiltersDep,
) -> Response:
    branch = staff_units.get_branch(session, branch_id=branch_id)
    team_ids = {t.id for t, _ in staff_units.list_teams(session, branch_id=branch_id)}
    scope = service.scope_of(session, viewer=viewer)
    if branch is None or not _supervises_any(scope, team_ids):  # type: ignore[arg-type]
        raise HTTPException(status_code=404)
    selection = service.within(scope, branch_id=branch_id, position=filters.position)
    return _render_rollup(
        request,
        session,
        selection=selection,
        level="branch",
        label=branch.name,
        period=period,
        zone=zone,
        filters=filters,
        choices={"branch": branch},
        export={"branch": branch_id},
    )


@router.get("/scorecards/teams/{team_id}")
def team_rollup(
    request: Request,
    session: SessionDep,
    viewer: StaffViewer,
    team_id: Annotated[int, Path()],
    period: PeriodDep,
    zone: ZoneDep,
    filters: FiltersDep,
) -> Response:
    team = staff_units.get_team(session, team_id=team_id)
    scope = service.scope_of(session, viewer=viewer)
    if team is None or not _supervises_any(scope, {team_id}):
        raise HTTPException(status_code=404)
    branch = staff_units.get_branch(session, branch_id=team.branch_id)
    selection = service.within(scope, team_id=team_id, position=filters.position)
    return _render_rollup(
        request,
        session,
        selection=selection,
        level="team",
        label=f"{branch.name if branch else ''} · {team.name}",
        period=period,
        zone=zone,
        filters=filters,
        choices={"branch": branch},
        export={"team": team_id},
    )
