"""What every domain's command-line commands share."""

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, NoReturn

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


def _refused(file: Path, exc: Any) -> NoReturn:
    message = exc.message % exc.params if exc.params else exc.message
    fail([f"{file}:1: {message}", "Nothing was imported."])
