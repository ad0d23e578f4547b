"""SQLite's checkpoints in a thread of their own, outside every writer's turn.

In WAL mode a commit appends its pages to the log, and by default the commit that takes the
log past 1,000 pages then copies the log back into the database file and syncs it to disk (a
checkpoint) while it still holds the write turn: every writer queued behind it waits (a few to
tens of ms on the region database, about one commit in a hundred; the mean commit of a quiz
start was 0.9 ms, most of it other commits' checkpoints). A server's connections therefore
never checkpoint (`wal_autocheckpoint=0`); this thread copies the log a few times a second in
PASSIVE mode, which waits for no reader and no writer, so a writer's turn holds only its own
statements. The CLI and scripts keep SQLite's own checkpoints.
"""

import logging
import sqlite3
import threading

log = logging.getLogger("frontline")

EVERY_SECONDS = 0.25


class Checkpointer:
    """Copies one database's WAL into the database file every `every` seconds until stopped."""

    def __init__(self, path: str, *, every: float = EVERY_SECONDS) -> None:
        self.path = path
        self.every = every
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

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
        self._thread.join()
        self._thread = None

    def run_once(self, connection: sqlite3.Connection) -> tuple[int, int, int]:
        """(busy, pages in the log, pages copied): busy is 1 when another process's
        checkpoint was running (two server workers), which then does the work."""
        row = connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        return int(row[0]), int(row[1]), int(row[2])

    def _run(self) -> None:
        # Its own connection, outside the pool: no request waits for it, nor it for them.
        connection = sqlite3.connect(self.path, timeout=0, check_same_thread=False)
        try:
            while True:
                stopping = self._stop.wait(self.every)
                try:
                    self.run_once(connection)
                except sqlite3.Error as error:  # a busy or failed pass: the next one retries
                    log.warning("SQLite checkpoint failed: %s", error)
                if stopping:
                    return
        finally:
            connection.close()
