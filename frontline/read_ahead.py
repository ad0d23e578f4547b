"""Reading the next piece of a long export while the current one is written.

An export alternates between reading a chunk (SQL, which runs without the GIL) and writing it
(pure Python: XlsxWriter). Produced in a thread of its own one chunk ahead, the reads overlap
the writes, and memory stays that of `depth` + 1 chunks.
"""

import queue
import threading
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")
_POLL_SECONDS = 0.2


def read_ahead(produce: Callable[[], Iterator[T]], *, depth: int = 1) -> Iterator[T]:
    """The items of `produce()`, made in another thread up to `depth` ahead of the caller.
    An error in the producer is raised here; stopping early stops the producer."""
    handoff: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(message: tuple[str, Any]) -> bool:
        while not stop.is_set():
            try:
                handoff.put(message, timeout=_POLL_SECONDS)
                return True
            except queue.Full:
                continue
        return False

    def run() -> None:
        try:
            for item in produce():
                if not put(("item", item)):
                    return
            put(("done", None))
        except BaseException as error:  # handed to the consumer, raised there
            put(("error", error))

    thread = threading.Thread(target=run, name="read-ahead", daemon=True)
    thread.start()
    try:
        while True:
            kind, value = handoff.get()
            if kind == "done":
                return
            if kind == "error":
                raise value
            yield value
    finally:
        stop.set()
        thread.join()
