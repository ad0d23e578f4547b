"""Reading a roster CSV: its columns (English or Chinese headers), its values (codes, English or
Chinese labels) and a check of each row that reports every problem of a line at once.

What the rows would change in the database is worked out in `staff.roster_plan`.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from frontline.i18n import N_, translations
from frontline.spreadsheet import safe_row
from staff.models import POSITION_LABELS, ROLE_LABELS, Position, Role

# Each column's header in English and in Chinese; the template file uses one or the other.
COLUMNS: dict[str, tuple[str, str]] = {
    "employee_no": ("employee_no", "工号"),
    "name": ("name", "姓名"),
    "role": ("role", "角色"),
    "position": ("position", "岗位"),
    "branch_code": ("branch_code", "网点代码"),
    "team": ("team", "团队"),
    "email": ("email", "邮箱"),
    "active": ("active", "在职"),
}
REQUIRED = ("employee_no", "name")
# The database's column sizes (staff/models.py), checked here so a long value is a row error.
MAX_LENGTHS = {"employee_no": 32, "name": 100, "branch_code": 16, "team": 100, "email": 200}
TRUE_WORDS = frozenset({"1", "yes", "y", "true", "active", "是", "在职", "在岗"})
FALSE_WORDS = frozenset({"0", "no", "n", "false", "inactive", "否", "离职", "不在职"})
# Chinese words HR uses besides the labels' own translations (系统管理员, 人力资源, …).
EXTRA_ROLE_WORDS = {"管理员": Role.admin, "人事": Role.hr, "编写人": Role.author}
MAX_ROWS = 100_000
# A value quoted back in a message is cut to this, so a huge cell cannot make a huge page.
SHOWN_CHARACTERS = 40
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
FOLDED_AWAY = re.compile(r"[\s_\-]+")


@dataclass
class RowError:
    """A problem (or a warning) on one line of the file; `message` is a msgid, `params` fill it."""

    line: int
    message: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class RosterRow:
    """One valid line. None means the file leaves that value as it is for an existing person."""

    line: int
    employee_no: str
    name: str
    role: Role | None
    position: Position | None
    branch_code: str
    team: str
    email: str | None
    active: bool | None


@dataclass
class ParsedRoster:
    rows: list[RosterRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)


def shown(value: str) -> str:
    """A user's value, short enough to quote in a message."""
    return value if len(value) <= SHOWN_CHARACTERS else value[:SHOWN_CHARACTERS] + "…"


def fold(text: str) -> str:
    """Case, spaces, hyphens and underscores ignored: 'Lobby manager' matches 'lobby_manager'."""
    return FOLDED_AWAY.sub("", text).casefold()


def _words(labels: dict[Any, str]) -> dict[str, Any]:
    chinese = translations("zh_CN")
    words: dict[str, Any] = {}
    for member, label in labels.items():
        for word in (member.value, label, chinese.gettext(label)):
            words[fold(word)] = member
    return words


@cache
def role_words() -> dict[str, Role]:
    """Every way a role may be written: code, English label, Chinese label (员工, 主管, …)."""
    return {**_words(ROLE_LABELS), **{fold(k): v for k, v in EXTRA_ROLE_WORDS.items()}}


@cache
def position_words() -> dict[str, Position]:
    """Every way a position may be written: code, English label, Chinese label (大堂经理, …)."""
    return _words(POSITION_LABELS)


def accepted_words(member: Role | Position, label: str) -> list[str]:
    """What a file may write for this role or position: its code, English and Chinese label."""
    words = [member.value, label, translations("zh_CN").gettext(label)]
    return list(dict.fromkeys(words))


def _header_words() -> dict[str, str]:
    return {fold(alias): column for column, aliases in COLUMNS.items() for alias in aliases}


def parse(text: str) -> ParsedRoster:
    """Check every line of the file; bad lines become errors, good ones rows."""
    result = ParsedRoster()
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        message = N_("The file contains NUL characters: save it as “CSV UTF-8” and upload again.")
        result.errors.append(RowError(line, message))
        return result
    reader = csv.reader(io.StringIO(text))
    try:
        _read(reader, result)
    except csv.Error:
        # The csv module cannot go on after this (an over-long field or a broken quote).
        message = N_(
            "This line cannot be read: a value is too long or a quotation mark is not closed. "
            "Lines after it were not checked."
        )
        result.errors.append(RowError(reader.line_num, message))
    return result


def _read(reader: Any, result: ParsedRoster) -> None:
    header = next(reader, None)
    if not header or not any(h.strip() for h in header):
        result.errors.append(RowError(1, N_("The file is empty.")))
        return
    index: dict[str, int] = {}
    known, unknown = _header_words(), []
    for position, raw in enumerate(header):
        column = known.get(fold(raw))
        if column is None:
            if raw.strip():
                unknown.append(shown(raw.strip()))
        elif column in index:
            message = N_("The column %(column)s appears twice.")
            result.errors.append(RowError(1, message, {"column": shown(raw.strip())}))
        else:
            index[column] = position
    if unknown:
        message = N_("These columns are not used and were ignored: %(columns)s.")
        result.warnings.append(RowError(1, message, {"columns": ", ".join(unknown[:10])}))
    missing = [column for column in REQUIRED if column not in index]
    if missing:
        message = N_("Missing column(s): %(columns)s.")
        result.errors.append(RowError(1, message, {"columns": ", ".join(missing)}))
        return
    seen: dict[str, int] = {}
    data_rows = 0
    for cells in reader:
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        data_rows += 1
        if data_rows > MAX_ROWS:
            message = N_("The file has more than %(limit)s people: split it into smaller files.")
            result.errors.append(RowError(line, message, {"limit": MAX_ROWS}))
            return
        row, problems = check_row(line, cells, index)
        if row is not None and row.employee_no in seen:
            message = N_("Employee number %(no)s already appears on line %(other)s.")
            params = {"no": row.employee_no, "other": seen[row.employee_no]}
            problems.append(RowError(line, message, params))
        if problems:
            result.errors.extend(problems)
            continue
        assert row is not None
        seen[row.employee_no] = line
        result.rows.append(row)


def check_row(
    line: int, cells: list[str], index: dict[str, int]
) -> tuple[RosterRow | None, list[RowError]]:
    """The row, if valid, and every problem found on the line."""
    problems: list[RowError] = []

    def problem(message: str, **params: Any) -> None:
        problems.append(RowError(line, message, params))

    def cell(column: str) -> str | None:
        """The cell's value; None when it is unusable (the problem is already recorded)."""
        position = index.get(column)
        value = cells[position].strip() if position is not None and position < len(cells) else ""
        if CONTROL_CHARACTERS.search(value):
            problem(
                N_("The %(column)s contains control characters or a line break."), column=column
            )
            return None
        limit = MAX_LENGTHS.get(column)
        if limit and len(value) > limit:
            message = N_("The %(column)s is longer than %(limit)s characters.")
            problem(message, column=column, limit=limit)
            return None
        return value

    employee_no, name = cell("employee_no"), cell("name")
    if employee_no == "":
        problem(N_("The employee number is missing."))
    elif employee_no and not employee_no.replace("-", "").replace("_", "").isalnum():
        problem(N_("Employee number %(no)s is not valid."), no=shown(employee_no))
    if name == "":
        problem(N_("The name is missing."))
    role_text, position_text, active_text = cell("role"), cell("position"), cell("active")
    role = role_words().get(fold(role_text)) if role_text else None
    if role_text and role is None:
        problem(N_("Unknown role %(value)s."), value=shown(role_text))
    position = position_words().get(fold(position_text)) if position_text else None
    if position_text and position is None:
        problem(N_("Unknown position %(value)s."), value=shown(position_text))
    active = _active(active_text or "")
    if active_text and active is None:
        problem(N_("Active must be yes or no, not %(value)s."), value=shown(active_text))
    branch_code, team = cell("branch_code"), cell("team")
    if team and not branch_code:
        problem(N_("A team needs a branch code."))
    email = cell("email")
    if email and "@" not in email:
        problem(N_("Email %(value)s is not valid."), value=shown(email))
    if problems or not employee_no or not name:
        return None, problems
    row = RosterRow(
        line=line,
        employee_no=employee_no,
        name=name,
        role=role,
        position=position,
        branch_code=branch_code or "",
        team=team or "",
        email=email or None,
        active=active,
    )
    return row, []


def _active(text: str) -> bool | None:
    word = text.casefold()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def template_csv(*, chinese: bool) -> str:
    """An empty roster with the header row in one language (with a BOM, so Excel reads UTF-8)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    headers = [aliases[1] if chinese else aliases[0] for aliases in COLUMNS.values()]
    csv.writer(buffer, lineterminator="\r\n").writerow(safe_row(headers))
    return buffer.getvalue()
