"""`frontline db backup|restore`: the data comes back as it was, on SQLite and on PostgreSQL
(pg_dump and pg_restore in the PostgreSQL pass); nothing is overwritten or half-restored, and
a file that is not a backup, or comes from a newer Frontline, is refused with the database
untouched."""

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import text
from sqlmodel import select

from frontline import backup, cli
from frontline import settings as settings_module
from frontline.db import Database
from staff.models import Person
from tests.databases import PG_URL
from tests.factories import make_person


@pytest.fixture
def database(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    monkeypatch.setenv("FRONTLINE_DATABASE_URL", database_url)
    settings_module.get_settings.cache_clear()
    database = Database(database_url)
    yield database
    database.engine.dispose()
    settings_module.get_settings.cache_clear()


def _run(*args: str, answer: str | None = None) -> Result:
    return CliRunner().invoke(cli.main, ["db", *args], input=answer)


def _people(database: Database) -> set[str]:
    with database.session() as session:
        return {person.employee_no for person in session.exec(select(Person))}


def _kept(output: str) -> str:
    found = re.search(r"kept in (\S+?)\.?$", output.strip())
    assert found, output
    return found.group(1)


def test_a_restore_brings_the_data_back_as_it_was_and_keeps_what_it_replaced(
    database: Database, tmp_path: Path
) -> None:
    make_person(database, employee_no="MON001")
    file = tmp_path / "monday #1?.backup"  # characters a URI would read otherwise
    made = _run("backup", str(file))
    assert made.exit_code == 0, made.output
    assert "Backed up" in made.output and file.stat().st_size > 0
    make_person(database, employee_no="TUE001")  # after the backup

    restored = _run("restore", str(file), "--yes")
    assert restored.exit_code == 0, restored.output
    assert _people(database) == {"MON001"}
    # The database as it was before the restore is kept, and restores in turn.
    undone = _run("restore", _kept(restored.output), "--yes")
    assert undone.exit_code == 0, undone.output
    assert _people(database) == {"MON001", "TUE001"}


def test_a_backup_is_never_overwritten(database: Database, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    file = folder / "monday.backup"
    file.write_bytes(b"an older backup")
    refused = _run("backup", str(file))
    assert refused.exit_code == 1
    assert "exists already" in refused.output
    assert file.read_bytes() == b"an older backup"
    assert list(folder.iterdir()) == [file]  # no partial file left behind
    nowhere = _run("backup", str(tmp_path / "no-such-folder" / "monday.backup"))
    assert nowhere.exit_code == 1 and "There is no folder" in nowhere.output


def test_restoring_asks_first(database: Database, tmp_path: Path) -> None:
    make_person(database, employee_no="MON001")
    file = tmp_path / "monday.backup"
    _run("backup", str(file))
    make_person(database, employee_no="TUE001")
    declined = _run("restore", str(file), answer="n\n")
    assert declined.exit_code == 1 and "Stop the server first" in declined.output
    assert _people(database) == {"MON001", "TUE001"}


def test_a_file_that_is_not_a_backup_is_refused(database: Database, tmp_path: Path) -> None:
    make_person(database, employee_no="MON001")
    file = tmp_path / "notes.txt"
    file.write_text("not a database\n" * 100)
    refused = _run("restore", str(file), "--yes")
    assert refused.exit_code == 1
    assert "is not a" in refused.output and "backup" in refused.output
    assert _people(database) == {"MON001"}
    missing = _run("restore", str(tmp_path / "nowhere.backup"), "--yes")
    assert missing.exit_code == 1 and "There is no file" in missing.output


def test_a_backup_from_a_newer_frontline_is_refused(database: Database, tmp_path: Path) -> None:
    """Its schema is unknown to this code: restoring it would leave data no page can read."""
    make_person(database, employee_no="MON001")
    with database.session(write=True) as session:
        session.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    file = tmp_path / "future.backup"
    assert _run("backup", str(file)).exit_code == 0
    with database.session(write=True) as session:
        session.execute(text("DELETE FROM person WHERE employee_no = 'MON001'"))
    refused = _run("restore", str(file), "--yes")
    assert refused.exit_code == 1
    assert "9999_from_the_future" in refused.output and "does not know" in refused.output
    assert _people(database) == set()


def test_a_backup_taken_during_a_write_has_only_what_was_committed(
    database: Database, tmp_path: Path
) -> None:
    """One consistent snapshot, taken while the app goes on writing."""
    make_person(database, employee_no="MON001")
    file = tmp_path / "monday.backup"
    with database.session(write=True) as writing:
        writing.add(Person(employee_no="HALF01", name="写了一半", role="employee"))
        writing.flush()
        assert _run("backup", str(file)).exit_code == 0
    assert _people(database) == {"MON001", "HALF01"}  # committed after the backup
    assert _run("restore", str(file), "--yes").exit_code == 0
    assert _people(database) == {"MON001"}


@pytest.mark.skipif(bool(PG_URL), reason="SQLite's own file: PostgreSQL's dump is pg_dump's")
def test_a_sqlite_backup_is_one_checked_file(database: Database, tmp_path: Path) -> None:
    """No WAL file beside it: the one file is the whole backup."""
    make_person(database, employee_no="MON001")
    file = tmp_path / "monday.backup"
    assert _run("backup", str(file)).exit_code == 0
    with sqlite3.connect(file) as copy:
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        numbers = {row[0] for row in copy.execute("SELECT employee_no FROM person")}
    copy.close()
    assert numbers == {"MON001"}


@pytest.mark.skipif(not PG_URL, reason="PostgreSQL's restore runs after emptying the schema")
def test_a_failed_postgresql_restore_puts_the_database_back(
    database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_person(database, employee_no="MON001")
    file = tmp_path / "monday.backup"
    assert _run("backup", str(file)).exit_code == 0
    make_person(database, employee_no="TUE001")
    real_run = backup._run

    def failing(tool: str, *args: str, url: str) -> None:
        if tool == "pg_restore" and str(file) in args:
            raise backup.BackupRefused("pg_restore failed: the disk is full (simulated)")
        real_run(tool, *args, url=url)

    monkeypatch.setattr(backup, "_run", failing)
    refused = _run("restore", str(file), "--yes")
    assert refused.exit_code == 1
    assert "the disk is full" in refused.output and "as it was" in refused.output
    assert _people(database) == {"MON001", "TUE001"}
