"""Recorded audits for HR: upload a file of results (YAML, CSV or XLSX), download the CSV.

The upload route is a plain `def`: reading and parsing run in the thread pool. A file with
any bad entry stores nothing and lists every problem with its place.
"""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import Response, StreamingResponse

from audits import recorded
from audits.recorded import EntryProblem, Place
from audits.recorded_files import (
    Entries,
    entries_from_csv,
    entries_from_xlsx,
    entries_from_yaml,
    export_rows,
)
from frontline.deps import SessionDep, client_ip
from frontline.i18n import N_
from frontline.uploads import UploadError, decode_text, read_upload
from frontline.web import render, translate
from staff.dependencies import HRUser

router = APIRouter()
MAX_LISTED = 100


def entries_of(filename: str, data: bytes) -> tuple[Entries, list[EntryProblem]]:
    """The entries of an uploaded file, read by its kind (by name, then by content)."""
    name = filename.lower()
    if name.endswith(".xlsx") or data[:2] == b"PK":
        return entries_from_xlsx(data)
    try:
        text = decode_text(data)
    except UploadError as exc:
        return [], [EntryProblem(Place(1), exc.message, exc.params)]
    if name.endswith((".yaml", ".yml")):
        return entries_from_yaml(text)
    return entries_from_csv(text)


def _page(
    request: Request,
    *,
    problems: list[EntryProblem] | None = None,
    stored: int | None = None,
    status_code: int = 200,
) -> Response:
    def say(problem: EntryProblem) -> str:
        return problem.render(lambda text: translate(request, text))

    listed = [(p.place, say(p)) for p in (problems or [])[:MAX_LISTED]]
    context: dict[str, Any] = {
        "problems": listed,
        "more": max(0, len(problems or []) - MAX_LISTED),
        "stored": stored,
    }
    return render(request, "audits/recorded.html", context, status_code=status_code)


@router.get("/audits/recorded")
def recorded_page(request: Request, _hr: HRUser) -> Response:
    return _page(request)


@router.post("/audits/recorded")
def upload_recorded(
    request: Request, session: SessionDep, hr: HRUser, file: Annotated[UploadFile, File()]
) -> Response:
    """Check every entry of the file; store them all as submitted audits, or none."""
    try:
        data = read_upload(file, max_bytes=request.app.state.settings.max_upload_bytes)
    except UploadError as exc:
        return _page(
            request, problems=[EntryProblem(Place(0), exc.message, exc.params)], status_code=400
        )
    entries, problems = entries_of(file.filename or "", data)
    if not problems:
        checked = recorded.check_entries(session, entries)
        problems = checked.problems
    if problems:
        return _page(request, problems=problems, status_code=400)
    stored = recorded.store(session, checked=checked, actor_id=hr.id, ip=client_ip(request))
    return _page(request, stored=len(stored))


def _day(value: str, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _BadQuery(name) from None


class _BadQuery(Exception):
    pass


@router.get("/audits/export.csv")
def export_csv(
    request: Request,
    session: SessionDep,
    _hr: HRUser,
    start: Annotated[str, Query(alias="from", max_length=10)] = "",
    end: Annotated[str, Query(alias="to", max_length=10)] = "",
) -> Response:
    """One row per submitted audit observed in the period, as `frontline audits export`."""
    try:
        first, last = _day(start, "from"), _day(end, "to")
    except _BadQuery as bad:
        message = translate(request, N_("%(name)s must be a date (YYYY-MM-DD)."), name=str(bad))
        return Response(message, status_code=400, media_type="text/plain; charset=utf-8")
    rows = list(export_rows(session, start=first, end=last))
    return StreamingResponse(
        _csv_lines(rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="audits.csv"'},
    )


def _csv_lines(rows: list[list[Any]]) -> Any:
    import csv
    import io

    yield "\ufeff"
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
