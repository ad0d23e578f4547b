"""The `frontline` command: serve, migrate, run the demo; each domain adds its own commands."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
import uvicorn

from frontline import backup
from frontline.commands import migrated_database
from frontline.db import Database
from frontline.domains import installed
from frontline.migrate import upgrade
from frontline.settings import get_settings


@click.group()
def main() -> None:
    """Frontline: a bank's service standards, training, audits and scorecards."""


def _database() -> Database:
    return Database(get_settings().database_url)


def _serve(host: str, port: int, workers: int, *, access_log: bool = False) -> None:
    migrated_database().dispose()  # refuse an unmigrated database before serving
    uvicorn.run(
        "frontline.app:create_served_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        # Off: uvicorn would believe X-Forwarded-For from any local client. The app reads
        # forwarded headers itself, from FRONTLINE_TRUSTED_PROXIES only (frontline.proxies).
        proxy_headers=False,
        access_log=access_log,
    )


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=int)
@click.option(
    "--access-log/--no-access-log",
    default=False,
    show_default=True,
    help="Log every request to stderr (a proxy in front usually does; costs ~3% a request).",
)
def serve(host: str, port: int, workers: int, access_log: bool) -> None:
    """Serve the app (the database must be migrated)."""
    _serve(host, port, workers, access_log=access_log)


@main.group()
def db() -> None:
    """Database maintenance."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the database to the latest schema."""
    url = get_settings().database_url
    upgrade(url)
    click.echo(f"Database is up to date ({_safe_url(url)}).")


@contextmanager
def _refusal_said() -> Iterator[None]:
    """A refused backup or restore: its message and exit status 1, no traceback."""
    try:
        yield
    except backup.BackupRefused as refused:
        raise click.ClickException(str(refused)) from None


@db.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def db_backup(file: Path) -> None:
    """Write a backup of the database to FILE (a new file), while the app goes on serving."""
    url = get_settings().database_url
    with _refusal_said():
        made = backup.backup(url, file)
    click.echo(
        f"Backed up {_safe_url(url)} (migration {made.revision}) to {made.path} "
        f"({made.size / 1_000_000:.1f} MB)."
    )


@db.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask before replacing the database.")
def db_restore(file: Path, yes: bool) -> None:
    """Replace the database with the backup FILE. Stop the server first; the database as it
    was is kept beside it (SQLite) or beside FILE (PostgreSQL)."""
    url = get_settings().database_url
    if not yes:
        click.confirm(
            f"Replace every record in {_safe_url(url)} with {file}? Stop the server first.",
            abort=True,
        )
    with _refusal_said():
        done = backup.restore(url, file)
    click.echo(
        f"Restored {file} (migration {done.revision}) into {_safe_url(url)}, migrated to the "
        f"current schema. The database as it was is kept in {done.kept}."
    )


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--no-serve", is_flag=True, help="Load the demo bank and exit.")
def demo(host: str, port: int, no_serve: bool) -> None:
    """Migrate, load the demo bank (once), print its logins and serve it."""
    url = get_settings().database_url
    upgrade(url)
    database = _database()
    lines: list[str] = []
    try:
        with database.session() as session:
            for domain in installed():  # in dependency order: people before what they read
                if domain.demo is not None:
                    lines += domain.demo(session)
    finally:
        database.dispose()
    click.echo("Demo bank ready.")
    for line in lines:
        click.echo(line)
    if not no_serve:
        click.echo(f"Serving on http://{host}:{port}")
        _serve(host, port, 1)


def _register_domain_commands() -> None:
    for domain in installed():
        for command in domain.cli_commands:
            main.add_command(command)


@main.group()
def i18n() -> None:
    """Translation catalogs (for developers)."""


@i18n.command("update")
def i18n_update() -> None:
    """Extract every translatable string and merge it into the .po catalogs."""
    from babel.messages.frontend import CommandLineInterface

    from frontline.i18n import TRANSLATIONS_DIR
    from frontline.settings import ROOT

    pot = TRANSLATIONS_DIR / "messages.pot"
    CommandLineInterface().run(
        [
            "pybabel",
            "-q",
            "extract",
            "-F",
            str(ROOT / "babel.cfg"),
            *EXTRACT_KEYWORDS,
            "--no-location",
            "--sort-output",
            "--omit-header",
            "-o",
            str(pot),
            str(ROOT),
        ]
    )
    CommandLineInterface().run(
        [
            "pybabel",
            "-q",
            "update",
            "-i",
            str(pot),
            "-d",
            str(TRANSLATIONS_DIR),
            "--no-fuzzy-matching",
            "--ignore-obsolete",
        ]
    )
    click.echo(f"Catalogs updated from {pot}.")


EXTRACT_KEYWORDS = ["-k", "N_", "-k", "translate:2", "-k", "translate_plural:2,3"]

_register_domain_commands()
