"""A per-worker cache for figures that are costly to compute and cheap to prove current.

Reports over a region read tens or hundreds of thousands of rows, yet change only when one of
their inputs does. A caller keys what it computed by what was asked and a fingerprint of those
inputs that a few indexed queries read (the latest change time, the highest id of an
insert-only table), so a cached value is never stale and never expires by time. The key always
includes the database, so tests and workers with different databases never share a value.

Values are shared between requests of a worker: read them, never change them.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from functools import cache, cached_property
from typing import Any, Generic, TypeVar

from sqlalchemy import BindParameter, ScalarSelect, Select, bindparam, select
from sqlmodel import Session

V = TypeVar("V")

# A scalar subquery whose value changes whenever an input of a report does.
Marker = ScalarSelect[Any]


def markers_statement(markers: list[Marker]) -> Select[Any]:
    """The one statement that reads the markers. Build it once, not per request: building
    and keying twenty subqueries costs more Python time (~1.5 ms) than the database takes to
    answer them."""
    return select(*markers)


# The ids of the people scoped markers are about (see ScopedMarkers): domains'
# `change_markers(people)` take it where they take a SELECT of ids. The ids are written into
# the statement when it is read, not bound: PostgreSQL then plans `person_id IN (…)` against a
# constant list, which it probes by hashing, and a prepared statement of one unit's markers
# needs no planning. Bound as an array, a generic plan searches the array for each row (~4x
# slower); bound one by one, a branch's 125 ids ten times over cost ~10 ms of binding.
PEOPLE: BindParameter[Any] = bindparam("people", expanding=True, literal_execute=True)

MarkersOf = Callable[[Any], list[Marker]]


@cache
def _listed(markers_of: MarkersOf) -> Select[Any]:
    return markers_statement(markers_of(PEOPLE))


class ScopedMarkers:
    """The markers `markers_of(people)` about some people (a unit's; `people` selects their
    ids). PostgreSQL plans the SELECT of the people under each marker as a scan of every person
    (a branch's ~23 ms on 5,000 people), so there they are read in two steps: the people's ids
    by an index, then each marker for those ids (one statement for every unit). The ids are
    then part of the fingerprint: someone joining or leaving the unit (moving teams,
    deactivated) changes it, whatever the markers of the others do. SQLite looks each marker
    up by index in one statement, which is quicker than two."""

    def __init__(self, people: Select[Any], markers_of: MarkersOf) -> None:
        self.people = people
        self.markers_of = markers_of

    @property
    def listed(self) -> Select[Any]:
        """The markers of the people whose ids are bound as PEOPLE (built once)."""
        return _listed(self.markers_of)

    @cached_property
    def whole(self) -> Select[Any]:
        """The markers of `people`, in one statement (built once per unit, on first use)."""
        return markers_statement(self.markers_of(self.people))


def fingerprint(session: Session, statement: Select[Any] | ScopedMarkers) -> tuple[Any, ...]:
    """The markers' values, read by their statement."""
    connection = session.connection()
    if not isinstance(statement, ScopedMarkers):
        return tuple(connection.execute(statement).one())
    if connection.dialect.name != "postgresql":
        return tuple(connection.execute(statement.whole).one())
    ids = sorted(connection.execute(statement.people).scalars())
    return (tuple(ids), *connection.execute(statement.listed, {"people": ids}).one())


class FigureCache(Generic[V]):
    """The last `size` values computed, least recently used dropped first."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._values: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()
        # One computation a key: under load, twenty requests missing together would otherwise
        # each compute the same report, and all of them would wait longer. Different keys
        # compute side by side (a branch's rollup need not wait for a region's).
        self._computing: dict[Hashable, threading.Lock] = {}

    def get(self, session: Session, key: tuple[Hashable, ...], compute: Callable[[], V]) -> V:
        """The value for `key` (which must include the fingerprints it depends on)."""
        bind = session.get_bind()
        full_key = (id(bind), str(bind.engine.url), *key)
        found = self._lookup(full_key)
        if found is not None:
            return found[0]
        with self._lock:
            computing = self._computing.setdefault(full_key, threading.Lock())
        try:
            with computing:
                found = self._lookup(full_key)
                if found is not None:
                    return found[0]
                value = compute()
                with self._lock:
                    self._values[full_key] = value
                    while len(self._values) > self._size:
                        self._values.popitem(last=False)
        finally:
            with self._lock:
                self._computing.pop(full_key, None)
        return value

    def _lookup(self, key: Hashable) -> tuple[V] | None:
        with self._lock:
            if key not in self._values:
                return None
            self._values.move_to_end(key)
            return (self._values[key],)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
