"""Two requests at once, for the races a double tap or a second device makes.

PostgreSQL runs two transactions side by side, so a rule checked before a write can be
passed by both unless the row is locked (and read again) or a unique constraint is met
with grace. SQLite's writers queue at their first statement, so there the second simply
runs after the first: the same test passes on both, and bites on PostgreSQL.
"""

import threading
import time
from collections.abc import Callable
from typing import Any

from frontline.db import Database

Act = Callable[[Any], Any]


def at_once(
    db: Database, database_url: str, *, hold: Act, second: Act, first: Act | None = None
) -> tuple[Any, Any, Any]:
    """In one transaction `hold(session)` (take a lock, insert a row), then `first(session)`
    0.3 s later, before it commits; `second(session)`, on another connection, starts as
    soon as `hold` is done. Returns what `hold`, `first` and `second` returned (or raised)."""
    other = Database(database_url)
    held = threading.Event()
    results: dict[str, Any] = {}

    def run(name: str, database: Database, act: Act, before: Act | None = None) -> None:
        try:
            with database.session(write=True) as session:
                if before is not None:
                    results["hold"] = before(session)
                    held.set()
                    time.sleep(0.3)
                else:
                    held.wait()
                results[name] = act(session)
        except Exception as exc:
            results[name] = exc
        finally:
            held.set()  # a failing hold must not leave the other waiting

    threads = [
        threading.Thread(target=run, args=("first", db, first or (lambda _: None), hold)),
        threading.Thread(target=run, args=("second", other, second)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    other.dispose()
    return results.get("hold"), results.get("first"), results.get("second")
