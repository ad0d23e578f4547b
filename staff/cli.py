"""`frontline create-user` and `frontline import-staff`: people from the command line."""

import sys
from getpass import getpass
from pathlib import Path

import click

from frontline.commands import migrated_database
from staff.models import Role


@click.command("create-user")
@click.option("--employee-no", required=True, help="工号, used to log in.")
@click.option("--name", required=True)
@click.option(
    "--role",
    default="employee",
    show_default=True,
    type=click.Choice([role.value for role in Role]),
)
@click.option("--password", help="Asked for when not given.")
def create_user(employee_no: str, name: str, role: str, password: str | None) -> None:
    """Create a person who can log in (for the first admin, say)."""
    from staff import passwords, service

    password = password or getpass("Password: ")
    if problem := passwords.policy_problem(password, employee_no=employee_no):
        raise click.ClickException(problem)
    database = migrated_database()
    try:
        with database.session() as session:
            if service.get_by_employee_no(session, employee_no=employee_no):
                raise click.ClickException(f"Employee number {employee_no} already exists.")
            service.create_person(
                session, employee_no=employee_no, name=name, role=Role(role), password=password
            )
    finally:
        database.dispose()
    click.echo(f"Created {employee_no} ({role}).")


@click.command("import-staff")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_staff(file: Path) -> None:
    """Create or update people from a roster CSV; any bad row means nothing is imported.

    Runs with administrator rights: whoever has shell access to the server and its database
    settings is trusted as an administrator, so the file may give any role."""
    from frontline.uploads import UploadError, decode_text
    from staff import roster_plan

    try:
        text = decode_text(file.read_bytes())
    except UploadError as refused:
        raise click.ClickException(refused.message % refused.params) from refused
    database = migrated_database()
    try:
        with database.session() as session:
            plan = roster_plan.import_roster(
                session, text=text, actor_role=Role.admin, actor_id=None
            )
            for warning in plan.warnings:
                message = _filled(warning.message, warning.params)
                click.echo(f"{file}:{warning.line}: warning: {message}", err=True)
            if not plan.ok:
                session.rollback()
                for error in plan.errors:
                    message = _filled(error.message, error.params)
                    click.echo(f"{file}:{error.line}: {message}", err=True)
                click.echo("Nothing was imported.", err=True)
                sys.exit(1)
    finally:
        database.dispose()
    click.echo(
        f"Imported {file}: {plan.count(roster_plan.Action.create)} created, "
        f"{plan.count(roster_plan.Action.update)} updated, "
        f"{plan.count(roster_plan.Action.unchanged)} unchanged."
    )


def _filled(message: str, params: dict[str, object]) -> str:
    return message % params if params else message
