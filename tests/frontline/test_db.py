"""SQLite is tuned for a busy branch: WAL, foreign keys, busy timeout, writers that queue."""

import sqlite3
import subprocess
import sys
import threading
import time

import pytest
from sqlalchemy import text

from frontline.db import Database
from tests.factories import make_branch


def test_sqlite_pragmas(db):
    if not db.is_sqlite:
        pytest.skip("SQLite only")
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000


def test_foreign_keys_are_enforced(db):
    from sqlalchemy.exc import IntegrityError

    from staff.models import Team

    with pytest.raises(IntegrityError), db.session() as session:
        session.add(Team(branch_id=424242, name="orphan"))
        session.flush()


def test_two_writers_wait_for_each_other_instead_of_failing(db, database_url):
    """Both transactions read then write; BEGIN IMMEDIATE makes the second one queue."""
    branch = make_branch(db, name="0")
    other = Database(database_url)
    errors: list[Exception] = []

    def bump(database: Database) -> None:
        try:
            from staff.models import Branch

            with database.session(write=True) as session:
                row = session.get(Branch, branch.id)
                time.sleep(0.2)
                row.name = str(int(row.name) + 1)
                session.add(row)
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=bump, args=(d,)) for d in (db, other)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    other.dispose()
    if db.is_sqlite:
        assert errors == []
        from staff.models import Branch

        with db.session() as session:
            assert session.get(Branch, branch.id).name == "2"
    else:
        # PostgreSQL's READ COMMITTED lets both commit; no error either way.
        assert errors == []


def test_writers_of_one_process_queue_on_a_lock_released_after_commit_and_rollback(db):
    if not db.is_sqlite:
        pytest.skip("the in-process writer queue is SQLite's")
    from frontline.db import _writer_queue
    from staff.models import Branch

    lock = _writer_queue(db.url)
    branch = make_branch(db, name="0")
    with db.session(write=True) as session:
        session.get(Branch, branch.id)
        assert lock.locked()  # taken with SQLite's write lock, at the first statement
    assert not lock.locked()
    with pytest.raises(RuntimeError), db.session(write=True) as session:
        session.get(Branch, branch.id)
        raise RuntimeError("the request failed")
    assert not lock.locked()
    with db.session(write=False) as session:
        session.get(Branch, branch.id)
        assert not lock.locked()  # readers never queue


def test_thirty_writers_at_once_all_land(db):
    """Thirty threads each read, then write, the same row five times: nothing fails, nothing
    is lost (on SQLite they queue on the process lock, then on BEGIN IMMEDIATE)."""
    from staff.models import Branch

    branch = make_branch(db, name="0")
    errors: list[Exception] = []

    def bump() -> None:
        try:
            for _ in range(5):
                with db.session(write=True) as session:
                    row = session.get(Branch, branch.id, with_for_update=True)
                    row.name = str(int(row.name) + 1)
                    session.add(row)
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=bump) for _ in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with db.session() as session:
        assert session.get(Branch, branch.id).name == "150"


def test_writers_of_another_process_wait_for_the_lock_file(tmp_path):
    """The queue's file lock spans processes: while another process holds it, a writer here
    does not get its turn; once it lets go, the writer does."""
    from frontline.db import WriterQueue

    database = tmp_path / "bank.db"
    holder = subprocess.Popen(  # noqa: S603 - our own interpreter and code
        [
            sys.executable,
            "-c",
            "import sys, time; from frontline.db import WriterQueue; "
            f"q = WriterQueue({str(database)!r}); assert q.acquire(5); print('held', flush=True); "
            "sys.stdin.readline(); q.release(); print('released', flush=True); time.sleep(5)",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        here = WriterQueue(str(database))
        assert not here.acquire(timeout=0.2)
        assert not here.locked()  # a writer that gave up holds nothing
        holder.stdin.write("go\n")
        holder.stdin.flush()
        assert holder.stdout.readline().strip() == "released"
        assert here.acquire(timeout=5)
        here.release()
    finally:
        holder.kill()
        holder.wait()


def test_a_server_leaves_checkpoints_to_a_thread_that_stops_with_it(db, database_url):
    """Commits of a server never checkpoint inside their write turn (a thread does it); the
    CLI's and the tests' own engines keep SQLite's checkpoints."""
    if not db.is_sqlite:
        pytest.skip("SQLite only")
    database = Database(database_url)
    database.checkpoint_in_background()
    checkpointer = database._checkpointer
    try:
        with database.engine.connect() as conn:
            assert conn.execute(text("PRAGMA wal_autocheckpoint")).scalar() == 0
        assert checkpointer is not None and checkpointer.running
    finally:
        database.dispose()
    assert not checkpointer.running
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA wal_autocheckpoint")).scalar() == 1000


@pytest.mark.parametrize("trigger", ["commits", "idle"])
def test_the_checkpoint_thread_copies_the_log_into_the_database_file(tmp_path, trigger):
    """The commits stay in the log until the thread copies them, after enough write commits
    or a while after the last: the database file, one page of header while everything is in
    the log, grows by the table's hundred pages."""
    path = tmp_path / "log.db"
    database = Database(f"sqlite:///{path}")
    database.checkpoint_in_background()
    checkpointer = database._checkpointer
    assert checkpointer is not None
    if trigger == "commits":
        checkpointer.commits, checkpointer.idle = 3, 60
    else:
        checkpointer.commits, checkpointer.idle = 1000, 0.2
    try:
        with database.session() as session:
            session.execute(text("CREATE TABLE t (body TEXT)"))
        for _ in range(2):
            with database.session() as session:
                rows = [{"body": "x" * 4000}] * 50
                session.execute(text("INSERT INTO t VALUES (:body)"), rows)
        deadline = time.monotonic() + 10
        while path.stat().st_size < 100 * 4096 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert path.stat().st_size >= 100 * 4096
    finally:
        database.dispose()


def test_a_failed_checkpoint_leaves_the_thread_running(tmp_path, monkeypatch):
    """A pass that fails (a disk hiccup) is logged and the next one runs: if the thread died,
    the log would grow without end."""
    from frontline.checkpoints import Checkpointer

    path = tmp_path / "flaky.db"
    sqlite3.connect(path).execute("PRAGMA journal_mode=WAL").close()
    passes: list[int] = []
    real = Checkpointer.run_once

    def flaky(self, connection):  # type: ignore[no-untyped-def]
        passes.append(1)
        if len(passes) == 1:
            raise RuntimeError("disk hiccup")
        return real(self, connection)

    monkeypatch.setattr(Checkpointer, "run_once", flaky)
    checkpointer = Checkpointer(str(path), commits=1, idle=60)
    checkpointer.start()
    try:
        for wanted in (1, 2):
            checkpointer.committed()
            deadline = time.monotonic() + 10
            while len(passes) < wanted and time.monotonic() < deadline:
                time.sleep(0.02)
            assert len(passes) == wanted
        assert checkpointer.running
    finally:
        checkpointer.stop()
    assert not checkpointer.running
