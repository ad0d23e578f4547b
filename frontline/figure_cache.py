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
from typing import Any, Generic, TypeVar

from sqlalchemy import ScalarSelect, Select, select
from sqlmodel import Session

V = TypeVar("V")

# A scalar subquery whose value changes whenever an input of a report does.
Marker = ScalarSelect[Any]


def markers_statement(markers: list[Marker]) -> Select[Any]:
    """The one statement that reads the markers. Build it once, not per request: building
    and keying twenty subqueries costs more Python time (~1.5 ms) than the database takes to
    answer them."""
    return select(*markers)


def fingerprint(session: Session, statement: Select[Any]) -> tuple[Any, ...]:
    """The markers' values, read by their statement."""
    return tuple(session.connection().execute(statement).one())


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
