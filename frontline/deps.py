"""Dependencies nearly every route needs: the database session of this request."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import Session

from frontline.db import Database
from frontline.security import UNSAFE_METHODS


def get_database(request: Request) -> Database:
    database: Database = request.app.state.database
    return database


def get_session(request: Request) -> Iterator[Session]:
    """One transaction per request: commit on success, roll back on error.

    Requests that change state take SQLite's write lock up front (BEGIN IMMEDIATE).
    """
    with get_database(request).session(write=request.method in UNSAFE_METHODS) as session:
        yield session


# scope="function": commit before the response is sent, so a redirect never races the commit.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
DatabaseDep = Annotated[Database, Depends(get_database)]


def client_ip(request: Request) -> str:
    """The client's address; behind a trusted proxy, the one it forwarded (frontline.proxies)."""
    return request.client.host if request.client else ""
