"""Where a value sits in the file and what is wrong with it, as translatable problems.

Shared by the checks of the file's structure (validate.py), of a version's metadata
(version_meta.py) and of its content (pydantic errors of schemas.VersionContent).
"""

from collections.abc import Sequence
from datetime import date
from enum import Enum
from typing import Any

from pydantic import ValidationError

from frontline.i18n import N_
from staff.models import Position
from standards.library_file.file_format import ITEM_KEY_ORDER, VERSION_KEYS
from standards.library_file.problems import ImportProblem, Msg, msg, problem, short
from standards.library_file.reader import LineDict, LineList
from standards.models import CATEGORIES_BY_KIND, Category, Channel, Kind, Severity

# The allowed values of the fields that take a choice, for "use one of" messages.
CHOICES: dict[str, type[Enum]] = {
    "category": Category,
    "channels": Channel,
    "positions": Position,
    "severity": Severity,
}
MISSING_FIELD = N_("%(where)s: the field %(name)s is missing.")
UNKNOWN_FIELD = N_("%(where)s: %(field)s: unknown field (the fields here are: %(allowed)s).")
Where = Msg | str
Loc = tuple[int | str, ...]


def type_name(value: Any) -> Msg | str:
    """What kind of value the file has, in words (never the value itself)."""
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


def describe_loc(loc: Sequence[int | str]) -> tuple[Msg | str, ...]:
    """A field's path, such as steps, item 1, zh (rendered joined by commas)."""
    return tuple(
        msg(N_("item %(number)s"), number=part + 1) if isinstance(part, int) else short(part)
        for part in loc
    )


def loc_line(data: Any, loc: Sequence[int | str], default: int) -> int:
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


def unknown_keys(
    mapping: LineDict, allowed: Sequence[str], where: Where, problems: list[ImportProblem]
) -> None:
    """Report each key of the mapping that is not one of `allowed`."""
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
        return msg(N_("must be a list, not %(actual)s"), actual=type_name(value))
    if kind_of_error == "string_type":
        return msg(N_("must be text, not %(actual)s"), actual=type_name(value))
    if kind_of_error in ("model_type", "dict_type", "model_attributes_type"):
        return msg(
            N_("must be a mapping (key: value pairs), not %(actual)s"), actual=type_name(value)
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


def _content_problem(error: Any, data: LineDict, where: Where, kind: Kind | None) -> ImportProblem:
    """One content error other than a missing field, at its line."""
    loc = tuple(error["loc"])
    line = loc_line(data, loc, data.line)
    path = describe_loc(loc)
    if error["type"] == "extra_forbidden":
        if len(loc) == 1:
            allowed = ", ".join(VERSION_KEYS)
        else:
            allowed = ", ".join(ITEM_KEY_ORDER.get(str(loc[0]), ()))
        return problem(line, UNKNOWN_FIELD, where=where, field=path, allowed=allowed)
    if loc == ("category",) and error["type"] == "value_error" and kind is not None:
        return problem(
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
    return problem(
        line,
        N_("%(where)s: %(field)s: %(problem)s."),
        where=where,
        field=path,
        problem=_field_problem(error, loc),
    )


def missing_problems(
    missing: dict[Loc, list[str]], data: LineDict, where: Where
) -> list[ImportProblem]:
    """The missing fields of each mapping (by its path), reported together where it starts."""
    problems = []
    for parent, names in missing.items():
        line = loc_line(data, (*parent, names[0]), data.line)
        inside: Where = (
            msg(N_("%(where)s: %(field)s"), where=where, field=describe_loc(parent))
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


def content_problems(
    exc: ValidationError, data: LineDict, where: Where, kind: Kind | None
) -> list[ImportProblem]:
    """A version's content errors (from schemas.VersionContent), each at its line."""
    problems = []
    missing: dict[Loc, list[str]] = {}
    for error in exc.errors():
        loc = tuple(error["loc"])
        if error["type"] == "missing":
            missing.setdefault(loc[:-1], []).append(str(loc[-1]))
        else:
            problems.append(_content_problem(error, data, where, kind))
    return problems + missing_problems(missing, data, where)
