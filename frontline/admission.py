"""How many page reads a worker works on at once; the others wait their turn on the event loop.

A worker runs each request's database work and rendering in the thread pool, and the threads
take turns on the one interpreter lock. Given twenty pages at once, a worker let all of them
run: twenty threads woke each other to hand the lock over, and a page's CPU rose from 1.4 ms
at one connection to 2.1 ms, 0.5 ms of it system time. Letting four in at a time and queueing
the rest on the event loop (which costs nothing while they wait) gave one worker a quarter
more pages a second, and two workers 0-20 % more and half the p99 (benchmarks/RESULTS.md).
Rails' Puma came to the same choice for the same reason (three threads a worker by default).

Only reads wait here (GET and HEAD). A write may take SQLite's write lock in one thread-pool
trip and release it in a later one: holding writes back here could leave the holder waiting
behind writers that wait for its lock. Writes also carry bodies, which a slow client sends at
its own pace; a read has none to wait for. A read lets the next one in as soon as its response
starts, so a long download (an export) does not keep its turn while it streams.
"""

import asyncio
from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

READ_METHODS = frozenset({"GET", "HEAD"})


class ReadGate:
    """ASGI middleware: at most `at_once` reads between their start and their response's start
    (0: no limit)."""

    def __init__(self, app: ASGIApp, *, at_once: int) -> None:
        self.app = app
        self.at_once = at_once
        # One semaphore per event loop: a worker has one loop, but tests run the same app on
        # a new loop per client, and an asyncio semaphore belongs to the loop it first waits on.
        self._loop: asyncio.AbstractEventLoop | None = None
        self._semaphore: asyncio.Semaphore | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self.at_once or scope["type"] != "http" or scope["method"] not in READ_METHODS:
            await self.app(scope, receive, send)
            return
        semaphore = self._semaphore_of(asyncio.get_running_loop())
        await semaphore.acquire()
        release = _once(semaphore.release)

        async def send_releasing(message: Message) -> None:
            if message["type"] == "http.response.start":
                release()
            await send(message)

        try:
            await self.app(scope, receive, send_releasing)
        finally:
            release()

    def _semaphore_of(self, loop: asyncio.AbstractEventLoop) -> asyncio.Semaphore:
        if self._loop is not loop or self._semaphore is None:
            self._loop, self._semaphore = loop, asyncio.Semaphore(self.at_once)
        return self._semaphore


def _once(action: Callable[[], None]) -> Callable[[], None]:
    done = False

    def run() -> None:
        nonlocal done
        if not done:
            done = True
            action()

    return run
