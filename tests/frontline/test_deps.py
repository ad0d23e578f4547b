"""Where a load-and-guard dependency's read runs: on the event loop only when it cannot wait."""

import asyncio
import inspect
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from types import SimpleNamespace

import pytest
from fastapi import Request
from sqlalchemy import text
from sqlmodel import Session

from frontline.db import Database
from frontline.deps import read_now, reads


def _request(db: Database, method: str) -> Request:
    app = SimpleNamespace(state=SimpleNamespace(database=db))
    return Request({"type": "http", "method": method, "headers": [], "app": app})


def _where_read_runs(db: Database, method: str, session: Session) -> str:
    """'loop' or 'pool': the thread `read_now` ran the read in."""

    async def scenario() -> str:
        loop_thread = threading.get_ident()
        ran_in = await read_now(_request(db, method), session, threading.get_ident)
        return "loop" if ran_in == loop_thread else "pool"

    # On an event loop of its own in a thread of its own: a browser test before may have left
    # Playwright's loop running in this one.
    with ThreadPoolExecutor(max_workers=1) as runner:
        return runner.submit(asyncio.run, scenario()).result()


@contextmanager
def _every_connection_taken(db: Database) -> Iterator[None]:
    with ExitStack() as stack:
        while db.has_free_connection():
            stack.enter_context(db.engine.connect())
        yield


def test_a_page_read_on_sqlite_runs_on_the_loop_elsewhere_in_the_pool(db):
    with db.session(write=False) as session:
        assert _where_read_runs(db, "GET", session) == ("loop" if db.is_sqlite else "pool")
        assert _where_read_runs(db, "HEAD", session) == ("loop" if db.is_sqlite else "pool")


def test_a_write_reads_in_the_pool(db):
    """A write's first statement takes SQLite's write turn, which may mean waiting."""
    with db.session(write=False) as session:
        for method in ("POST", "PUT", "DELETE"):
            assert _where_read_runs(db, method, session) == "pool"


def test_a_page_read_waits_in_the_pool_when_no_connection_is_free(db):
    """Waiting for a connection on the loop would stall the requests that give one back."""
    if not db.is_sqlite:
        pytest.skip("PostgreSQL reads in the pool anyway")
    with db.session(write=False) as session, _every_connection_taken(db):
        assert _where_read_runs(db, "GET", session) == "pool"


def test_a_session_that_holds_its_connection_reads_on_the_loop(db):
    if not db.is_sqlite:
        pytest.skip("PostgreSQL reads in the pool anyway")
    with db.session(write=False) as session:
        session.execute(text("SELECT 1"))  # the transaction has its connection now
        with _every_connection_taken(db):
            assert _where_read_runs(db, "GET", session) == "loop"


def test_reads_shows_fastapi_the_parameters_and_a_request():
    def load(code: str, session: Session) -> str:
        return code

    def load_with_request(request: Request, session: Session) -> str:
        return request.method

    assert list(inspect.signature(reads(load)).parameters) == ["code", "session", "_request"]
    assert list(inspect.signature(reads(load_with_request)).parameters) == [
        "request",
        "session",
    ]
    assert asyncio.iscoroutinefunction(reads(load))


def test_reads_refuses_a_dependency_that_reads_nothing():
    def computes(code: str) -> str:
        return code

    with pytest.raises(TypeError, match="reads nothing"):
        reads(computes)
