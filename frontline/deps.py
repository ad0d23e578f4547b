"""Dependencies nearly every route needs: the database session of this request."""

import inspect
from collections.abc import AsyncIterator, Awaitable, Callable
from functools import wraps
from typing import Annotated, Any, ParamSpec, TypeVar

from fastapi import Depends, Request
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from frontline.admission import READ_METHODS
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


P = ParamSpec("P")
T = TypeVar("T")


async def read_now(
    request: Request,
    session: Session,
    read: Callable[P, T],
    /,
    *args: P.args,
    **kwargs: P.kwargs,
) -> T:
    """A load-and-guard dependency's small read: on the event loop when that is safe and
    cheaper, else through the thread pool.

    A trip through the pool costs ~0.15 ms of CPU in a worker, more than a read by key on
    SQLite (benchmarks/RESULTS.md). Such a read never waits: a page's transaction on SQLite
    only reads (a WAL reader is never blocked by a writer), and a connection is at hand (the
    session holds one already, or the pool has one free; waiting for one on the loop would
    stall the very requests that would give one back). Writes take SQLite's write turn, and
    PostgreSQL answers over the network: those go through the pool.
    """
    database: Database = request.app.state.database
    if (
        request.method in READ_METHODS
        and database.is_sqlite
        and (session.in_transaction() or database.has_free_connection())
    ):
        return read(*args, **kwargs)
    return await run_in_threadpool(read, *args, **kwargs)


def reads(load: Callable[..., T]) -> Callable[..., Awaitable[T]]:
    """A sync load-and-guard dependency (it has a `session` parameter) as one whose work runs
    by `read_now`: `Depends(reads(standard_from_path))`. FastAPI sees the same parameters,
    and a `Request` if `load` had none."""
    signature = inspect.signature(load, eval_str=True)
    request_name = next(
        (name for name, p in signature.parameters.items() if p.annotation is Request), None
    )
    if "session" not in signature.parameters:
        raise TypeError(f"{load.__name__} reads nothing: make it `async def` instead")
    parameters = list(signature.parameters.values())
    if request_name is None:
        parameters.append(
            inspect.Parameter("_request", inspect.Parameter.KEYWORD_ONLY, annotation=Request)
        )

    @wraps(load)
    async def dependency(**values: Any) -> T:
        request = values[request_name] if request_name else values.pop("_request")
        return await read_now(request, values["session"], load, **values)

    # FastAPI reads the parameters from here (`wraps` would point it at `load`'s own).
    dependency.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    del dependency.__wrapped__
    return dependency


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
