"""`frontline standards`: the standards library as a YAML file, out and in."""

import sys
from pathlib import Path

import click

from frontline.db import Database
from frontline.migrate import UnmigratedDatabase, ensure_current
from frontline.settings import get_settings


@click.group()
def standards() -> None:
    """Standards library: import and export as YAML."""


def _database() -> Database:
    database = Database(get_settings().database_url)
    try:
        ensure_current(database.engine)
    except UnmigratedDatabase as exc:
        database.dispose()
        raise click.ClickException(str(exc)) from exc
    return database


@standards.command("export")
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
def export_command(file: Path) -> None:
    """Write every standard and all its versions to FILE (YAML)."""
    from sqlmodel import func, select

    from standards.models import Standard, StandardVersion
    from standards.yaml_io import export_library

    database = _database()
    try:
        with database.session(write=False) as session:
            text = export_library(session)
            n_standards = session.exec(select(func.count()).select_from(Standard)).one()
            n_versions = session.exec(select(func.count()).select_from(StandardVersion)).one()
    finally:
        database.dispose()
    file.write_text(text, encoding="utf-8")
    click.echo(f"Exported {n_standards} standards ({n_versions} versions) to {file}.")


@standards.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Only show what the import would do.")
def import_command(file: Path, dry_run: bool) -> None:
    """Import FILE (YAML): new standards are created, changed content becomes drafts.

    Published versions are never changed. Any error in the file means nothing is imported.
    """
    from standards.yaml_io import (
        ImportProblem,
        StandardSpec,
        apply_import,
        parse_library,
        plan_import,
    )

    specs: list[StandardSpec] = []
    try:
        text = file.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        errors = [ImportProblem(1, "The file is not UTF-8 text.")]
    else:
        specs, errors = parse_library(text)
    database = _database()
    try:
        with database.session() as session:
            plan = plan_import(session, specs, errors=errors)
            if not plan.ok:
                session.rollback()
                for error in plan.errors:
                    click.echo(f"{file}:{error.line}: {error.message}", err=True)
                click.echo(f"{len(plan.errors)} error(s); nothing was imported.", err=True)
                sys.exit(1)
            for line in plan.lines():
                click.echo(line)
            if dry_run:
                session.rollback()
                click.echo("Dry run: nothing was imported.")
                return
            apply_import(session, plan, actor_id=None)
    finally:
        database.dispose()
    click.echo(f"Imported {file}.")
