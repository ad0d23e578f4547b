"""Dependencies nearly every route needs: the database session of this request."""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from frontline.db import Database
from frontline.security import UNSAFE_METHODS

# Dependencies that only compute are `async def` so FastAPI runs them on the event loop:
# every sync dependency costs a hop through the thread pool, which is most of a small
# page's time (benchmarks/RESULTS.md).


async def get_database(request: Request) -> Database:
    database: Database = request.app.state.database
    return database


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One transaction per request: commit on success, roll back on error.

    Opening a session does no I/O, so it happens on the event loop; the commit or rollback
    (I/O) runs in the thread pool. Requests that change state take SQLite's write lock up
    front (BEGIN IMMEDIATE).
    """
    database: Database = request.app.state.database
    session = database.open_session(write=request.method in UNSAFE_METHODS)
    request.state.db_session = session
    try:
        yield session
    except BaseException:
        request.state.db_session = None
        await run_in_threadpool(database.abort, session)
        raise
    request.state.db_session = None
    if database.is_sqlite and request.method not in UNSAFE_METHODS:
        # Ending SQLite's read transaction releases a lock in-process, no I/O: cheaper on the
        # event loop than a trip through the thread pool.
        database.finish(session)
    else:
        await run_in_threadpool(database.finish, session)


def open_request_session(request: Request) -> Session | None:
    """The request's own session while its transaction is open (templates rendered by a
    view), else None (error pages render after it rolled back)."""
    return getattr(request.state, "db_session", None)


# scope="function": commit before the response is sent, so a redirect never races the commit.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
DatabaseDep = Annotated[Database, Depends(get_database)]


def client_ip(request: Request) -> str:
    """The client's address; behind a trusted proxy, the one it forwarded (frontline.proxies)."""
    return request.client.host if request.client else ""
