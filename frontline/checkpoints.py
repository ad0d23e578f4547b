"""SQLite's checkpoints in a thread of their own, outside every writer's turn.

In WAL mode a commit appends its pages to the log, and by default the commit that takes the
log past 1,000 pages then copies the log back into the database file and syncs it to disk (a
checkpoint) while it still holds the write turn: every writer queued behind it waits (a quiz
start's commit averaged 0.9 ms, most of it other commits' checkpoints, and its p99 was
~130 ms). A server's connections therefore never checkpoint (`wal_autocheckpoint=0`); this
thread does, in PASSIVE mode, which waits for no reader and no writer, once the server's
writers have committed `COMMITS` times (about SQLite's 1,000 pages for small writes) or a
few seconds after the last one. Checkpointing on a timer instead synced the file four times a
second under a trickle of taps, and their p99 doubled. The CLI and scripts keep SQLite's own
checkpoints.
"""

import logging
import sqlite3
import threading

log = logging.getLogger("frontline")

COMMITS = 100
IDLE_SECONDS = 5.0


class Checkpointer:
    """Copies one database's WAL into the database file after every `commits` write commits
    noted (`committed`), or `idle` seconds after fewer, until stopped."""

    def __init__(self, path: str, *, commits: int = COMMITS, idle: float = IDLE_SECONDS) -> None:
        self.path = path
        self.commits = commits
        self.idle = idle
        self._pending = 0
        self._due = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def committed(self) -> None:
        """A writer of this process committed (no lock: a count off by one is harmless)."""
        self._pending += 1
        if self._pending >= self.commits:
            self._due.set()

    def start(self) -> None:
        if self.running:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="sqlite-checkpoints", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop the thread after one last checkpoint."""
        if self._thread is None:
            return
        self._stop.set()
        self._due.set()
        self._thread.join()
        self._thread = None

    def run_once(self, connection: sqlite3.Connection) -> tuple[int, int, int]:
        """(busy, pages in the log, pages copied): busy is 1 when another process's
        checkpoint was running (two server workers), which then does the work."""
        self._pending = 0
        row = connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        return int(row[0]), int(row[1]), int(row[2])

    def _run(self) -> None:
        # Its own connection, outside the pool: no request waits for it, nor it for them.
        connection = sqlite3.connect(self.path, timeout=0, check_same_thread=False)
        try:
            while not self._stop.is_set():
                self._due.wait(self.idle)
                self._due.clear()
                if self._pending or self._stop.is_set():
                    self._checkpoint(connection)
        finally:
            connection.close()

    def _checkpoint(self, connection: sqlite3.Connection) -> None:
        try:
            self.run_once(connection)
        except Exception:  # the thread must live on: the next pass copies what is left
            log.exception("SQLite checkpoint failed")
