"""Database engine and per-request sessions.

SQLite is the embedded default: WAL so readers never wait for the writer, foreign keys on,
a busy timeout, and write transactions that start with BEGIN IMMEDIATE so two writers queue
instead of failing half-way with "database is locked".

Writers of one process queue on a thread lock before they ask SQLite for its write lock.
SQLite's busy handler makes a waiting writer sleep 1, 2, 5, 10 … 100 ms between tries, so with
thirty tablets saving at once a save waited many times longer than the lock was held; a thread
lock hands over the moment it is released. Writers in other processes (the other workers, the
CLI) still queue on SQLite's own lock and busy timeout.
"""

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.engine import Connection
from sqlmodel import Session, create_engine

SQLITE_BUSY_TIMEOUT_MS = 15_000
SQLITE_POOL_SIZE = 40


_WRITE_LOCKS: dict[str, threading.Lock] = {}
_WRITE_LOCKS_GUARD = threading.Lock()


def _write_lock(url: str) -> threading.Lock:
    """One lock per database file in this process, shared by every engine on it."""
    with _WRITE_LOCKS_GUARD:
        return _WRITE_LOCKS.setdefault(url, threading.Lock())


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        # As many pooled connections as the thread pool runs requests (40): opening one runs
        # the PRAGMAs below, so a pool smaller than the load churns connections.
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
            pool_size=SQLITE_POOL_SIZE,
            max_overflow=0,
            pool_timeout=30,
        )
        _configure_sqlite(engine, _write_lock(url))
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)


def _configure_sqlite(engine: Engine, write_lock: threading.Lock) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        if not conn.get_execution_options().get("sqlite_write"):
            conn.exec_driver_sql("BEGIN")
            return
        info = conn.connection.info  # the pooled DB-API connection's own
        if not info.get(_HOLDS_WRITE_LOCK):
            # A thread of the pool may wait here; the lock may be released by another thread
            # (a request's commit runs in a different one), so a plain Lock, not an RLock.
            if not write_lock.acquire(timeout=SQLITE_BUSY_TIMEOUT_MS / 1000):
                raise sqlite3.OperationalError("database is locked (by a writer of this process)")
            info[_HOLDS_WRITE_LOCK] = True
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            _release(info, write_lock)
            raise

    # Released when the connection goes back to the pool, after its COMMIT or ROLLBACK has
    # run (the commit event comes before it), or when the pool throws the connection away.
    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
        _release(record.info, write_lock)

    @event.listens_for(engine, "invalidate")
    def _on_invalidate(_dbapi_connection: Any, record: Any, _error: Any) -> None:
        _release(record.info, write_lock)


_HOLDS_WRITE_LOCK = "frontline_holds_write_lock"


def _release(info: dict[Any, Any], write_lock: threading.Lock) -> None:
    if info.pop(_HOLDS_WRITE_LOCK, False):
        write_lock.release()


class Database:
    """One engine, and sessions that are either read-mostly or writing."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self._write_engine = self.engine.execution_options(sqlite_write=True)

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")

    def open_session(self, *, write: bool) -> Session:
        """A new session; nothing touches the database until its first statement."""
        return Session(self._write_engine if write else self.engine, expire_on_commit=False)

    @staticmethod
    def finish(session: Session) -> None:
        """Commit and release the connection."""
        try:
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @staticmethod
    def abort(session: Session) -> None:
        try:
            session.rollback()
        finally:
            session.close()

    @contextmanager
    def session(self, *, write: bool = True) -> Iterator[Session]:
        """A session whose transaction commits on success and rolls back on error."""
        session = self.open_session(write=write)
        try:
            yield session
        except BaseException:
            self.abort(session)
            raise
        self.finish(session)

    def dispose(self) -> None:
        self.engine.dispose()
