"""The audit trail as an auditor reads it: names, sentences, filters and a CSV export."""

import csv
import io
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response, StreamingResponse
from pydantic import Field

from frontline import audit_trail, forms
from frontline.deps import DatabaseDep, SessionDep
from frontline.i18n import N_
from frontline.spreadsheet import safe_row
from frontline.web import render, translate
from staff import service
from staff.dependencies import AdminUser

router = APIRouter()
PAGE_SIZE = 50


class TrailQuery(forms.QueryFilters):
    action: str = Field(default="", max_length=64)
    person: str = Field(default="", max_length=100)
    since: date | None = None
    until: date | None = None
    before: int | None = Field(default=None, ge=1, le=2**63 - 1)


def bank_zone(request: Request) -> ZoneInfo:
    """The bank's time zone when the settings name one, else UTC."""
    name = getattr(request.app.state.settings, "time_zone", "") or "UTC"
    return ZoneInfo(name)


def _trail_filter(
    session: SessionDep, query: TrailQuery, zone: ZoneInfo
) -> audit_trail.TrailFilter:
    """Dates are whole local days: `until` includes its own day."""
    person = query.person.strip()
    return audit_trail.TrailFilter(
        action=query.action or None,
        person_ids=service.matching_person_ids(session, text=person) if person else None,
        since=datetime.combine(query.since, time.min, zone).astimezone(UTC)
        if query.since
        else None,
        until=datetime.combine(query.until + timedelta(days=1), time.min, zone).astimezone(UTC)
        if query.until
        else None,
    )


def _filters(query: TrailQuery) -> dict[str, str]:
    """The filters as they go back into links (the next page, the CSV export)."""
    return {
        "action": query.action,
        "person": query.person,
        "since": query.since.isoformat() if query.since else "",
        "until": query.until.isoformat() if query.until else "",
    }


@router.get("/audit-trail")
def audit_trail_page(
    request: Request,
    session: SessionDep,
    _admin: AdminUser,
    query: Annotated[TrailQuery, Query()],
) -> Response:
    zone = bank_zone(request)
    error = None
    if query.since and query.until and query.since > query.until:
        error = N_("The start date is after the end date.")
        events = []
    else:
        trail = _trail_filter(session, query, zone)
        events = audit_trail.page(session, trail=trail, before_id=query.before, limit=PAGE_SIZE)
    context = {
        "rows": audit_trail.readable(
            session, events, gettext=lambda message: translate(request, message)
        ),
        "zone": zone,
        "filters": _filters(query),
        "error": error,
        "actions": audit_trail.actions(session),
        "next_before": events[-1].id if len(events) == PAGE_SIZE else None,
    }
    return render(request, "staff/audit_trail.html", context, status_code=400 if error else 200)


CSV_HEADERS = (
    N_("When (local time)"),
    N_("When (UTC)"),
    N_("Who"),
    N_("What"),
    N_("Action code"),
    N_("Subject"),
    N_("Changes"),
    N_("Details"),
    N_("IP address"),
)


def _csv_line(values: list[object]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(safe_row(values))
    return buffer.getvalue()


@router.get("/audit-trail.csv")
def export_audit_trail(
    request: Request,
    session: SessionDep,
    database: DatabaseDep,
    _admin: AdminUser,
    query: Annotated[TrailQuery, Query()],
) -> Response:
    """Every event the filters select, streamed page by page so a long trail never sits in
    memory; each cell is neutralised against spreadsheet formulas (names are typed by people)."""
    zone = bank_zone(request)
    trail = _trail_filter(session, query, zone)

    def gettext(message: str) -> str:
        return translate(request, message)

    def lines() -> Iterator[str]:
        # The request's own session has closed by now: the stream reads with its own.
        yield "\ufeff" + _csv_line([gettext(h) for h in CSV_HEADERS])  # BOM: Excel reads UTF-8
        with database.session(write=False) as reader:
            for batch in audit_trail.every_event(reader, trail=trail):
                for row in audit_trail.readable(reader, batch, gettext=gettext):
                    event = row.event
                    yield _csv_line(
                        [
                            event.at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S"),
                            event.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                            row.actor,
                            row.summary,
                            event.action,
                            row.subject,
                            "; ".join(row.changes),
                            json.dumps(event.detail, ensure_ascii=False, sort_keys=True),
                            event.ip,
                        ]
                    )

    stamp = datetime.now(zone).strftime("%Y%m%d-%H%M")
    return StreamingResponse(
        lines(),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="audit-trail-{stamp}.csv"',
            "Cache-Control": "no-store",
        },
    )
