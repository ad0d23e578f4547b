"""`frontline training`: training modules as a YAML file, out and in."""

from pathlib import Path
from typing import TYPE_CHECKING

import click
from sqlmodel import Session

from frontline.commands import fail, migrated_database, read_local_text, run_file_import
from frontline.settings import get_settings

if TYPE_CHECKING:
    from training.module_import import ImportPlan as ModuleImportPlan


@click.group()
def training() -> None:
    """Training modules: import and export as YAML."""


@training.command("export")
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.option(
    "--code",
    "codes",
    multiple=True,
    metavar="CODE",
    help="Export only this module (repeat for several).",
)
def export_command(file: Path, codes: tuple[str, ...]) -> None:
    """Write every module and all its versions and lessons to FILE (YAML), or only --code ones."""
    from training.module_file import export_modules

    wanted = [code.strip().upper() for code in codes] or None
    database = migrated_database()
    try:
        with database.session(write=False) as session:
            text = export_modules(session, codes=wanted)
    finally:
        database.dispose()
    n_modules = text.count("\n  - code: ")
    if wanted and n_modules != len(set(wanted)):
        fail([f"Not every code named is a module ({', '.join(wanted)}); nothing was written."])
    file.write_text(text, encoding="utf-8")
    click.echo(f"Exported {n_modules} modules to {file}.")


def _read(file: Path) -> str:
    """The file's text within the library size cap; exits with a message when it is not."""
    return read_local_text(file, max_bytes=get_settings().max_library_bytes)


@training.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Only show what the import would do.")
def import_command(file: Path, dry_run: bool) -> None:
    """Import FILE (YAML): new modules and versions are created, drafts take the file's content.

    Published versions are never changed. Any error in the file means nothing is imported.
    """
    from standards.library_file.problems import file_problems
    from training.module_file import parse_modules
    from training.module_import import apply_import, plan_import
    from training.service import TrainingError

    specs, errors = parse_modules(_read(file))

    def plan(session: Session) -> "ModuleImportPlan":
        planned = plan_import(session, specs=specs, errors=errors)
        if not planned.ok:
            raise file_problems(file, planned.errors)
        return planned

    run_file_import(
        file,
        dry_run=dry_run,
        plan=plan,
        apply=lambda session, planned: apply_import(session, plan=planned, actor_id=None),
        refusals=(TrainingError,),
    )
