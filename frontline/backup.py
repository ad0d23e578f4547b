"""Backing the database up to a file and restoring it: `frontline db backup|restore FILE`.

SQLite (the embedded default) is copied with SQLite's online backup API: one consistent
snapshot, taken while the app goes on serving (WAL: readers never block the writer), checked
with `PRAGMA integrity_check`. PostgreSQL is dumped and restored with its own tools, `pg_dump`
and `pg_restore` (custom format; the restore is one transaction, so a failed one changes
nothing).

Both write a backup under a temporary name and rename it when it is whole, never overwrite one,
and refuse to restore a file that is not a backup or comes from a newer Frontline (an unknown
migration). A restore first keeps the database as it was beside the file it restores from,
then migrates the restored data to the code's schema. Stop the server before restoring: it
would go on with the data it had read.
"""

import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

from frontline.migrate import alembic_config, upgrade


class BackupRefused(Exception):
    """Nothing was written; the message says why and what to do."""


@dataclass(frozen=True)
class Backup:
    path: Path
    revision: str  # the migration the data is at
    size: int  # bytes


@dataclass(frozen=True)
class Restored:
    revision: str  # the backup's migration, before the restored data was migrated
    kept: Path  # the database as it was before the restore


def backup(url: str, target: Path) -> Backup:
    """Write a backup of the database at `url` to `target`, which must not exist."""
    if target.exists():
        raise BackupRefused(
            f"{target} exists already: choose a new name, a backup is never overwritten."
        )
    if not target.parent.is_dir():
        raise BackupRefused(f"There is no folder {target.parent}.")
    partial = target.with_name(f".{target.name}.partial")
    try:
        if _is_sqlite(url):
            revision = _sqlite_backup(_sqlite_path(url), partial)
        else:
            revision = _pg_revision(url)
            _run("pg_dump", "--format=custom", "--no-owner", f"--file={partial}", url=url)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return Backup(path=target, revision=revision, size=target.stat().st_size)


def restore(url: str, source: Path, *, now: datetime | None = None) -> Restored:
    """Replace the database at `url` with the backup `source`, keeping the current one."""
    if not source.is_file():
        raise BackupRefused(f"There is no file {source}.")
    revision = _sqlite_revision(source) if _is_sqlite(url) else _pg_dump_revision(source)
    _known_revision(url, revision)
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")
    if _is_sqlite(url):
        database = _sqlite_path(url)
        kept = _unused(database.with_name(f"{database.name}.before-restore-{stamp}"))
        if database.exists():
            _sqlite_backup(database, kept)
        _sqlite_copy(source, database)
    else:
        kept = backup(url, _unused(source.with_name(f"before-restore-{stamp}.dump"))).path
        try:
            _pg_replace(url, source)
        except BackupRefused as failed:
            _pg_replace(url, kept)
            raise BackupRefused(f"{failed}\nThe database is as it was (from {kept}).") from None
    upgrade(url)
    return Restored(revision=revision, kept=kept)


def _unused(path: Path) -> Path:
    """`path`, or the first of path-2, path-3 … that does not exist (two restores a second)."""
    found, number = path, 1
    while found.exists():
        number += 1
        found = path.with_name(f"{path.stem}-{number}{path.suffix}")
    return found


# ---- SQLite -----------------------------------------------------------------------------------


def _is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupRefused("An in-memory database has nothing to back up or restore.")
    return Path(database)


def _read_only(path: Path) -> str:
    """A read-only SQLite URI for a file (`?` or `#` in its name percent-encoded)."""
    return f"{path.resolve().as_uri()}?mode=ro"


def _sqlite_copy(source: Path, target: Path) -> None:
    """Copy a whole SQLite database page by page into `target` (made if missing), as one
    consistent snapshot of `source`: its writers go on meanwhile."""
    with (
        sqlite3.connect(_read_only(source), uri=True) as reading,
        sqlite3.connect(target) as writing,
    ):
        reading.backup(writing)
    reading.close()
    writing.close()


def _sqlite_backup(database: Path, target: Path) -> str:
    """A self-contained copy (no WAL beside it), checked whole; its migration."""
    if not database.exists():
        raise BackupRefused(f"There is no database at {database}.")
    _sqlite_copy(database, target)
    with sqlite3.connect(target) as copy:
        copy.execute("PRAGMA journal_mode=DELETE")
    copy.close()
    return _sqlite_revision(target)


def _sqlite_revision(path: Path) -> str:
    """The migration of a SQLite file that passes SQLite's own integrity check."""
    try:
        with sqlite3.connect(_read_only(path), uri=True) as copy:
            check = copy.execute("PRAGMA integrity_check").fetchone()[0]
            found = copy.execute("SELECT version_num FROM alembic_version").fetchone()
        copy.close()
    except sqlite3.DatabaseError as error:
        raise BackupRefused(f"{path} is not a Frontline backup of SQLite ({error}).") from None
    if check != "ok":
        raise BackupRefused(f"{path} is damaged: SQLite's integrity check says {check!r}.")
    if found is None:
        raise BackupRefused(f"{path} has no migration recorded: not a Frontline database.")
    return str(found[0])


# ---- PostgreSQL -------------------------------------------------------------------------------


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupRefused(
            f"{name} is not installed: PostgreSQL's client tools do PostgreSQL backups "
            "(apt-get install postgresql-client, of the server's major version or newer)."
        )
    return found


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    """The libpq address of a SQLAlchemy URL, and the environment that carries its password
    (never on the command line, where `ps` shows it)."""
    parsed: URL = make_url(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    address = parsed.set(drivername="postgresql", password=None)
    return address.render_as_string(hide_password=False), env


def _run(tool: str, *args: str, url: str) -> None:
    address, env = _libpq(url)
    done = subprocess.run(  # noqa: S603 - PostgreSQL's own tool, arguments we made
        [_pg_tool(tool), *args, f"--dbname={address}"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise BackupRefused(f"{tool} failed: {done.stderr.strip()[-2000:]}")


def _pg_replace(url: str, dump: Path) -> None:
    """Empty the app's schema (tables, their triggers and functions, whatever migrations made,
    also those a newer migration added), then restore the dump into it in one transaction."""
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            schema = conn.execute(text("SELECT current_schema()")).scalar_one()
            quoted = engine.dialect.identifier_preparer.quote_schema(schema)
            conn.execute(text(f"DROP SCHEMA {quoted} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA {quoted}"))
    finally:
        engine.dispose()
    _run("pg_restore", "--no-owner", "--single-transaction", "--exit-on-error", str(dump), url=url)


def _pg_revision(url: str) -> str:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            found = conn.execute(text("SELECT version_num FROM alembic_version")).first()
    finally:
        engine.dispose()
    if found is None:
        raise BackupRefused("The database has no migration recorded: run `frontline db upgrade`.")
    return str(found[0])


def _pg_dump_revision(path: Path) -> str:
    """The migration recorded in a custom-format dump, read without restoring it."""
    done = subprocess.run(  # noqa: S603 - PostgreSQL's own tool, a file the operator named
        [_pg_tool("pg_restore"), "--data-only", "--table=alembic_version", "--file=-", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise BackupRefused(f"{path} is not a PostgreSQL backup: {done.stderr.strip()[-500:]}")
    # COPY public.alembic_version (version_num) FROM stdin;\n<revision>\n\.
    found = re.search(r"COPY [\w.\"]*alembic_version .*FROM stdin;\n([0-9a-z_]+)\n", done.stdout)
    if found is None:
        raise BackupRefused(f"{path} has no migration recorded: not a Frontline backup.")
    return found.group(1)


def _known_revision(url: str, revision: str) -> None:
    """Refuse data from a newer Frontline: this code cannot know its schema."""
    script = ScriptDirectory.from_config(alembic_config(url))
    if revision not in {each.revision for each in script.walk_revisions()}:
        raise BackupRefused(
            f"The backup is at migration {revision}, which this version of Frontline does not "
            "know: restore it with the version that made it, or a newer one."
        )
