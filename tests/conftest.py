"""Each test gets its own migrated database: a copy of a migrated SQLite file, or a new
PostgreSQL database cloned from a migrated template when FRONTLINE_TEST_DATABASE_URL
points at a PostgreSQL server."""

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from sqlmodel import Session
from starlette.datastructures import State

from frontline.app import create_app
from frontline.db import Database
from frontline.migrate import upgrade
from frontline.settings import Settings
from staff import passwords
from tests.cheap_passwords import FAST_CONTEXT, FAST_DUMMY_HASH
from tests.client import FrontlineClient
from tests.databases import PG_URL, WORKER, create_database, drop_database

IN_CI = os.environ.get("CI") == "true"
TEMPLATE_DB = f"frontline_test_template_{WORKER}"


@pytest.fixture(autouse=True)
def fast_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "pwd_context", FAST_CONTEXT)
    monkeypatch.setattr(passwords, "_DUMMY_HASH", FAST_DUMMY_HASH)


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated database to copy: a SQLite file path, or a PostgreSQL template name."""
    if PG_URL:
        drop_database(TEMPLATE_DB)
        upgrade(create_database(TEMPLATE_DB))
        yield TEMPLATE_DB
        drop_database(TEMPLATE_DB)
        return
    path = tmp_path_factory.mktemp("template") / "template.db"
    upgrade(f"sqlite:///{path}")
    yield str(path)


@contextmanager
def copy_of(template: str, tmp_path: Path) -> Iterator[str]:
    """A test's own database, copied from `template` (a SQLite file or PostgreSQL database)."""
    if PG_URL:
        name = f"frontline_test_{uuid.uuid4().hex[:12]}"
        yield create_database(name, template=template)
        drop_database(name)
        return
    path = tmp_path / "frontline.db"
    shutil.copy(template, path)
    yield f"sqlite:///{path}"


@pytest.fixture
def database_url(migrated_template: str, tmp_path: Path) -> Iterator[str]:
    with copy_of(migrated_template, tmp_path) as url:
        yield url


@pytest.fixture(scope="session")
def demo_template(
    migrated_template: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[[Callable[[Session], None]], str]]:
    """demo_template(load): a migrated database that `load(session)` filled, built once per
    worker and `load` and then copied by each test that wants it (`copy_of`): the demo loaders
    take seconds, a copy does not. Call it from a function-scoped fixture, so the load hashes
    with the cheap passwords."""
    built: dict[Callable[[Session], None], str] = {}

    def template(load: Callable[[Session], None]) -> str:
        if load not in built:
            if PG_URL:
                name = f"frontline_test_demo_{WORKER}_{len(built)}"
                drop_database(name)
                url = create_database(name, template=migrated_template)
                built[load] = name
            else:
                path = tmp_path_factory.mktemp("demo") / "demo.db"
                shutil.copy(migrated_template, path)
                url = f"sqlite:///{path}"
                built[load] = str(path)
            database = Database(url)
            try:
                with database.session() as session:
                    load(session)
            except BaseException:
                del built[load]
                raise
            finally:
                database.dispose()
        return built[load]

    yield template
    if PG_URL:
        for name in built.values():
            drop_database(name)


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, secret_key="test-secret-key")


@dataclass
class _Built:
    """An app as create_app left it, with what a test may add to it (a route, a dependency
    override, an error handler) noted, to be put back after each test."""

    app: FastAPI
    routes: list[Any]
    exception_handlers: dict[Any, Any]
    state_names: set[str]


@pytest.fixture(scope="session")
def built_apps() -> dict[str, _Built]:
    """One app per worker and settings (the database URL aside): create_app registers 200+
    routes, and FastAPI's analysis of their signatures cost ~0.3 s of CPU a test."""
    return {}


@pytest.fixture
def app(settings: Settings, built_apps: dict[str, _Built]):  # type: ignore[no-untyped-def]
    """The app on this test's own database and settings: built by create_app once per worker,
    then given each test a fresh state (settings, a Database on the test's copy, secret key)
    and, afterwards, its own routes, error handlers and no dependency overrides again."""
    key = settings.model_dump_json(exclude={"database_url"})
    built = built_apps.get(key)
    if built is None:
        app = create_app(settings)
        built = _Built(
            app,
            list(app.router.routes),
            dict(app.exception_handlers),
            set(app.state._state),
        )
        built_apps[key] = built
    else:
        app = built.app
        app.state = State(
            {
                "settings": settings,
                "database": Database(settings.database_url),
                "secret_key": settings.resolved_secret_key(),
            }
        )
        # create_app sets more on the state than this fixture knows: make it set it too.
        assert set(app.state._state) == built.state_names
    yield app
    app.state.database.dispose()
    app.router.routes[:] = built.routes
    app.exception_handlers.clear()
    app.exception_handlers.update(built.exception_handlers)
    app.dependency_overrides.clear()


@pytest.fixture
def db(app) -> Database:  # type: ignore[no-untyped-def]
    return app.state.database  # type: ignore[no-any-return]


@pytest.fixture
def client(app) -> Iterator[FrontlineClient]:  # type: ignore[no-untyped-def]
    with FrontlineClient(app) as c:
        yield c


@pytest.fixture
def make_client(app):  # type: ignore[no-untyped-def]
    """More browsers at once (two devices, an attacker and a victim)."""
    clients: list[FrontlineClient] = []

    def make(**kwargs: object) -> FrontlineClient:
        c = FrontlineClient(app, **kwargs)  # type: ignore[arg-type]
        c.__enter__()
        clients.append(c)
        return c

    yield make
    for c in clients:
        c.__exit__(None, None, None)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """Under pytest-xdist (`-n 2`, as CI runs it) work goes out file by file, so a file's tests
    run in order on one worker; the browser test files are spread over the workers like the
    rest, each worker with its own live server, demo bank and database (the session fixtures of
    tests/browser/conftest.py). They go out first: they are the longest units, and a long one
    handed out last would leave the other worker idle at the end."""
    if config.getvalue("dist") not in ("load", "loadfile"):
        return None
    from xdist.scheduler import LoadFileScheduling

    class BrowserFilesFirst(LoadFileScheduling):
        def _assign_work_unit(self, node: Any) -> None:
            browser = next((s for s in self.workqueue if s.startswith("tests/browser/")), None)
            if browser is not None:
                self.workqueue.move_to_end(browser, last=False)
            super()._assign_work_unit(node)

    return BrowserFilesFirst(config, log)


def pytest_configure(config: pytest.Config) -> None:
    """In CI a PostgreSQL run without a server must fail loudly, never fall back to SQLite."""
    backend = os.environ.get("FRONTLINE_TEST_BACKEND", "")
    if IN_CI and backend == "postgresql" and not PG_URL:
        raise pytest.UsageError(
            "FRONTLINE_TEST_BACKEND=postgresql needs FRONTLINE_TEST_DATABASE_URL in CI"
        )
    if backend and backend not in ("sqlite", "postgresql"):
        raise pytest.UsageError(f"unknown FRONTLINE_TEST_BACKEND {backend!r}")
