"""Database engine and per-request sessions.

SQLite is the embedded default: WAL so readers never wait for the writer, foreign keys on,
a busy timeout, and write transactions that start with BEGIN IMMEDIATE so two writers queue
instead of failing half-way with "database is locked".

Writers take their turn in a `WriterQueue` before they ask SQLite for its write lock: a thread
lock within the process, then a lock file beside the database across processes (the other
worker, the CLI). SQLite's busy handler makes a waiting writer sleep 1, 2, 5, 10 … 100 ms
between tries, so with thirty tablets saving at once a save waited many times longer than the
lock was held; the queue hands over within a millisecond of its release.
"""

import fcntl
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy import Engine, Executable, Result, Table, event, make_url
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.pool import QueuePool
from sqlmodel import Session, create_engine

from frontline.checkpoints import Checkpointer

SQLITE_BUSY_TIMEOUT_MS = 15_000
SQLITE_POOL_SIZE = 40


class WritersBusy(sqlite3.OperationalError):
    """Other writers held SQLite's write turn for longer than this writer would wait."""


class WriterQueue:
    """The turn of one SQLite file's writers: a thread lock, then (for a file database) an
    `flock` on `<database>-writers`, opened for the turn only (a test run opens hundreds of
    databases). Never the database file itself: closing any other descriptor of it would
    drop the POSIX locks SQLite holds on it. A waiter polls the file lock every 0.5-2 ms, far
    under SQLite's own sleeps."""

    def __init__(self, database_path: str | None) -> None:
        self._thread_lock = threading.Lock()
        self._lock_path = f"{database_path}-writers" if database_path else None
        self._held: int | None = None  # the lock file's descriptor during a turn

    def locked(self) -> bool:
        return self._thread_lock.locked()

    def acquire(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        if not self._thread_lock.acquire(timeout=timeout):
            return False
        if self._lock_path is None:
            return True
        # Mode as SQLite's -wal and -shm files: what the umask leaves of rw for all.
        descriptor = os.open(self._lock_path, os.O_WRONLY | os.O_CREAT, 0o666)
        pause = 0.0005
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                self._held = descriptor
                return True
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(descriptor)
                    self._thread_lock.release()
                    return False
                time.sleep(pause)
                pause = min(pause * 2, 0.002)

    def release(self) -> None:
        if self._held is not None:
            descriptor, self._held = self._held, None
            os.close(descriptor)  # closing lets go of the flock
        self._thread_lock.release()


_WRITER_QUEUES: dict[str, WriterQueue] = {}
_WRITER_QUEUES_GUARD = threading.Lock()


def sqlite_file(url: str) -> str | None:
    """The file of a SQLite database on disk; None for one in memory or not SQLite."""
    if not url.startswith("sqlite"):
        return None
    path = make_url(url).database
    on_disk = path not in (None, "", ":memory:") and not str(path).startswith("file:")
    return str(path) if on_disk else None


def _writer_queue(url: str) -> WriterQueue:
    """One queue per database in this process, shared by every engine on it."""
    with _WRITER_QUEUES_GUARD:
        if url not in _WRITER_QUEUES:
            _WRITER_QUEUES[url] = WriterQueue(sqlite_file(url))
        return _WRITER_QUEUES[url]


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
        _configure_sqlite(engine, _writer_queue(url))
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)


def _configure_sqlite(engine: Engine, writers: WriterQueue) -> None:
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
            # A thread of the pool may wait here; the turn may be given back by another thread
            # (a request's commit runs in a different one), so a plain Lock, not an RLock.
            wait = conn.get_execution_options().get(
                "sqlite_write_wait", SQLITE_BUSY_TIMEOUT_MS / 1000
            )
            if not writers.acquire(timeout=wait):
                raise WritersBusy("database is locked (waited for other writers)")
            info[_HOLDS_WRITE_LOCK] = True
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            _release(info, writers)
            raise

    # Released when the connection goes back to the pool, after its COMMIT or ROLLBACK has
    # run (the commit event comes before it), or when the pool throws the connection away.
    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
        _release(record.info, writers)

    @event.listens_for(engine, "invalidate")
    def _on_invalidate(_dbapi_connection: Any, record: Any, _error: Any) -> None:
        _release(record.info, writers)


_HOLDS_WRITE_LOCK = "frontline_holds_write_lock"
_COMMITTED = "frontline_committed"


def _release(info: dict[Any, Any], writers: WriterQueue) -> None:
    if info.pop(_HOLDS_WRITE_LOCK, False):
        writers.release()


class Database:
    """One engine, and sessions that are either read-mostly or writing."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self._write_engine = self.engine.execution_options(sqlite_write=True)
        self._checkpointer: Checkpointer | None = None

    def checkpoint_in_background(self) -> None:
        """A server's commits leave SQLite's checkpoints to a thread (frontline.checkpoints);
        nothing to do for PostgreSQL or a database in memory."""
        path = sqlite_file(self.url)
        if path is None:
            return
        if self._checkpointer is None:
            checkpointer = self._checkpointer = Checkpointer(path)

            # Counted once the COMMIT is done and the connection is back in the pool (the
            # commit event comes before it): a checkpoint it wakes copies that commit too.
            def note(conn: Connection) -> None:
                if conn.get_execution_options().get("sqlite_write"):
                    conn.info[_COMMITTED] = True

            def counted(_dbapi_connection: Any, record: Any) -> None:
                if record.info.pop(_COMMITTED, False):
                    checkpointer.committed()

            event.listen(self.engine, "connect", _leave_checkpoints)
            event.listen(self.engine, "commit", note)
            event.listen(self.engine, "checkin", counted)
            self.engine.dispose()  # the connections opened before would still checkpoint
        self._checkpointer.start()

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")

    def has_free_connection(self) -> bool:
        """Whether a connection can be had from the pool without waiting for one."""
        pool = self.engine.pool
        return isinstance(pool, QueuePool) and pool.checkedout() < pool.size()

    def open_session(self, *, write: bool, wait: float | None = None) -> Session:
        """A new session; nothing touches the database until its first statement. A writer
        with a `wait` gives up (WritersBusy) if SQLite's write turn is not its within that
        many seconds, instead of the busy timeout; PostgreSQL has no such turn."""
        engine = self._write_engine if write else self.engine
        if write and wait is not None:
            engine = engine.execution_options(sqlite_write_wait=wait)
        return Session(engine, expire_on_commit=False)

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
    def session(self, *, write: bool = True, wait: float | None = None) -> Iterator[Session]:
        """A session whose transaction commits on success and rolls back on error."""
        session = self.open_session(write=write, wait=wait)
        try:
            yield session
        except BaseException:
            self.abort(session)
            raise
        self.finish(session)

    def dispose(self) -> None:
        if self._checkpointer is not None:
            self._checkpointer.stop()
        self.engine.dispose()


def _leave_checkpoints(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.execute("PRAGMA wal_autocheckpoint=0")


def read_columns(
    session: Session, statement: Executable, params: Mapping[str, Any] | None = None
) -> Result[*tuple[Any, ...]]:
    """Run a statement that selects columns, not ORM objects, below the ORM. The ORM's own
    work for each statement (its compile state, wrapping the result) cost ~55 µs, about what
    SQLite takes to answer the small statements of a page, and a home page runs a dozen.
    Pending changes are flushed first, as the ORM's autoflush would."""
    if session.autoflush:
        session.flush()
    return session.connection().execute(statement, params)


def lock_fresh(session: Session, *rows: Any) -> None:
    """Lock each row until the transaction ends and read it again (PostgreSQL; SQLite's
    writers queue anyway), before checking the rule that guards a change two people or
    devices may make at once (publishing a draft, closing an action, amending an audit): the
    second waits, then sees the first's change. A lock taken without reading again would
    leave the session's older copy in place. Pending changes are written first (a refresh
    would drop them); lock parents before their children, everywhere in the same order."""
    session.flush()
    for row in rows:
        session.refresh(row, with_for_update=True)


Row = TypeVar("Row")


def insert_once(session: Session, row: Row, existing: Callable[[], Row | None]) -> Row:
    """Add `row`, or return the one already there that a unique constraint says it repeats:
    two requests at once (a double tap, two devices) both find nothing, and on PostgreSQL
    the second's INSERT waits for the first, then fails. The insert runs in a savepoint, so
    the transaction goes on with `existing()`, the row that won."""
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        found = existing()
        if found is None:
            raise
        return found
    return row


def save_unique(
    session: Session,
    row: Any,
    taken: Callable[[], bool],
    changes: Mapping[str, Any] | None = None,
) -> bool:
    """Add the new `row`, or make `changes` to a stored one, whose unique value a person
    typed (a code, a name) once the caller found the value free; False if another request
    took it meanwhile, and the row is as it was. Changes must be given here, not made before:
    pending changes are written before the savepoint starts.
    Two requests at once (two authors, a double tap) both find it free, and on PostgreSQL the
    second's write waits for the first, then fails on the unique constraint: it runs in a
    savepoint, so the caller refuses it as it refuses a value found taken, not with a 500. A
    failure that `taken()` does not explain is raised."""
    try:
        with session.begin_nested():
            for name, value in (changes or {}).items():
                setattr(row, name, value)
            session.add(row)
            session.flush()
    except IntegrityError:
        if not taken():
            raise
        return False
    return True


def insert_new(
    session: Session,
    table: Table,
    rows: list[dict[str, Any]],
    *,
    unique: tuple[str, ...],
    returning: str,
) -> set[Any]:
    """Insert the rows whose `unique` columns no row holds yet, and return `returning` of
    those inserted. Two writers that both found nothing (two assignments reaching one person
    at once) then both go on: on PostgreSQL the second's row waits for the first's
    transaction and, once it commits, is skipped instead of failing the whole request; the
    caller reads the rows it did not insert and treats them as already there."""
    if not rows:
        return set()
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = (
        insert(table)
        .on_conflict_do_nothing(index_elements=list(unique))
        .returning(table.c[returning])
    )
    session.flush()
    connection = session.connection()
    return {row[0] for row in connection.execute(statement, rows)}
