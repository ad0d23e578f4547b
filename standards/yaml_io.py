"""The standards library as one YAML file: export it, check it line by line, import it.

The file format is `frontline-standards/1` (standards/demo_library.yaml is an example): a
mapping with `format` and a list of `standards`; each standard has code, kind and its
versions; each version has version, status, effective_date, change_note and then the content
fields in the order of models.CONTENT_FIELDS.

Importing never changes a published version: where the file's content differs from a version
that is no longer a draft, that content becomes the standard's draft, for an author to review
and publish in the app. Standards that are not in the database yet are created with their whole
history, so an export imported into an empty database exports to the same bytes.
"""

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import Enum, StrEnum
from typing import Any

import yaml
from pydantic import ValidationError
from sqlmodel import Session, col, select

from frontline import audit_trail
from standards import service
from standards.models import (
    CATEGORIES_BY_KIND,
    CONTENT_FIELDS,
    Kind,
    Standard,
    StandardVersion,
    VersionStatus,
)
from standards.schemas import CODE_PATTERN, VersionContent

FORMAT = "frontline-standards/1"
TOP_KEYS = ("format", "standards")
STANDARD_KEYS = ("code", "kind", "versions")
VERSION_META_KEYS = ("version", "status", "effective_date", "change_note")
VERSION_KEYS = (*VERSION_META_KEYS, *CONTENT_FIELDS)
CHANGE_NOTE_MAX = 2000
# Lists of short words, written on one line like the demo file: channels: [counter, lobby]
FLOW_LIST_FIELDS = ("channels", "positions")
# Key order inside the items of the list fields.
ITEM_KEY_ORDER = {
    "steps": ("zh", "en"),
    "required_phrases": ("text", "en", "variants"),
    "forbidden_phrases": ("text", "en"),
    "veto_checks": ("zh", "en"),
}


# ---- data --------------------------------------------------------------------------------------


@dataclass
class ImportProblem:
    """Something wrong with the file, at a line (1-based) of it."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass
class VersionSpec:
    number: int
    status: VersionStatus
    effective_date: date | None
    change_note: str | None
    # Validated content, as stored (plain values in CONTENT_FIELDS order).
    content: dict[str, Any]
    line: int
    status_line: int = 0


@dataclass
class StandardSpec:
    code: str
    kind: Kind
    versions: list[VersionSpec]
    line: int
    kind_line: int


class Action(StrEnum):
    create = "create"
    update_draft = "update draft"
    new_draft = "new draft"
    unchanged = "unchanged"
    untouched = "untouched"
    error = "error"


# The key each action is counted under in ImportPlan.totals (and the audit trail).
TOTAL_KEYS = {
    Action.create: "created",
    Action.update_draft: "drafts_updated",
    Action.new_draft: "drafts_created",
    Action.unchanged: "unchanged",
    Action.untouched: "untouched",
    Action.error: "errors",
}


@dataclass
class StandardPlan:
    code: str
    action: Action
    description: str
    notes: list[str] = field(default_factory=list)
    spec: StandardSpec | None = None
    # For update/new draft: the content the draft gets, and the draft's number.
    draft_content: dict[str, Any] | None = None
    draft_number: int | None = None


@dataclass
class ImportPlan:
    standards: list[StandardPlan] = field(default_factory=list)
    errors: list[ImportProblem] = field(default_factory=list)
    specs: list[StandardSpec] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def totals(self) -> dict[str, int]:
        totals = dict.fromkeys(TOTAL_KEYS.values(), 0)
        for item in self.standards:
            totals[TOTAL_KEYS[item.action]] += 1
        return totals

    def summary(self) -> str:
        t = self.totals
        return (
            f"{t['created']} created, {t['drafts_updated']} drafts updated, "
            f"{t['drafts_created']} new drafts, {t['unchanged']} unchanged, "
            f"{t['untouched']} not in the file (left as they are), {t['errors']} errors"
        )

    def lines(self) -> list[str]:
        """The plan for people: one line per standard, its notes indented below it."""
        out: list[str] = []
        for item in self.standards:
            out.append(f"{item.code}: {item.action.value} - {item.description}")
            out.extend(f"    note: {note}" for note in item.notes)
        out.append("Total: " + self.summary())
        return out


class ImportRefused(service.StandardsError):
    """apply_import was given a plan with errors; nothing was applied."""

    def __init__(self, plan: ImportPlan) -> None:
        super().__init__("The file has errors; nothing was imported.")
        self.plan = plan


# ---- export ------------------------------------------------------------------------------------


class _FlowList(list[Any]):
    """A list written on one line."""


class _Dumper(yaml.SafeDumper):
    """Block style, sequences indented under their key, multi-line text as literal blocks."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


_UNICODE_BREAKS = ("\x85", "\u2028", "\u2029")


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    # The emitter falls back to a double-quoted scalar when a literal block cannot carry the
    # text exactly (trailing spaces on a line, tabs, carriage returns...).
    if any(ch in data for ch in _UNICODE_BREAKS):
        style: str | None = '"'  # written escaped; raw, a YAML reader takes them as line ends
    elif "\n" in data:
        style = "|"
    else:
        style = None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


def _represent_flow_list(dumper: yaml.SafeDumper, data: _FlowList) -> yaml.SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)


def _represent_none(dumper: yaml.SafeDumper, _data: None) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:null", "null")


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(_FlowList, _represent_flow_list)
_Dumper.add_representer(type(None), _represent_none)


def _plain(value: Any) -> Any:
    """Enums as their values, recursively (the safe dumper knows only plain types)."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _ordered_item(item: Any, order: Sequence[str]) -> Any:
    if not isinstance(item, dict):
        return item
    known = {k: item[k] for k in order if k in item}
    return known | {k: v for k, v in item.items() if k not in known}


def _version_document(version: StandardVersion) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "version": version.number,
        "status": _plain(version.status),
        "effective_date": version.effective_date,
        "change_note": version.change_note,
    }
    for name, value in service.content_of(version).items():
        value = _plain(value)
        if name in FLOW_LIST_FIELDS and isinstance(value, list):
            value = _FlowList(value)
        elif name in ITEM_KEY_ORDER and isinstance(value, list):
            value = [_ordered_item(item, ITEM_KEY_ORDER[name]) for item in value]
        doc[name] = value
    return doc


def dump_library(document: dict[str, Any]) -> str:
    """YAML text for a library document, exactly as export_library writes it."""
    return yaml.dump(
        document,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=1_000_000,
        indent=2,
    )


def export_library(session: Session) -> str:
    """Every standard (by code) with every version (by number), as YAML."""
    standards = list(session.exec(select(Standard).order_by(col(Standard.code))))
    by_standard: dict[int, list[StandardVersion]] = {}
    for version in session.exec(
        select(StandardVersion).order_by(
            col(StandardVersion.standard_id), col(StandardVersion.number)
        )
    ):
        by_standard.setdefault(version.standard_id, []).append(version)
    document = {
        "format": FORMAT,
        "standards": [
            {
                "code": standard.code,
                "kind": _plain(standard.kind),
                "versions": [_version_document(v) for v in by_standard.get(standard.id or 0, [])],
            }
            for standard in standards
        ],
    }
    return dump_library(document)


# ---- reading YAML with line numbers ------------------------------------------------------------


class LineDict(dict[Any, Any]):
    """A YAML mapping that remembers the line (1-based) where it starts and where each key is."""

    line: int = 1
    lines: dict[Any, int]

    def __init__(self) -> None:
        super().__init__()
        self.lines = {}


class LineList(list[Any]):
    """A YAML sequence that remembers the line where it starts and where each item starts."""

    line: int = 1
    item_lines: list[int]

    def __init__(self) -> None:
        super().__init__()
        self.item_lines = []


class _Loader(yaml.SafeLoader):
    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.problems: list[ImportProblem] = []


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> Iterable[LineDict]:
    data = LineDict()
    data.line = node.start_mark.line + 1
    yield data
    own_keys = {id(key_node) for key_node, _ in node.value}
    loader.flatten_mapping(node)  # `<<: *anchor` merges come first; the mapping's own keys win
    merged: set[Any] = set()
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if not isinstance(key, Hashable):
            loader.problems.append(ImportProblem(line, "A key must be a plain word."))
            continue
        if id(key_node) not in own_keys:
            merged.add(key)
        elif key in merged:
            merged.discard(key)
        elif key in data:
            loader.problems.append(
                ImportProblem(
                    line, f"{key}: this key appears twice; it is already on line {data.lines[key]}."
                )
            )
            continue
        data[key] = loader.construct_object(value_node, deep=True)
        data.lines[key] = line


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> Iterable[LineList]:
    data = LineList()
    data.line = node.start_mark.line + 1
    yield data
    for item in node.value:
        data.append(loader.construct_object(item, deep=True))
        data.item_lines.append(item.start_mark.line + 1)


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)


def _load(text: str) -> tuple[Any, list[ImportProblem]]:
    loader = _Loader(text)
    try:
        return loader.get_single_data(), loader.problems
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        message = "This is not valid YAML: " + (exc.problem or "syntax error")
        if exc.context:
            message += f" ({exc.context}"
            if exc.context_mark and exc.context_mark.line + 1 != line:
                message += f" on line {exc.context_mark.line + 1}"
            message += ")"
        return None, [ImportProblem(line, message + ".")]
    except yaml.YAMLError as exc:
        return None, [ImportProblem(1, f"This is not valid YAML: {exc}.")]
    finally:
        loader.dispose()


# ---- validating --------------------------------------------------------------------------------


def _type_name(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping (key: value pairs)"
    if isinstance(value, date):
        return "a date"
    return type(value).__name__


def _key_line(mapping: Any, key: str, default: int) -> int:
    if isinstance(mapping, LineDict):
        return mapping.lines.get(key, mapping.line)
    return default


def _describe_loc(loc: Sequence[int | str]) -> str:
    parts: list[str] = []
    for part in loc:
        if isinstance(part, int):
            parts.append(f"item {part + 1}")
        else:
            parts.append(str(part))
    return ", ".join(parts)


def _loc_line(data: Any, loc: Sequence[int | str], default: int) -> int:
    """The line of the value at loc, or of the deepest mapping or list found on the way."""
    line = default
    node = data
    for part in loc:
        if isinstance(node, LineDict) and part in node:
            line = node.lines[part]
            node = node[part]
        elif isinstance(node, LineList) and isinstance(part, int) and 0 <= part < len(node):
            line = node.item_lines[part]
            node = node[part]
        else:
            if isinstance(node, (LineDict, LineList)):
                line = node.line
            break
    return line


def _content_problems(
    exc: ValidationError, data: LineDict, where: str, kind: Kind | None
) -> list[ImportProblem]:
    problems = []
    # Missing fields of one mapping are reported together, on the line where it starts.
    missing: dict[tuple[int | str, ...], list[str]] = {}
    for error in exc.errors():
        loc = tuple(error["loc"])
        if error["type"] == "missing":
            missing.setdefault(loc[:-1], []).append(str(loc[-1]))
            continue
        line = _loc_line(data, loc, data.line)
        path = _describe_loc(loc)
        kind_of_error = error["type"]
        if kind_of_error == "extra_forbidden":
            if len(loc) == 1:
                allowed = ", ".join(VERSION_KEYS)
            else:
                allowed = ", ".join(ITEM_KEY_ORDER.get(str(loc[0]), ()))
            message = f"{where}: {path}: unknown field (the fields here are: {allowed})."
        elif loc == ("category",) and kind_of_error == "value_error" and kind is not None:
            allowed = ", ".join(c.value for c in CATEGORIES_BY_KIND[kind])
            message = (
                f"{where}: category: {error['input']} is not a category of a {kind.value} "
                f"(the categories of a {kind.value} are: {allowed})."
            )
        elif kind_of_error == "string_too_short" and error.get("ctx", {}).get("min_length") == 1:
            message = f"{where}: {path}: This field is required."
        else:
            text = str(error["msg"]).removeprefix("Value error, ")
            message = f"{where}: {path}: {text}"
            if not message.endswith("."):
                message += "."
        problems.append(ImportProblem(line, message))
    for parent, names in missing.items():
        line = _loc_line(data, (*parent, names[0]), data.line)
        inside = f"{_describe_loc(parent)}: " if parent else ""
        if len(names) == 1:
            message = f"{where}: {inside}the field {names[0]} is missing."
        else:
            listed = ", ".join(names[:-1]) + " and " + names[-1]
            message = f"{where}: {inside}the fields {listed} are missing."
        problems.append(ImportProblem(line, message))
    return problems


def _unknown_keys(
    mapping: LineDict, allowed: Sequence[str], where: str, problems: list[ImportProblem]
) -> None:
    for key in mapping:
        if key not in allowed:
            problems.append(
                ImportProblem(
                    mapping.lines[key],
                    f"{where}: {key}: unknown field (the fields here are: {', '.join(allowed)}).",
                )
            )


def _parse_date(value: Any) -> date | None:
    if type(value) is date:
        return value
    if isinstance(value, str):
        try:
            if len(value) == 10:
                return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _parse_version(
    raw: Any,
    item_line: int,
    index: int,
    code: str,
    kind: Kind | None,
    problems: list[ImportProblem],
) -> VersionSpec | None:
    where = f"{code} versions, item {index + 1}"
    if not isinstance(raw, LineDict):
        problems.append(
            ImportProblem(
                item_line, f"{where}: a version must be a mapping of fields, not {_type_name(raw)}."
            )
        )
        return None
    before = len(problems)
    number = raw.get("version")
    if "version" not in raw:
        problems.append(ImportProblem(raw.line, f"{where}: the field version is missing."))
    elif type(number) is not int:
        problems.append(
            ImportProblem(
                raw.lines["version"],
                f"{where}: version: must be a whole number, not {_type_name(number)}.",
            )
        )
    elif number != index + 1:
        problems.append(
            ImportProblem(
                raw.lines["version"],
                f"{where}: version: versions must be numbered 1, 2, 3... in order; "
                f"this one should be {index + 1}, not {number}.",
            )
        )
    else:
        where = f"{code} version {number}"

    status: VersionStatus | None = None
    raw_status = raw.get("status")
    if "status" not in raw:
        problems.append(ImportProblem(raw.line, f"{where}: the field status is missing."))
    elif raw_status not in [s.value for s in VersionStatus]:
        allowed = ", ".join(s.value for s in VersionStatus)
        problems.append(
            ImportProblem(
                raw.lines["status"],
                f"{where}: status: {raw_status!r} is not a status (use one of: {allowed}).",
            )
        )
    else:
        status = VersionStatus(raw_status)

    effective_date: date | None = None
    change_note: str | None = None
    if status not in (None, VersionStatus.draft):
        for key in ("effective_date", "change_note"):
            if key not in raw:
                problems.append(
                    ImportProblem(
                        raw.line,
                        f"{where}: the field {key} is missing; a {status} version needs it.",
                    )
                )
    raw_date = raw.get("effective_date")
    raw_note = raw.get("change_note")
    date_line = _key_line(raw, "effective_date", raw.line)
    note_line = _key_line(raw, "change_note", raw.line)
    if status == VersionStatus.draft:
        if raw_date is not None:
            problems.append(
                ImportProblem(
                    date_line,
                    f"{where}: effective_date: a draft has no effective date yet (write null); "
                    "it is set when the draft is published.",
                )
            )
        if raw_note is not None:
            problems.append(
                ImportProblem(
                    note_line,
                    f"{where}: change_note: a draft has no change note yet (write null); "
                    "it is written when the draft is published.",
                )
            )
    elif status is not None:
        if "effective_date" in raw:
            effective_date = _parse_date(raw_date)
            if raw_date is None:
                problems.append(
                    ImportProblem(
                        date_line,
                        f"{where}: effective_date: a {status.value} version needs the date it "
                        "took effect, as YYYY-MM-DD.",
                    )
                )
            elif effective_date is None:
                problems.append(
                    ImportProblem(
                        date_line,
                        f"{where}: effective_date: {raw_date!s} is not a date; "
                        "write it as YYYY-MM-DD.",
                    )
                )
        if "change_note" in raw:
            if isinstance(raw_note, str) and raw_note.strip():
                if len(raw_note) > CHANGE_NOTE_MAX:
                    problems.append(
                        ImportProblem(
                            note_line,
                            f"{where}: change_note: at most {CHANGE_NOTE_MAX} characters "
                            f"(this one has {len(raw_note)}).",
                        )
                    )
                change_note = raw_note
            elif raw_note is None or isinstance(raw_note, str):
                problems.append(
                    ImportProblem(
                        note_line,
                        f"{where}: change_note: a {status.value} version needs a change note "
                        "saying what changed.",
                    )
                )
            else:
                problems.append(
                    ImportProblem(
                        note_line,
                        f"{where}: change_note: must be text, not {_type_name(raw_note)}.",
                    )
                )

    content_data = LineDict()
    content_data.line = raw.line
    for key, value in raw.items():
        if not isinstance(key, str):
            problems.append(
                ImportProblem(
                    raw.lines[key],
                    f"{where}: {key!s}: unknown field (the fields here are: "
                    f"{', '.join(VERSION_KEYS)}).",
                )
            )
        elif key not in VERSION_META_KEYS:
            content_data[key] = value
            content_data.lines[key] = raw.lines[key]
    content: dict[str, Any] | None = None
    try:
        context = {"kind": kind} if kind is not None else None
        content = VersionContent.model_validate(content_data, context=context).as_stored()
    except ValidationError as exc:
        problems.extend(_content_problems(exc, content_data, where, kind))

    if len(problems) > before or status is None or content is None or type(number) is not int:
        return None
    return VersionSpec(
        number=number,
        status=status,
        effective_date=effective_date,
        change_note=change_note,
        content=content,
        line=raw.line,
        status_line=raw.lines["status"],
    )


def _check_history(code: str, versions: list[VersionSpec], problems: list[ImportProblem]) -> None:
    """The statuses must tell a history the app could have made.

    Only the last version may be a draft. The last version that is not a draft is the one in
    force (published) or retired; each earlier one was superseded by publishing the next, or
    retired before a later version was published.
    """
    for version in versions[:-1]:
        if version.status == VersionStatus.draft:
            problems.append(
                ImportProblem(
                    version.status_line,
                    f"{code} version {version.number}: status: only the last version can be "
                    "a draft.",
                )
            )
    issued = [v for v in versions if v.status != VersionStatus.draft]
    if not issued:
        return
    last = issued[-1]
    if last.status == VersionStatus.superseded:
        problems.append(
            ImportProblem(
                last.status_line,
                f"{code} version {last.number}: status: superseded, but no later version was "
                "published; the latest version that is not a draft must be published or retired.",
            )
        )
    for version in issued[:-1]:
        if version.status == VersionStatus.published:
            problems.append(
                ImportProblem(
                    version.status_line,
                    f"{code} version {version.number}: status: published, but version "
                    f"{last.number} is {last.status.value}; only one version can be published "
                    "and it must be the latest that is not a draft (mark this one superseded).",
                )
            )


def _parse_standard(
    raw: Any, item_line: int, index: int, seen: dict[str, int], problems: list[ImportProblem]
) -> StandardSpec | None:
    where = f"standards, item {index + 1}"
    if not isinstance(raw, LineDict):
        problems.append(
            ImportProblem(
                item_line,
                f"{where}: a standard must be a mapping with code, kind and versions, "
                f"not {_type_name(raw)}.",
            )
        )
        return None
    before = len(problems)
    code = raw.get("code")
    if "code" not in raw:
        problems.append(ImportProblem(raw.line, f"{where}: the field code is missing."))
        code = None
    elif not isinstance(code, str) or not CODE_PATTERN.match(code):
        problems.append(
            ImportProblem(
                raw.lines["code"],
                f"{where}: code: {code!s} is not a standard code (2 to 6 capital letters, a "
                "hyphen and 2 to 4 digits, such as GRT-01).",
            )
        )
        code = None
    elif code in seen:
        problems.append(
            ImportProblem(
                raw.lines["code"],
                f"{code}: this code is already used by the standard on line {seen[code]}; "
                "each standard appears once.",
            )
        )
    else:
        seen[code] = raw.lines["code"]
    if code:
        where = code
    _unknown_keys(raw, STANDARD_KEYS, where, problems)

    kind: Kind | None = None
    raw_kind = raw.get("kind")
    if "kind" not in raw:
        problems.append(ImportProblem(raw.line, f"{where}: the field kind is missing."))
    elif raw_kind not in [k.value for k in Kind]:
        allowed = ", ".join(k.value for k in Kind)
        problems.append(
            ImportProblem(
                raw.lines["kind"],
                f"{where}: kind: {raw_kind!r} is not a kind of standard (use one of: {allowed}).",
            )
        )
    else:
        kind = Kind(raw_kind)

    versions: list[VersionSpec] = []
    raw_versions = raw.get("versions")
    if "versions" not in raw:
        problems.append(ImportProblem(raw.line, f"{where}: the field versions is missing."))
    elif not isinstance(raw_versions, LineList) or not raw_versions:
        problems.append(
            ImportProblem(
                raw.lines["versions"],
                f"{where}: versions: must be a list of at least one version, "
                f"not {_type_name(raw_versions) if raw_versions != [] else 'an empty list'}.",
            )
        )
    else:
        for i, (item, line) in enumerate(zip(raw_versions, raw_versions.item_lines, strict=True)):
            version = _parse_version(item, line, i, where, kind, problems)
            if version is not None:
                versions.append(version)
        if len(versions) == len(raw_versions):
            _check_history(where, versions, problems)

    if len(problems) > before or kind is None or not isinstance(code, str):
        return None
    return StandardSpec(
        code=code, kind=kind, versions=versions, line=raw.line, kind_line=raw.lines["kind"]
    )


def parse_library(text: str) -> tuple[list[StandardSpec], list[ImportProblem]]:
    """The standards in a library file, and everything wrong with it (by line).

    Every problem is collected; the specs are the standards that had none. Import nothing
    when there are problems.
    """
    data, problems = _load(text)
    if problems and data is None:
        return [], problems
    if data is None:
        return [], [ImportProblem(1, "The file is empty.")]
    if not isinstance(data, LineDict):
        return [], [
            ImportProblem(
                1,
                f"The file must be a mapping with format: {FORMAT} and a list of standards, "
                f"not {_type_name(data)}.",
            )
        ]
    _unknown_keys(data, TOP_KEYS, "top level", problems)
    if "format" not in data:
        problems.append(
            ImportProblem(data.line, f"The first line must be format: {FORMAT} (it is missing).")
        )
    elif data["format"] != FORMAT:
        problems.append(
            ImportProblem(
                data.lines["format"],
                f"format: {data['format']!s} is not a format this version of Frontline reads "
                f"(expected {FORMAT}).",
            )
        )
    specs: list[StandardSpec] = []
    raw_standards = data.get("standards")
    if "standards" not in data:
        problems.append(ImportProblem(data.line, "The list of standards is missing."))
    elif not isinstance(raw_standards, LineList):
        problems.append(
            ImportProblem(
                data.lines["standards"],
                f"standards: must be a list of standards, not {_type_name(raw_standards)}.",
            )
        )
    else:
        seen: dict[str, int] = {}
        for i, (item, line) in enumerate(zip(raw_standards, raw_standards.item_lines, strict=True)):
            spec = _parse_standard(item, line, i, seen, problems)
            if spec is not None:
                specs.append(spec)
    problems.sort(key=lambda p: p.line)
    return specs, problems


# ---- planning ----------------------------------------------------------------------------------


def _changed_fields(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return [f for f in CONTENT_FIELDS if before.get(f) != after.get(f)]


def _history(spec: StandardSpec) -> str:
    count = len(spec.versions)
    states = ", ".join(f"v{v.number} {v.status.value}" for v in spec.versions)
    return f"{count} version{'s' if count > 1 else ''} ({states})"


def _plan_existing(
    session: Session, spec: StandardSpec, standard: Standard
) -> tuple[StandardPlan, ImportProblem | None]:
    code = spec.code
    if standard.kind != spec.kind:
        message = (
            f"{code}: kind: the file says {spec.kind.value} but in the database {code} is a "
            f"{Kind(standard.kind).value}; the kind of a standard cannot change."
        )
        plan = StandardPlan(code, Action.error, message.removeprefix(f"{code}: "), spec=spec)
        return plan, ImportProblem(spec.kind_line, message)

    existing = {v.number: v for v in service.versions(session, standard=standard)}
    draft = next((v for v in existing.values() if v.status == VersionStatus.draft), None)
    latest = max(existing.values(), key=lambda v: v.number)
    notes: list[str] = []
    # File versions whose content should end up in the draft, in file order.
    candidates: list[tuple[VersionSpec, str]] = []
    for version in spec.versions:
        db = existing.get(version.number)
        if db is None:
            candidates.append((version, f"version {version.number} is new"))
            if version.status != VersionStatus.draft:
                notes.append(
                    f"version {version.number} is {version.status.value} in the file; the "
                    "import makes it a draft, to be published in the app"
                )
            continue
        same = service.content_of(db) == version.content
        if db.status == VersionStatus.draft:
            candidates.append((version, f"version {version.number} is the draft"))
        elif not same:
            candidates.append(
                (
                    version,
                    f"version {version.number} differs from {db.status.value} version "
                    f"{db.number}, which never changes",
                )
            )
        if db.status != version.status and (same or db.status == VersionStatus.draft):
            notes.append(
                f"version {version.number} is {version.status.value} in the file but "
                f"{VersionStatus(db.status).value} in the database; the import does not change "
                "statuses (publish or retire in the app)"
            )

    if not candidates:
        return StandardPlan(
            code,
            Action.unchanged,
            "the file matches the database"
            + (f" (all {len(spec.versions)} versions)" if len(spec.versions) > 1 else ""),
            notes=notes,
            spec=spec,
        ), None

    source, reason = candidates[-1]
    if len(candidates) > 1:
        others = ", ".join(str(v.number) for v, _ in candidates[:-1])
        notes.append(
            f"a standard has at most one draft: the content of file version {source.number} "
            f"is used; that of version(s) {others} is not imported"
        )
    if draft is not None:
        changed = _changed_fields(service.content_of(draft), source.content)
        if not changed:
            return StandardPlan(
                code,
                Action.unchanged,
                f"draft version {draft.number} already has the content of file version "
                f"{source.number}",
                notes=notes,
                spec=spec,
            ), None
        return StandardPlan(
            code,
            Action.update_draft,
            f"update draft version {draft.number} from file version {source.number} "
            f"({reason}); changed: {', '.join(changed)}",
            notes=notes,
            spec=spec,
            draft_content=source.content,
            draft_number=draft.number,
        ), None
    number = latest.number + 1
    changed = _changed_fields(service.content_of(latest), source.content)
    return StandardPlan(
        code,
        Action.new_draft,
        f"new draft version {number} from file version {source.number} ({reason}); "
        f"changed from version {latest.number}: {', '.join(changed) or 'nothing'}",
        notes=notes,
        spec=spec,
        draft_content=source.content,
        draft_number=number,
    ), None


def plan_import(
    session: Session, specs: Sequence[StandardSpec], *, errors: Sequence[ImportProblem] = ()
) -> ImportPlan:
    """What importing the specs would do, without writing anything.

    `errors` are the file's problems from parse_library, carried so the plan refuses to apply.
    """
    plan = ImportPlan(errors=list(errors), specs=list(specs))
    in_file = set()
    for spec in sorted(specs, key=lambda s: s.code):
        in_file.add(spec.code)
        standard = service.get_by_code(session, code=spec.code)
        if standard is None:
            plan.standards.append(
                StandardPlan(
                    spec.code,
                    Action.create,
                    f"new {spec.kind.value}, {_history(spec)}",
                    spec=spec,
                )
            )
            continue
        item, problem = _plan_existing(session, spec, standard)
        plan.standards.append(item)
        if problem is not None:
            plan.errors.append(problem)
    for standard in session.exec(select(Standard).order_by(col(Standard.code))):
        if standard.code not in in_file:
            plan.standards.append(
                StandardPlan(
                    standard.code,
                    Action.untouched,
                    "in the database but not in the file; left as it is",
                )
            )
    plan.standards.sort(key=lambda s: s.code)
    plan.errors.sort(key=lambda p: p.line)
    return plan


# ---- applying ----------------------------------------------------------------------------------


def _create(session: Session, spec: StandardSpec, actor_id: int | None, ip: str) -> None:
    first = spec.versions[0]
    standard, version = service.create_standard(
        session,
        code=spec.code,
        kind=spec.kind,
        content=VersionContent.model_validate(first.content),
        actor_id=actor_id,
        ip=ip,
    )
    for file_version in spec.versions:
        if file_version.number > 1:
            version = service.new_draft(
                session,
                standard=standard,
                content=VersionContent.model_validate(file_version.content),
                actor_id=actor_id,
                ip=ip,
            )
        if file_version.status == VersionStatus.draft:
            continue
        assert file_version.effective_date is not None and file_version.change_note is not None
        service.publish(
            session,
            standard=standard,
            version=version,
            effective_date=file_version.effective_date,
            change_note=file_version.change_note,
            actor_id=actor_id,
            ip=ip,
        )
        if file_version.status == VersionStatus.retired:
            service.retire(
                session,
                standard=standard,
                change_note=file_version.change_note,
                actor_id=actor_id,
                ip=ip,
            )


def apply_import(
    session: Session,
    plan_or_specs: ImportPlan | Sequence[StandardSpec],
    actor_id: int | None,
    ip: str = "",
) -> ImportPlan:
    """Carry out an import in the caller's transaction; returns the plan that was applied.

    The plan is worked out again from its specs in this session, so a plan shown earlier
    cannot apply stale decisions. Raises ImportRefused, writing nothing, if there are errors.
    """
    if isinstance(plan_or_specs, ImportPlan):
        if plan_or_specs.errors:
            raise ImportRefused(plan_or_specs)
        specs = plan_or_specs.specs
    else:
        specs = list(plan_or_specs)
    plan = plan_import(session, specs)
    if plan.errors:
        raise ImportRefused(plan)
    for item in plan.standards:
        if item.action == Action.create:
            assert item.spec is not None
            _create(session, item.spec, actor_id, ip)
        elif item.action in (Action.update_draft, Action.new_draft):
            assert item.draft_content is not None
            standard = service.get_by_code(session, code=item.code)
            assert standard is not None
            content = VersionContent.model_validate(item.draft_content)
            draft = service.draft_of(session, standard=standard)
            if draft is None:
                service.new_draft(
                    session, standard=standard, content=content, actor_id=actor_id, ip=ip
                )
            else:
                service.update_draft(
                    session,
                    standard=standard,
                    version=draft,
                    content=content,
                    actor_id=actor_id,
                    ip=ip,
                )
    audit_trail.record(
        session,
        action="standards.import",
        actor_id=actor_id,
        target_type="standard",
        detail=plan.totals,
        ip=ip,
    )
    return plan
