"""The read gate: at most N page reads in progress per worker, the rest queued; writes pass."""

import asyncio
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from starlette.types import Message, Receive, Scope, Send

from frontline.admission import ReadGate

Handler = Callable[[Scope, Receive, Send], Awaitable[None]]


class Probe:
    """An ASGI app whose requests enter, then wait until the test lets them answer."""

    def __init__(self, *, start_first: bool = False, failing: str = "") -> None:
        self.inside: list[str] = []
        self.go = asyncio.Event()
        self.start_first = start_first
        self.failing = failing

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.inside.append(scope["path"])
        if self.start_first:
            await send({"type": "http.response.start", "status": 200, "headers": []})
        await self.go.wait()
        if scope["path"] == self.failing:
            raise RuntimeError("the page failed")
        if not self.start_first:
            await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


async def _request(app: Handler, method: str, path: str) -> int:
    statuses: list[int] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    scope = {"type": "http", "method": method, "path": path, "headers": []}
    await app(scope, receive, send)
    return statuses[0]


def _run(scenario: Callable[[], Awaitable[None]]) -> None:
    """The scenario on an event loop of its own, in a thread of its own (a browser test before
    it may have left Playwright's loop running in this one); one that hangs (a turn never given
    back) fails instead of stopping the suite."""

    async def bounded() -> None:
        await asyncio.wait_for(scenario(), timeout=5)

    with ThreadPoolExecutor(max_workers=1) as runner:
        runner.submit(asyncio.run, bounded()).result()


async def _settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


@pytest.mark.parametrize(("at_once", "first_in"), [(2, 2), (0, 3)])
def test_reads_beyond_the_limit_wait_their_turn_and_all_are_answered(
    at_once: int, first_in: int
) -> None:
    """Two at once: the third waits; 0: no limit, all three are in."""

    async def scenario() -> None:
        probe = Probe()
        gate = ReadGate(probe, at_once=at_once)
        requests = [asyncio.create_task(_request(gate, "GET", f"/{n}")) for n in range(3)]
        await _settle()
        assert probe.inside == [f"/{n}" for n in range(first_in)]
        probe.go.set()
        assert await asyncio.gather(*requests) == [200, 200, 200]
        assert probe.inside == ["/0", "/1", "/2"]

    _run(scenario)


def test_writes_pass_while_the_reads_are_all_taken() -> None:
    async def scenario() -> None:
        probe = Probe()
        gate = ReadGate(probe, at_once=1)
        read = asyncio.create_task(_request(gate, "GET", "/read"))
        writes = [asyncio.create_task(_request(gate, "POST", f"/write{n}")) for n in range(2)]
        await _settle()
        assert probe.inside == ["/read", "/write0", "/write1"]
        probe.go.set()
        await asyncio.gather(read, *writes)

    _run(scenario)


def test_a_read_gives_its_turn_away_once_its_response_has_started() -> None:
    """A streamed export keeps its connection, not its turn."""

    async def scenario() -> None:
        probe = Probe(start_first=True)
        gate = ReadGate(probe, at_once=1)
        first = asyncio.create_task(_request(gate, "GET", "/export"))
        await _settle()
        second = asyncio.create_task(_request(gate, "GET", "/page"))
        await _settle()
        assert probe.inside == ["/export", "/page"]
        probe.go.set()
        await asyncio.gather(first, second)

    _run(scenario)


def test_a_failed_read_gives_its_turn_back() -> None:
    async def scenario() -> None:
        probe = Probe(failing="/broken")
        gate = ReadGate(probe, at_once=1)
        failing = asyncio.create_task(_request(gate, "GET", "/broken"))
        await _settle()
        waiting = asyncio.create_task(_request(gate, "GET", "/next"))
        await _settle()
        assert probe.inside == ["/broken"]
        probe.go.set()
        with pytest.raises(RuntimeError):
            await failing
        assert await waiting == 200
        assert probe.inside == ["/broken", "/next"]

    _run(scenario)


def test_the_app_gates_reads_as_its_settings_say(app, settings) -> None:
    gates = [m for m in app.user_middleware if m.cls is ReadGate]
    assert len(gates) == 1
    assert gates[0].kwargs == {"at_once": settings.reads_at_once}
    assert settings.reads_at_once == 4
