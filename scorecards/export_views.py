"""HR exports: `/hr/scorecards.csv` and `/hr/scorecards.xlsx`, one row per person.

Both stream: the people are read a chunk at a time (`service.export_chunks`), so the whole
bank exports in the memory of one chunk. The XLSX is written by XlsxWriter in constant-memory
mode to a temporary file, then sent from it. Text cells are neutralised against formulas.
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

from frontline.deps import DatabaseDep
from frontline.spreadsheet import safe_cell, safe_row
from frontline.web import translate
from scorecards import service
from scorecards.columns import COLUMNS, csv_text, row_values
from scorecards.dependencies import FiltersDep, PeriodDep, ZoneDep
from scorecards.people import Selection
from scorecards.periods import Period
from staff.dependencies import HRUser

router = APIRouter()
SEND_BYTES = 64 * 1024


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
        # The request's own session has closed by now: the stream reads with its own.
        with database.session(write=False) as reader:
            for chunk in service.export_chunks(
                reader, selection=selection, period=period, zone=zone
            ):
                for card in chunk:
                    values = safe_row(row_values(card, period, gettext))
                    yield _csv_line([csv_text(value) for value in values])

    return StreamingResponse(
        lines(),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{_filename(period, zone, "csv")}"',
            "Cache-Control": "no-store",
        },
    )


def _write_cell(
    sheet: Any, row: int, column: int, kind: str, value: Any, formats: dict[str, Any]
) -> None:
    if value is None:
        return  # N/A: an empty cell, not a zero
    if kind == "date":
        moment = datetime.combine(value, datetime.min.time())
        sheet.write_datetime(row, column, moment, formats["date"])
    elif kind in ("int", "score"):
        sheet.write_number(row, column, value, formats.get(kind))
    else:
        sheet.write_string(row, column, str(safe_cell(value)))


def write_workbook(
    path: str,
    chunks: Iterator[list[Any]],
    period: Period,
    gettext: Callable[[str], str],
) -> None:
    """The workbook: a bold, frozen header row, then one typed row per person."""
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
    row = 1
    for chunk in chunks:
        for card in chunk:
            for index, value in enumerate(row_values(card, period, gettext)):
                _write_cell(sheet, row, index, COLUMNS[index].kind, value, formats)
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
            with database.session(write=False) as reader:
                chunks = service.export_chunks(
                    reader, selection=selection, period=period, zone=zone
                )
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
