"""The shapes recorded audits arrive in, and the CSV they leave in.

YAML: a list `audits`, each entry with the keys of audits.recorded.ENTRY_KEYS and `results`
mapping item codes to `pass`, `fail`, `na`, or `{fail: 3, note: …}`.
CSV/XLSX: one row per audit, the same keys as columns, then one column per item code holding
pass / fail / na (or 合格 / 不合格 / 不适用), `fail 3` for three occurrences, and an optional
`CODE note` column beside it.
"""

import csv
import io
import re
from collections.abc import Iterator
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from audits.models import Audit, AuditStatus, AuditTemplate, TemplateVersion
from audits.recorded import ENTRY_KEYS, EntryProblem, Place
from frontline.i18n import N_
from frontline.settings import get_settings
from frontline.spreadsheet import safe_row
from staff.models import Branch, Person
from standards.library_file.reader import LineDict, load

Entries = list[tuple[dict[str, Any], Place, dict[str, Place]]]
EXPORT_COLUMNS = (
    "audit_id",
    "template",
    "template_version",
    "subject",
    "method",
    "observed_at",
    "auditor",
    "points_possible",
    "points_earned",
    "score",
    "veto_breached",
    "status",
    "score_before_veto",
    "channel",
    "business_type",
    "source",
)
MAX_ROWS = 5000
_FAIL_COUNT = re.compile(r"^(fail|不合格)\s*[x×*:]?\s*(\d+)$", re.IGNORECASE)


def entries_from_yaml(text: str) -> tuple[Entries, list[EntryProblem]]:
    data, problems = load(text)
    found = [EntryProblem(Place(p.line), p.msgid, p.params) for p in problems]
    if data is None:
        return [], found
    audits = data.get("audits") if isinstance(data, dict) else None
    if not isinstance(audits, list):
        return [], [*found, EntryProblem(Place(1), N_("The file needs a list named audits."))]
    entries: Entries = []
    for index, raw in enumerate(audits):
        line = audits.item_lines[index] if hasattr(audits, "item_lines") else 1
        if not isinstance(raw, dict):
            found.append(EntryProblem(Place(line), N_("Each audit must be a mapping.")))
            continue
        places = {key: Place(raw.lines[key]) for key in raw} if isinstance(raw, LineDict) else {}
        results = raw.get("results")
        if isinstance(results, LineDict):
            places.update({str(code): Place(results.lines[code]) for code in results})
        entries.append((dict(raw), Place(line), places))
    return entries, found


def entries_from_csv(text: str) -> tuple[Entries, list[EntryProblem]]:
    rows = list(csv.reader(io.StringIO(text)))
    return _entries_from_rows(iter(rows))


def entries_from_xlsx(data: bytes) -> tuple[Entries, list[EntryProblem]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is no workbook
        return [], [EntryProblem(Place(1), N_("The file is not an Excel workbook (.xlsx)."))]
    try:
        sheet = workbook.worksheets[0]
        rows = ([_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True))
        return _entries_from_rows(rows)
    finally:
        workbook.close()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return datetime.combine(value, time(12, 0)).isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _entries_from_rows(rows: Iterator[list[str]]) -> tuple[Entries, list[EntryProblem]]:
    header = next(rows, None)
    if not header:
        return [], [EntryProblem(Place(1), N_("The file is empty."))]
    names = [name.strip() for name in header]
    if "template" not in names:
        return [], [
            EntryProblem(
                Place(1), N_("The first row must name the columns, starting with template.")
            )
        ]
    entries: Entries = []
    for number, row in enumerate(rows, start=2):
        if number > MAX_ROWS + 1:
            return [], [
                EntryProblem(
                    Place(number), N_("At most %(max)s audits in one file."), {"max": MAX_ROWS}
                )
            ]
        if not any(cell.strip() for cell in row):
            continue
        entries.append(_row_entry(names, row, number))
    return entries, []


def _row_entry(
    names: list[str], row: list[str], number: int
) -> tuple[dict[str, Any], Place, dict[str, Place]]:
    raw: dict[str, Any] = {}
    results: dict[str, Any] = {}
    notes: dict[str, str] = {}
    places: dict[str, Place] = {}
    for name, cell in zip(names, row, strict=False):
        value = cell.strip()
        if not name or not value:
            continue
        places[name] = Place(number, name)
        if name in ENTRY_KEYS:
            raw[name] = value
        elif name.endswith(" note"):
            notes[name[: -len(" note")].strip()] = value
        else:
            results[name] = _cell_result(value)
    for code, note in notes.items():
        outcome = results.get(code)
        if isinstance(outcome, dict):
            outcome["note"] = note
        elif outcome is not None:
            results[code] = {outcome: None, "note": note}
    raw["results"] = results
    return raw, Place(number), places


def _cell_result(value: str) -> Any:
    counted = _FAIL_COUNT.match(value)
    if counted:
        return {"fail": int(counted.group(2))}
    return value


# ---- export -----------------------------------------------------------------------------------


def export_rows(session: Session, *, start: date | None, end: date | None) -> Iterator[list[Any]]:
    """One row per submitted audit observed between start and end (bank's dates, inclusive)."""
    zone = get_settings().zone()
    subject = aliased(Person)
    query = (
        sa_select(
            Audit,
            col(AuditTemplate.code),
            col(TemplateVersion.number),
            col(Person.employee_no),
            col(subject.employee_no),
            col(Branch.code),
        )
        .join(AuditTemplate, col(AuditTemplate.id) == Audit.template_id)
        .join(TemplateVersion, col(TemplateVersion.id) == Audit.template_version_id)
        .join(Person, col(Person.id) == Audit.auditor_id)
        .outerjoin(subject, col(subject.id) == Audit.subject_person_id)
        .outerjoin(Branch, col(Branch.id) == Audit.branch_id)
        .where(col(Audit.status) == AuditStatus.submitted)
        .order_by(col(Audit.observed_at), col(Audit.id))
    )
    if start is not None:
        query = query.where(col(Audit.observed_at) >= datetime.combine(start, time(), zone))
    if end is not None:
        after = datetime.combine(date.fromordinal(end.toordinal() + 1), time(), zone)
        query = query.where(col(Audit.observed_at) < after)
    yield list(EXPORT_COLUMNS)
    for audit, code, number, auditor_no, subject_no, branch_code in session.execute(query):
        yield safe_row(
            [
                audit.id,
                code,
                number,
                subject_no or branch_code or "",
                audit.method.value,
                audit.observed_at.astimezone(zone).isoformat(),
                auditor_no,
                audit.points_possible,
                audit.points_earned,
                audit.score,
                "yes" if audit.veto_breached else "no",
                audit.status.value,
                audit.score_before_veto,
                audit.channel.value if audit.channel else "",
                audit.business_type.value if audit.business_type else "",
                audit.source.value,
            ]
        )


def write_csv(rows: Iterator[list[Any]], out: Any) -> int:
    """Write rows to a text stream; returns how many audits (rows after the header)."""
    writer = csv.writer(out)
    count = -1
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
        count += 1
    return max(count, 0)
