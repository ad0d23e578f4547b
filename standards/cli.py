"""`frontline standards`: the standards library as a YAML file, out and in."""

from pathlib import Path
from typing import TYPE_CHECKING

import click
from sqlmodel import Session

from frontline.commands import fail, migrated_database, read_local_text, run_file_import
from frontline.settings import get_settings

if TYPE_CHECKING:
    from standards.library_file.plan import ImportPlan


@click.group()
def standards() -> None:
    """Standards library: import and export as YAML."""


@standards.command("export")
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.option(
    "--code",
    "codes",
    multiple=True,
    metavar="CODE",
    help="Export only this standard (repeat for several), such as --code GRT-01.",
)
def export_command(file: Path, codes: tuple[str, ...]) -> None:
    """Write every standard and all its versions to FILE (YAML), or only those named by --code."""
    from standards.library_file import UnknownStandards, export_library

    wanted = [code.strip().upper() for code in codes] or None
    database = migrated_database()
    try:
        with database.session(write=False) as session:
            try:
                text = export_library(session, codes=wanted)
            except UnknownStandards as exc:
                fail([f"No standard has the code(s) {', '.join(exc.codes)}; nothing was written."])
    finally:
        database.dispose()
    # Each standard and version starts a line at its own indent; literal text is indented more.
    n_standards = text.count("\n  - code: ")
    n_versions = text.count("\n      - version: ")
    file.write_text(text, encoding="utf-8")
    click.echo(f"Exported {n_standards} standards ({n_versions} versions) to {file}.")


def _read(file: Path) -> str:
    """The file's text within the library size cap; exits with a message when it is not."""
    return read_local_text(file, max_bytes=get_settings().max_library_bytes)


@standards.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Only show what the import would do.")
def import_command(file: Path, dry_run: bool) -> None:
    """Import FILE (YAML): new standards are created, changed content becomes drafts.

    Published versions are never changed. Any error in the file means nothing is imported.
    """
    from standards.library_file import apply_import, parse_library, plan_import
    from standards.library_file.problems import file_problems
    from standards.service import StandardsError

    specs, errors = parse_library(_read(file))

    def plan(session: Session) -> "ImportPlan":
        planned = plan_import(session, specs=specs, errors=errors)
        if not planned.ok:
            raise file_problems(file, planned.errors)
        return planned

    run_file_import(
        file,
        dry_run=dry_run,
        plan=plan,
        apply=lambda session, planned: apply_import(session, plan=planned, actor_id=None),
        refusals=(StandardsError,),
    )
