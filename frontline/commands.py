"""What every domain's command-line commands share."""

import click

from frontline.db import Database
from frontline.migrate import UnmigratedDatabase, ensure_current
from frontline.settings import get_settings


def migrated_database() -> Database:
    """The configured database, refused with a message naming the fix if it is not migrated."""
    database = Database(get_settings().database_url)
    try:
        ensure_current(database.engine)
    except UnmigratedDatabase as exc:
        database.dispose()
        raise click.ClickException(str(exc)) from exc
    return database
