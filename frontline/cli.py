"""The `frontline` command: serve, migrate, manage users, import staff, run the demo."""

import sys
from getpass import getpass
from pathlib import Path

import click
import uvicorn

from frontline.db import Database
from frontline.migrate import UnmigratedDatabase, ensure_current, upgrade
from frontline.settings import get_settings


@click.group()
def main() -> None:
    """Frontline: a bank's service standards, training, audits and scorecards."""


def _database() -> Database:
    return Database(get_settings().database_url)


def _serve(host: str, port: int, workers: int) -> None:
    database = _database()
    try:
        ensure_current(database.engine)
    except UnmigratedDatabase as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        database.dispose()
    uvicorn.run(
        "frontline.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        # Off: uvicorn would believe X-Forwarded-For from any local client. The app reads
        # forwarded headers itself, from FRONTLINE_TRUSTED_PROXIES only (frontline.proxies).
        proxy_headers=False,
    )


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=int)
def serve(host: str, port: int, workers: int) -> None:
    """Serve the app (the database must be migrated)."""
    _serve(host, port, workers)


@main.group()
def db() -> None:
    """Database maintenance."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the database to the latest schema."""
    url = get_settings().database_url
    upgrade(url)
    click.echo(f"Database is up to date ({_safe_url(url)}).")


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@main.command("create-user")
@click.option("--employee-no", required=True, help="工号, used to log in.")
@click.option("--name", required=True)
@click.option(
    "--role",
    default="employee",
    show_default=True,
    type=click.Choice(["employee", "supervisor", "author", "hr", "admin"]),
)
@click.option("--password", help="Asked for when not given.")
def create_user(employee_no: str, name: str, role: str, password: str | None) -> None:
    """Create a person who can log in (for the first admin, say)."""
    from staff import passwords, service
    from staff.models import Role

    password = password or getpass("Password: ")
    if problem := passwords.policy_problem(password, employee_no=employee_no):
        raise click.ClickException(problem)
    database = _database()
    ensure_current(database.engine)
    with database.session() as session:
        if service.get_by_employee_no(session, employee_no=employee_no):
            raise click.ClickException(f"Employee number {employee_no} already exists.")
        service.create_person(
            session, employee_no=employee_no, name=name, role=Role(role), password=password
        )
    click.echo(f"Created {employee_no} ({role}).")


@main.command("import-staff")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_staff(file: Path) -> None:
    """Create or update people from a roster CSV; any bad row means nothing is imported.

    Runs with administrator rights: whoever has shell access to the server and its database
    settings is trusted as an administrator, so the file may give any role."""
    from frontline.uploads import UploadError, decode_text
    from staff import roster_plan
    from staff.models import Role

    try:
        text = decode_text(file.read_bytes())
    except UploadError as refused:
        raise click.ClickException(refused.message % refused.params) from refused
    database = _database()
    ensure_current(database.engine)
    with database.session() as session:
        plan = roster_plan.import_roster(session, text=text, actor_role=Role.admin, actor_id=None)
        for warning in plan.warnings:
            click.echo(
                f"{file}:{warning.line}: warning: {_filled(warning.message, warning.params)}",
                err=True,
            )
        if not plan.ok:
            session.rollback()
            for error in plan.errors:
                click.echo(f"{file}:{error.line}: {_filled(error.message, error.params)}", err=True)
            click.echo("Nothing was imported.", err=True)
            sys.exit(1)
    click.echo(
        f"Imported {file}: {plan.count(roster_plan.Action.create)} created, "
        f"{plan.count(roster_plan.Action.update)} updated, "
        f"{plan.count(roster_plan.Action.unchanged)} unchanged."
    )


def _filled(message: str, params: dict[str, object]) -> str:
    return message % params if params else message


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--no-serve", is_flag=True, help="Load the demo bank and exit.")
def demo(host: str, port: int, no_serve: bool) -> None:
    """Migrate, load the demo bank (once), print its logins and serve it."""
    from staff import demo as staff_demo
    from standards import demo as standards_demo

    url = get_settings().database_url
    upgrade(url)
    database = _database()
    with database.session() as session:
        logins = staff_demo.load(session)
        standards_demo.load(session)
    database.dispose()
    click.echo("Demo bank ready. Every demo login uses the password " + staff_demo.DEMO_PASSWORD)
    for employee_no, name, role in logins:
        click.echo(f"  {employee_no:<7} {role:<11} {name}")
    if not no_serve:
        click.echo(f"Serving on http://{host}:{port}")
        _serve(host, port, 1)


def _register_domain_commands() -> None:
    from standards.cli import standards

    main.add_command(standards)


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
