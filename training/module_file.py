"""Training modules as one YAML file, `frontline-training/1`: written out and read back with
every problem at its line (the standards file's safe reader: standards/library_file/reader).

A mapping with `format` and a list of `modules`; each module has its `code` and `versions`;
each version has version, status, change_note, the content fields of models.CONTENT_FIELDS
(a quiz by its code, as `quiz`, since ids differ between environments) and its `lessons`
(title_zh, title_en, body_zh, body_en). training/demo_modules.yaml is an example. The layout
is fixed, so an export imported into an empty database exports to the same bytes.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import yaml
from pydantic import ValidationError
from sqlmodel import Session, col, select

from frontline.i18n import N_
from standards.library_file.problems import ImportProblem, problem, short
from standards.library_file.reader import LineDict, LineList, load
from training import quiz_link
from training.authoring import content_of, lesson_content
from training.models import CONTENT_FIELDS, Module, ModuleVersion, VersionStatus
from training.schemas import MODULE_CODE_PATTERN, LessonContent, ModuleContent
from training.service import lessons_of

FORMAT = "frontline-training/1"
TOP_KEYS = ("format", "modules")
MODULE_KEYS = ("code", "versions")
FILE_CONTENT_FIELDS = tuple("quiz" if f == "quiz_id" else f for f in CONTENT_FIELDS)
VERSION_KEYS = ("version", "status", "change_note", *FILE_CONTENT_FIELDS, "lessons")
LESSON_KEYS = ("title_zh", "title_en", "body_zh", "body_en")
FLOW_LISTS = ("positions", "standard_codes")


@dataclass
class VersionSpec:
    number: int
    status: VersionStatus
    change_note: str | None
    content: ModuleContent
    quiz_code: str | None
    lessons: list[LessonContent]
    line: int


@dataclass
class ModuleSpec:
    code: str
    line: int
    versions: list[VersionSpec] = field(default_factory=list)


# ---- reading ----------------------------------------------------------------------------------


def _unknown(data: LineDict, allowed: tuple[str, ...], problems: list[ImportProblem]) -> None:
    for key in data:
        if key not in allowed:
            problems.append(
                problem(
                    data.lines.get(key, data.line),
                    N_("%(key)s is not a field here; the fields are: %(fields)s."),
                    key=short(key),
                    fields=", ".join(allowed),
                )
            )


def _field_problems(exc: ValidationError, data: LineDict, problems: list[ImportProblem]) -> None:
    for error in exc.errors():
        name = str(error["loc"][0]) if error["loc"] else ""
        name = "quiz" if name == "quiz_id" else name
        line = data.lines.get(name, data.line)
        reason = error["msg"].removeprefix("Value error, ")
        problems.append(
            problem(line, N_("%(field)s: %(problem)s"), field=name or "version", problem=reason)
        )


def _lessons(data: Any, line: int, problems: list[ImportProblem]) -> list[LessonContent]:
    if data is None:
        return []
    if not isinstance(data, LineList):
        problems.append(problem(line, N_("lessons must be a list.")))
        return []
    lessons = []
    for item, item_line in zip(data, data.item_lines, strict=True):
        if not isinstance(item, LineDict):
            problems.append(problem(item_line, N_("A lesson must be a mapping of its fields.")))
            continue
        _unknown(item, LESSON_KEYS, problems)
        try:
            lessons.append(
                LessonContent.model_validate({k: item[k] for k in LESSON_KEYS if k in item})
            )
        except ValidationError as exc:
            _field_problems(exc, item, problems)
    return lessons


def _version(data: Any, line: int, problems: list[ImportProblem]) -> VersionSpec | None:
    if not isinstance(data, LineDict):
        problems.append(problem(line, N_("A version must be a mapping of its fields.")))
        return None
    before = len(problems)
    _unknown(data, VERSION_KEYS, problems)
    number = data.get("version")
    if not isinstance(number, int) or isinstance(number, bool) or not 1 <= number <= 100000:
        problems.append(
            problem(
                data.lines.get("version", data.line), N_("version must be a whole number from 1.")
            )
        )
    try:
        status = VersionStatus(str(data.get("status")))
    except ValueError:
        status = VersionStatus.draft
        problems.append(
            problem(
                data.lines.get("status", data.line),
                N_("status must be one of: %(values)s."),
                values=", ".join(s.value for s in VersionStatus),
            )
        )
    values = {f: data[f] for f in CONTENT_FIELDS if f != "quiz_id" and f in data}
    for name in ("exam_opens_on", "exam_closes_on"):
        if isinstance(values.get(name), date):
            values[name] = values[name].isoformat()
    quiz = data.get("quiz")
    values["quiz_id"] = 1 if quiz is not None else None  # resolved by code when imported
    try:
        content = ModuleContent.model_validate(values)
    except ValidationError as exc:
        _field_problems(exc, data, problems)
        content = None
    if quiz is not None and not isinstance(quiz, str):
        problems.append(problem(data.lines["quiz"], N_("quiz must be a quiz code.")))
    lessons = _lessons(data.get("lessons"), data.lines.get("lessons", data.line), problems)
    change_note = data.get("change_note")
    if change_note is not None and not isinstance(change_note, str):
        problems.append(problem(data.lines["change_note"], N_("change_note must be text.")))
    if content is None or len(problems) > before or not isinstance(number, int):
        return None
    return VersionSpec(
        number=number,
        status=status,
        change_note=change_note,
        content=content,
        quiz_code=quiz,
        lessons=lessons,
        line=data.line,
    )


def _module(data: Any, line: int, problems: list[ImportProblem]) -> ModuleSpec | None:
    if not isinstance(data, LineDict):
        problems.append(problem(line, N_("A module must be a mapping with code and versions.")))
        return None
    _unknown(data, MODULE_KEYS, problems)
    code = data.get("code")
    if not isinstance(code, str) or not MODULE_CODE_PATTERN.match(code):
        problems.append(
            problem(data.lines.get("code", line), N_("code must look like TRN-COUNTER-01."))
        )
        return None
    spec = ModuleSpec(code=code, line=line)
    versions = data.get("versions")
    if not isinstance(versions, LineList) or not versions:
        problems.append(
            problem(data.lines.get("versions", line), N_("A module needs a list of versions."))
        )
        return spec
    for item, item_line in zip(versions, versions.item_lines, strict=True):
        version = _version(item, item_line, problems)
        if version is not None:
            spec.versions.append(version)
    numbers = [v.number for v in spec.versions]
    if numbers != list(range(1, len(numbers) + 1)) and len(numbers) == len(versions):
        problems.append(problem(versions.line, N_("Versions must be numbered 1, 2, 3… in order.")))
    return spec


def parse_modules(text: str) -> tuple[list[ModuleSpec], list[ImportProblem]]:
    """The modules in a file, and everything wrong with it (by line): import nothing then."""
    data, problems = load(text)
    if data is None:
        return [], problems or [problem(1, N_("The file is empty."))]
    if not isinstance(data, LineDict):
        return [], [
            problem(
                1,
                N_("The file must be a mapping with format: %(format)s and a list of modules."),
                format=FORMAT,
            )
        ]
    _unknown(data, TOP_KEYS, problems)
    if data.get("format") != FORMAT:
        problems.append(
            problem(
                data.lines.get("format", 1),
                N_("The first line must be format: %(format)s."),
                format=FORMAT,
            )
        )
    modules = data.get("modules")
    if not isinstance(modules, LineList):
        problems.append(
            problem(data.lines.get("modules", data.line), N_("modules must be a list."))
        )
        return [], problems
    specs: list[ModuleSpec] = []
    seen: dict[str, int] = {}
    for item, line in zip(modules, modules.item_lines, strict=True):
        spec = _module(item, line, problems)
        if spec is None:
            continue
        if spec.code in seen:
            problems.append(
                problem(
                    line,
                    N_("%(code)s is already in this file on line %(other)s."),
                    code=spec.code,
                    other=seen[spec.code],
                )
            )
            continue
        seen[spec.code] = line
        specs.append(spec)
    problems.sort(key=lambda p: p.line)
    return specs, problems


# ---- writing ----------------------------------------------------------------------------------


class _FlowList(list[Any]):
    """A list written on one line: positions: [teller, lobby_manager]."""


class _Dumper(yaml.SafeDumper):
    """Block style with lists indented under their key and multi-line text as literal blocks
    (as the standards file is written)."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    text = data.replace("\r\n", "\n").replace("\r", "\n")
    if any(ch in text for ch in ("\x85", "\u2028", "\u2029")):
        style: str | None = '"'
    elif "\n" in text:
        style = "|"
    else:
        style = None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


def _represent_flow_list(dumper: yaml.SafeDumper, data: _FlowList) -> yaml.SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)


def _represent_none(dumper: yaml.SafeDumper, _data: None) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:null", "null")


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(_FlowList, _represent_flow_list)
_Dumper.add_representer(type(None), _represent_none)


def _version_document(
    session: Session, version: ModuleVersion, quiz_codes: dict[int, str]
) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "version": version.number,
        "status": version.status.value,
        "change_note": version.change_note,
    }
    for name, value in content_of(version).items():
        if name == "quiz_id":
            doc["quiz"] = quiz_codes.get(value, f"#{value}") if value is not None else None
            continue
        if name in ("exam_opens_on", "exam_closes_on"):
            value = getattr(version, name)  # a date, written as YAML's date
        doc[name] = _FlowList(value) if name in FLOW_LISTS else value
    doc["lessons"] = [
        lesson_content(lesson) for lesson in lessons_of(session, version_id=version.id or 0)
    ]
    return doc


def export_modules(session: Session, *, codes: list[str] | None = None) -> str:
    """Every module (by code) with every version (by number), as YAML; or only `codes`."""
    query = select(Module).order_by(col(Module.code))
    if codes is not None:
        query = query.where(col(Module.code).in_(codes))
    modules = list(session.exec(query))
    quiz_codes = {quiz.id: quiz.code for quiz in quiz_link.quiz_choices(session)}
    document = {
        "format": FORMAT,
        "modules": [
            {
                "code": module.code,
                "versions": [
                    _version_document(session, version, quiz_codes)
                    for version in session.exec(
                        select(ModuleVersion)
                        .where(ModuleVersion.module_id == module.id)
                        .order_by(col(ModuleVersion.number))
                    )
                ],
            }
            for module in modules
        ],
    }
    return yaml.dump(
        document,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=1_000_000,
        indent=2,
    )
