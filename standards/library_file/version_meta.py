"""A version's metadata in the file (number, status, effective date, change note), checked by a
pydantic model whose every refusal is a translatable message for the line it is about.

The rules follow the app: a draft has no effective date or change note yet; a version that was
published (and perhaps since superseded or retired) has both.
"""

from datetime import date
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from frontline.i18n import N_
from standards.library_file.field_problems import MISSING_FIELD, Where, loc_line, type_name
from standards.library_file.problems import ImportProblem, msg, problem, short
from standards.library_file.reader import LineDict
from standards.models import VersionStatus

CHANGE_NOTE_MAX = 2000
_STATUSES = tuple(s.value for s in VersionStatus)
_ISSUED = tuple(s.value for s in VersionStatus if s != VersionStatus.draft)


class _Absent:
    """A key the file leaves out, where leaving it out is itself the problem."""


ABSENT = _Absent()


def _refuse(msgid: str, **params: Any) -> PydanticCustomError:
    """A refusal carrying its msgid and parameters; `where` is added when it is reported."""
    return PydanticCustomError("library_file", msgid, {"msgid": msgid, "params": params})


def _parse_date(value: Any) -> date | None:
    if type(value) is date:
        return value
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _needs(name: str, status: VersionStatus) -> PydanticCustomError:
    return _refuse(
        N_("%(where)s: the field %(name)s is missing; a %(status)s version needs it."),
        name=name,
        status=status.value,
    )


class VersionMeta(BaseModel):
    """Validate with context={"number": the version's place in the list, from 1}."""

    model_config = ConfigDict(extra="ignore")

    version: int
    status: VersionStatus
    effective_date: date | None
    change_note: str | None

    @model_validator(mode="before")
    @classmethod
    def _mark_absent_dates_and_notes(cls, data: Any) -> Any:
        # An issued version must have both keys; a draft may leave them out; with no known
        # status there is nothing to hold them to (the status is reported instead).
        if not isinstance(data, dict):
            return data
        status = data.get("status")
        fill = ABSENT if isinstance(status, str) and status in _ISSUED else None
        return {"effective_date": fill, "change_note": fill} | dict(data)

    @field_validator("version", mode="before")
    @classmethod
    def _numbered_in_order(cls, value: Any, info: ValidationInfo) -> int:
        if type(value) is not int:
            raise _refuse(
                N_("%(where)s: version: must be a whole number, not %(actual)s."),
                actual=type_name(value),
            )
        expected = (info.context or {}).get("number", value)
        if value != expected:
            raise _refuse(
                N_(
                    "%(where)s: version: versions must be numbered 1, 2, 3... in order; "
                    "this one should be %(expected)s, not %(number)s."
                ),
                expected=expected,
                number=short(value),
            )
        return value

    @field_validator("status", mode="before")
    @classmethod
    def _known_status(cls, value: Any) -> str:
        if not isinstance(value, str) or value not in _STATUSES:
            raise _refuse(
                N_("%(where)s: status: %(value)s is not a status (use one of: %(allowed)s)."),
                value=short(value),
                allowed=", ".join(_STATUSES),
            )
        return value

    @field_validator("effective_date", mode="before")
    @classmethod
    def _date_for_the_status(cls, value: Any, info: ValidationInfo) -> date | None:
        status = info.data.get("status")
        if status is None:
            return None
        if value is ABSENT:
            raise _needs("effective_date", status)
        if status == VersionStatus.draft:
            if value is not None:
                raise _refuse(
                    N_(
                        "%(where)s: effective_date: a draft has no effective date yet (write "
                        "null); it is set when the draft is published."
                    )
                )
            return None
        if value is None:
            raise _refuse(
                N_(
                    "%(where)s: effective_date: a %(status)s version needs the date it "
                    "took effect, as YYYY-MM-DD."
                ),
                status=status.value,
            )
        parsed = _parse_date(value)
        if parsed is None:
            raise _refuse(
                N_("%(where)s: effective_date: %(value)s is not a date; write it as YYYY-MM-DD."),
                value=short(value),
            )
        return parsed

    @field_validator("change_note", mode="before")
    @classmethod
    def _note_for_the_status(cls, value: Any, info: ValidationInfo) -> str | None:
        status = info.data.get("status")
        if status is None:
            return None
        if value is ABSENT:
            raise _needs("change_note", status)
        if status == VersionStatus.draft:
            if value is not None:
                raise _refuse(
                    N_(
                        "%(where)s: change_note: a draft has no change note yet (write null); "
                        "it is written when the draft is published."
                    )
                )
            return None
        if isinstance(value, str) and value.strip():
            if len(value) > CHANGE_NOTE_MAX:
                raise _refuse(
                    N_(
                        "%(where)s: change_note: at most %(max)s characters (this one "
                        "has %(count)s)."
                    ),
                    max=CHANGE_NOTE_MAX,
                    count=len(value),
                )
            return value
        if value is None or isinstance(value, str):
            raise _refuse(
                N_(
                    "%(where)s: change_note: a %(status)s version needs a change note "
                    "saying what changed."
                ),
                status=status.value,
            )
        raise _refuse(
            N_("%(where)s: change_note: must be text, not %(actual)s."), actual=type_name(value)
        )


def check_version_meta(
    raw: LineDict, *, number: int, code: Where
) -> tuple[VersionMeta | None, Where, list[ImportProblem]]:
    """The metadata of the version at place `number`, how to name it, and its problems.

    The version is named by its number once that number is right, else by its place.
    """
    where: Where = msg(N_("%(code)s versions, item %(number)s"), code=code, number=number)
    try:
        meta = VersionMeta.model_validate(raw, context={"number": number})
    except ValidationError as exc:
        errors = exc.errors()
        if not any(error["loc"] == ("version",) for error in errors):
            where = msg(N_("%(code)s version %(number)s"), code=code, number=number)
        return None, where, [_meta_problem(error, raw, where) for error in errors]
    return meta, msg(N_("%(code)s version %(number)s"), code=code, number=number), []


def _meta_problem(error: Any, raw: LineDict, where: Where) -> ImportProblem:
    name = str(error["loc"][0])
    if error["type"] == "missing":
        return problem(raw.line, MISSING_FIELD, where=where, name=name)
    ctx = error["ctx"]
    return problem(loc_line(raw, (name,), raw.line), ctx["msgid"], where=where, **ctx["params"])
