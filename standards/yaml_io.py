"""The standards library as one YAML file: export it, check it line by line, import it.

The file format is `frontline-standards/1` (standards/demo_library.yaml is an example): a
mapping with `format` and a list of `standards`; each standard has code, kind and its
versions; each version has version, status, effective_date, change_note and then the content
fields in the order of models.CONTENT_FIELDS.

Importing never changes a published version: where the file's content differs from a version
that is no longer a draft, that content becomes the standard's draft, for an author to review
and publish in the app. Standards that are not in the database yet are created with their whole
history, so an export imported into an empty database exports to the same bytes.

Reading the YAML safely is standards.library_file.reader; every problem and plan description
is a translatable message (standards.library_file.problems), shown in the reader's language.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import Enum, StrEnum
from typing import Any

import yaml
from pydantic import ValidationError
from sqlmodel import Session, col, select

from frontline import audit_trail
from frontline.i18n import N_
from staff.models import Position
from standards import service
from standards.library_file.problems import ImportProblem, Msg, msg, problem, short
from standards.library_file.reader import LineDict, LineList, load
from standards.models import (
    CATEGORIES_BY_KIND,
    CONTENT_FIELDS,
    Category,
    Channel,
    Kind,
    Severity,
    Standard,
    StandardVersion,
    VersionStatus,
)
from standards.schemas import CODE_PATTERN, VersionContent

__all__ = ["ImportProblem", "LineDict", "LineList"]  # re-exported: callers import them from here

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
# The allowed values of the fields that take a choice, for "use one of" messages.
CHOICES: dict[str, type[Enum]] = {
    "category": Category,
    "channels": Channel,
    "positions": Position,
    "severity": Severity,
}
MISSING_FIELD = N_("%(where)s: the field %(name)s is missing.")
UNKNOWN_FIELD = N_("%(where)s: %(field)s: unknown field (the fields here are: %(allowed)s).")


# ---- data --------------------------------------------------------------------------------------


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
# What an import changes; the rest is summarised as counts.
CHANGING_ACTIONS = (Action.create, Action.new_draft, Action.update_draft, Action.error)


@dataclass
class StandardPlan:
    code: str
    action: Action
    description: Msg
    notes: list[Msg] = field(default_factory=list)
    spec: StandardSpec | None = None
    # For update/new draft: the content the draft gets, and the draft's number.
    draft_content: dict[str, Any] | None = None
    draft_number: int | None = None

    @property
    def title(self) -> str:
        """The (Chinese) title of the content the import brings."""
        content = self.draft_content
        if content is None and self.spec is not None:
            content = self.spec.versions[-1].content
        return str((content or {}).get("title_zh", ""))

    @property
    def url(self) -> str:
        """Where the author reviews what the import made: the draft, else the standard."""
        number = self.draft_number
        if number is None and self.spec is not None:
            last = self.spec.versions[-1]
            number = last.number if last.status == VersionStatus.draft else None
        if number is None:
            return f"/standards/{self.code}"
        return f"/standards/{self.code}/v/{number}"


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

    @property
    def changes(self) -> list[StandardPlan]:
        """What the import changes, and anything else with a note worth reading."""
        return [s for s in self.standards if s.action in CHANGING_ACTIONS or s.notes]

    def codes(self, action: Action) -> list[str]:
        return [s.code for s in self.standards if s.action == action]

    def summary(self) -> str:
        t = self.totals
        return (
            f"{t['created']} created, {t['drafts_updated']} drafts updated, "
            f"{t['drafts_created']} new drafts, {t['unchanged']} unchanged, "
            f"{t['untouched']} not in the file (left as they are), {t['errors']} errors"
        )

    def lines(self) -> list[str]:
        """The plan for people, in English: the changes first, the rest counted."""
        out: list[str] = []
        for item in self.changes:
            out.append(f"{item.code}: {item.action.value} - {item.description.render()}")
            out.extend(f"    note: {note.render()}" for note in item.notes)
        listed = {item.code for item in self.changes}
        for action, label in (
            (Action.unchanged, "Unchanged"),
            (Action.untouched, "Not in the file"),
        ):
            codes = [code for code in self.codes(action) if code not in listed]
            if codes:
                out.append(f"{label} ({len(codes)}): {', '.join(codes)}")
        out.append("Total: " + self.summary())
        return out


class ImportRefused(service.StandardsError):
    """apply_import was given a plan with errors; nothing was applied."""

    def __init__(self, plan: ImportPlan) -> None:
        super().__init__(N_("The file has errors; nothing was imported."))
        self.plan = plan


class UnknownStandards(service.StandardsError):
    """An export named standards that are not in the library."""

    def __init__(self, codes: Sequence[str]) -> None:
        super().__init__(N_("No standard has the code(s) %(codes)s."))
        self.codes = list(codes)


# ---- export ------------------------------------------------------------------------------------


class _FlowList(list[Any]):
    """A list written on one line."""


class _Dumper(yaml.SafeDumper):
    """Block style, sequences indented under their key, multi-line text as literal blocks.

    The pure-Python dumper on purpose: libyaml's emitter cannot indent sequences under their
    key, and exporting is not where time goes.
    """

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


_UNICODE_BREAKS = ("\x85", "\u2028", "\u2029")


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    # The emitter falls back to a double-quoted scalar when a literal block cannot carry the
    # text exactly (trailing spaces on a line, tabs...).
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
    """Enums as their values and text with `\\n` line ends, recursively.

    Text pasted from Windows carries `\\r\\n`; written out as is, it forces quoted scalars and
    makes diffs of the file noisy. The import normalises the same way.
    """
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n")
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
        "change_note": _plain(version.change_note),
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


def export_library(session: Session, *, codes: Sequence[str] | None = None) -> str:
    """Every standard (by code) with every version (by number), as YAML; or only `codes`.

    Raises UnknownStandards, naming them, if some of `codes` are not in the library.
    """
    query = select(Standard).order_by(col(Standard.code))
    if codes is not None:
        query = query.where(col(Standard.code).in_(list(codes)))
    standards = list(session.exec(query))
    missing = sorted(set(codes or ()) - {s.code for s in standards})
    if missing:
        raise UnknownStandards(missing)
    versions = select(StandardVersion).order_by(
        col(StandardVersion.standard_id), col(StandardVersion.number)
    )
    if codes is not None:
        versions = versions.where(col(StandardVersion.standard_id).in_([s.id for s in standards]))
    by_standard: dict[int, list[StandardVersion]] = {}
    for version in session.exec(versions):
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


# ---- validating --------------------------------------------------------------------------------


def _type_name(value: Any) -> Msg | str:
    if value is None:
        return msg(N_("nothing (null)"))
    if isinstance(value, bool):
        return msg(N_("true/false"))
    if isinstance(value, (int, float)):
        return msg(N_("a number"))
    if isinstance(value, str):
        return msg(N_("text"))
    if isinstance(value, list):
        return msg(N_("a list")) if value else msg(N_("an empty list"))
    if isinstance(value, dict):
        return msg(N_("a mapping (key: value pairs)"))
    if isinstance(value, date):
        return msg(N_("a date"))
    return type(value).__name__


def _key_line(mapping: Any, key: str, default: int) -> int:
    if isinstance(mapping, LineDict):
        return mapping.lines.get(key, mapping.line)
    return default


def _describe_loc(loc: Sequence[int | str]) -> tuple[Msg | str, ...]:
    """A field's path, such as steps, item 1, zh (rendered joined by commas)."""
    return tuple(
        msg(N_("item %(number)s"), number=part + 1) if isinstance(part, int) else short(part)
        for part in loc
    )


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


def _allowed_values(loc: Sequence[int | str], error: Any) -> str:
    choices = CHOICES.get(str(loc[0])) if loc else None
    if choices is not None:
        return ", ".join(str(c.value) for c in choices)
    return str(error.get("ctx", {}).get("expected", ""))


def _field_problem(error: Any, loc: Sequence[int | str]) -> Msg | str:
    """What is wrong with one field, naming the expected type and at most a short value."""
    kind_of_error = error["type"]
    value = error.get("input")
    ctx = error.get("ctx", {})
    if kind_of_error == "list_type":
        return msg(N_("must be a list, not %(actual)s"), actual=_type_name(value))
    if kind_of_error == "string_type":
        return msg(N_("must be text, not %(actual)s"), actual=_type_name(value))
    if kind_of_error in ("model_type", "dict_type", "model_attributes_type"):
        return msg(
            N_("must be a mapping (key: value pairs), not %(actual)s"), actual=_type_name(value)
        )
    if kind_of_error == "enum":
        return msg(
            N_("%(value)s is not one of: %(allowed)s"),
            value=short(value),
            allowed=_allowed_values(loc, error),
        )
    if kind_of_error == "string_too_long":
        count = len(value) if isinstance(value, str) else "?"
        return msg(
            N_("at most %(max)s characters (this one has %(count)s)"),
            max=ctx.get("max_length"),
            count=count,
        )
    if kind_of_error == "string_too_short" and ctx.get("min_length") == 1:
        return msg(N_("This field is required."))
    if kind_of_error == "too_short":
        return msg(N_("must list at least %(min)s"), min=ctx.get("min_length"))
    if kind_of_error == "value_error":
        # Our validators raise N_() msgids; pydantic prefixes them.
        return msg(str(error["msg"]).removeprefix("Value error, "))
    return str(error["msg"])  # pydantic's words; they name the type, not the user's value


def _content_problems(
    exc: ValidationError, data: LineDict, where: Msg | str, kind: Kind | None
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
        if error["type"] == "extra_forbidden":
            if len(loc) == 1:
                allowed = ", ".join(VERSION_KEYS)
            else:
                allowed = ", ".join(ITEM_KEY_ORDER.get(str(loc[0]), ()))
            problems.append(problem(line, UNKNOWN_FIELD, where=where, field=path, allowed=allowed))
        elif loc == ("category",) and error["type"] == "value_error" and kind is not None:
            problems.append(
                problem(
                    line,
                    N_(
                        "%(where)s: category: %(value)s is not a category of a %(kind)s "
                        "(the categories of a %(kind)s are: %(allowed)s)."
                    ),
                    where=where,
                    value=short(error["input"]),
                    kind=kind.value,
                    allowed=", ".join(c.value for c in CATEGORIES_BY_KIND[kind]),
                )
            )
        else:
            problems.append(
                problem(
                    line,
                    N_("%(where)s: %(field)s: %(problem)s."),
                    where=where,
                    field=path,
                    problem=_field_problem(error, loc),
                )
            )
    for parent, names in missing.items():
        line = _loc_line(data, (*parent, names[0]), data.line)
        inside: Msg | str = (
            msg(N_("%(where)s: %(field)s"), where=where, field=_describe_loc(parent))
            if parent
            else where
        )
        if len(names) == 1:
            problems.append(problem(line, MISSING_FIELD, where=inside, name=names[0]))
        else:
            problems.append(
                problem(
                    line,
                    N_("%(where)s: the fields %(names)s are missing."),
                    where=inside,
                    names=", ".join(names),
                )
            )
    return problems


def _unknown_keys(
    mapping: LineDict, allowed: Sequence[str], where: Msg | str, problems: list[ImportProblem]
) -> None:
    for key in mapping:
        if key not in allowed:
            problems.append(
                problem(
                    mapping.lines[key],
                    UNKNOWN_FIELD,
                    where=where,
                    field=short(key),
                    allowed=", ".join(allowed),
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
    code: Msg | str,
    kind: Kind | None,
    problems: list[ImportProblem],
) -> VersionSpec | None:
    where: Msg | str = msg(N_("%(code)s versions, item %(number)s"), code=code, number=index + 1)
    if not isinstance(raw, LineDict):
        problems.append(
            problem(
                item_line,
                N_("%(where)s: a version must be a mapping of fields, not %(actual)s."),
                where=where,
                actual=_type_name(raw),
            )
        )
        return None
    before = len(problems)
    number = raw.get("version")
    if "version" not in raw:
        problems.append(problem(raw.line, MISSING_FIELD, where=where, name="version"))
    elif type(number) is not int:
        problems.append(
            problem(
                raw.lines["version"],
                N_("%(where)s: version: must be a whole number, not %(actual)s."),
                where=where,
                actual=_type_name(number),
            )
        )
    elif number != index + 1:
        problems.append(
            problem(
                raw.lines["version"],
                N_(
                    "%(where)s: version: versions must be numbered 1, 2, 3... in order; "
                    "this one should be %(expected)s, not %(number)s."
                ),
                where=where,
                expected=index + 1,
                number=short(number),
            )
        )
    else:
        where = msg(N_("%(code)s version %(number)s"), code=code, number=number)

    status: VersionStatus | None = None
    raw_status = raw.get("status")
    if "status" not in raw:
        problems.append(problem(raw.line, MISSING_FIELD, where=where, name="status"))
    elif not isinstance(raw_status, str) or raw_status not in [s.value for s in VersionStatus]:
        problems.append(
            problem(
                raw.lines["status"],
                N_("%(where)s: status: %(value)s is not a status (use one of: %(allowed)s)."),
                where=where,
                value=short(raw_status),
                allowed=", ".join(s.value for s in VersionStatus),
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
                    problem(
                        raw.line,
                        N_(
                            "%(where)s: the field %(name)s is missing; a %(status)s version "
                            "needs it."
                        ),
                        where=where,
                        name=key,
                        status=status.value,
                    )
                )
    raw_date = raw.get("effective_date")
    raw_note = raw.get("change_note")
    date_line = _key_line(raw, "effective_date", raw.line)
    note_line = _key_line(raw, "change_note", raw.line)
    if status == VersionStatus.draft:
        if raw_date is not None:
            problems.append(
                problem(
                    date_line,
                    N_(
                        "%(where)s: effective_date: a draft has no effective date yet (write "
                        "null); it is set when the draft is published."
                    ),
                    where=where,
                )
            )
        if raw_note is not None:
            problems.append(
                problem(
                    note_line,
                    N_(
                        "%(where)s: change_note: a draft has no change note yet (write null); "
                        "it is written when the draft is published."
                    ),
                    where=where,
                )
            )
    elif status is not None:
        if "effective_date" in raw:
            effective_date = _parse_date(raw_date)
            if raw_date is None:
                problems.append(
                    problem(
                        date_line,
                        N_(
                            "%(where)s: effective_date: a %(status)s version needs the date it "
                            "took effect, as YYYY-MM-DD."
                        ),
                        where=where,
                        status=status.value,
                    )
                )
            elif effective_date is None:
                problems.append(
                    problem(
                        date_line,
                        N_(
                            "%(where)s: effective_date: %(value)s is not a date; write it as "
                            "YYYY-MM-DD."
                        ),
                        where=where,
                        value=short(raw_date),
                    )
                )
        if "change_note" in raw:
            if isinstance(raw_note, str) and raw_note.strip():
                if len(raw_note) > CHANGE_NOTE_MAX:
                    problems.append(
                        problem(
                            note_line,
                            N_(
                                "%(where)s: change_note: at most %(max)s characters (this one "
                                "has %(count)s)."
                            ),
                            where=where,
                            max=CHANGE_NOTE_MAX,
                            count=len(raw_note),
                        )
                    )
                change_note = raw_note
            elif raw_note is None or isinstance(raw_note, str):
                problems.append(
                    problem(
                        note_line,
                        N_(
                            "%(where)s: change_note: a %(status)s version needs a change note "
                            "saying what changed."
                        ),
                        where=where,
                        status=status.value,
                    )
                )
            else:
                problems.append(
                    problem(
                        note_line,
                        N_("%(where)s: change_note: must be text, not %(actual)s."),
                        where=where,
                        actual=_type_name(raw_note),
                    )
                )

    content_data = LineDict()
    content_data.line = raw.line
    for key, value in raw.items():
        if not isinstance(key, str):
            problems.append(
                problem(
                    raw.lines[key],
                    UNKNOWN_FIELD,
                    where=where,
                    field=short(key),
                    allowed=", ".join(VERSION_KEYS),
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


def _check_history(
    code: Msg | str, versions: list[VersionSpec], problems: list[ImportProblem]
) -> None:
    """The statuses must tell a history the app could have made.

    Only the last version may be a draft. The last version that is not a draft is the one in
    force (published) or retired; each earlier one was superseded by publishing the next, or
    retired before a later version was published.
    """
    for version in versions[:-1]:
        if version.status == VersionStatus.draft:
            problems.append(
                problem(
                    version.status_line,
                    N_(
                        "%(code)s version %(number)s: status: only the last version can be a draft."
                    ),
                    code=code,
                    number=version.number,
                )
            )
    issued = [v for v in versions if v.status != VersionStatus.draft]
    if not issued:
        return
    last = issued[-1]
    if last.status == VersionStatus.superseded:
        problems.append(
            problem(
                last.status_line,
                N_(
                    "%(code)s version %(number)s: status: superseded, but no later version was "
                    "published; the latest version that is not a draft must be published or "
                    "retired."
                ),
                code=code,
                number=last.number,
            )
        )
    for version in issued[:-1]:
        if version.status == VersionStatus.published:
            problems.append(
                problem(
                    version.status_line,
                    N_(
                        "%(code)s version %(number)s: status: published, but version %(last)s "
                        "is %(status)s; only one version can be published and it must be the "
                        "latest that is not a draft (mark this one superseded)."
                    ),
                    code=code,
                    number=version.number,
                    last=last.number,
                    status=last.status.value,
                )
            )


def _parse_standard(
    raw: Any, item_line: int, index: int, seen: dict[str, int], problems: list[ImportProblem]
) -> StandardSpec | None:
    where: Msg | str = msg(N_("standards, item %(number)s"), number=index + 1)
    if not isinstance(raw, LineDict):
        problems.append(
            problem(
                item_line,
                N_(
                    "%(where)s: a standard must be a mapping with code, kind and versions, "
                    "not %(actual)s."
                ),
                where=where,
                actual=_type_name(raw),
            )
        )
        return None
    before = len(problems)
    code = raw.get("code")
    if "code" not in raw:
        problems.append(problem(raw.line, MISSING_FIELD, where=where, name="code"))
        code = None
    elif not isinstance(code, str) or not CODE_PATTERN.match(code):
        problems.append(
            problem(
                raw.lines["code"],
                N_(
                    "%(where)s: code: %(value)s is not a standard code (2 to 6 capital "
                    "letters, a hyphen and 2 to 4 digits, such as GRT-01)."
                ),
                where=where,
                value=short(code),
            )
        )
        code = None
    elif code in seen:
        problems.append(
            problem(
                raw.lines["code"],
                N_(
                    "%(code)s: this code is already used by the standard on line %(other)s; "
                    "each standard appears once."
                ),
                code=code,
                other=seen[code],
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
        problems.append(problem(raw.line, MISSING_FIELD, where=where, name="kind"))
    elif not isinstance(raw_kind, str) or raw_kind not in [k.value for k in Kind]:
        problems.append(
            problem(
                raw.lines["kind"],
                N_(
                    "%(where)s: kind: %(value)s is not a kind of standard (use one of: "
                    "%(allowed)s)."
                ),
                where=where,
                value=short(raw_kind),
                allowed=", ".join(k.value for k in Kind),
            )
        )
    else:
        kind = Kind(raw_kind)

    versions: list[VersionSpec] = []
    raw_versions = raw.get("versions")
    if "versions" not in raw:
        problems.append(problem(raw.line, MISSING_FIELD, where=where, name="versions"))
    elif not isinstance(raw_versions, LineList) or not raw_versions:
        problems.append(
            problem(
                raw.lines["versions"],
                N_("%(where)s: versions: must be a list of at least one version, not %(actual)s."),
                where=where,
                actual=_type_name(raw_versions),
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
    when there are problems. The text is read within the caps of library_file.reader.
    """
    data, problems = load(text)
    if problems and data is None:
        return [], problems
    if data is None:
        return [], [problem(1, N_("The file is empty."))]
    if not isinstance(data, LineDict):
        return [], [
            problem(
                1,
                N_(
                    "The file must be a mapping with format: %(format)s and a list of "
                    "standards, not %(actual)s."
                ),
                format=FORMAT,
                actual=_type_name(data),
            )
        ]
    _unknown_keys(data, TOP_KEYS, msg(N_("top level")), problems)
    if "format" not in data:
        problems.append(
            problem(
                data.line,
                N_("The first line must be format: %(format)s (it is missing)."),
                format=FORMAT,
            )
        )
    elif data["format"] != FORMAT:
        problems.append(
            problem(
                data.lines["format"],
                N_(
                    "format: %(value)s is not a format this version of Frontline reads "
                    "(expected %(format)s)."
                ),
                value=short(data["format"]),
                format=FORMAT,
            )
        )
    specs: list[StandardSpec] = []
    raw_standards = data.get("standards")
    if "standards" not in data:
        problems.append(problem(data.line, N_("The list of standards is missing.")))
    elif not isinstance(raw_standards, LineList):
        problems.append(
            problem(
                data.lines["standards"],
                N_("standards: must be a list of standards, not %(actual)s."),
                actual=_type_name(raw_standards),
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


def _fields(names: list[str]) -> Msg | str:
    return ", ".join(names) if names else msg(N_("nothing"))


def _history(spec: StandardSpec) -> tuple[str, ...]:
    return tuple(f"v{v.number} {v.status.value}" for v in spec.versions)


def _plan_existing(
    session: Session, spec: StandardSpec, standard: Standard
) -> tuple[StandardPlan, ImportProblem | None]:
    code = spec.code
    if standard.kind != spec.kind:
        description = msg(
            N_(
                "kind: the file says %(file_kind)s but in the database %(code)s is a "
                "%(db_kind)s; the kind of a standard cannot change."
            ),
            file_kind=spec.kind.value,
            code=code,
            db_kind=Kind(standard.kind).value,
        )
        plan = StandardPlan(code, Action.error, description, spec=spec)
        return plan, problem(
            spec.kind_line, N_("%(code)s: %(problem)s"), code=code, problem=description
        )

    existing = {v.number: v for v in service.versions(session, standard=standard)}
    draft = next((v for v in existing.values() if v.status == VersionStatus.draft), None)
    latest = max(existing.values(), key=lambda v: v.number)
    notes: list[Msg] = []
    # File versions whose content should end up in the draft, in file order.
    candidates: list[tuple[VersionSpec, Msg]] = []
    for version in spec.versions:
        db = existing.get(version.number)
        if db is None:
            candidates.append(
                (version, msg(N_("version %(number)s is new"), number=version.number))
            )
            if version.status != VersionStatus.draft:
                notes.append(
                    msg(
                        N_(
                            "version %(number)s is %(status)s in the file; the import makes it "
                            "a draft, to be published in the app"
                        ),
                        number=version.number,
                        status=version.status.value,
                    )
                )
            continue
        same = service.content_of(db) == version.content
        if db.status == VersionStatus.draft:
            candidates.append(
                (version, msg(N_("version %(number)s is the draft"), number=version.number))
            )
        elif not same:
            candidates.append(
                (
                    version,
                    msg(
                        N_(
                            "version %(number)s differs from %(status)s version %(number)s, "
                            "which never changes"
                        ),
                        number=version.number,
                        status=VersionStatus(db.status).value,
                    ),
                )
            )
        if db.status != version.status and (same or db.status == VersionStatus.draft):
            notes.append(
                msg(
                    N_(
                        "version %(number)s is %(status)s in the file but %(db_status)s in the "
                        "database; the import does not change statuses (publish or retire in "
                        "the app)"
                    ),
                    number=version.number,
                    status=version.status.value,
                    db_status=VersionStatus(db.status).value,
                )
            )

    if not candidates:
        if len(spec.versions) > 1:
            description = msg(
                N_("the file matches the database (all %(count)s versions)"),
                count=len(spec.versions),
            )
        else:
            description = msg(N_("the file matches the database"))
        return StandardPlan(code, Action.unchanged, description, notes=notes, spec=spec), None

    source, reason = candidates[-1]
    if len(candidates) > 1:
        notes.append(
            msg(
                N_(
                    "a standard has at most one draft: the content of file version %(number)s "
                    "is used; that of version(s) %(others)s is not imported"
                ),
                number=source.number,
                others=", ".join(str(v.number) for v, _ in candidates[:-1]),
            )
        )
    if draft is not None:
        changed = _changed_fields(service.content_of(draft), source.content)
        if not changed:
            return StandardPlan(
                code,
                Action.unchanged,
                msg(
                    N_(
                        "draft version %(draft)s already has the content of file version %(number)s"
                    ),
                    draft=draft.number,
                    number=source.number,
                ),
                notes=notes,
                spec=spec,
            ), None
        return StandardPlan(
            code,
            Action.update_draft,
            msg(
                N_(
                    "update draft version %(draft)s from file version %(number)s (%(reason)s); "
                    "changed: %(fields)s"
                ),
                draft=draft.number,
                number=source.number,
                reason=reason,
                fields=_fields(changed),
            ),
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
        msg(
            N_(
                "new draft version %(draft)s from file version %(number)s (%(reason)s); "
                "changed from version %(latest)s: %(fields)s"
            ),
            draft=number,
            number=source.number,
            reason=reason,
            latest=latest.number,
            fields=_fields(changed),
        ),
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
                    msg(
                        N_("new %(kind)s with %(count)s version(s): %(history)s"),
                        kind=spec.kind.value,
                        count=len(spec.versions),
                        history=_history(spec),
                    ),
                    spec=spec,
                )
            )
            continue
        item, refusal = _plan_existing(session, spec, standard)
        plan.standards.append(item)
        if refusal is not None:
            plan.errors.append(refusal)
    for code in session.exec(select(Standard.code).order_by(col(Standard.code))):
        if code not in in_file:
            plan.standards.append(
                StandardPlan(
                    code,
                    Action.untouched,
                    msg(N_("in the database but not in the file; left as it is")),
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
