"""The `frontline` command: migrations, users, demo data, and refusing unmigrated databases."""

import pytest
from click.testing import CliRunner
from sqlmodel import select

from frontline import cli
from frontline import settings as settings_module
from frontline.app import create_app
from frontline.db import Database
from frontline.migrate import UnmigratedDatabase
from frontline.settings import Settings
from staff.models import Person


@pytest.fixture
def fresh_url(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("FRONTLINE_DATABASE_URL", url)
    monkeypatch.chdir(tmp_path)
    settings_module.get_settings.cache_clear()
    yield url
    settings_module.get_settings.cache_clear()


def test_app_refuses_an_unmigrated_database(fresh_url):
    with pytest.raises(UnmigratedDatabase, match="frontline db upgrade"):
        create_app(Settings(database_url=fresh_url, secret_key="k"))


def test_serve_refuses_an_unmigrated_database(fresh_url):
    result = CliRunner().invoke(cli.main, ["serve"])
    assert result.exit_code == 1
    assert "frontline db upgrade" in result.output


def test_db_upgrade_then_create_user(fresh_url):
    runner = CliRunner()
    result = runner.invoke(cli.main, ["db", "upgrade"])
    assert result.exit_code == 0 and "up to date" in result.output
    create_app(Settings(database_url=fresh_url, secret_key="k"))  # no longer refuses
    weak = runner.invoke(
        cli.main,
        [
            "create-user",
            "--employee-no",
            "ADM1",
            "--name",
            "Admin",
            "--role",
            "admin",
            "--password",
            "short",
        ],
    )
    assert weak.exit_code == 1 and "at least 10 characters" in weak.output
    ok = runner.invoke(
        cli.main,
        [
            "create-user",
            "--employee-no",
            "ADM1",
            "--name",
            "Admin",
            "--role",
            "admin",
            "--password",
            "Strong-pass-123",
        ],
    )
    assert ok.exit_code == 0, ok.output
    again = runner.invoke(
        cli.main,
        [
            "create-user",
            "--employee-no",
            "ADM1",
            "--name",
            "Admin",
            "--password",
            "Strong-pass-123",
        ],
    )
    assert again.exit_code == 1 and "already exists" in again.output


def test_demo_loads_once_and_prints_logins(fresh_url):
    runner = CliRunner()
    first = runner.invoke(cli.main, ["demo", "--no-serve"])
    assert first.exit_code == 0, first.output
    assert "A0001" in first.output and "Frontline2026" in first.output
    second = runner.invoke(cli.main, ["demo", "--no-serve"])
    assert second.exit_code == 0, second.output
    database = Database(fresh_url)
    with database.session() as session:
        people = session.exec(select(Person)).all()
    database.dispose()
    assert 18 <= len(people) <= 25
    assert {p.role.value for p in people} == {"employee", "supervisor", "author", "hr", "admin"}


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


class _Overtaken(Exception):
    def __init__(self) -> None:
        super().__init__("code")
        self.message = "A thing with the code %(code)s already exists."
        self.params = {"code": "X-01"}


def test_an_import_refused_while_written_says_so_and_keeps_nothing(fresh_url, tmp_path):
    """A domain's rule refusing a write after the plan passed (a code another request took at
    the same moment): the message with its values, exit 1, the plan's own writes undone."""
    import click
    from sqlalchemy import text

    from frontline import audit_trail
    from frontline.commands import run_file_import

    assert CliRunner().invoke(cli.main, ["db", "upgrade"]).exit_code == 0
    source = tmp_path / "things.yaml"
    source.write_text("things: []\n", encoding="utf-8")

    class Plan:
        def lines(self) -> list[str]:
            return ["X-01: create"]

    def plan(session):  # type: ignore[no-untyped-def]
        audit_trail.record(session, action="things.planned", actor_id=None)
        return Plan()

    def apply(session, planned):  # type: ignore[no-untyped-def]
        raise _Overtaken()

    @click.command()
    def things() -> None:
        run_file_import(source, dry_run=False, plan=plan, apply=apply, refusals=(_Overtaken,))

    result = CliRunner().invoke(things)
    assert result.exit_code == 1
    assert f"{source}: A thing with the code X-01 already exists." in result.output
    assert "nothing was imported" in result.output
    database = Database(fresh_url)
    with database.session(write=False) as session:
        assert (
            session.execute(
                text("SELECT count(*) FROM audit_trail WHERE action = 'things.planned'")
            ).scalar()
            == 0
        )
    database.dispose()
