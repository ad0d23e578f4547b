"""`frontline quizzes`: the question bank and quizzes as a YAML file (or a spreadsheet)."""

from pathlib import Path
from typing import TYPE_CHECKING

import click
from sqlmodel import Session

from frontline.commands import fail, migrated_database, read_local_file, run_file_import
from frontline.settings import get_settings

if TYPE_CHECKING:
    from quizzes.files.bank_file import BankFile
    from quizzes.files.bank_import import BankPlan

SPREADSHEET_SUFFIXES = (".csv", ".xlsx")


@click.group()
def quizzes() -> None:
    """Question bank and quizzes: import and export."""


def _read(file: Path, limit: int) -> bytes:
    return read_local_file(file, max_bytes=limit)


@quizzes.command("export")
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
def export_command(file: Path) -> None:
    """Write every question (its current version) and every quiz to FILE (YAML)."""
    from quizzes.files.bank_import import export_bank

    database = migrated_database()
    try:
        with database.session(write=False) as session:
            text = export_bank(session)
    finally:
        database.dispose()
    n_questions = text.count("\n  - code: Q")
    file.write_text(text, encoding="utf-8")
    click.echo(f"Exported the question bank ({n_questions} questions) and quizzes to {file}.")


def _parse(file: Path) -> "BankFile":
    from frontline.uploads import UploadError, decode_text
    from quizzes.files.bank_file import parse_bank
    from quizzes.files.spreadsheet import parse_spreadsheet

    settings = get_settings()
    if file.suffix.lower() in SPREADSHEET_SUFFIXES:
        data = _read(file, settings.max_upload_bytes)
        return parse_spreadsheet(data, filename=file.name)
    try:
        return parse_bank(decode_text(_read(file, settings.max_library_bytes)))
    except UploadError as exc:
        fail([f"{file}:1: {exc.message}", "Nothing was imported."])


@quizzes.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Only show what the import would do.")
def import_command(file: Path, dry_run: bool) -> None:
    """Import FILE: a bank file (YAML) or a spreadsheet of questions (.csv, .xlsx).

    New questions and quizzes are created; changed content of an answered question becomes its
    next version. Any error in the file means nothing is imported.
    """
    from quizzes.bank import BankError
    from quizzes.files.bank_import import ImportRefused, apply_bank
    from quizzes.quiz_builder import BuilderError
    from standards.library_file.problems import file_problems

    parsed = _parse(file)

    def plan(session: Session) -> "BankPlan":
        # Applied as it is planned; a dry run rolls it back.
        try:
            return apply_bank(session, parsed=parsed, actor_id=None)
        except ImportRefused as refused:
            raise file_problems(file, refused.errors) from refused

    run_file_import(file, dry_run=dry_run, plan=plan, refusals=(BankError, BuilderError))
