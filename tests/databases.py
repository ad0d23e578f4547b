"""The test PostgreSQL server named by FRONTLINE_TEST_DATABASE_URL: databases made and dropped
on it, for the suite's per-test copies and for the browser tests' live server."""

import os

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

PG_URL = os.environ.get("FRONTLINE_TEST_DATABASE_URL", "")

# Under pytest-xdist every worker builds its own template: one worker dropping and rebuilding
# a shared one would pull it from under the other's tests.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")

_admin: Engine | None = None


def url_of(database: str) -> str:
    return make_url(PG_URL).set(database=database).render_as_string(hide_password=False)


def _admin_engine() -> Engine:
    global _admin
    if _admin is None:
        _admin = create_engine(url_of("postgres"), isolation_level="AUTOCOMMIT")
    return _admin


def create_database(name: str, *, template: str | None = None) -> str:
    """A new, empty (or template-cloned) database; returns its URL."""
    clause = f' TEMPLATE "{template}"' if template else ""
    with _admin_engine().connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"{clause}'))
    return url_of(name)


def drop_database(name: str) -> None:
    with _admin_engine().connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
