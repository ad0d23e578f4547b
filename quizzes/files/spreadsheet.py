"""Questions from a spreadsheet (CSV or XLSX), as banks keep them in Excel today.

One question per row under a header row. Headers in Chinese or English (题型, 题干, 选项A…,
答案, 解析, 标准, 标签, 难度 or type, stem, option_a…, answer, explanation, standard, tags,
difficulty); an option cell may carry both languages as `中文 | English`. Every bad row is
reported by its line and nothing is imported while any row is bad. Reading is blocking: call
it from a plain `def` route or the command line, after the upload's size cap.
"""

import csv
import io
import re
from collections.abc import Iterator
from typing import Any

from pydantic import ValidationError

from frontline.i18n import N_
from frontline.spreadsheet import safe_row
from frontline.uploads import UploadError, decode_text
from quizzes.bank_schemas import OPTION_KEYS, QUESTION_CODE, QuestionContent, parse_tags
from quizzes.files.bank_file import BankFile, QuestionSpec
from quizzes.models import Status
from standards.library_file.problems import ImportProblem, msg, problem, short

MAX_ROWS = 5000
MAX_COLUMNS = 60

# Column → the header names accepted for it (compared without case and spaces).
COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("code", "编号", "题号", "试题编号"),
    "type": ("type", "题型"),
    "stem_zh": ("stem", "stem_zh", "题干"),
    "stem_en": ("stem_en", "题干(英文)", "题干（英文）", "英文题干"),
    "answer": ("answer", "答案", "正确答案"),
    "explanation_zh": ("explanation", "explanation_zh", "解析", "答案解析"),
    "explanation_en": ("explanation_en", "解析(英文)", "解析（英文）", "英文解析"),
    "standard_code": ("standard", "standard_code", "标准", "标准编号"),
    "tags": ("tags", "标签"),
    "difficulty": ("difficulty", "难度"),
    "category": ("category", "分类"),
    "status": ("status", "状态"),
}
for _key in OPTION_KEYS:
    COLUMNS[f"option_{_key}"] = (f"option_{_key.lower()}", f"选项{_key}", _key.lower())
    COLUMNS[f"feedback_{_key}"] = (f"feedback_{_key.lower()}", f"反馈{_key}", f"选项{_key}反馈")

TYPES = {
    "single": ("single", "单选", "单选题"),
    "multiple": ("multiple", "多选", "多选题"),
    "true_false": ("true_false", "判断", "判断题", "是非题"),
    "script_choice": ("script_choice", "话术选择", "情景选择", "情景题"),
    "ordering": ("ordering", "排序", "排序题"),
    "script_response": ("script_response", "话术应答", "话术陪练", "话术题"),
}
DIFFICULTIES = {
    "easy": ("easy", "易", "简单", "1"),
    "medium": ("medium", "中", "中等", "一般", "2"),
    "hard": ("hard", "难", "困难", "较难", "3"),
}
TRUE_WORDS = ("t", "true", "对", "正确", "是", "√", "✓", "y")
FALSE_WORDS = ("f", "false", "错", "错误", "否", "×", "✗", "n")
STATUSES = {
    "draft": ("draft", "草稿"),
    "published": ("published", "发布", "已发布"),
}

# The template's header row (Chinese, as a bank's own sheets have it) and one example row.
TEMPLATE_HEADER = [
    "编号",
    "题型",
    "题干",
    "题干(英文)",
    *(f"选项{k}" for k in OPTION_KEYS[:4]),
    "答案",
    "解析",
    "标准",
    "标签",
    "难度",
]
TEMPLATE_EXAMPLE = [
    "Q-GRT-01-90",
    "单选",
    "客户走近柜台时,柜员应先说什么?",
    "What does the teller say first when a customer comes to the counter?",
    "您好! | Hello!",
    "喂,到你了。 | Hey, you're up.",
    "等一下。 | Wait.",
    "",
    "A",
    "先问候:“您好!”",
    "GRT-01",
    "迎客, 柜面",
    "易",
]


def _normal(text: str) -> str:
    return re.sub(r"\s+", "", text).lower().replace("（", "(").replace("）", ")")


_HEADER_INDEX = {_normal(name): column for column, names in COLUMNS.items() for name in names}


def _choice(value: str, table: dict[str, tuple[str, ...]]) -> str | None:
    wanted = _normal(value)
    for canonical, names in table.items():
        if wanted in (_normal(n) for n in names):
            return canonical
    return None


def _rows_csv(data: bytes) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(decode_text(data)))
    start = 1
    for row in reader:
        yield start, row
        start = reader.line_num + 1


def _rows_xlsx(data: bytes) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise UploadError(N_("The file is not an Excel workbook (.xlsx).")) from exc
    try:
        sheet = book.worksheets[0]
        for number, row in enumerate(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS), 1):
            yield number, ["" if v is None else str(v) for v in row]
    finally:
        book.close()


def _split(cell: str) -> tuple[str, str]:
    zh, _, en = cell.partition("|")
    return zh.strip(), en.strip()


def _answer_keys(answer: str) -> list[str]:
    return [ch for ch in answer.upper() if ch in OPTION_KEYS]


def _options(values: dict[str, str]) -> list[dict[str, str]]:
    """The filled-in option cells, lettered in order, with their feedback."""
    options = []
    for key in OPTION_KEYS:
        cell = values.get(f"option_{key}", "").strip()
        if cell:
            zh, en = _split(cell)
            feedback_zh, feedback_en = _split(values.get(f"feedback_{key}", ""))
            options.append(
                {
                    "key": key,
                    "zh": zh,
                    "en": en,
                    "feedback_zh": feedback_zh,
                    "feedback_en": feedback_en,
                }
            )
    return options


def _row_data(values: dict[str, str]) -> tuple[dict[str, Any], list[str]]:
    """The row as question content, and what cannot be read (msgids for the row)."""
    errors: list[str] = []
    kind = _choice(values.get("type", ""), TYPES)
    if kind is None:
        errors.append(
            N_(
                "Column 题型 (type): use 单选, 多选, 判断, 话术选择, 排序 or 话术应答 (single, "
                "multiple, true_false, script_choice, ordering, script_response)."
            )
        )
    options = _options(values)
    answer = values.get("answer", "").strip()
    correct: list[str] = []
    if kind == "true_false":
        word = answer.lower()
        correct = ["T"] if word in TRUE_WORDS else ["F"] if word in FALSE_WORDS else []
        if not correct:
            errors.append(N_("Column 答案 (answer): a true/false answer is 对 or 错 (T or F)."))
    elif kind == "ordering":
        order = _answer_keys(answer) or [o["key"] for o in options]
        by_key = {o["key"]: o for o in options}
        if sorted(order) != sorted(by_key):
            errors.append(
                N_("Column 答案 (answer): an ordering lists every option once, in order.")
            )
        else:
            options = [dict(by_key[k], key=OPTION_KEYS[i]) for i, k in enumerate(order)]
    elif kind != "script_response":
        correct = _answer_keys(answer)
    difficulty = values.get("difficulty", "").strip()
    level = _choice(difficulty, DIFFICULTIES) if difficulty else "medium"
    if level is None:
        errors.append(N_("Column 难度 (difficulty): use 易, 中 or 难 (easy, medium, hard)."))
    data = {
        "type": kind or "single",
        "stem_zh": values.get("stem_zh", ""),
        "stem_en": values.get("stem_en", ""),
        "explanation_zh": values.get("explanation_zh", ""),
        "explanation_en": values.get("explanation_en", ""),
        "options": options,
        "correct": correct,
        "standard_code": values.get("standard_code", "").strip().upper() or None,
        "tags": parse_tags(values.get("tags", "")),
        "difficulty": level or "medium",
        "category": values.get("category", "").strip(),
    }
    return data, errors


def _row_spec(
    line: int, values: dict[str, str], seen: dict[str, int], problems: list[ImportProblem]
) -> QuestionSpec | None:
    data, errors = _row_data(values)
    found = [problem(line, error) for error in errors]
    code = values.get("code", "").strip().upper()
    if code and not QUESTION_CODE.match(code):
        found.append(
            problem(line, N_("Column 编号 (code): %(value)s is not a code."), value=short(code))
        )
    elif code in seen:
        found.append(
            problem(
                line,
                N_("Column 编号 (code): %(value)s is also on line %(other)s."),
                value=code,
                other=seen[code],
            )
        )
    elif code:
        seen[code] = line
    status = _choice(values.get("status", "") or "draft", STATUSES)
    if status is None:
        found.append(
            problem(line, N_("Column 状态 (status): use 草稿 or 发布 (draft, published)."))
        )
    content = None
    if not found:
        try:
            content = QuestionContent.model_validate(data)
        except ValidationError as exc:
            for error in exc.errors():
                field = ", ".join(str(part) for part in error["loc"])
                text = str(error["msg"]).removeprefix("Value error, ")
                found.append(
                    problem(
                        line, N_("%(field)s: %(problem)s"), field=field or "-", problem=msg(text)
                    )
                    if field
                    else problem(line, text)
                )
    problems.extend(found)
    if found or content is None:
        return None
    return QuestionSpec(code or "", Status(status or "draft"), content, line, line)


def parse_spreadsheet(data: bytes, *, filename: str) -> BankFile:
    """The questions of a CSV or XLSX file (by its name's ending), every bad row by line."""
    result = BankFile([], [], [])
    try:
        rows = _rows_xlsx(data) if filename.lower().endswith(".xlsx") else _rows_csv(data)
        header: dict[int, str] | None = None
        seen: dict[str, int] = {}
        for line, row in rows:
            if header is None:
                header = _header(line, row, result.problems)
                if header is None:
                    return result
                continue
            if not any(cell.strip() for cell in row):
                continue
            if len(result.questions) + len(result.problems) >= MAX_ROWS:
                result.problems.append(
                    problem(line, N_("A file may have at most %(max)s questions."), max=MAX_ROWS)
                )
                break
            values = {header[i]: cell for i, cell in enumerate(row) if i in header}
            spec = _row_spec(line, values, seen, result.problems)
            if spec is not None:
                result.questions.append(spec)
    except (UploadError, csv.Error) as exc:
        text = (
            exc.message if isinstance(exc, UploadError) else N_("This is not a readable CSV file.")
        )
        result.problems.append(problem(0, text))
    if not result.questions and not result.problems:
        result.problems.append(problem(1, N_("The file has no questions.")))
    return result


def _header(line: int, row: list[str], problems: list[ImportProblem]) -> dict[int, str] | None:
    header: dict[int, str] = {}
    for index, cell in enumerate(row):
        column = _HEADER_INDEX.get(_normal(cell))
        if column is not None and column not in header.values():
            header[index] = column
    missing = [name for name in ("type", "stem_zh") if name not in header.values()]
    if missing:
        problems.append(
            problem(
                line,
                N_("The first row must name the columns; 题型 (type) and 题干 (stem) are needed."),
            )
        )
        return None
    return header


def template_csv() -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(TEMPLATE_HEADER)
    writer.writerow(safe_row(TEMPLATE_EXAMPLE))
    return "\ufeff" + out.getvalue()  # the BOM makes Excel read UTF-8


def template_xlsx() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "题库"
    sheet.append(TEMPLATE_HEADER)
    sheet.append(safe_row(TEMPLATE_EXAMPLE))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
