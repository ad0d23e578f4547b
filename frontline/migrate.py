"""Alembic migrations, run from code: upgrade, and check that a database is current."""

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from frontline.settings import ROOT


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


def pending(engine: Engine) -> tuple[str | None, str | None]:
    """(the database's revision, the code's head); equal when nothing is pending."""
    script = ScriptDirectory.from_config(alembic_config(str(engine.url)))
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    return current, script.get_current_head()


class UnmigratedDatabase(RuntimeError):
    pass


def ensure_current(engine: Engine) -> None:
    current, head = pending(engine)
    if current != head:
        raise UnmigratedDatabase(
            f"The database is at migration {current or 'none'}, the code needs {head}. "
            "Run `frontline db upgrade` first."
        )
