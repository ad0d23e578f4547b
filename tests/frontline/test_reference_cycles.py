"""A page's objects are freed when its request ends, not by the garbage collector.

A macro that holds the page's template context in a reference cycle (defined in the page
itself, or imported `with context`) kept the whole request alive (its rows, its session's
objects, the response) until a collection found it, and collections ran more often
(benchmarks/RESULTS.md)."""

import asyncio
import gc
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from jinja2.runtime import Context
from starlette.requests import Request

from staff.models import Position
from tests.client import FrontlineClient
from tests.factories import PASSWORD, make_person, make_standard, make_team

TEMPLATES = Path(__file__).parents[2] / "templates"

# Pages with macros of their own: editors and the roster import, opened by authors and HR.
PAGES_WITH_MACROS = {"standards/editor.html", "training/editor.html", "staff/roster_import.html"}


@contextmanager
def _cycles_kept() -> Iterator[list[object]]:
    """What the collector finds unreachable while the test runs (nothing is collected)."""
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        yield gc.garbage
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()


def _requests_in_cycles(app: Any, cookie: str, path: str, kept: list[object]) -> int:
    """Requests and template contexts left in reference cycles by one request for `path`, sent
    straight to the app: the test client's thread makes cycles of its own, so it is closed by
    now, and what other threads of the test process leave is not counted."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver"), (b"cookie", cookie.encode())],
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
        "state": {},
    }
    statuses: list[int] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    async def second_request() -> int:
        await app(dict(scope, state={}), receive, send)  # compiles templates, caches statements
        gc.collect()
        kept.clear()
        await app(dict(scope, state={}), receive, send)
        gc.collect()
        return sum(isinstance(found, (Request, Context)) for found in kept)

    # In a thread of its own: a browser test before this one may leave its loop running here.
    with ThreadPoolExecutor(max_workers=1) as runner:
        found = runner.submit(asyncio.run, second_request()).result()
    assert statuses == [200, 200], (path, statuses)
    return found


def test_pages_leave_no_reference_cycles(app, db) -> None:  # type: ignore[no-untyped-def]
    team = make_team(db)
    teller = make_person(db, position=Position.teller, team=team)
    for number in range(1, 4):
        make_standard(db, code=f"CYC-0{number}", positions=["teller"])
    with FrontlineClient(app) as client:
        client.login(teller.employee_no, PASSWORD)
        cookie = "; ".join(f"{name}={value}" for name, value in client.cookies.items())
    with _cycles_kept() as kept:
        for path in ("/standards", "/", "/account", "/acknowledgments", "/training"):
            assert _requests_in_cycles(app, cookie, path, kept) == 0, path


def test_pages_define_no_macros_and_import_none_with_their_context() -> None:
    for template in sorted(TEMPLATES.rglob("*.html")):
        name = template.relative_to(TEMPLATES).as_posix()
        source = template.read_text(encoding="utf-8")
        if "{% extends" in source and name not in PAGES_WITH_MACROS:
            assert not re.search(r"{%-?\s*macro\s", source), f"{name}: a macro in a page"
        imported = re.findall(r'{%-?\s*from\s+"([^"]+)"\s+import[^%]*with context', source)
        assert not imported, f"{name} imports {imported} with its context"
