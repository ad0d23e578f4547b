"""Reading the next pieces of a long export while the current one is written.

An export alternates between reading a chunk (SQL, which runs without the GIL, and on
PostgreSQL in a server process of its own) and writing it (pure Python: csv, XlsxWriter). With
each chunk read in a thread of its own, `workers` chunks are read at once while the one before
them is written, and memory stays that of `workers` + 1 chunks.
"""

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from itertools import islice
from typing import TypeVar

A = TypeVar("A")
T = TypeVar("T")


def map_ahead(work: Callable[[A], T], items: Iterable[A], *, workers: int = 1) -> Iterator[T]:
    """`work(item)` for each item, in order, made by up to `workers` threads ahead of the
    caller. An error in a piece of work is raised here, after the results before it; stopping
    early cancels what has not started and waits for what has."""
    source = iter(items)
    pending: deque[Future[T]] = deque()
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="read-ahead") as pool:
        try:
            pending.extend(pool.submit(work, item) for item in islice(source, workers))
            while pending:
                result = pending.popleft().result()
                pending.extend(pool.submit(work, item) for item in islice(source, 1))
                yield result
        finally:
            for future in pending:
                future.cancel()
