"""The app as `frontline serve` runs it: what its startup built is left out of the garbage
collector's full passes, which otherwise stopped a worker for 100-150 ms about every minute."""

import gc
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from frontline import settings as settings_module
from frontline.app import create_app, create_served_app
from frontline.settings import Settings


@pytest.fixture
def served_url(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("FRONTLINE_DATABASE_URL", database_url)
    settings_module.get_settings.cache_clear()
    yield database_url
    settings_module.get_settings.cache_clear()
    gc.unfreeze()  # the rest of this test process collects as before


def test_a_served_worker_freezes_what_its_startup_built(served_url: str) -> None:
    app = create_served_app()
    assert gc.get_freeze_count() == 0  # not on import or construction: in the worker's startup
    with TestClient(app) as client:
        assert gc.get_freeze_count() > 10_000
        assert client.get("/healthz").status_code == 200
    assert app.state.settings.database_url == served_url


def test_the_apps_tests_build_freeze_nothing(database_url: str) -> None:
    with TestClient(create_app(Settings(database_url=database_url, secret_key="t"))) as client:
        assert client.get("/healthz").status_code == 200
        assert gc.get_freeze_count() == 0
