"""What every domain's command-line commands share."""

import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, NoReturn, TypeVar

import click
from sqlmodel import Session

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


def fail(lines: list[str]) -> NoReturn:
    """Print to stderr and exit 1: a bad file is the user's to fix, not a traceback."""
    for line in lines:
        click.echo(line, err=True)
    sys.exit(1)


@dataclass
class _LocalFile:
    """A file on disk in the shape `read_upload` reads (an upload's `.file`)."""

    file: BinaryIO


def read_local_file(file: Path, *, max_bytes: int) -> bytes:
    """A content file's bytes within the size cap and the uploads' checks; exits with
    `FILE:1: reason` when they refuse it, as every import command reports."""
    from frontline.uploads import UploadError, read_upload

    with file.open("rb") as fh:
        try:
            return read_upload(_LocalFile(fh), max_bytes=max_bytes)
        except UploadError as exc:
            _refused(file, exc)


def read_local_text(file: Path, *, max_bytes: int) -> str:
    """As `read_local_file`, decoded (UTF-8 or GB18030); text it is not exits the same way."""
    from frontline.uploads import UploadError, decode_text

    data = read_local_file(file, max_bytes=max_bytes)
    try:
        return decode_text(data)
    except UploadError as exc:
        _refused(file, exc)


def _refused(file: Path, exc: Exception) -> NoReturn:
    fail([f"{file}:1: {_message_of(exc)}", "Nothing was imported."])


class FileProblems(Exception):
    """What is wrong with an import file, as the lines to print (`FILE:PLACE: reason`, those
    listed and a line counting the rest) and how many problems there are: nothing is imported."""

    def __init__(self, lines: list[str], count: int) -> None:
        super().__init__(f"{count} error(s)")
        self.lines = lines
        self.count = count


P = TypeVar("P")
DRY_RUN = "Dry run: nothing was imported."
RACED = "It was refused while it was written; nothing was imported. Run the import again."


def _message_of(refused: Exception) -> str:
    """A domain error's message with its values filled in (msgids are English)."""
    message, params = getattr(refused, "message", None), getattr(refused, "params", None)
    if isinstance(message, str):
        return message % params if params else message
    return str(refused)


def _plan_lines(plan: Any) -> Iterable[str]:
    """What the plan would do, one line each (every domain's plan has `lines()`)."""
    lines: Iterable[str] = plan.lines()
    return lines


def _apply_nothing(session: Session, plan: Any) -> None:
    """For a plan step that already wrote everything (a dry run rolls it back)."""


def run_file_import(
    file: Path,
    *,
    dry_run: bool,
    plan: Callable[[Session], P],
    apply: Callable[[Session, P], object] = _apply_nothing,
    report: Callable[[P], Iterable[str]] = _plan_lines,
    dry_run_note: Callable[[P], str] = lambda _plan: DRY_RUN,
    done: Callable[[P], str] | None = None,
    refusals: tuple[type[Exception], ...] = (),
) -> None:
    """Every import command's loop, in one transaction: plan the file (the domain's `plan`
    raises FileProblems when the file is wrong: the problems are printed with their place and
    the command exits 1 with nothing imported), print what the plan would do, then roll back on
    a dry run, or `apply` it and print `done` (by default "Imported FILE.").

    `refusals` are the domain's own errors a rule raises while writing: the file was fine
    when planned, but another change made at the same moment took a code it creates
    (PostgreSQL; SQLite's write turn is held from the plan on). The command says so and
    exits 1, nothing imported, rather than ending in a traceback."""
    database = migrated_database()
    try:
        with database.session() as session:
            try:
                planned = plan(session)
                for line in report(planned):
                    click.echo(line)
                if dry_run:
                    session.rollback()
                    click.echo(dry_run_note(planned))
                    return
                apply(session, planned)
            except FileProblems as problems:
                session.rollback()
                fail([*problems.lines, f"{problems.count} error(s); nothing was imported."])
            except refusals as refused:
                session.rollback()
                fail([f"{file}: {_message_of(refused)}", RACED])
    finally:
        database.dispose()
    click.echo(done(planned) if done is not None else f"Imported {file}.")
