"""HR exports: `/hr/scorecards.csv` and `/hr/scorecards.xlsx`, one row per person.

Both stream: the people are read a chunk at a time (`service.export_chunk`), two chunks at
once while the one before them is written, so the whole bank exports in the memory of three
chunks. The XLSX is written by XlsxWriter in constant-memory mode to a temporary file, then
sent from it. Text cells are
neutralised against formulas.
"""

import csv
import io
import os
import tempfile
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import xlsxwriter
from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse

from frontline.db import Database
from frontline.deps import DatabaseDep
from frontline.read_ahead import map_ahead
from frontline.spreadsheet import safe_cell, safe_row
from frontline.web import translate
from scorecards import service
from scorecards.columns import COLUMNS, csv_text, row_values
from scorecards.dependencies import FiltersDep, PeriodDep, ZoneDep
from scorecards.figures import Scorecard
from scorecards.people import Selection
from scorecards.periods import Period
from staff.dependencies import HRUser

router = APIRouter()
SEND_BYTES = 64 * 1024
# Chunks read at once: each reads in a thread and a database connection of its own (on
# PostgreSQL, a server process: the SQL is most of an export's time).
READERS = 2
CSV_CHUNK = 2500
# Smaller chunks than the CSV's: writing a workbook takes longer than reading its chunk, so
# small chunks keep the reads ahead without holding more in memory.
XLSX_CHUNK = 1000


def _scorecards(
    database: Database, selection: Selection, period: Period, zone: ZoneDep, chunk_size: int
) -> Iterator[list[Scorecard]]:
    """The export's scorecards a chunk at a time, in id order. The request's own session has
    closed by the time a stream runs: the plan and each chunk are read with sessions of their
    own."""
    with database.session(write=False) as reader:
        plan = service.export_plan(reader, selection=selection, chunk_size=chunk_size)

    def read(chunk: tuple[int, int]) -> list[Scorecard]:
        with database.session(write=False) as reader:
            return service.export_chunk(
                reader, selection=selection, plan=plan, chunk=chunk, period=period, zone=zone
            )

    return map_ahead(read, plan.chunks, workers=READERS)


def _selection(filters: FiltersDep) -> Selection:
    return Selection(branch_id=filters.branch, team_id=filters.team, position=filters.position)


def _filename(period: Period, zone: ZoneDep, extension: str) -> str:
    stamp = datetime.now(zone).strftime("%Y%m%d-%H%M")
    return f"scorecards-{period.start:%Y%m%d}-{period.end:%Y%m%d}-{stamp}.{extension}"


def _csv_line(values: list[Any]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(values)
    return buffer.getvalue()


@router.get("/hr/scorecards.csv")
def export_csv(
    request: Request,
    database: DatabaseDep,
    _hr: HRUser,
    filters: FiltersDep,
    period: PeriodDep,
    zone: ZoneDep,
) -> Response:
    def gettext(message: str) -> str:
        return translate(request, message)

    selection = _selection(filters)

    def lines() -> Iterator[str]:
        yield "\ufeff" + _csv_line([gettext(c.header) for c in COLUMNS])  # BOM: Excel reads UTF-8
        for chunk in _scorecards(database, selection, period, zone, CSV_CHUNK):
            # One piece a chunk: each piece a stream yields is a trip through the thread pool
            # and the event loop (~0.1-0.2 ms), more than writing the row.
            rows = (safe_row(row_values(card, period, gettext)) for card in chunk)
            yield "".join(_csv_line([csv_text(value) for value in row]) for row in rows)

    return StreamingResponse(
        lines(),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{_filename(period, zone, "csv")}"',
            "Cache-Control": "no-store",
        },
    )


CellWriter = Callable[[int, int, Any], Any]


def _cell_writer(sheet: Any, kind: str, formats: dict[str, Any]) -> CellWriter:
    """How a column's cells are written, chosen once per column rather than per cell."""
    if kind == "date":
        date_format = formats["date"]
        return lambda row, column, value: sheet.write_datetime(
            row, column, datetime.combine(value, datetime.min.time()), date_format
        )
    if kind in ("int", "score"):
        number_format = formats.get(kind)
        return lambda row, column, value: sheet.write_number(row, column, value, number_format)
    return lambda row, column, value: sheet.write_string(row, column, str(safe_cell(value)))


def write_workbook(
    path: str,
    chunks: Iterator[list[Any]],
    period: Period,
    gettext: Callable[[str], str],
) -> None:
    """The workbook: a bold, frozen header row, then one typed row per person (N/A is an
    empty cell, not a zero)."""
    workbook = xlsxwriter.Workbook(path, {"constant_memory": True, "in_memory": False})
    formats = {
        "header": workbook.add_format({"bold": True, "bottom": 1}),
        "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
        "score": workbook.add_format({"num_format": "0.0"}),
    }
    sheet = workbook.add_worksheet(gettext("Scorecards")[:31])
    sheet.freeze_panes(1, 0)
    for index, column in enumerate(COLUMNS):
        sheet.write_string(0, index, gettext(column.header), formats["header"])
        sheet.set_column(index, index, 12 if column.kind != "text" else 16)
    writers = [_cell_writer(sheet, column.kind, formats) for column in COLUMNS]
    row = 1
    for chunk in chunks:
        for card in chunk:
            for index, value in enumerate(row_values(card, period, gettext)):
                if value is not None:
                    writers[index](row, index, value)
            row += 1
    workbook.close()


@router.get("/hr/scorecards.xlsx")
def export_xlsx(
    request: Request,
    database: DatabaseDep,
    _hr: HRUser,
    filters: FiltersDep,
    period: PeriodDep,
    zone: ZoneDep,
) -> Response:
    def gettext(message: str) -> str:
        return translate(request, message)

    selection = _selection(filters)

    def body() -> Iterator[bytes]:
        handle, path = tempfile.mkstemp(prefix="frontline-scorecards-", suffix=".xlsx")
        os.close(handle)

        try:
            chunks = _scorecards(database, selection, period, zone, XLSX_CHUNK)
            write_workbook(path, chunks, period, gettext)
            with open(path, "rb") as workbook:
                while block := workbook.read(SEND_BYTES):
                    yield block
        finally:
            os.unlink(path)

    return StreamingResponse(
        body(),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={
            "Content-Disposition": f'attachment; filename="{_filename(period, zone, "xlsx")}"',
            "Cache-Control": "no-store",
        },
    )
