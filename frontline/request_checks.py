"""Input no route can use: impossible ids, control characters, numbers no column can hold.

Checked once, for every route, by an app-wide dependency, so such input gets a clear 404
(an address) or 400 (a form or query) instead of a 500 from deep inside the database:
PostgreSQL refuses NUL in text and ids beyond its 32-bit `integer` columns, SQLite cannot
bind an integer beyond 64 bits, and Python refuses to parse more than 4,300 digits.
"""

import re
import types
from typing import Any, Union, get_args, get_origin

from fastapi import HTTPException, Request
from fastapi.routing import APIRoute
from starlette.datastructures import UploadFile

from frontline.web import translate

# Ids are `integer` columns: 32 bits on PostgreSQL, the narrower of the two databases.
MAX_ID = 2**31 - 1
# The widest integer either database can compare with at all (SQLite's 64 bits).
MAX_DB_INTEGER = 2**63 - 1
# C0 and C1 control characters and DEL; tab, newline and carriage return are ordinary text.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# What Pydantic and int() accept as an integer: a sign, digits (underscores between), ".0".
INTEGER_LIKE = re.compile(r"[+-]?\d[\d_]*(?:\.0*)?")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def has_control_characters(value: str) -> bool:
    return CONTROL_CHARACTERS.search(value) is not None


def integer_value(value: str, *, limit: int) -> int | None:
    """The integer this text reads as, or None if it is none or lies beyond ±limit."""
    text = value.strip()
    if not INTEGER_LIKE.fullmatch(text):
        return None
    digits = text.lstrip("+-").split(".")[0].replace("_", "").lstrip("0") or "0"
    # Counting first: int() refuses more than 4,300 digits and need not convert them.
    if len(digits) > len(str(limit)) or int(digits) > limit:
        return None
    return -int(digits) if text.startswith("-") else int(digits)


def out_of_range_integer(value: str) -> bool:
    """True for text that reads as an integer too large for any database column."""
    return INTEGER_LIKE.fullmatch(value.strip()) is not None and (
        integer_value(value, limit=MAX_DB_INTEGER) is None
    )


def is_id(value: object) -> bool:
    """An id a table row can have: a whole number from 1 to MAX_ID."""
    number = integer_value(value, limit=MAX_ID) if isinstance(value, str) else value
    return isinstance(number, int) and 1 <= number <= MAX_ID


def _is_int_annotation(annotation: Any) -> bool:
    if annotation is int:
        return True
    if get_origin(annotation) in (Union, types.UnionType):
        return int in get_args(annotation)
    return False


def integer_path_params(route: APIRoute) -> frozenset[str]:
    """Path parameters the route or any of its dependencies declares as int: ids and numbers.

    Worked out once per route and kept on it (routes are not hashable)."""
    known: frozenset[str] | None = getattr(route, "frontline_integer_params", None)
    if known is not None:
        return known
    names: set[str] = set()
    pending = [route.dependant]
    while pending:
        dependant = pending.pop()
        names.update(
            field.alias
            for field in dependant.path_params
            if _is_int_annotation(field.field_info.annotation)
        )
        pending.extend(dependant.dependencies)
    known = frozenset(names)
    route.frontline_integer_params = known  # type: ignore[attr-defined]
    return known


def _first_problem(fields: list[tuple[str, str]]) -> str | None:
    for name, value in fields:
        if has_control_characters(name) or has_control_characters(value):
            return "control"
        if out_of_range_integer(value):
            return "number"
    return None


async def reject_unusable_input(request: Request) -> None:
    """App-wide dependency: refuse impossible ids, control characters and huge numbers."""
    route = request.scope.get("route")
    integers = integer_path_params(route) if isinstance(route, APIRoute) else frozenset()
    for name, value in request.path_params.items():
        # An address naming what no row can be names nothing: not found.
        if name in integers and not is_id(value):
            raise HTTPException(status_code=404)
        if isinstance(value, str) and has_control_characters(value):
            raise HTTPException(status_code=404)
    fields = list(request.query_params.multi_items())
    content_type = request.headers.get("content-type", "")
    if request.method != "GET" and content_type.startswith(FORM_TYPES):
        # Parsed once per request: the route and the CSRF check reuse this parse.
        form = await request.form()
        for name, value in form.multi_items():
            if isinstance(value, UploadFile):
                # The import reading a file checks its contents; its name is form input.
                fields.append((name, value.filename or ""))
            else:
                fields.append((name, value))
    problem = _first_problem(fields)
    if problem == "control":
        raise HTTPException(
            status_code=400,
            detail=translate(
                request,
                "The address or the form contains control characters (such as NUL), "
                "which text may not hold. Remove them and try again.",
            ),
        )
    if problem == "number":
        raise number_too_large(request)


def number_too_large(request: Request) -> HTTPException:
    return HTTPException(
        status_code=400,
        detail=translate(
            request,
            "A number in the address or the form is far too large. Check it and try again.",
        ),
    )
