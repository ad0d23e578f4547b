"""Completion dashboards for HR and supervisors: figures, people, reminders, CSV export."""

import csv
import io
from collections.abc import Iterator
from datetime import date
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response, StreamingResponse
from markupsafe import Markup
from pydantic import Field
from sqlmodel import Session

from frontline import forms, status
from frontline.deps import DatabaseDep, SessionDep, client_ip
from frontline.figure_cache import FigureCache
from frontline.i18n import N_
from frontline.models import id_of
from frontline.paging import paged
from frontline.spreadsheet import safe_row
from frontline.web import locale_of, redirect, render, render_markup, translate
from staff import service as staff_service
from staff import units as staff_units
from staff.dependencies import StaffViewer
from staff.models import Position
from training import dashboard, dashboard_reminders, enrollment, exams
from training.dashboard import Filters, Group
from training.enrollment import STATUS_LABELS, Status

router = APIRouter()

REMINDED = status.define(
    "training.reminded",
    N_("%(sent)s reminders sent; %(skipped)s people had been reminded within the last day."),
)


class DashboardQuery(forms.QueryFilters):
    group: Group = Group.module
    module: int | None = Field(default=None, ge=1, le=2**31 - 1)
    branch: int | None = Field(default=None, ge=1, le=2**31 - 1)
    team: int | None = Field(default=None, ge=1, le=2**31 - 1)
    position: Position | None = None
    status: Status | None = None
    refresher: bool = False
    assignment: int | None = Field(default=None, ge=1, le=2**31 - 1)
    person: int | None = Field(default=None, ge=1, le=2**31 - 1)
    page: int = Field(default=1, ge=1, le=100_000)

    def filters(self) -> Filters:
        return Filters(
            module_id=self.module,
            branch_id=self.branch,
            team_id=self.team,
            position=self.position,
            status=self.status,
            refresher_due=self.refresher,
            assignment_id=self.assignment,
            person_id=self.person,
        )


def _query(request: Request) -> DashboardQuery:
    parsed, errors = forms.parse(DashboardQuery, request.query_params)
    if parsed is None:
        field, message = next(iter(errors.items()))
        raise HTTPException(400, detail=f"{field}: {translate(request, message)}")
    return parsed


def _choices(
    session: SessionDep,
    team_ids: list[int] | None,
    query: DashboardQuery,
    modules: list[dashboard.ModuleChoice] | None = None,
) -> dict[str, object]:
    """The filters' options. HR picks a branch before its teams: a region's 200 teams in one
    list help nobody and cost every page their names."""
    if team_ids is not None:
        teams = staff_service.team_labels(session, team_ids=team_ids)
    elif query.branch:
        found = staff_units.list_teams(session, branch_id=query.branch, include_inactive=False)
        teams = {id_of(team): team.name for team, _branch in found}
    else:
        teams = {}
    branches = staff_units.list_branches(session, include_inactive=False)
    return {
        "modules": dashboard.module_choices(session) if modules is None else modules,
        "teams": teams,
        "branches": branches if team_ids is None else [],
        "positions": list(Position),
    }


# The columns after "done", in the table's order, with what their links add to the row's filter.
FIGURE_COLUMNS = (
    ("overdue", "&status=overdue"),
    ("expired", "&status=expired"),
    ("refresher_due", "&refresher=1"),
    ("in_progress", "&status=in_progress"),
    ("not_started", "&status=not_started"),
    ("completed_on_time", "&status=completed_on_time"),
    ("completed_late", "&status=completed_late"),
)


# Rendered dashboard bodies, kept per worker under what was asked, the viewer's scope, the
# date, the language and the fingerprint of the inputs: a region by team is 200 rows of
# figures (~15 ms to render; the figures themselves are cached), the people list a hundred
# duties. Nothing of the viewer's own (the CSRF token, a status message) is in a body.
_bodies: FigureCache[tuple[Markup, int]] = FigureCache(size=64)


def _key(
    request: Request, query: DashboardQuery, team_ids: list[int] | None, today: date
) -> tuple[Any, ...]:
    """The day is the one the body is computed for (statuses such as overdue depend on it)."""
    scope = None if team_ids is None else tuple(sorted(team_ids))
    asked = tuple(query.model_dump().items())
    return (request.url.path, asked, scope, today, locale_of(request))


@router.get("/training/dashboard")
def dashboard_page(request: Request, session: SessionDep, viewer: StaffViewer) -> Response:
    query = _query(request)
    team_ids = staff_service.visible_team_ids(session, person=viewer)
    today = enrollment.bank_today()
    filters = query.filters()
    marks = dashboard.inputs(session)

    def body() -> tuple[Markup, int]:
        modules = dashboard.module_choices(session)  # the filter's options and the rows' names
        report = dashboard.report(
            session,
            group=query.group,
            filters=filters,
            team_ids=team_ids,
            today=today,
            modules=modules,
            marks=marks,
        )
        key_param = {Group.module: "module", Group.team: "team", Group.branch: "branch"}
        param = key_param.get(query.group, "position")
        base = filters.query()
        row_links = {
            row.key: urlencode({**base, param: row.key}) if row.key is not None else urlencode(base)
            for row in report.rows
        }
        context = {
            "query": query,
            "filters": filters,
            "report": report,
            "row_links": row_links,
            "figure_columns": FIGURE_COLUMNS,
            "scoped": team_ids is not None,
            "today": today,
            "status_labels": STATUS_LABELS,
            "group_labels": dashboard.GROUP_LABELS,
            **_choices(session, team_ids, query, modules),
        }
        return render_markup(request, "training/_dashboard.html", context), len(report.rows)

    kept, _rows = _bodies.get(session, (*_key(request, query, team_ids, today), marks), body)
    return render(request, "training/dashboard.html", {"body": kept})


@router.get("/training/dashboard/people")
def dashboard_people(request: Request, session: SessionDep, viewer: StaffViewer) -> Response:
    query = _query(request)
    team_ids = staff_service.visible_team_ids(session, person=viewer)
    today = enrollment.bank_today()
    filters = query.filters()
    marks = dashboard.inputs(session, reminders=True)

    def body() -> tuple[Markup, int]:
        listed = paged(
            query.page,
            dashboard.PEOPLE_PAGE_SIZE,
            lambda number: dashboard.people(
                session, filters=filters, team_ids=team_ids, today=today, page=number
            ),
        )
        total = listed.total
        context = {
            "query": query,
            "filters": filters,
            "rows": listed.rows,
            "total": total,
            "listed": listed,
            "filter_query": urlencode(filters.query()),
            "team_labels": staff_service.team_labels(session, team_ids=team_ids),
            "status_labels": STATUS_LABELS,
            "today": today,
            **_choices(session, team_ids, query),
        }
        return render_markup(request, "training/_dashboard_people.html", context), total

    kept, total = _bodies.get(session, (*_key(request, query, team_ids, today), marks), body)
    context = {"body": kept, "total": total, "filter_query": urlencode(filters.query())}
    return render(request, "training/dashboard_people.html", context)


@router.post("/training/dashboard/remind")
def remind(request: Request, session: SessionDep, viewer: StaffViewer) -> Response:
    """Remind everyone outstanding under the filters in the address (once a day each)."""
    query = _query(request)
    filters = query.filters()
    result = dashboard_reminders.remind_outstanding(
        session,
        filters=filters,
        team_ids=staff_service.visible_team_ids(session, person=viewer),
        actor=viewer,
        today=enrollment.bank_today(),
        ip=client_ip(request),
    )
    url = "/training/dashboard/people?" + urlencode(filters.query())
    url = status.url_with(request, url, REMINDED, sent=result.sent, skipped=result.skipped)
    return redirect(request, url)


CSV_HEADER = (
    N_("Employee number"),
    N_("Name"),
    N_("Team"),
    N_("Position"),
    N_("Module"),
    N_("Due"),
    N_("Status"),
    N_("Refresher due"),
    N_("Completed"),
    N_("Expires"),
    N_("Quiz score"),
)


@router.get("/training/dashboard.csv")
def dashboard_csv(
    request: Request, session: SessionDep, database: DatabaseDep, viewer: StaffViewer
) -> Response:
    """Every duty under the filters, one row each, streamed from a read session of its own
    (the request's has ended by the time the body is sent)."""
    query = _query(request)
    team_ids = staff_service.visible_team_ids(session, person=viewer)
    teams = staff_service.team_labels(session, team_ids=team_ids)
    filters, today = query.filters(), enrollment.bank_today()

    def lines() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([translate(request, h) for h in CSV_HEADER])
        with database.session(write=False) as reading:
            yield from _csv_rows(request, reading, buffer, writer, filters, team_ids, teams, today)
        yield buffer.getvalue()

    headers = {"Content-Disposition": 'attachment; filename="training-status.csv"'}
    return StreamingResponse(lines(), media_type="text/csv; charset=utf-8", headers=headers)


def _csv_rows(
    request: Request,
    session: Session,
    buffer: io.StringIO,
    writer: Any,
    filters: Filters,
    team_ids: list[int] | None,
    teams: dict[int, str],
    today: date,
) -> Iterator[str]:
    for row in dashboard.iter_people(session, filters=filters, team_ids=team_ids, today=today):
        writer.writerow(
            safe_row(
                [
                    row.employee_no,
                    row.name,
                    teams.get(row.team_id or 0, ""),
                    row.position or "",
                    f"{row.module_code} {row.title_zh}",
                    row.due_on.isoformat(),
                    translate(request, STATUS_LABELS[row.status]),
                    "1" if row.refresher_due else "",
                    row.completed_at.isoformat() if row.completed_at else "",
                    row.expires_on.isoformat() if row.expires_on else "",
                    "" if row.quiz_score is None else f"{row.quiz_score:g}",
                ]
            )
        )
        if buffer.tell() > 64_000:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()


@router.get("/training/exams")
def exams_page(request: Request, session: SessionDep, viewer: StaffViewer) -> Response:
    """Exams with their windows and results; per team, branch and person one click away."""
    today = enrollment.bank_today()
    team_ids = staff_service.visible_team_ids(session, person=viewer)
    context = {
        "rows": exams.exams(session, team_ids=team_ids, today=today),
        "scoped": team_ids is not None,
        "today": today,
    }
    return render(request, "training/exams.html", context)
