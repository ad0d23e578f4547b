"""The question bank as one YAML file, `frontline-quizzes/1`: reading and checking it by line.

A mapping with `format`, a list of `questions` and a list of `quizzes`. A question is its code
and status followed by its current content (QUESTION_KEYS); a quiz is its code and status
followed by its settings (QUIZ_KEYS). quizzes/demo_bank.yaml is an example. The file is read
with the standards library's safe reader (caps on size, depth and aliases; lines kept).
"""

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from frontline.i18n import N_
from quizzes.bank_schemas import QUESTION_CODE, QuestionContent
from quizzes.models import Status
from quizzes.quiz_builder import QuizSettings
from standards.library_file.field_problems import (
    MISSING_FIELD,
    UNKNOWN_FIELD,
    Where,
    describe_loc,
    loc_line,
    missing_problems,
    type_name,
    unknown_keys,
)
from standards.library_file.problems import ImportProblem, msg, problem, short
from standards.library_file.reader import LineDict, LineList, load

FORMAT = "frontline-quizzes/1"
TOP_KEYS = ("format", "questions", "quizzes")
HEAD_KEYS = ("code", "status")
QUESTION_KEYS = (
    *HEAD_KEYS,
    "type",
    "difficulty",
    "category",
    "standard_code",
    "tags",
    "stem_zh",
    "stem_en",
    "options",
    "correct",
    "explanation_zh",
    "explanation_en",
)
OPTION_KEYS_ORDER = ("key", "zh", "en", "feedback_zh", "feedback_en")
QUIZ_KEYS = (*HEAD_KEYS, *QuizSettings.model_fields)
STATUSES = tuple(s.value for s in Status)


@dataclass
class QuestionSpec:
    code: str
    status: Status
    content: QuestionContent
    line: int
    status_line: int


@dataclass
class QuizSpec:
    code: str
    status: Status
    settings: QuizSettings
    line: int
    status_line: int


@dataclass
class BankFile:
    questions: list[QuestionSpec]
    quizzes: list[QuizSpec]
    problems: list[ImportProblem]


def parse_bank(text: str) -> BankFile:
    """The questions and quizzes of a bank file and every problem with it, by line.

    An item with a problem is left out of the specs; a file with any problem imports nothing.
    """
    data, problems = load(text)
    result = BankFile([], [], problems)
    if data is None:
        if not problems:
            problems.append(problem(1, N_("The file is empty.")))
        return result
    if not isinstance(data, LineDict):
        problems.append(
            problem(
                1,
                N_("The file must be a mapping with format: %(format)s, not %(actual)s."),
                format=FORMAT,
                actual=type_name(data),
            )
        )
        return result
    unknown_keys(data, TOP_KEYS, msg(N_("top level")), problems)
    if data.get("format") != FORMAT:
        problems.append(
            problem(
                data.lines.get("format", data.line),
                N_("The first line must be format: %(format)s."),
                format=FORMAT,
            )
        )
    seen: dict[str, int] = {}
    for raw, line, where in _items(data, "questions", problems):
        spec = _question(raw, line, where, seen, problems)
        if spec is not None:
            result.questions.append(spec)
    seen = {}
    for raw, line, where in _items(data, "quizzes", problems):
        quiz = _quiz(raw, line, where, seen, problems)
        if quiz is not None:
            result.quizzes.append(quiz)
    problems.sort(key=lambda p: p.line)
    return result


def _items(data: LineDict, key: str, problems: list[ImportProblem]) -> list[tuple[Any, int, Where]]:
    raw = data.get(key)
    if raw is None:
        return []
    if not isinstance(raw, LineList):
        problems.append(
            problem(
                data.lines[key],
                N_("%(key)s: must be a list, not %(actual)s."),
                key=key,
                actual=type_name(raw),
            )
        )
        return []
    return [
        (item, line, msg(N_("%(key)s, item %(number)s"), key=key, number=i + 1))
        for i, (item, line) in enumerate(zip(raw, raw.item_lines, strict=True))
    ]


def _head(
    raw: Any, line: int, where: Where, seen: dict[str, int], problems: list[ImportProblem]
) -> tuple[str, Status, LineDict] | None:
    """The code and status of an item, checked; the rest of its fields as a mapping."""
    if not isinstance(raw, LineDict):
        problems.append(
            problem(
                line,
                N_("%(where)s: must be a mapping of fields, not %(actual)s."),
                where=where,
                actual=type_name(raw),
            )
        )
        return None
    before = len(problems)
    code = raw.get("code")
    if "code" not in raw:
        problems.append(problem(raw.line, MISSING_FIELD, where=where, name="code"))
    elif not isinstance(code, str) or not QUESTION_CODE.match(code):
        problems.append(
            problem(
                raw.lines["code"],
                N_("%(where)s: code: %(value)s is not a code (capital letters, digits, dashes)."),
                where=where,
                value=short(code),
            )
        )
    elif code in seen:
        problems.append(
            problem(
                raw.lines["code"],
                N_("%(code)s: this code is already used on line %(other)s."),
                code=code,
                other=seen[code],
            )
        )
    else:
        seen[code] = raw.lines["code"]
    status = raw.get("status", Status.draft.value)
    if status not in STATUSES:
        problems.append(
            problem(
                raw.lines.get("status", raw.line),
                N_("%(where)s: status: %(value)s is not one of: %(allowed)s."),
                where=where,
                value=short(status),
                allowed=", ".join(STATUSES),
            )
        )
    if len(problems) > before:
        return None
    rest = LineDict()
    rest.line = raw.line
    for key, value in raw.items():
        if key not in HEAD_KEYS:
            rest[key] = value
            rest.lines[key] = raw.lines[key]
    return str(code), Status(status), rest


def _validated(
    model: type[BaseModel],
    data: LineDict,
    where: Where,
    allowed: tuple[str, ...],
    problems: list[ImportProblem],
) -> Any:
    try:
        return model.model_validate(dict(data))
    except ValidationError as exc:
        problems.extend(validation_problems(exc, data, where, allowed))
        return None


def validation_problems(
    exc: ValidationError, data: LineDict, where: Where, allowed: tuple[str, ...]
) -> list[ImportProblem]:
    """Each pydantic error at the line of the value it is about."""
    found: list[ImportProblem] = []
    missing: dict[tuple[int | str, ...], list[str]] = {}
    for error in exc.errors():
        loc = tuple(error["loc"])
        line = loc_line(data, loc, data.line)
        if error["type"] == "missing":
            missing.setdefault(loc[:-1], []).append(str(loc[-1]))
        elif error["type"] == "extra_forbidden":
            names = allowed if len(loc) == 1 else OPTION_KEYS_ORDER
            found.append(
                problem(
                    line,
                    UNKNOWN_FIELD,
                    where=where,
                    field=describe_loc(loc),
                    allowed=", ".join(names),
                )
            )
        else:
            text = str(error["msg"]).removeprefix("Value error, ")
            if loc:
                found.append(
                    problem(
                        line,
                        N_("%(where)s: %(field)s: %(problem)s."),
                        where=where,
                        field=describe_loc(loc),
                        problem=msg(text),
                    )
                )
            else:
                found.append(
                    problem(line, N_("%(where)s: %(problem)s"), where=where, problem=msg(text))
                )
    return found + missing_problems(missing, data, where)


def _question(
    raw: Any, line: int, where: Where, seen: dict[str, int], problems: list[ImportProblem]
) -> QuestionSpec | None:
    head = _head(raw, line, where, seen, problems)
    if head is None:
        return None
    code, status, rest = head
    content = _validated(QuestionContent, rest, code, QUESTION_KEYS, problems)
    if content is None:
        return None
    return QuestionSpec(code, status, content, raw.line, raw.lines.get("status", raw.line))


def _quiz(
    raw: Any, line: int, where: Where, seen: dict[str, int], problems: list[ImportProblem]
) -> QuizSpec | None:
    head = _head(raw, line, where, seen, problems)
    if head is None:
        return None
    code, status, rest = head
    settings = _validated(QuizSettings, rest, code, QUIZ_KEYS, problems)
    if settings is None:
        return None
    return QuizSpec(code, status, settings, raw.line, raw.lines.get("status", raw.line))
