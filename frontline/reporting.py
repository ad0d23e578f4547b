"""The ids (of people, of branches) every domain's reporting functions accept, made one form,
and their statements built once.

A figure family's statement is a few dozen clauses: building it and computing its cache key
cost SQLAlchemy more Python time than the database takes to answer it for a team (a person's
scorecard spent ~25 of its ~52 ms building its twenty statements). So when the people are
listed ids (`LISTED_PEOPLE`, what pages and export chunks pass), a reporting function's
statement is built once per shape, with its dates as named parameters, and every value is
bound when it runs (`built_once`).
"""

import threading
from collections.abc import Callable, Hashable, Iterable
from typing import Any, TypeVar

from sqlalchemy import BindParameter, Select, bindparam, select

# Known people's ids written into a statement (`IN (1, 2, …)`): PostgreSQL reads a listed
# chunk's rows by each table's person index; under `IN (SELECT …)` it scanned whole tables.
LISTED_PEOPLE: BindParameter[Any] = bindparam("listed_people", expanding=True, literal_execute=True)


def listed(ids: Iterable[int]) -> BindParameter[Any]:
    """Known people's ids, for the reporting functions in place of a SELECT of them: a page's
    or an export chunk's. Under `IN (SELECT …)` PostgreSQL scanned whole tables for every
    chunk of an export, so an export grew with the square of the bank (benchmarks/RESULTS.md)."""
    return bindparam(LISTED_PEOPLE.key, list(ids), expanding=True, literal_execute=True)


def ids_of(ids: Any) -> Any:
    """What `column.in_()` takes, from ids in any form the reporting functions accept: a
    SELECT of ids, a subquery of one column, ids listed in an expanding parameter
    (`listed`) or a plain list."""
    if isinstance(ids, (Select, BindParameter, list, tuple, set)):
        return ids
    return select(*ids.c)


S = TypeVar("S")
_built: dict[Hashable, Any] = {}
_building = threading.Lock()


def built_once(key: Hashable, people: Any, build: Callable[[Any], S]) -> tuple[S, dict[str, Any]]:
    """The statement `build(people)` and the parameters it runs with. For listed people it is
    built once per `key` (the function and whatever shapes its statement, such as a number of
    months), around `LISTED_PEOPLE`, and the ids are bound when it runs; a SELECT of people
    is built into each statement. `build` takes every other value as a named parameter."""
    if not (isinstance(people, BindParameter) and people.key == LISTED_PEOPLE.key):
        return build(people), {}
    statement = _built.get(key)
    if statement is None:
        with _building:
            statement = _built.get(key)
            if statement is None:
                statement = _built[key] = build(LISTED_PEOPLE)
    return statement, {LISTED_PEOPLE.key: people.value}
